import { completeSetup, OWNER } from '../../test/identity-fixtures';
import { startTestApp } from '../../test/test-app';

describe('KEYRING_TRUST_PROXY (real app, real PostgreSQL)', () => {
  /** The address and request id the audit log records for a login sent through a (pretended) proxy. */
  async function loginSeenBehindProxy(env: Record<string, string>): Promise<{ ip: string; requestId: string; answered: string | null }> {
    const keyring = await startTestApp(env);
    try {
      await completeSetup(keyring);
      const response = await keyring.request('POST', '/api/v1/auth/login', {
        body: OWNER,
        headers: { 'x-forwarded-for': '203.0.113.7', 'x-request-id': 'lb-1234.abc' },
      });
      const [event] = await keyring.db.query(
        "SELECT ip, request_id AS \"requestId\" FROM audit_events WHERE action = 'auth.login_succeeded' ORDER BY occurred_at DESC LIMIT 1",
      );
      return { ...event, answered: response.headers.get('x-request-id') };
    } finally {
      await keyring.close();
    }
  }

  it("records the client's address and request id from a trusted proxy, and ignores both headers otherwise", async () => {
    expect(await loginSeenBehindProxy({ KEYRING_TRUST_PROXY: 'loopback' })).toEqual({ ip: '203.0.113.7', requestId: 'lb-1234.abc', answered: 'lb-1234.abc' });
    const direct = await loginSeenBehindProxy({});
    expect(direct.ip).toMatch(/127\.0\.0\.1$/);
    expect(direct.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(direct.answered).toBe(direct.requestId);
  });

  it('keeps a proxy id only when it is well formed', async () => {
    const keyring = await startTestApp({ KEYRING_TRUST_PROXY: 'loopback' });
    try {
      const replaced = await keyring.request('GET', '/healthz', { headers: { 'x-request-id': 'bad id\twith tabs' } });
      expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await keyring.close();
    }
  });
});
