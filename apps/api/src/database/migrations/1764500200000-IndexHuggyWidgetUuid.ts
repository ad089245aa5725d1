import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk import matches rows to live widgets by their Huggy widget uuid (a list of thousands at once): an equality
 * index, which the trigram index of the search cannot be for `= ANY(…)`.
 */
export class IndexHuggyWidgetUuid1764500200000 implements MigrationInterface {
  name = 'IndexHuggyWidgetUuid1764500200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE INDEX widgets_huggy_uuid_idx ON widgets (organization_id, lower(huggy_widget_uuid)) WHERE archived_at IS NULL');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX widgets_huggy_uuid_idx');
  }
}
