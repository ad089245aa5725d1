import { completeSetup, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';
import { timeUntil } from '../../test/time-until';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/webhook-receiver';
import { addressProblem } from '../common/outbound/outbound-address';

/** NODE_ENV=production: internal targets are refused at creation and again at delivery, unless allowed by name. */
describe('webhooks: no SSRF in production (real app, real receiver, real PostgreSQL)', () => {
  let keyring: TestApp;
  let receiver: WebhookReceiver;
  let owner: Session;
  let orgId: string;
  let hooks: string;
  const refusal = async (url: string) => {
    const response = await owner.request('POST', hooks, { body: { url, events: ['secret.rotated'] } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ type: 'urn:keyring:problem:webhook-target-refused', errors: [{ field: 'url' }] });
    return response.body.detail as string;
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver('::');
    keyring = await startTestApp({
      NODE_ENV: 'production',
      KEYRING_SHUTDOWN_GRACE_SECONDS: '0',
      KEYRING_WEBHOOK_POLL_MS: '100',
      // Allowed by name: the address is internal, but the operator said so.
      KEYRING_WEBHOOK_ALLOWED_HOSTS: '127.0.0.2',
    });
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    hooks = `/api/v1/orgs/${orgId}/webhooks`;
  });
  afterAll(async () => {
    await keyring.close();
    await receiver.close();
  });

  it('refuses loopback, private, link-local (metadata), IPv6 loopback and names that resolve to them, saying why', async () => {
    expect(await refusal(`https://127.0.0.1:${receiver.port}/hook`)).toMatch(/127\.0\.0\.1 is a loopback address.*KEYRING_WEBHOOK_ALLOWED_HOSTS/);
    expect(await refusal('https://10.0.0.8/hook')).toMatch(/10\.0\.0\.8 is a private-network address/);
    expect(await refusal('https://192.168.1.20/hook')).toMatch(/private-network/);
    expect(await refusal('https://169.254.169.254/latest/meta-data/')).toMatch(/169\.254\.169\.254 is a link-local address \(cloud metadata/);
    expect(await refusal('https://[::1]/hook')).toMatch(/::1 is a loopback address/);
    expect(await refusal('https://[::ffff:127.0.0.1]/hook')).toMatch(/loopback/);
    expect(await refusal('https://[fd00::1]/hook')).toMatch(/unique-local/);
    expect(await refusal('https://0.0.0.0/hook')).toMatch(/unspecified/);
    expect(await refusal('https://localhost/hook')).toMatch(/localhost resolves to (127\.0\.0\.1|::1) is a loopback address/);
    expect(await refusal(`http://203.0.114.10/hook`)).toMatch(/must use https:\/\/ in production/);
  });

  it('refuses the same targets when an existing webhook is changed to one (PATCH), and keeps its URL', async () => {
    const created = await owner.request('POST', hooks, { body: { url: `http://127.0.0.2:${receiver.port}/patched`, events: ['member.removed'] } });
    expect(created.status).toBe(201);
    const patched = await owner.request('PATCH', `${hooks}/${created.body.webhook.id}`, { body: { url: 'https://169.254.169.254/latest/meta-data/' } });
    expect(patched.status).toBe(400);
    expect(patched.body).toMatchObject({ type: 'urn:keyring:problem:webhook-target-refused', errors: [{ field: 'url' }] });
    expect(patched.body.detail).toMatch(/link-local address \(cloud metadata/);
    expect((await owner.request('GET', `${hooks}/${created.body.webhook.id}`)).body.url).toBe(`http://127.0.0.2:${receiver.port}/patched`);
  });

  it('classifies addresses as ipaddr.js ranges them (public unicast only)', () => {
    const policy = { production: true, allowedHosts: [] };
    expect(addressProblem('93.184.216.34', policy)).toBeNull();
    expect(addressProblem('2606:2800:220:1:248:1893:25c8:1946', policy)).toBeNull();
    expect(addressProblem('100.64.0.1', policy)).toMatch(/carrier-grade NAT/);
    expect(addressProblem('127.0.0.1', { production: false, allowedHosts: [] })).toBeNull();
  });

  it('allows a host named in KEYRING_WEBHOOK_ALLOWED_HOSTS (http too), and delivers to it', async () => {
    const created = await owner.request('POST', hooks, { body: { url: `http://127.0.0.2:${receiver.port}/allowed`, events: ['member.removed'] } });
    expect(created.status).toBe(201);
    await owner.request('POST', `${hooks}/${created.body.webhook.id}/test`);
    await timeUntil(async () => receiver.received.filter((request) => request.path === '/allowed').length, (count) => count === 1);
  });

  it('checks again at delivery, after DNS: an internal address that got in (rebinding) is refused and never connected to', async () => {
    const created = await owner.request('POST', hooks, { body: { url: `http://127.0.0.2:${receiver.port}/rebound`, events: ['member.removed'] } });
    // As if the name now resolved elsewhere: the stored URL points at a loopback address that is not allowed.
    await keyring.db.query('UPDATE webhooks SET url = $2 WHERE id = $1', [created.body.webhook.id, `https://127.0.0.1:${receiver.port}/rebound`]);
    const connections = receiver.connections;
    await owner.request('POST', `${hooks}/${created.body.webhook.id}/test`);
    const deliveries = () => owner.request('GET', `${hooks}/${created.body.webhook.id}/deliveries`);
    await timeUntil(deliveries, (response) => Boolean(response.body.items[0]?.lastError)); // claimed, attempted, recorded
    expect((await deliveries()).body.items[0]).toMatchObject({ status: 'pending', responseStatus: null, lastError: expect.stringMatching(/127\.0\.0\.1 is a loopback address/) });
    expect(receiver.connections).toBe(connections);
  });
});
