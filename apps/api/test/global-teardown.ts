import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const embedded = globalThis.__KEYRING_TEST_POSTGRES__;
  if (embedded) {
    await embedded.stop(); // not persistent: the cluster folder goes with it
    return;
  }
  // A shared server (TEST_DATABASE_URL), perhaps used by other runs at the same time: remove what this run made.
  const run = process.env['KEYRING_TEST_RUN'];
  const appRole = process.env['KEYRING_TEST_APP_ROLE'];
  if (!run || !appRole) return; // global-setup failed before creating anything
  const client = new Client({ connectionString: process.env['KEYRING_TEST_ADMIN_URL'] });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [`${run}_`]);
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
    }
    await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(appRole)}`);
  } finally {
    await client.end();
  }
}
