import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import type { KeyringConfig } from '../config/keyring-config';
import { findLocalMasterKeys, type LocalMasterKeys, type MasterKeys } from '../crypto/master-keys';
import { describeMasterKeyUsage, masterKeyUsage, missingMasterKeys } from '../health/master-key-usage';
import { auditRewriteRisks } from '../database/database-roles';
import { dataSourceOptions } from '../database/data-source';

interface Check {
  ok: boolean;
  /** A problem that stops Keyring from working (vs. one worth knowing). */
  fatal?: boolean;
  message: string;
}

/**
 * Checks what an operator gets wrong: the configuration (already parsed when this runs), the database and its
 * migrations, the master keys against the stored secrets, the built console, Redis. Prints one line per check;
 * 0 when nothing is fatal.
 */
export async function doctor(config: KeyringConfig, databaseUrl: string, print: (line: string) => void): Promise<number> {
  const checks: Check[] = [{ ok: true, message: `configuration: valid (NODE_ENV=${config.nodeEnv}, port ${config.port})` }];
  const local = config.masterKeys ? undefined : await findLocalMasterKeys(config);
  const keys = config.masterKeys ?? local?.keys;
  checks.push(masterKeyCheck(config, local));
  const dataSource = new DataSource(dataSourceOptions(databaseUrl));
  try {
    await dataSource.initialize();
    checks.push({ ok: true, message: 'database: reachable' });
    const pending = await dataSource.showMigrations();
    checks.push(pending ? { ok: false, fatal: true, message: 'migrations: some are pending; run `npm run keyring -- migrate`' } : { ok: true, message: 'migrations: all applied' });
    if (!pending) checks.push(await auditRoleCheck(dataSource), ...(await secretChecks(dataSource, keys)));
  } catch (error) {
    checks.push({ ok: false, fatal: true, message: `database: not reachable (${error instanceof Error ? error.message.replace(/\/\/[^@]*@/, '//…@') : 'unknown error'})` });
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
  checks.push(
    existsSync(join(config.consoleDir, 'index.html'))
      ? { ok: true, message: `console: built (${config.consoleDir})` }
      : { ok: false, message: `console: not built in ${config.consoleDir}; the API runs without it (npx nx build admin)` },
  );
  if (config.redisUrl) checks.push(await redisCheck(config.redisUrl));
  for (const check of checks) print(`${check.ok ? 'ok     ' : check.fatal ? 'PROBLEM' : 'note   '} ${check.message}`);
  const fatal = checks.filter((check) => check.fatal).length;
  print(fatal === 0 ? 'Keyring can run with this configuration.' : `${fatal} problem(s) to fix before Keyring can run.`);
  return fatal === 0 ? 0 : 1;
}

/** The app's role must not be able to rewrite the audit log: a warning, since Keyring works either way. */
async function auditRoleCheck(dataSource: DataSource): Promise<Check> {
  const { role, risks } = await auditRewriteRisks(dataSource);
  return risks.length
    ? {
        ok: false,
        message:
          `audit log: the app's database role "${role}" could rewrite it (${risks.join('; ')}); run the app as a role that owns ` +
          'nothing (DATABASE_URL) and migrations as the owner (DATABASE_MIGRATION_URL), see README',
      }
    : { ok: true, message: `audit log: the app's database role "${role}" can only read and append to it` };
}

function masterKeyCheck(config: KeyringConfig, local: LocalMasterKeys | undefined): Check {
  if (config.masterKeys) return { ok: true, message: `master keys: ${config.masterKeys.byId.size} configured, active "${config.masterKeys.active.id}"` };
  if (!local) return { ok: false, message: 'master keys: KEYRING_MASTER_KEYS is not set and there is no local key yet; the first start generates one' };
  if (local.moveTo) {
    return { ok: false, message: `master keys: the local key is in the data folder (${local.file}), beside the database; move it to ${local.moveTo}` };
  }
  return { ok: false, message: `master keys: KEYRING_MASTER_KEYS is not set; the local key ${local.file} is used (single-machine installs only)` };
}

async function secretChecks(dataSource: DataSource, keys: MasterKeys | undefined): Promise<Check[]> {
  const usage = await masterKeyUsage(dataSource);
  const missing = keys ? missingMasterKeys(usage, keys) : usage;
  const old = keys ? usage.filter((entry) => entry.keyId !== keys.active.id && keys.byId.has(entry.keyId)) : [];
  return [
    missing.length
      ? { ok: false, fatal: true, message: `secrets: encrypted under master key(s) not configured in KEYRING_MASTER_KEYS: ${describeMasterKeyUsage(missing)}` }
      : { ok: true, message: 'secrets: every stored secret can be decrypted with the configured master keys' },
    ...(old.length ? [{ ok: false, message: `secrets: still on an older master key: ${describeMasterKeyUsage(old)}; run \`npm run keyring -- rewrap\`` }] : []),
  ];
}

async function redisCheck(url: string): Promise<Check> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
    return { ok: true, message: 'redis: reachable (rate limits shared across instances)' };
  } catch {
    return { ok: false, message: 'redis: REDIS_URL is set but Redis does not answer; each instance will count rate limits alone' };
  } finally {
    redis.disconnect();
  }
}
