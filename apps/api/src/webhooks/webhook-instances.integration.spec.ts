import { DataSource } from 'typeorm';
import { systemContext } from '../access/request-context';
import { AuditWriter } from '../audit/audit-writer.service';
import { completeSetup, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';
import { timeUntil } from '../../test/time-until';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/webhook-receiver';

const ENV = { KEYRING_WEBHOOK_RETRY_BASE_MS: '200', KEYRING_WEBHOOK_POLL_MS: '100', KEYRING_WEBHOOK_CONCURRENCY: '4' };

/** Several instances share one outbox: each event goes out once, and a stopped or crashed instance loses nothing. */
describe('webhooks across instances (real apps, real receiver, real PostgreSQL)', () => {
  let a: TestApp;
  let b: TestApp;
  let receiver: WebhookReceiver;
  let owner: Session;
  let orgId: string;
  /** `count` api_key.revoked events, each committed in its own transaction through instance `app`. */
  const emit = async (app: TestApp, count: number, label: string) => {
    const db = app.app.get(DataSource);
    const audit = app.app.get(AuditWriter);
    for (let i = 0; i < count; i += 1) {
      await db.transaction((manager) =>
        audit.record(manager, systemContext(), { organizationId: orgId, action: 'api_key.revoked', target: { type: 'api_key', id: '00000000-0000-4000-8000-000000000001' }, details: { name: `${label} ${i}` } }),
      );
    }
  };
  const namesAt = (path: string) => receiver.received.filter((request) => request.path === path).map((request) => (JSON.parse(request.body) as { data: { details: { name: string } } }).data.details.name);
  const idsAt = (path: string) => receiver.received.filter((request) => request.path === path).map((request) => String(request.headers['webhook-id']));

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    a = await startTestApp(ENV);
    b = await startTestApp(ENV, a.db);
    ({ organizationId: orgId, owner } = await completeSetup(a));
  });
  afterAll(async () => {
    await b.close().catch(() => undefined);
    await a.close();
    await receiver.close();
  });

  const subscribe = async (path: string) => {
    const created = await owner.request('POST', `/api/v1/orgs/${orgId}/webhooks`, { body: { url: `${receiver.origin}${path}`, events: ['api_key.revoked'] } });
    expect(created.status).toBe(201);
  };

  it('delivers each event once when two instances dispatch from one outbox', async () => {
    await subscribe('/both');
    await Promise.all([emit(a, 30, 'from A'), emit(b, 30, 'from B')]);
    await timeUntil(async () => idsAt('/both').length, (count) => count >= 60, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ids = idsAt('/both');
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
    expect(new Set(namesAt('/both')).size).toBe(60);
  });

  it('loses nothing when an instance stops midway: the other sends the rest, each once', async () => {
    await subscribe('/restart');
    // A slow receiver: deliveries are still queued and in flight when B stops.
    receiver.answer(() => ({ status: 200, delayMs: 250 }));
    await emit(b, 40, 'restart');
    await b.app.close(); // a graceful stop: it finishes the attempts under way, claims nothing more
    expect(idsAt('/restart').length).toBeLessThan(40);
    await timeUntil(async () => idsAt('/restart').length, (count) => count >= 40, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(idsAt('/restart')).toHaveLength(40);
    expect(new Set(namesAt('/restart')).size).toBe(40);
    receiver.answer(() => ({ status: 200 }));
  });

  it('loses nothing when an instance dies holding claims: they go out once its lease runs out', async () => {
    const created = await owner.request('POST', `/api/v1/orgs/${orgId}/webhooks`, { body: { url: `${receiver.origin}/crash`, events: ['api_key.revoked'] } });
    // What a claim leaves when its instance dies before recording the attempt: a lease token, an attempt counted,
    // and next_attempt_at at the lease's end (here 1 s away, rather than LEASE_MS).
    await a.db.query(
      `INSERT INTO webhook_deliveries (webhook_id, organization_id, event_type, payload, retry_until, lease_token, attempts, next_attempt_at)
       SELECT $1, $2, 'api_key.revoked', json_build_object('type', 'api_key.revoked', 'timestamp', now(), 'data', json_build_object('details', json_build_object('name', 'crash ' || i)))::text,
              now() + interval '1 day', gen_random_uuid(), 1, now() + interval '1 second'
         FROM generate_series(1, 5) i`,
      [created.body.webhook.id, orgId],
    );
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(idsAt('/crash')).toHaveLength(0); // nobody takes a leased delivery
    await timeUntil(async () => idsAt('/crash').length, (count) => count >= 5, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(idsAt('/crash')).toHaveLength(5);
    expect(new Set(namesAt('/crash')).size).toBe(5);
  });
});
