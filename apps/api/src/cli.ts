import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import pino, { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AppModule } from './app/app.module';
import { AuditKeys } from './audit/audit-keys';
import { auditVerify, auditVerifyOffline } from './cli/audit-verify';
import { createOwner } from './cli/create-owner';
import { doctor } from './cli/doctor';
import { rewrapCommand } from './cli/rewrap';
import { DomainError } from './common/problem/domain-error';
import { ConfigError, loadConfig, type KeyringConfig } from './config/keyring-config';
import { Envelope } from './crypto/envelope';
import { AuditWriter } from './audit/audit-writer.service';
import { resolveMasterKeys, type MasterKeys } from './crypto/master-keys';
import { installationDatabase } from './database/connect';
import { dataSourceOptions, migrateDatabase } from './database/data-source';

const USAGE = `Usage: npm run keyring -- <command>

Commands:
  migrate        apply pending database migrations
  rewrap         move every secret and two-factor secret onto the active master key (KEYRING_ACTIVE_MASTER_KEY), in resumable batches;
                   exit code 1, naming how many, if some are left on an older key
  create-owner   first-run setup without the console:
                   --email <email> --organization <name>, password in KEYRING_OWNER_PASSWORD (never on the command line)
  audit-verify   re-check every organization's audit chain (MACs, links, checkpoints); exit code 1 if one is broken
                 offline, with the public keys alone (no database, no master key):
                   --export <audit.ndjson> --jwks <keyring-audit-keys.json> [--checkpoint <file> …] (checkpoints in files, or as lines of the export)
  doctor         check configuration, database, migrations, master keys, console and Redis; exit code 1 on a problem
`;

const COMMANDS = ['migrate', 'rewrap', 'create-owner', 'audit-verify', 'doctor'] as const;
type Command = (typeof COMMANDS)[number];
const print = (line: string) => process.stdout.write(`${line}\n`);

/** Operator commands, run beside the server against the same database and configuration. */
async function main(argv: string[]): Promise<number> {
  const command = argv[0] as Command | undefined;
  if (!command || !COMMANDS.includes(command)) {
    process.stderr.write(USAGE);
    return command === undefined || (command as string) === 'help' ? 0 : 2;
  }
  if (command === 'audit-verify' && argv.length > 1) return auditVerifyOfflineCommand(argv.slice(1));
  const config = loadConfig(process.env, process.cwd(), { masterKeysRequired: command !== 'migrate' });
  const logger = pino({ level: config.logLevel }, pino.destination(2));
  const database = await installationDatabase(config, (line) => logger.debug({ component: 'embedded-postgres' }, line));
  if (command === 'doctor') {
    try {
      return await doctor(config, database.url, print);
    } finally {
      await database.stop();
    }
  }
  const dataSource = new DataSource(dataSourceOptions(database.url));
  try {
    const applied = command === 'audit-verify' ? [] : await migrateDatabase(database.migrationUrl, database.url);
    await dataSource.initialize();
    const masterKeys = () => resolveMasterKeys(config, (message) => logger.warn(message));
    if (command === 'audit-verify') return await auditVerify(dataSource, await loadAuditKeys(dataSource, await masterKeys()), print);
    if (command === 'create-owner') return await createOwnerCommand(argv.slice(1), config, database.url, logger);
    if (command === 'migrate') {
      process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Nothing to apply: the database is up to date.\n');
      return 0;
    }
    const keys = await masterKeys();
    return await rewrapCommand(dataSource, new Envelope(keys), new AuditWriter(await loadAuditKeys(dataSource, keys)), print);
  } finally {
    await dataSource.destroy().catch(() => undefined);
    await database.stop();
  }
}

async function loadAuditKeys(dataSource: DataSource, masterKeys: MasterKeys): Promise<AuditKeys> {
  const keys = new AuditKeys(masterKeys, dataSource);
  await keys.load();
  return keys;
}

async function auditVerifyOfflineCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { export: { type: 'string' }, jwks: { type: 'string' }, checkpoint: { type: 'string', multiple: true } },
  });
  if (!values.export || !values.jwks) {
    process.stderr.write('audit-verify offline needs --export and --jwks, and --checkpoint unless the export holds checkpoint lines (an audit stream\'s copy).\n');
    return 2;
  }
  return auditVerifyOffline({ exportFile: values.export, jwksFile: values.jwks, checkpointFiles: values.checkpoint ?? [] }, print);
}

async function createOwnerCommand(args: string[], config: KeyringConfig, databaseUrl: string, logger: Logger): Promise<number> {
  const { values } = parseArgs({ args, options: { email: { type: 'string' }, organization: { type: 'string' } } });
  const password = process.env['KEYRING_OWNER_PASSWORD'];
  if (!values.email || !values.organization || !password) {
    process.stderr.write('create-owner needs --email, --organization and the password in KEYRING_OWNER_PASSWORD.\n');
    return 2;
  }
  const masterKeys = await resolveMasterKeys(config, (message) => logger.warn(message));
  const app = await NestFactory.createApplicationContext(AppModule.register({ config, databaseUrl, logger, masterKeys }), { logger: false });
  try {
    return await createOwner(app, { email: values.email, organizationName: values.organization, password }, print);
  } catch (error) {
    // Refusals (weak password, setup already done) are for the operator to read, like the console shows them.
    if (error instanceof DomainError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `keyring: ${error instanceof Error ? error.message : String(error)}`}\n`);
    process.exit(1);
  },
);
