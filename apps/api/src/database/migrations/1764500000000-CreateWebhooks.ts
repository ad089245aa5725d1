import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWebhooks1764500000000 implements MigrationInterface {
  name = 'CreateWebhooks1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id),
        url text NOT NULL CHECK (char_length(url) BETWEEN 1 AND 2048),
        description text CHECK (char_length(description) <= 500),
        events text[] NOT NULL CHECK (cardinality(events) > 0),
        -- The signing secret (whsec_…), JWE under the master key, bound to this webhook.
        secret_enc text NOT NULL,
        -- The secret replaced by the last rotation, which still signs until previous_secret_expires_at.
        previous_secret_enc text,
        previous_secret_expires_at timestamptz,
        disabled_at timestamptz,
        disabled_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid REFERENCES users (id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((previous_secret_enc IS NULL) = (previous_secret_expires_at IS NULL))
      )`);
    await db.query('CREATE INDEX webhooks_org_idx ON webhooks (organization_id, created_at DESC, id)');

    // The outbox: one row per event and endpoint, inserted in the transaction of the change it reports, then sent
    // (and retried) by whichever instance claims it. Its id is the webhook-id of every attempt.
    await db.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations (id),
        event_type text NOT NULL,
        -- The exact JSON body sent on every attempt (text, not jsonb: the signature covers these bytes).
        payload text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        -- When it is due; while an instance sends it, the end of that instance's lease (if it dies, another
        -- takes the delivery up then).
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        -- Past this, a failed attempt ends the delivery as failed.
        retry_until timestamptz NOT NULL,
        -- The claim of the instance sending it: only that claim may record the attempt's outcome.
        lease_token uuid,
        last_attempt_at timestamptz,
        response_status integer,
        -- At most 1 KB of the last answer.
        response_body text CHECK (char_length(response_body) <= 1024),
        latency_ms integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    await db.query("CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'");
    await db.query('CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (webhook_id, created_at DESC, id)');

    // Reminders already sent (secret.rotation_due per widget version, api_key.expiring per key): each goes once.
    await db.query(`
      CREATE TABLE reminders_sent (
        subject text PRIMARY KEY,
        sent_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE reminders_sent');
    await db.query('DROP TABLE webhook_deliveries');
    await db.query('DROP TABLE webhooks');
  }
}
