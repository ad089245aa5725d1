import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrganizations1763900000000 implements MigrationInterface {
  name = 'CreateOrganizations1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE organizations');
  }
}
