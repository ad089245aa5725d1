import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RequestRotationOnOffboarding1764500300000 implements MigrationInterface {
  name = 'RequestRotationOnOffboarding1764500300000';

  async up(db: QueryRunner): Promise<void> {
    // Set when an offboarding queues the widget for rotation; cleared by the next stored secret (not by a rollback,
    // which may bring back the very version the person saw).
    await db.query('ALTER TABLE widgets ADD COLUMN rotation_requested_at timestamptz');
    // The "rotation requested" filter, in the list's order (and the dashboard's count).
    await db.query(`CREATE INDEX widgets_rotation_requested_idx ON widgets (organization_id, lower(name), id)
      WHERE rotation_requested_at IS NOT NULL AND archived_at IS NULL`);
    // An offboarding report reads one person's reveals: (organization, actor) alone would walk every event of theirs
    // (each sign-in, each test token) to find them; with the action it reads only those.
    await db.query('CREATE INDEX audit_events_org_actor_action_idx ON audit_events (organization_id, actor_id, action, seq)');
    // …the versions they pasted, and the API keys they created that still work.
    await db.query('CREATE INDEX secret_versions_created_by_idx ON secret_versions (organization_id, created_by) WHERE created_by IS NOT NULL');
    await db.query('CREATE INDEX api_keys_created_by_idx ON api_keys (organization_id, created_by) WHERE revoked_at IS NULL');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX api_keys_created_by_idx');
    await db.query('DROP INDEX secret_versions_created_by_idx');
    await db.query('DROP INDEX audit_events_org_actor_action_idx');
    await db.query('DROP INDEX widgets_rotation_requested_idx');
    await db.query('ALTER TABLE widgets DROP COLUMN rotation_requested_at');
  }
}
