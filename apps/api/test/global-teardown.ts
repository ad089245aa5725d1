import { Client } from 'pg';
import { runPrefix } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const embedded = globalThis.__KEYRING_TEST_POSTGRES__;
  if (embedded) {
    await embedded.stop(); // not persistent: the cluster folder goes with it
    return;
  }
  // A shared server (TEST_DATABASE_URL): leave it as we found it, and leave other runs' databases alone.
  const client = new Client({ connectionString: process.env['KEYRING_TEST_ADMIN_URL'] });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
      [runPrefix()],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
