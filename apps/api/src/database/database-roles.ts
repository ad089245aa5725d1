import { Client } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';

/**
 * Tables the app may read and append to but never change: the owner's triggers refuse UPDATE and DELETE, and the
 * app's role is not granted them either, so it can neither rewrite a row nor turn the triggers off.
 */
export const APPEND_ONLY_TABLES = ['audit_events', 'audit_checkpoints'] as const;

/** The role a PostgreSQL URL connects as. */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/** `url` with another role and password. */
export function withRole(url: string, role: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(role);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** Creates a plain login role (no superuser, no CREATEDB, no CREATEROLE), or resets its password. */
export async function ensureLoginRole(adminUrl: string, role: string, password: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    const statement = rowCount === 0 ? 'CREATE ROLE' : 'ALTER ROLE';
    await client.query(
      `${statement} ${client.escapeIdentifier(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${client.escapeLiteral(password)}`,
    );
  } finally {
    await client.end();
  }
}

/**
 * What the app's role needs, granted by the schema's owner after migrations (so new tables are covered): read and
 * write the tables, except the append-only ones (read and insert) and the migrations table (read, for /readyz).
 * Owning nothing, the role cannot ALTER a table to disable its triggers. Idempotent. Run under the migration
 * lock: concurrent GRANTs on one table fail with "tuple concurrently updated".
 */
export async function grantAppRole(owner: QueryRunner, role: string): Promise<void> {
  const [{ self }] = await owner.manager.query<{ self: boolean }[]>('SELECT current_user = $1 AS self', [role]);
  if (self) return; // one role for both: nothing to grant, and a REVOKE below would strip the owner itself
  const grantee = `"${role.replace(/"/g, '""')}"`;
  await owner.query(`GRANT USAGE ON SCHEMA public TO ${grantee}`);
  await owner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${grantee}`);
  await owner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${grantee}`);
  for (const table of APPEND_ONLY_TABLES) {
    await owner.query(`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${table} FROM ${grantee}`);
  }
  await owner.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON migrations FROM ${grantee}`);
}

/**
 * The connected role and why it could rewrite the audit log (empty when it cannot): a superuser may switch the
 * triggers off (session_replication_role), an owner may ALTER TABLE … DISABLE TRIGGER, and UPDATE, DELETE or
 * TRUNCATE rights are one such step away.
 */
export async function auditRewriteRisks(db: DataSource): Promise<{ role: string; risks: string[] }> {
  const [row] = await db.query<{ role: string; superuser: boolean; owner: boolean; update: boolean; delete: boolean; truncate: boolean }[]>(
    `SELECT current_user AS role, r.rolsuper AS superuser,
            pg_has_role(current_user, c.relowner, 'USAGE') AS owner,
            has_table_privilege('audit_events', 'UPDATE') AS "update",
            has_table_privilege('audit_events', 'DELETE') AS "delete",
            has_table_privilege('audit_events', 'TRUNCATE') AS "truncate"
       FROM pg_roles r, pg_class c
      WHERE r.rolname = current_user AND c.oid = 'audit_events'::regclass`,
  );
  if (row.superuser) return { role: row.role, risks: ['a superuser'] };
  const rights = (['update', 'delete', 'truncate'] as const).filter((right) => row[right]).map((right) => right.toUpperCase());
  return {
    role: row.role,
    risks: [...(row.owner ? ['owner of audit_events'] : []), ...(rights.length ? [`allowed to ${rights.join(', ')} it`] : [])],
  };
}
