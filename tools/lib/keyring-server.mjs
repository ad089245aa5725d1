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

/** `node dist/apps/api/main.js` in production mode on free ports, resolved once /readyz answers. */
export async function startKeyring(name, env = {}) {
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const dataDir = mkdtempSync(join(root, 'tmp', `${name}-`));
  chmodSync(dataDir, 0o755); // PostgreSQL runs as the `postgres` user when we are root
  const port = await freePort();
  const pgPort = await freePort();
  const metricsPort = await freePort();
  const child = spawn('node', ['dist/apps/api/main.js'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      KEYRING_DATA_DIR: dataDir,
      KEYRING_EMBEDDED_PG_PORT: String(pgPort),
      KEYRING_METRICS_PORT: String(metricsPort),
      KEYRING_MASTER_KEYS: `${name}:${randomBytes(32).toString('base64')}`,
      KEYRING_SETUP_TOKEN: `${name}-setup-token-0123456789`,
      KEYRING_SHUTDOWN_GRACE_SECONDS: '0',
      ...env,
    },
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) break;
    if (child.exitCode !== null || i > 600) throw new Error('Keyring did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const password = readFileSync(join(dataDir, 'postgres-password'), 'utf8').trim();
  return {
    base,
    /** Where /metrics is served: a port of its own, on loopback. */
    metrics: `http://127.0.0.1:${metricsPort}/metrics`,
    pid: child.pid,
    setupToken: `${name}-setup-token-0123456789`,
    databaseUrl: `postgres://keyring:${encodeURIComponent(password)}@localhost:${pgPort}/keyring`,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Setup, an owner's session, a tenant, a widget with `secret` and an API key with both scopes. */
export async function prepare(keyring, secret) {
  const call = (method, path, body, headers = {}) =>
    fetch(`${keyring.base}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body && JSON.stringify(body) }).then(async (r) => ({
      status: r.status,
      json: await r.json().catch(() => null),
      headers: r.headers,
    }));
  const owner = { email: 'owner@agency.example', password: 'owner-password-harbor-42' };
  const setup = await call('POST', '/api/v1/setup', { setupToken: keyring.setupToken, ...owner, organizationName: 'Agency' });
  const login = await call('POST', '/api/v1/auth/login', owner);
  const session = { cookie: login.headers.get('set-cookie').split(';')[0], 'x-csrf-token': login.json.csrfToken };
  const orgId = setup.json.organization.id;
  const tenant = await call('POST', `/api/v1/orgs/${orgId}/tenants`, { name: 'Client' }, session);
  const widget = await call('POST', `/api/v1/orgs/${orgId}/widgets`, { tenantId: tenant.json.id, name: 'Site', secret }, session);
  const key = await call('POST', `/api/v1/orgs/${orgId}/api-keys`, { name: 'Backend', tenantId: tenant.json.id, scopes: ['user-hash:issue', 'user-hash:verify'] }, session);
  return { call, session, orgId, tenantId: tenant.json.id, widgetId: widget.json.id, apiKey: key.json.key };
}
