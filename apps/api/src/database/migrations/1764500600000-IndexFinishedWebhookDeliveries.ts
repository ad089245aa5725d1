import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IndexFinishedWebhookDeliveries1764500600000 implements MigrationInterface {
  name = 'IndexFinishedWebhookDeliveries1764500600000';

  async up(db: QueryRunner): Promise<void> {
    // Finished deliveries by age: the retention job deletes those past KEYRING_WEBHOOK_RETENTION_DAYS without
    // reading the outbox's history (one row per event and endpoint, for ever otherwise).
    await db.query("CREATE INDEX webhook_deliveries_finished_idx ON webhook_deliveries (completed_at) WHERE status <> 'pending'");
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX webhook_deliveries_finished_idx');
  }
}
