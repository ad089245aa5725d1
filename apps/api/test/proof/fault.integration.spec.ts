import { signUserHash } from '@keyring/signing';
import { createWidget } from '../custody-fixtures';
import { completeSetup } from '../identity-fixtures';
import { startOutageProxy, type OutageProxy } from '../outage-proxy';
import { startTestApp, type TestApp } from '../test-app';
import { createTestDatabase, type TestDatabase } from '../test-database';

const OUTAGE_MS = 5_000;
const HANG_MS = 6_000;

interface Outcome {
  at: number;
  status: number | 'hung' | 'network';
}

/**
 * Under steady user-hash and rotation load, the database goes away for 5 s (every connection cut, new ones
 * refused) and comes back. Keyring must answer 503 quickly meanwhile — never hang, never 500 — recover without a
 * restart, lose no rotation it acknowledged, and keep its audit chain whole.
 */
describe('fault: the database goes away under load and comes back (real app, real PostgreSQL)', () => {
  let db: TestDatabase;
  let proxy: OutageProxy;
  let keyring: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = await startOutageProxy(db.appUrl);
    keyring = await startTestApp({ KEYRING_USAGE_FLUSH_SECONDS: '1' }, { ...db, appUrl: proxy.through(db.appUrl) });
  });
  afterAll(async () => {
    await keyring.app.close();
    await proxy.close();
    await db.drop();
  });

  it('503s while it is away, recovers by itself, loses no acknowledged rotation, and the chain holds', async () => {
    const { organizationId, owner } = await completeSetup(keyring);
    const { tenantId, widgetId } = await createWidget(owner, organizationId, { secret: 'fault-secret-initial-0' });
    const created = await owner.request('POST', `/api/v1/orgs/${organizationId}/api-keys`, {
      body: { name: 'f', tenantId, scopes: ['user-hash:issue'] },
    });
    const started = performance.now();
    const now = () => performance.now() - started;
    const call = async (path: string, body: unknown, headers: Record<string, string>): Promise<{ status: Outcome['status']; json?: any }> => {
      try {
        const response = await fetch(`${keyring.baseUrl}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(HANG_MS),
        });
        return { status: response.status, json: await response.json() };
      } catch (error) {
        return { status: (error as Error).name === 'TimeoutError' ? 'hung' : 'network' };
      }
    };

    const issued: Outcome[] = [];
    const rotations: (Outcome & { secret: string; version?: number })[] = [];
    let running = true;
    const issuer = (async () => {
      for (let i = 0; running; i++) {
        const { status } = await call(
          `/api/v1/widgets/${widgetId}/user-hash`,
          { userIdentifier: `visitor-${i}` },
          { authorization: `Bearer ${created.body.key}` },
        );
        issued.push({ at: now(), status });
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const rotator = (async () => {
      for (let i = 1; running; i++) {
        const secret = `fault-secret-rotation-${i}`;
        const { status, json } = await call(
          `/api/v1/orgs/${organizationId}/widgets/${widgetId}/secret-versions`,
          { secret },
          { cookie: owner.cookie, 'x-csrf-token': owner.csrfToken },
        );
        rotations.push({ at: now(), status, secret, version: status === 201 ? json.version : undefined });
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    })();

    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const cutAt = now();
    await proxy.cut();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    const restoredAt = now();
    await proxy.restore();
    // Recovery without restarting Keyring: issuing works again within 10 s.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !issued.some((o) => o.at > restoredAt && o.status === 200))
      await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    running = false;
    await Promise.all([issuer, rotator]);

    const all = [...issued, ...rotations];
    expect(all.filter((o) => o.status === 'hung' || o.status === 'network')).toEqual([]);
    // An unexpected status fails with the app's own error lines, so that a CI log names the cause.
    const unexpected = all.filter((o) => ![200, 201, 503].includes(o.status as number));
    expect({ unexpected, errors: unexpected.length ? keyring.logs.filter((line) => line.includes('"level":50')) : [] }).toEqual({
      unexpected: [],
      errors: [],
    });
    const during = all.filter((o) => o.at > cutAt + 1_000 && o.at < restoredAt);
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((o) => o.status === 503)).toBe(true);
    expect(issued.some((o) => o.at > restoredAt && o.status === 200)).toBe(true);
    expect(rotations.some((o) => o.at > restoredAt && o.status === 201)).toBe(true);

    // Every acknowledged rotation is stored, audited, and the last one is what signs now.
    const acknowledged = rotations.filter((o) => o.status === 201);
    const stored = await db.query<{ version: number }>('SELECT version FROM secret_versions WHERE widget_id = $1', [widgetId]);
    const audited = await db.query<{ version: number }>(
      "SELECT (details->>'version')::int AS version FROM audit_events WHERE action = 'secret.rotated'",
    );
    for (const { version } of acknowledged) {
      expect(stored.map((row) => row.version)).toContain(version);
      expect(audited.map((row) => row.version)).toContain(version);
    }
    const last = acknowledged[acknowledged.length - 1];
    const now200 = await call(`/api/v1/widgets/${widgetId}/user-hash`, { userIdentifier: 'after' }, { authorization: `Bearer ${created.body.key}` });
    expect(now200.json).toEqual({ userIdentifier: 'after', userHash: await signUserHash(last.secret, 'after'), keyVersion: last.version });
    const chain = await owner.request('GET', `/api/v1/orgs/${organizationId}/audit-events/verify`);
    expect(chain.body).toMatchObject({ valid: true });
  }, 60_000);
});
