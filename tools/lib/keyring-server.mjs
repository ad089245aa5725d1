// Starting the production build of Keyring on an embedded PostgreSQL of its own, and giving it an owner, a
// widget and an API key: what the benchmarks and the soak test need before they measure anything.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname;

export function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * `node dist/apps/api/main.js` in production mode on free ports, resolved once /readyz answers. With DATABASE_URL
 * in `env` it uses that database; otherwise an embedded PostgreSQL of its own. `restart()` stops the process and
 * starts it again on the same data, ports and master key (a deploy, as the tenant API's caches see it).
 */
export async function startKeyring(name, env = {}) {
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const dataDir = mkdtempSync(join(root, 'tmp', `${name}-`));
  chmodSync(dataDir, 0o755); // PostgreSQL runs as the `postgres` user when we are root
  const port = await freePort();
  const pgPort = await freePort();
  const metricsPort = await freePort();
  const masterKey = { id: name, key: randomBytes(32) };
  const fullEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    KEYRING_DATA_DIR: dataDir,
    KEYRING_EMBEDDED_PG_PORT: String(pgPort),
    KEYRING_METRICS_PORT: String(metricsPort),
    KEYRING_MASTER_KEYS: `${masterKey.id}:${masterKey.key.toString('base64')}`,
    KEYRING_SETUP_TOKEN: `${name}-setup-token-0123456789`,
    KEYRING_SHUTDOWN_GRACE_SECONDS: '0',
    ...env,
  };
  const base = `http://127.0.0.1:${port}`;
  let child = await launch(base, fullEnv);
  const ownerUrl = () => `postgres://keyring:${encodeURIComponent(readFileSync(join(dataDir, 'postgres-password'), 'utf8').trim())}@localhost:${pgPort}/keyring`;
  return {
    base,
    /** Where /metrics is served: a port of its own, on loopback. */
    metrics: `http://127.0.0.1:${metricsPort}/metrics`,
    get pid() {
      return child.pid;
    },
    setupToken: fullEnv.KEYRING_SETUP_TOKEN,
    /** `{ id, key }` (32 bytes): what secrets and audit MACs are under, for seeding through SQL. */
    masterKey,
    /** As the schema's owner. */
    databaseUrl: env.DATABASE_URL ? (env.DATABASE_MIGRATION_URL ?? env.DATABASE_URL) : ownerUrl(),
    async restart() {
      await exit(child);
      child = await launch(base, fullEnv);
    },
    async stop() {
      await exit(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function launch(base, env) {
  const child = spawn('node', ['dist/apps/api/main.js'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env });
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) return child;
    if (child.exitCode !== null || i > 600) throw new Error('Keyring did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function exit(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const OWNER = { email: 'owner@agency.example', password: 'owner-password-harbor-42' };

const callOf = (keyring) => (method, path, body, headers = {}) =>
  fetch(`${keyring.base}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body && JSON.stringify(body) }).then(async (r) => ({
    status: r.status,
    json: await r.json().catch(() => null),
    headers: r.headers,
  }));

/** First-run setup and the owner's session: `call(method, path, body, headers)` answers `{ status, json, headers }`. */
export async function setUp(keyring) {
  const call = callOf(keyring);
  const setup = await call('POST', '/api/v1/setup', { setupToken: keyring.setupToken, ...OWNER, organizationName: 'Agency' });
  return { call, session: await signIn(keyring), orgId: setup.json.organization.id };
}

/** Another session of the owner (cookie and CSRF headers). */
export async function signIn(keyring) {
  const login = await callOf(keyring)('POST', '/api/v1/auth/login', OWNER);
  if (login.status !== 200) throw new Error(`sign-in: ${login.status} ${JSON.stringify(login.json)}`);
  return { cookie: login.headers.get('set-cookie').split(';')[0], 'x-csrf-token': login.json.csrfToken };
}

/** Setup, an owner's session, a tenant, a widget with `secret` and an API key with both scopes. */
export async function prepare(keyring, secret) {
  const { call, session, orgId } = await setUp(keyring);
  const tenant = await call('POST', `/api/v1/orgs/${orgId}/tenants`, { name: 'Client' }, session);
  const widget = await call('POST', `/api/v1/orgs/${orgId}/widgets`, { tenantId: tenant.json.id, name: 'Site', secret }, session);
  const key = await call('POST', `/api/v1/orgs/${orgId}/api-keys`, { name: 'Backend', tenantId: tenant.json.id, scopes: ['user-hash:issue', 'user-hash:verify'] }, session);
  return { call, session, orgId, tenantId: tenant.json.id, widgetId: widget.json.id, apiKey: key.json.key };
}
