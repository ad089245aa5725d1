import pino from 'pino';
import { DataSource } from 'typeorm';
import { AuditWriter } from './audit/audit-writer.service';
import { ConfigError, loadConfig } from './config/keyring-config';
import { Envelope } from './crypto/envelope';
import { resolveMasterKeys } from './crypto/master-keys';
import { rewrapSecrets, type RewrapProgress } from './custody/rewrap';
import { installationDatabase } from './database/connect';
import { dataSourceOptions, runMigrations } from './database/data-source';

const USAGE = `Usage: npm run keyring -- <command>

Commands:
  migrate   apply pending database migrations
  rewrap    move every secret onto the active master key (KEYRING_ACTIVE_MASTER_KEY), in resumable batches
`;

/** Operator commands, run beside the server against the same database and configuration. */
async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  if (command !== 'migrate' && command !== 'rewrap') {
    process.stderr.write(USAGE);
    return command === undefined || command === 'help' ? 0 : 2;
  }
  const config = loadConfig();
  const logger = pino({ level: config.logLevel }, pino.destination(2));
  const database = await installationDatabase(config, (line) => logger.debug({ component: 'embedded-postgres' }, line));
  const dataSource = new DataSource(dataSourceOptions(database.url));
  try {
    await dataSource.initialize();
    const applied = await runMigrations(dataSource);
    if (command === 'migrate') {
      process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Nothing to apply: the database is up to date.\n');
      return 0;
    }
    const envelope = new Envelope(await resolveMasterKeys(config, (message) => logger.warn(message)));
    const result = await rewrapSecrets(dataSource, envelope, new AuditWriter(), { onProgress: progressBar() });
    process.stdout.write(`\nRe-wrapped ${result.done} secret version(s) onto master key "${envelope.activeKeyId}".\n`);
    return 0;
  } finally {
    await dataSource.destroy().catch(() => undefined);
    await database.stop();
  }
}

/** One line that fills up on a terminal; a line per batch otherwise (logs, CI). */
function progressBar(): (progress: RewrapProgress) => void {
  const width = 30;
  return ({ done, total }) => {
    const ratio = total === 0 ? 1 : done / total;
    const filled = Math.round(ratio * width);
    const line = `Re-wrapping [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} (${Math.floor(ratio * 100)}%)`;
    process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
  };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `keyring: ${error instanceof Error ? error.message : String(error)}`}\n`);
    process.exit(1);
  },
);
