import { Webhook as StandardWebhook } from 'standardwebhooks';
import { DataSource, type EntityManager } from 'typeorm';
import { systemContext } from '../access/request-context';
import { AuditWriter } from '../audit/audit-writer.service';
import { createWidget } from '../../test/custody-fixtures';
import { addMember, completeSetup, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';
import { timeUntil } from '../../test/time-until';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../../test/webhook-receiver';
import { Envelope, keyIdOf } from '../crypto/envelope';
import { DeliveryRetention } from './delivery-retention';
import { Reminders } from './reminders';
import { webhookSecretBinding } from './webhook-signature';
import { rewrapWebhookSecrets } from './webhook-secrets-rewrap';

/** Short retries, so that a test sees the second attempt within a second or so. */
const ENV = { KEYRING_WEBHOOK_RETRY_BASE_MS: '200', KEYRING_WEBHOOK_POLL_MS: '100', KEYRING_WEBHOOK_BUSY_RATE: '4' };

describe('webhooks: endpoints, signed delivery, retries, outbox, reminders (real app, real receiver, real PostgreSQL)', () => {
  let keyring: TestApp;
  let receiver: WebhookReceiver;
  let owner: Session;
  let orgId: string;
  let hooks: string;
  let widgetId: string;
  let tenantId: string;
  const at = (path: string) => receiver.received.filter((request) => request.path === path);
  const arrived = (path: string, count = 1, limitMs = 5_000) => timeUntil(async () => at(path).length, (n) => n >= count, limitMs);
  const create = async (path: string, events: string[] = ['secret.rotated']) => {
    const created = await owner.request('POST', hooks, { body: { url: `${receiver.origin}${path}`, events, description: `Receiver ${path}` } });
    expect(created.status).toBe(201);
    return created.body as { webhook: { id: string }; secret: string };
  };
  const deliveriesOf = async (webhookId: string) => (await owner.request('GET', `${hooks}/${webhookId}/deliveries`)).body.items as Record<string, unknown>[];
  const rotate = (secret: string) => owner.request('POST', `/api/v1/orgs/${orgId}/widgets/${widgetId}/secret-versions`, { body: { secret } });

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    keyring = await startTestApp(ENV);
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    hooks = `/api/v1/orgs/${orgId}/webhooks`;
    ({ widgetId, tenantId } = await createWidget(owner, orgId, { secret: 'webhook-test-widget-secret-v1' }));
  });
  afterAll(async () => {
    await keyring.close();
    await receiver.close();
  });

  describe('endpoints', () => {
    it('creates a webhook with a whsec_ secret shown once, lists, reads, changes and deletes it, each audited', async () => {
      const { webhook, secret } = await create('/crud', ['secret.rotated', 'api_key.created']);
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
      expect(webhook).toMatchObject({ url: `${receiver.origin}/crud`, events: ['secret.rotated', 'api_key.created'], enabled: true, disabledReason: null, previousSecretExpiresAt: null });
      const listed = await owner.request('GET', hooks);
      expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(webhook.id);
      expect(listed.text).not.toContain(secret.slice(6));
      expect((await owner.request('GET', `${hooks}/${webhook.id}`)).text).not.toContain(secret.slice(6));

      const patched = await owner.request('PATCH', `${hooks}/${webhook.id}`, { body: { events: ['tenant.archived'], enabled: false } });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ events: ['tenant.archived'], enabled: false, disabledReason: 'Turned off by a member' });
      expect((await owner.request('PATCH', `${hooks}/${webhook.id}`, { body: { enabled: true } })).body).toMatchObject({ enabled: true, disabledReason: null });

      expect((await owner.request('DELETE', `${hooks}/${webhook.id}`)).status).toBe(204);
      expect((await owner.request('GET', `${hooks}/${webhook.id}`)).body).toMatchObject({ status: 404, type: 'urn:keyring:problem:webhook-not-found' });

      const audit = await owner.request('GET', `/api/v1/orgs/${orgId}/audit-events?targetId=${webhook.id}`);
      expect(audit.body.items.map((event: { action: string }) => event.action).sort()).toEqual(['webhook.created', 'webhook.deleted', 'webhook.updated', 'webhook.updated']);
      expect(audit.body.items.find((event: { action: string }) => event.action === 'webhook.created').details).toMatchObject({ origin: receiver.origin });
      expect(audit.text).not.toContain(secret.slice(6));
    });

    it('changes a URL whose path alone differs (a receiver token rotated), and audits its origin only', async () => {
      const { webhook } = await create('/token?t=first-leak-marker');
      const patched = await owner.request('PATCH', `${hooks}/${webhook.id}`, { body: { url: `${receiver.origin}/token?t=second-leak-marker` } });
      expect(patched.body.url).toBe(`${receiver.origin}/token?t=second-leak-marker`);
      const audit = await owner.request('GET', `/api/v1/orgs/${orgId}/audit-events?targetId=${webhook.id}`);
      expect(audit.body.items.find((event: { action: string }) => event.action === 'webhook.updated').details).toEqual({
        origin: receiver.origin,
        changes: { url: { from: receiver.origin, to: receiver.origin } },
      });
      expect(audit.text).not.toContain('second-leak-marker'); // (the first is in the test's own description)
    });

    it("keeps another organization's owner out through their own organization's routes: this one's ids are 404 there", async () => {
      const { webhook } = await create('/foreign');
      const delivery = (await owner.request('POST', `${hooks}/${webhook.id}/test`)).body as { id: string };
      const stream = (await owner.request('POST', `/api/v1/orgs/${orgId}/audit-streams`, { body: { kind: 'syslog', url: 'tcp://127.0.0.1:9' } })).body as { id: string };
      const outsider = await addMember(keyring, owner, orgId, 'foreign-owner@other.example', 'auditor');
      const theirs = (await outsider.request('POST', '/api/v1/orgs', { body: { name: 'Other Agency' } })).body as { id: string };
      expect(theirs.id).toMatch(/^[0-9a-f-]{36}$/); // an organization of their own, where they may do everything
      expect((await outsider.request('GET', `/api/v1/orgs/${theirs.id}/webhooks`)).status).toBe(200);
      expect((await owner.request('DELETE', `/api/v1/orgs/${orgId}/members/${outsider.userId}`)).status).toBe(204);
      const their = (path: string) => `/api/v1/orgs/${theirs.id}${path}`;
      const attempts: [string, string, object?][] = [
        ['GET', their(`/webhooks/${webhook.id}`)],
        ['PATCH', their(`/webhooks/${webhook.id}`), { url: 'http://127.0.0.1:9/stolen' }],
        ['POST', their(`/webhooks/${webhook.id}/rotate-secret`)],
        ['GET', their(`/webhooks/${webhook.id}/deliveries`)],
        ['POST', their(`/webhooks/${webhook.id}/test`)],
        ['POST', their(`/webhooks/${webhook.id}/deliveries/${delivery.id}/redeliver`)],
        ['DELETE', their(`/webhooks/${webhook.id}`)],
        ['GET', their(`/audit-streams/${stream.id}`)],
        ['DELETE', their(`/audit-streams/${stream.id}`)],
      ];
      for (const [method, path, body] of attempts) {
        const response = await outsider.request(method, path, body ? { body } : {});
        expect([method, path, response.status]).toEqual([method, path, 404]);
      }
      const mine = await owner.request('GET', `${hooks}/${webhook.id}`);
      expect(mine.body).toMatchObject({ url: `${receiver.origin}/foreign`, previousSecretExpiresAt: null });
      expect((await owner.request('DELETE', `/api/v1/orgs/${orgId}/audit-streams/${stream.id}`)).status).toBe(204);
    });

    it('names what is wrong with bad input (400)', async () => {
      const bad = await owner.request('POST', hooks, { body: { url: 'ftp://files.example/', events: ['secret.exploded'] } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(['events']);
      const badUrl = await owner.request('POST', hooks, { body: { url: 'ftp://files.example/', events: ['secret.rotated'] } });
      expect(badUrl.body).toMatchObject({ status: 400, type: 'urn:keyring:problem:webhook-target-refused', errors: [{ field: 'url', message: 'url must start with https:// (or http:// outside production)' }] });
      const withPassword = await owner.request('POST', hooks, { body: { url: 'https://user:pw@hooks.example/', events: ['secret.rotated'] } });
      expect(withPassword.body.detail).toMatch(/must not hold a user name or password/);
      const unresolvable = await owner.request('POST', hooks, { body: { url: 'https://no-such-host.invalid/', events: ['secret.rotated'] } });
      expect(unresolvable.body).toMatchObject({ status: 400, detail: "url's host no-such-host.invalid does not resolve" });
      // Outside production, only loopback is let through: a private address is still refused.
      const privateAddress = await owner.request('POST', hooks, { body: { url: 'http://10.1.2.3/hook', events: ['secret.rotated'] } });
      expect(privateAddress.body.detail).toMatch(/10\.1\.2\.3 is a private-network address/);
      expect((await owner.request('GET', `${hooks}/not-a-uuid`)).body.type).toBe('urn:keyring:problem:webhook-not-found');
    });

    it('lets auditors read, not change; operators and tenant-limited admins neither', async () => {
      const auditor = await addMember(keyring, owner, orgId, 'auditor@agency.example', 'auditor');
      const operator = await addMember(keyring, owner, orgId, 'operator@agency.example', 'operator');
      const limitedAdmin = await addMember(keyring, owner, orgId, 'limited@agency.example', 'admin', [tenantId]);
      expect((await auditor.request('GET', hooks)).status).toBe(200);
      expect((await auditor.request('POST', hooks, { body: { url: `${receiver.origin}/x`, events: ['secret.rotated'] } })).status).toBe(403);
      expect((await operator.request('GET', hooks)).status).toBe(403);
      const limited = await limitedAdmin.request('GET', hooks);
      expect(limited.body).toMatchObject({ status: 403, type: 'urn:keyring:problem:webhook-tenant-scope-forbidden' });
    });
  });

  describe('delivery', () => {
    it('delivers a rotation within 5 s, signed (standardwebhooks verifies it), without secret material, and logs it', async () => {
      const { webhook, secret } = await create('/signed');
      const started = Date.now();
      expect((await rotate('seeded-secret-never-in-a-body-v2')).status).toBe(201);
      await arrived('/signed');
      expect(Date.now() - started).toBeLessThan(5_000);
      const [request] = at('/signed');
      const verified = new StandardWebhook(secret).verify(request.body, request.headers as Record<string, string>) as Record<string, unknown>;
      expect(verified).toMatchObject({ type: 'secret.rotated', data: { organizationId: orgId, tenantId, target: { type: 'widget', id: widgetId }, details: { version: 2 } } });
      expect(Object.keys(verified)).toEqual(['type', 'timestamp', 'data']);
      expect(request.body).not.toContain('seeded-secret-never-in-a-body');
      expect(() => new StandardWebhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(request.body, request.headers as Record<string, string>)).toThrow();

      await timeUntil(() => deliveriesOf(webhook.id), (items) => items[0]?.['status'] === 'succeeded');
      const [delivery] = await deliveriesOf(webhook.id);
      expect(delivery).toMatchObject({ id: request.headers['webhook-id'], eventType: 'secret.rotated', status: 'succeeded', attempts: 1, responseStatus: 200, responseBody: 'ok', lastError: null });
      expect(delivery['latencyMs']).toEqual(expect.any(Number));
    });

    it('retries after a 500 with the same webhook-id and body, and ends at the 2xx', async () => {
      const { webhook } = await create('/flaky');
      receiver.answer((request) => (request.path === '/flaky' && at('/flaky').length === 1 ? { status: 500, body: 'down' } : { status: 200, body: 'ok' }));
      await rotate('seeded-secret-never-in-a-body-v3');
      await arrived('/flaky', 2);
      const [first, second] = at('/flaky');
      expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
      expect(second.body).toBe(first.body);
      await timeUntil(() => deliveriesOf(webhook.id), (items) => items[0]?.['status'] === 'succeeded');
      expect((await deliveriesOf(webhook.id))[0]).toMatchObject({ attempts: 2, responseStatus: 200 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(at('/flaky')).toHaveLength(2);
    });

    it('turns the webhook off at a 410, audited, and queues nothing more for it', async () => {
      const { webhook } = await create('/gone');
      receiver.answer((request) => (request.path === '/gone' ? { status: 410 } : { status: 200 }));
      await rotate('seeded-secret-never-in-a-body-v4');
      await timeUntil(() => owner.request('GET', `${hooks}/${webhook.id}`), (response) => response.body.enabled === false);
      expect((await owner.request('GET', `${hooks}/${webhook.id}`)).body.disabledReason).toBe('The endpoint answered 410 Gone');
      expect((await deliveriesOf(webhook.id))[0]).toMatchObject({ status: 'failed', attempts: 1, responseStatus: 410 });
      const audit = await owner.request('GET', `/api/v1/orgs/${orgId}/audit-events?targetId=${webhook.id}&action=webhook.disabled`);
      expect(audit.body.items).toHaveLength(1);
      await rotate('seeded-secret-never-in-a-body-v5');
      expect(await deliveriesOf(webhook.id)).toHaveLength(1);
      expect(at('/gone')).toHaveLength(1);
    });

    it('does not follow a redirect and keeps at most 1 KB of an answer', async () => {
      const { webhook } = await create('/redirect');
      const big = await create('/big');
      receiver.answer((request) =>
        request.path === '/redirect' ? { status: 302, headers: { location: `${receiver.origin}/elsewhere` } } : request.path === '/big' ? { status: 200, body: 'x'.repeat(5_000) } : { status: 200 },
      );
      await rotate('seeded-secret-never-in-a-body-v6');
      await timeUntil(() => deliveriesOf(webhook.id), (items) => items[0]?.['responseStatus'] === 302);
      expect((await deliveriesOf(webhook.id))[0]).toMatchObject({ status: 'pending', lastError: 'The endpoint answered 302' });
      expect(at('/elsewhere')).toHaveLength(0);
      await timeUntil(() => deliveriesOf(big.webhook.id), (items) => items[0]?.['status'] === 'succeeded');
      expect(((await deliveriesOf(big.webhook.id))[0]['responseBody'] as string).length).toBe(1024);
      await owner.request('DELETE', `${hooks}/${webhook.id}`);
    });

    it('a slow receiver holds up only its own delivery', async () => {
      const slow = await create('/slow', ['tenant.archived']);
      const fast = await create('/fast', ['tenant.archived']);
      receiver.answer((request) => (request.path === '/slow' ? { status: 200, delayMs: 3_000 } : { status: 200 }));
      const archived = await owner.request('POST', `/api/v1/orgs/${orgId}/tenants`, { body: { name: 'Archived soon' } });
      await owner.request('POST', `/api/v1/orgs/${orgId}/tenants/${archived.body.id}/archive`);
      // Sent and recorded while the slow one is still waiting for its answer.
      await timeUntil(() => deliveriesOf(fast.webhook.id), (items) => items[0]?.['status'] === 'succeeded', 2_000);
      expect((await deliveriesOf(slow.webhook.id))[0]).toMatchObject({ status: 'pending', attempts: 1 });
      await timeUntil(() => deliveriesOf(slow.webhook.id), (items) => items[0]?.['status'] === 'succeeded');
    });

    it('signs with the old and the new secret for a day after a rotation', async () => {
      const { webhook, secret: oldSecret } = await create('/rotating');
      const rotated = await owner.request('POST', `${hooks}/${webhook.id}/rotate-secret`);
      expect(rotated.status).toBe(200);
      const newSecret: string = rotated.body.secret;
      expect(newSecret).not.toBe(oldSecret);
      const overlap = new Date(rotated.body.webhook.previousSecretExpiresAt).getTime() - Date.now();
      expect(overlap).toBeGreaterThan(23.9 * 3_600_000);
      await owner.request('POST', `${hooks}/${webhook.id}/test`);
      await arrived('/rotating');
      const [request] = at('/rotating');
      expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2);
      for (const secret of [oldSecret, newSecret]) {
        expect(new StandardWebhook(secret).verify(request.body, request.headers as Record<string, string>)).toMatchObject({ type: 'webhook.test' });
      }
    });

    it('sends a test event, and redelivers a delivery with the same webhook-id', async () => {
      const { webhook, secret } = await create('/manual', ['member.removed']);
      const test = await owner.request('POST', `${hooks}/${webhook.id}/test`);
      expect(test.status).toBe(202);
      expect(test.body).toMatchObject({ eventType: 'webhook.test', status: 'pending' });
      await arrived('/manual');
      expect(new StandardWebhook(secret).verify(at('/manual')[0].body, at('/manual')[0].headers as Record<string, string>)).toMatchObject({ data: { webhookId: webhook.id } });
      await timeUntil(() => deliveriesOf(webhook.id), (items) => items[0]?.['status'] === 'succeeded');
      const again = await owner.request('POST', `${hooks}/${webhook.id}/deliveries/${test.body.id}/redeliver`);
      expect(again.status).toBe(202);
      await arrived('/manual', 2);
      expect(at('/manual').map((request: ReceivedWebhook) => request.headers['webhook-id'])).toEqual([test.body.id, test.body.id]);
      const missing = await owner.request('POST', `${hooks}/${webhook.id}/deliveries/00000000-0000-4000-8000-000000000000/redeliver`);
      expect(missing.body).toMatchObject({ status: 404, type: 'urn:keyring:problem:webhook-delivery-not-found' });
    });
  });

  describe('outbox', () => {
    it('writes the delivery row in the transaction of the change: rolled back with it, committed with it', async () => {
      const { webhook } = await create('/outbox', ['api_key.revoked']);
      const db = keyring.app.get(DataSource);
      const audit = keyring.app.get(AuditWriter);
      const record = (manager: EntityManager) =>
        audit.record(manager, systemContext(), { organizationId: orgId, action: 'api_key.revoked', target: { type: 'api_key', id: '00000000-0000-4000-8000-000000000001' }, details: { name: 'Outbox' } });
      await expect(
        db.transaction(async (manager) => {
          await record(manager);
          const [{ count }] = await manager.query<{ count: number }[]>('SELECT count(*)::int AS count FROM webhook_deliveries WHERE webhook_id = $1', [webhook.id]);
          expect(count).toBe(1); // there, inside the transaction
          throw new Error('the change fails');
        }),
      ).rejects.toThrow('the change fails');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await deliveriesOf(webhook.id)).toHaveLength(0);
      expect(at('/outbox')).toHaveLength(0);

      await db.transaction((manager) => record(manager));
      await arrived('/outbox');
      expect(JSON.parse(at('/outbox')[0].body)).toMatchObject({ type: 'api_key.revoked', data: { details: { name: 'Outbox' } } });
    });
  });

  describe('retention', () => {
    it('deletes finished deliveries older than KEYRING_WEBHOOK_RETENTION_DAYS (30) from the log; pending ones and recent ones stay', async () => {
      const { webhook } = await create('/retention', ['api_key.revoked']);
      const insert = (status: string, completedDaysAgo: number | null) =>
        keyring.db.query<{ id: string }>(
          `INSERT INTO webhook_deliveries (webhook_id, organization_id, event_type, payload, retry_until, status, created_at, completed_at, next_attempt_at)
           VALUES ($1, $2, 'api_key.revoked', '{}', now() + interval '1 day', $3, now() - interval '60 days',
                   CASE WHEN $4::int IS NULL THEN NULL ELSE now() - make_interval(days => $4::int) END, now() + interval '1 hour')
           RETURNING id`,
          [webhook.id, orgId, status, completedDaysAgo],
        );
      const [[oldSucceeded], [oldFailed], [recent], [pending]] = [await insert('succeeded', 31), await insert('failed', 40), await insert('succeeded', 29), await insert('pending', null)];
      expect((await deliveriesOf(webhook.id)).map((delivery) => delivery['id']).sort()).toEqual([oldSucceeded.id, oldFailed.id, recent.id, pending.id].sort());

      expect(await keyring.app.get(DeliveryRetention).prune()).toBe(2);
      expect((await deliveriesOf(webhook.id)).map((delivery) => delivery['id']).sort()).toEqual([recent.id, pending.id].sort());
      expect(await keyring.app.get(DeliveryRetention).prune()).toBe(0);
    });
  });

  describe('pace', () => {
    it('yields to a busy API: while the instance answers 100+ requests a second a backlog goes out at KEYRING_WEBHOOK_BUSY_RATE, then at once', async () => {
      const { webhook } = await create('/paced', ['api_key.revoked']);
      const audit = keyring.app.get(AuditWriter);
      let busy = true;
      const traffic = Array.from({ length: 4 }, async () => {
        while (busy) await keyring.request('GET', '/healthz');
      });
      await new Promise((resolve) => setTimeout(resolve, 700)); // a second's worth of requests counted
      await keyring.app.get(DataSource).transaction(async (manager) => {
        for (let i = 0; i < 40; i++) {
          await audit.record(manager, systemContext(), { organizationId: orgId, action: 'api_key.revoked', target: { type: 'api_key', id: webhook.id }, details: { name: `Paced ${i}` } });
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const whileBusy = at('/paced').length;
      busy = false;
      await Promise.all(traffic);
      await arrived('/paced', 40, 3_000);
      // 4 a second for 2 s (a batch of one each 250 ms), with room for a slow machine; unpaced, all 40 go at once.
      expect(whileBusy).toBeGreaterThanOrEqual(2);
      expect(whileBusy).toBeLessThanOrEqual(12);
      expect(new Set(at('/paced').map((request: ReceivedWebhook) => request.headers['webhook-id'])).size).toBe(40);
    });
  });

  describe('reminders', () => {
    it('sends secret.rotation_due and api_key.expiring once each, however often the job runs', async () => {
      const { webhook } = await create('/reminders', ['secret.rotation_due', 'api_key.expiring']);
      const key = await owner.request('POST', `/api/v1/orgs/${orgId}/api-keys`, {
        body: { name: 'Expiring soon', tenantId, scopes: ['user-hash:issue'], expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString() },
      });
      await owner.request('POST', `/api/v1/orgs/${orgId}/api-keys`, {
        body: { name: 'Expiring later', tenantId, scopes: ['user-hash:issue'], expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString() },
      });
      // The widget's active secret was activated 100 days ago: past the default 90-day policy.
      await keyring.db.query("UPDATE secret_versions SET activated_at = now() - interval '100 days' WHERE widget_id = $1 AND state = 'active'", [widgetId]);
      const reminders = keyring.app.get(Reminders);
      expect(await reminders.run()).toBe(2);
      expect(await reminders.run()).toBe(0);
      await arrived('/reminders', 2);
      const types = at('/reminders').map((request) => JSON.parse(request.body) as { type: string; data: { target: { id: string } } });
      expect(types.map((event) => event.type).sort()).toEqual(['api_key.expiring', 'secret.rotation_due']);
      expect(types.find((event) => event.type === 'api_key.expiring')?.data.target.id).toBe(key.body.apiKey.id);
      expect(types.find((event) => event.type === 'secret.rotation_due')?.data.target.id).toBe(widgetId);
      const overview = await owner.request('GET', `/api/v1/orgs/${orgId}/overview`);
      expect(overview.body).toMatchObject({ apiKeysExpiringSoon: 1, widgetsOverdue: 1 });
      const expiring = await owner.request('GET', `/api/v1/orgs/${orgId}/api-keys?expiring=true`);
      expect(expiring.body.items.map((item: { id: string }) => item.id)).toEqual([key.body.apiKey.id]);
      expect((await owner.request('GET', `/api/v1/orgs/${orgId}/api-keys?expiring=soon`)).body.errors).toEqual([{ field: 'expiring', message: 'expiring must be true or false' }]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await deliveriesOf(webhook.id)).toHaveLength(2);
    });
  });

  describe('master keys', () => {
    it('keyring rewrap moves webhook secrets (current and previous) onto the active master key, still the same secrets', async () => {
      const { webhook, secret: first } = await create('/rewrap');
      const { secret: second } = (await owner.request('POST', `${hooks}/${webhook.id}/rotate-secret`)).body as { secret: string };
      const test = { id: 'test', key: new Uint8Array(Buffer.alloc(32, 7)) };
      const next = { id: 'next', key: new Uint8Array(Buffer.alloc(32, 9)) };
      const envelope = new Envelope({ active: next, byId: new Map([[test.id, test], [next.id, next]]) });
      const moved = await keyring.app.get(DataSource).transaction((manager) => rewrapWebhookSecrets(manager, envelope));
      expect(moved).toBeGreaterThanOrEqual(2);
      const [row] = await keyring.db.query<{ secret_enc: string; previous_secret_enc: string }>('SELECT secret_enc, previous_secret_enc FROM webhooks WHERE id = $1', [webhook.id]);
      expect([keyIdOf(row.secret_enc), keyIdOf(row.previous_secret_enc)]).toEqual(['next', 'next']);
      const binding = webhookSecretBinding(orgId, webhook.id);
      expect([await envelope.decrypt(row.secret_enc, binding), await envelope.decrypt(row.previous_secret_enc, binding)]).toEqual([second, first]);
    });
  });
});
