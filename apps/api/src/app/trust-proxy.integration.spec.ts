import { completeSetup, OWNER } from '../../test/identity-fixtures';
import { startTestApp } from '../../test/test-app';

describe('KEYRING_TRUST_PROXY (real app, real PostgreSQL)', () => {
  async function loginIpSeenBehindProxy(env: Record<string, string>): Promise<string> {
    const keyring = await startTestApp(env);
    try {
      await completeSetup(keyring);
      await keyring.request('POST', '/api/v1/auth/login', { body: OWNER, headers: { 'x-forwarded-for': '203.0.113.7' } });
      const [event] = await keyring.db.query("SELECT ip FROM audit_events WHERE action = 'auth.login_succeeded' ORDER BY occurred_at DESC LIMIT 1");
      return event.ip;
    } finally {
      await keyring.close();
    }
  }

  it("records the client's address from the trusted proxy's X-Forwarded-For, and ignores the header otherwise", async () => {
    expect(await loginIpSeenBehindProxy({ KEYRING_TRUST_PROXY: 'loopback' })).toBe('203.0.113.7');
    expect(await loginIpSeenBehindProxy({})).toMatch(/127\.0\.0\.1$/);
  });
});
