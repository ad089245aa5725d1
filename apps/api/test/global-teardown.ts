import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const embedded = globalThis.__KEYRING_TEST_POSTGRES__;
  if (embedded) {
    await embedded.stop(); // not persistent: the cluster folder goes with it
    return;
  }
  // A shared server (TEST_DATABASE_URL): leave it as we found it, and other runs on it (other checkouts) alone.
  const client = new Client({ connectionString: process.env['KEYRING_TEST_ADMIN_URL'] });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname = $1 OR starts_with(datname, $2)',
      [process.env['KEYRING_TEST_TEMPLATE'], `${process.env['KEYRING_TEST_TEMPLATE']}_`],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
