import { completeSetup, type Session } from '../../test/identity-fixtures';
import { startSyslogReceiver, type SyslogReceiver } from '../../test/stream-receivers';
import { startTestApp, type TestApp } from '../../test/test-app';
import { timeUntil } from '../../test/time-until';

/**
 * NODE_ENV=production: an audit stream, like a webhook, never makes Keyring connect to an internal address (a way to
 * reach the database host, a cache or the cloud's metadata service) unless the operator allowed the host by name.
 */
describe('audit streams: no SSRF in production (real app, real receiver, real PostgreSQL)', () => {
  let keyring: TestApp;
  let receiver: SyslogReceiver;
  let owner: Session;
  let orgId: string;
  const create = (kind: string, url: string) => owner.request('POST', `/api/v1/orgs/${orgId}/audit-streams`, { body: { kind, url } });
  const refusal = async (kind: string, url: string) => {
    const response = await create(kind, url);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ type: 'urn:keyring:problem:validation', errors: [{ field: 'url' }] });
    return response.body.errors[0].message as string;
  };

  beforeAll(async () => {
    receiver = await startSyslogReceiver(0, '0.0.0.0');
    keyring = await startTestApp({ NODE_ENV: 'production', KEYRING_SHUTDOWN_GRACE_SECONDS: '0', KEYRING_WEBHOOK_ALLOWED_HOSTS: '127.0.0.2' });
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
  });
  afterAll(async () => {
    await keyring.close();
    await receiver.stop();
  });

  it('refuses loopback, private and link-local receivers and names that resolve to them, saying why', async () => {
    expect(await refusal('syslog', `tcp://127.0.0.1:${receiver.port}`)).toMatch(/127\.0\.0\.1 is a loopback address.*KEYRING_WEBHOOK_ALLOWED_HOSTS/);
    expect(await refusal('syslog', 'tls://10.0.0.8:6514')).toMatch(/10\.0\.0\.8 is a private-network address/);
    expect(await refusal('syslog', 'tcp://169.254.169.254:80')).toMatch(/link-local address \(cloud metadata/);
    expect(await refusal('syslog', 'tcp://[::1]:514')).toMatch(/::1 is a loopback address/);
    expect(await refusal('https', 'https://localhost/ingest')).toMatch(/localhost resolves to (127\.0\.0\.1|::1) is a loopback address/);
    expect(await refusal('https', 'https://192.168.1.20/ingest')).toMatch(/private-network/);
    expect(receiver.connections).toBe(0);
  });

  it('streams to a host named in KEYRING_WEBHOOK_ALLOWED_HOSTS', async () => {
    const created = await create('syslog', `tcp://127.0.0.2:${receiver.port}`);
    expect(created.status).toBe(201);
    await timeUntil(async () => receiver.messages.length, (count) => count > 0, 10_000);
    expect(receiver.errors).toEqual([]);
    expect((await owner.request('DELETE', `/api/v1/orgs/${orgId}/audit-streams/${created.body.id}`)).status).toBe(204);
  });

  it('checks again at every connection: a stream row that names an internal address (written before this check, or by hand) is never connected to', async () => {
    const connections = receiver.connections;
    const [{ id }] = await keyring.db.query<{ id: string }[]>(
      `INSERT INTO audit_streams (organization_id, kind, url, start_seq, delivered_seq, checkpoint_seq)
       VALUES ($1, 'syslog', $2, 1, 1, 0) RETURNING id`,
      [orgId, `tcp://127.0.0.1:${receiver.port}`],
    );
    const status = () => owner.request('GET', `/api/v1/orgs/${orgId}/audit-streams/${id}`);
    await timeUntil(status, (response) => Boolean(response.body.lastError), 10_000);
    expect((await status()).body.lastError).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(receiver.connections).toBe(connections);
  });
});
