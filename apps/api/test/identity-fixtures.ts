import type { HttpResult, RequestOptions, TestApp } from './test-app';

export const TEST_SETUP_TOKEN = 'test-setup-token-0123456789';
export const OWNER = { email: 'owner@agency.example', password: 'owner-password-violet-42' };

/** A signed-in user: every request carries the session cookie and, when it mutates, the CSRF token. */
export interface Session {
  userId: string;
  email: string;
  cookie: string;
  csrfToken: string;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<HttpResult<T>>;
}

export async function completeSetup(
  keyring: TestApp,
  organizationName = 'Agency One',
): Promise<{ organizationId: string; owner: Session }> {
  const response = await keyring.request('POST', '/api/v1/setup', {
    body: { setupToken: TEST_SETUP_TOKEN, ...OWNER, organizationName },
  });
  if (response.status !== 201) throw new Error(`setup failed: ${response.status} ${response.text}`);
  return { organizationId: response.body.organization.id, owner: await signIn(keyring, OWNER.email, OWNER.password) };
}

export async function signIn(keyring: TestApp, email: string, password: string): Promise<Session> {
  const response = await keyring.request('POST', '/api/v1/auth/login', { body: { email, password } });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${response.text}`);
  const cookie = response.headers.get('set-cookie')!.split(';')[0];
  const csrfToken: string = response.body.csrfToken;
  return {
    userId: response.body.user.id,
    email,
    cookie,
    csrfToken,
    request: (method, path, options = {}) =>
      keyring.request(method, path, {
        ...options,
        headers: { cookie, 'x-csrf-token': csrfToken, ...options.headers },
      }),
  };
}

/** Invites `email` with `role` as `inviter`, accepts the invitation, and signs the new member in. */
export async function addMember(
  keyring: TestApp,
  inviter: Session,
  organizationId: string,
  email: string,
  role: string,
  tenantIds?: string[] | null,
): Promise<Session> {
  const password = `${role}-password-harbor-7`;
  const invited = await inviter.request('POST', `/api/v1/orgs/${organizationId}/members/invitations`, {
    body: { email, role, ...(tenantIds !== undefined && { tenantIds }) },
  });
  if (invited.status !== 201) throw new Error(`invite failed: ${invited.status} ${invited.text}`);
  const accepted = await keyring.request('POST', '/api/v1/invitations/accept', { body: { token: invited.body.token, password } });
  if (accepted.status !== 201) throw new Error(`accept failed: ${accepted.status} ${accepted.text}`);
  return signIn(keyring, email, password);
}
