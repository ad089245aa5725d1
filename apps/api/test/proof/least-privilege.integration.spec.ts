import { Client } from 'pg';
import { createWidget } from '../custody-fixtures';
import { completeSetup, type Session } from '../identity-fixtures';
import { startTestApp, type TestApp } from '../test-app';

/**
 * An attacker holding the app's database credentials (a compromised app host, a leaked DATABASE_URL) tries to
 * rewrite or hide audit events. The app runs as that role in every test of the suite; here it is attacked.
 */
describe('least privilege: the app\'s database role cannot rewrite the audit log (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let owner: Session;
  let organizationId: string;
  let asApp: Client;
  let eventsBefore: unknown[];

  beforeAll(async () => {
    keyring = await startTestApp();
    ({ organizationId, owner } = await completeSetup(keyring));
    await createWidget(owner, organizationId, { secret: 'least-privilege-secret' });
    eventsBefore = await keyring.db.query('SELECT * FROM audit_events ORDER BY id');
    asApp = new Client({ connectionString: keyring.db.appUrl });
    await asApp.connect();
  });
  afterAll(async () => {
    await asApp.end();
    await keyring.close();
  });

  /** Runs `sql` as the app's role in a transaction that is rolled back whatever happens; resolves to the error. */
  const attempt = async (sql: string): Promise<{ code?: string; message: string }> => {
    await asApp.query('BEGIN');
    try {
      await asApp.query(sql);
      return { message: 'succeeded' };
    } catch (error) {
      return error as { code: string; message: string };
    } finally {
      await asApp.query('ROLLBACK');
    }
  };

  it('runs as a role that is no superuser and owns nothing, and the app works with it', async () => {
    const [role] = await asApp.query(
      `SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls,
              (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) AS owned
         FROM pg_roles r WHERE rolname = current_user`,
    ).then((result) => result.rows);
    expect(role).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false, owned: 0 });
    const [connection] = await keyring.db.query<{ usename: string }>(
      "SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'keyring'",
    );
    expect(connection.usename).toBe(process.env['KEYRING_TEST_APP_ROLE']);
  });

  it.each([
    ['rewrite an event', `UPDATE audit_events SET details = '{"ownerEmail":"mallory@evil.example"}' WHERE action = 'setup.completed'`, /permission denied for table audit_events/],
    ['delete the newest events', 'DELETE FROM audit_events WHERE seq > 1', /permission denied for table audit_events/],
    ['truncate the log', 'TRUNCATE audit_events', /permission denied for table audit_events/],
    ['disable the append-only trigger', 'ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete', /must be owner of table audit_events/],
    ['disable every trigger', 'ALTER TABLE audit_events DISABLE TRIGGER ALL', /must be owner of table audit_events/],
    ['drop the trigger', 'DROP TRIGGER audit_events_no_update_delete ON audit_events', /must be owner of (table|relation) audit_events/],
    ['replace the trigger function', "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$", /must be owner of function audit_events_append_only|permission denied for schema public/],
    ['turn triggers off for the session', 'SET session_replication_role = replica', /permission denied to set parameter "session_replication_role"/],
    ['take over the table', 'ALTER TABLE audit_events OWNER TO CURRENT_USER', /must be owner of table audit_events/],
    ['drop the table', 'DROP TABLE audit_events', /must be owner of table audit_events/],
    ['become a superuser', 'ALTER ROLE CURRENT_USER SUPERUSER', /permission denied to alter role|must be superuser/],
  ])('refuses to %s', async (_attack, sql, message) => {
    const error = await attempt(sql);
    expect(error.code).toBe('42501'); // insufficient_privilege
    expect(error.message).toMatch(message);
  });

  it('leaves every event as it was, and the chain valid', async () => {
    expect(await keyring.db.query('SELECT * FROM audit_events ORDER BY id')).toEqual(eventsBefore);
    const verify = await owner.request('GET', `/api/v1/orgs/${organizationId}/audit-events/verify`);
    expect(verify.status).toBe(200);
    expect(verify.body.valid).toBe(true);
  });
});
