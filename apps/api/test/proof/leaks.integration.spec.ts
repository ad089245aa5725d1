import { generate } from 'otplib';
import { createWidget } from '../custody-fixtures';
import { dumpAllRows } from '../database-dump';
import { completeSetup, OWNER, signIn, TEST_SETUP_TOKEN } from '../identity-fixtures';
import { startTestApp, type TestApp } from '../test-app';
import { timeUntil } from '../time-until';
import { startWebhookReceiver, type WebhookReceiver } from '../webhook-receiver';
import { WEBHOOK_EVENT_TYPES } from '@keyring/contracts';

/**
 * Known secrets go through a whole working session — setup, sign-in, two-factor enrolment, widget secrets, rotation,
 * reveal, API keys and their use, invitations, a password change, and failures of each — and then must appear in no
 * log line, in no row of the database (only ciphertexts and hashes are stored), and in no response but the one that
 * created or revealed them.
 */
describe('leaks: secrets in logs, database and responses (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  /** Receives every webhook event of the session: none may carry a secret either. */
  let receiver: WebhookReceiver;
  const responses: { label: string; text: string }[] = [];
  const secrets = new Map<string, { value: string; shownBy: string[] }>();
  const seed = (name: string, value: string, shownBy: string[] = []) => secrets.set(name, { value, shownBy });

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    keyring = await startTestApp({ KEYRING_WEBHOOK_POLL_MS: '100' });
    const send = keyring.request.bind(keyring);
    keyring.request = async (method, path, options) => {
      const response = await send(method, path, options);
      const label = `${method} ${path.split('?')[0].replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id')}`;
      responses.push({ label, text: `${JSON.stringify([...response.headers])}\n${response.text}` });
      return response;
    };
  });
  afterAll(async () => {
    await keyring.close();
    await receiver.close();
  });

  it('runs a full session with the seeded secrets', async () => {
    seed('owner password', OWNER.password);
    seed('setup token', TEST_SETUP_TOKEN);
    const { organizationId, owner } = await completeSetup(keyring);
    seed('owner session', owner.cookie.split('=')[1], ['POST /api/v1/auth/login']);
    const orgs = `/api/v1/orgs/${organizationId}`;

    const enrol = await owner.request('POST', '/api/v1/auth/totp/enrol');
    seed('TOTP secret', enrol.body.secret, ['POST /api/v1/auth/totp/enrol']);
    const confirm = await owner.request('POST', '/api/v1/auth/totp/confirm', { body: { code: await generate({ secret: enrol.body.secret }) } });
    seed('recovery code', confirm.body.recoveryCodes[0], ['POST /api/v1/auth/totp/confirm']);
    await keyring.request('POST', '/api/v1/auth/login', { body: { email: OWNER.email, password: 'leak-marker-wrong-password' } });
    seed('wrong password', 'leak-marker-wrong-password');

    const hook = await owner.request('POST', `${orgs}/webhooks`, { body: { url: `${receiver.origin}/leaks`, events: WEBHOOK_EVENT_TYPES } });
    seed('webhook secret', hook.body.secret.slice('whsec_'.length), ['POST /api/v1/orgs/:id/webhooks']);
    const rotatedHook = await owner.request('POST', `${orgs}/webhooks/${hook.body.webhook.id}/rotate-secret`);
    seed('rotated webhook secret', rotatedHook.body.secret.slice('whsec_'.length), ['POST /api/v1/orgs/:id/webhooks/:id/rotate-secret']);

    seed('widget secret v1', 'leak-marker-widget-secret-v1');
    seed('widget secret v2', 'leak-marker-widget-secret-v2', ['POST /api/v1/orgs/:id/widgets/:id/secret-versions/2/reveal']);
    const { tenantId, widgetId } = await createWidget(owner, organizationId, { secret: 'leak-marker-widget-secret-v1' });
    const widget = `${orgs}/widgets/${widgetId}`;
    await owner.request('POST', `${widget}/secret-versions`, { body: { secret: 'leak-marker-widget-secret-v2' } });
    await owner.request('POST', `${widget}/secret-versions`, { body: { secret: ' leak-marker-widget-secret-v1 ' } }); // refused: white space
    await owner.request('POST', `${widget}/secret-versions/2/reveal`, { body: { password: 'leak-marker-wrong-password' } });
    const revealed = await owner.request('POST', `${widget}/secret-versions/2/reveal`, { body: { password: OWNER.password } });
    expect(revealed.body.secret).toBe('leak-marker-widget-secret-v2');
    await owner.request('POST', `${widget}/test-user-hash`, { body: { userIdentifier: 'visitor@client.example' } });

    const created = await owner.request('POST', `${orgs}/api-keys`, { body: { name: 'Backend', tenantId, scopes: ['user-hash:issue', 'user-hash:verify'] } });
    seed('API key', created.body.key, ['POST /api/v1/orgs/:id/api-keys']);
    const bearer = { authorization: `Bearer ${created.body.key}` };
    await keyring.request('POST', `/api/v1/widgets/${widgetId}/user-hash`, { body: { userIdentifier: 'visitor@client.example' }, headers: bearer });
    await keyring.request('POST', `/api/v1/widgets/${widgetId}/user-hash`, { body: { userIdentifier: 'a\u0000b' }, headers: bearer });
    await keyring.request('POST', `/api/v1/widgets/${widgetId}/user-hash/verify`, { body: { userHash: 'x.y.z' }, headers: bearer });
    await keyring.request('POST', `/api/v1/widgets/${widgetId}/user-hash`, { body: { userIdentifier: 'v' }, headers: { authorization: `Bearer ${created.body.key.slice(0, -1)}x` } });

    // Bulk import: a dry run, a refused apply (a secret with a space), a file that does not parse, the import, the
    // same rows again as JSON, and the inventory export.
    seed('imported secret', 'leak-marker-imported-secret-1');
    seed('refused imported secret', 'leak-marker-imported-secret-2');
    seed('secret in a broken CSV', 'leak-marker-imported-secret-3');
    const importCsv = (secret: string) => `tenant,widget,huggyWidgetUuid,huggyCompanyId,secret\r\nImported Client,Imported site,7c1b0f7e-0000-4000-8000-0000000000aa,,${secret}`;
    const postCsv = (text: string, query = '') => owner.request('POST', `${orgs}/imports${query}`, { rawBody: text, headers: { 'content-type': 'text/csv' } });
    await postCsv(importCsv('leak-marker-imported-secret-1'), '?dryRun=true');
    expect((await postCsv(importCsv(' leak-marker-imported-secret-2'))).status).toBe(422);
    expect((await postCsv(importCsv('"leak-marker-imported-secret-3'), '?dryRun=true')).status).toBe(400);
    expect((await postCsv(importCsv('leak-marker-imported-secret-1'))).body.applied).toBe(true);
    const again = await owner.request('POST', `${orgs}/imports`, {
      body: { rows: [{ tenant: 'Imported Client', widget: 'Imported site', huggyWidgetUuid: '7c1b0f7e-0000-4000-8000-0000000000aa', secret: 'leak-marker-imported-secret-1' }] },
    });
    expect(again.body.counts.unchanged).toBe(1);
    await owner.request('GET', `${orgs}/imports/inventory.csv`);

    const invited = await owner.request('POST', `${orgs}/members/invitations`, { body: { email: 'member@agency.example', role: 'operator' } });
    seed('invitation token', invited.body.token, ['POST /api/v1/orgs/:id/members/invitations']);
    seed('member password', 'leak-marker-member-password-1');
    await keyring.request('POST', '/api/v1/invitations/accept', { body: { token: invited.body.token, password: 'leak-marker-member-password-1' } });
    const member = await signIn(keyring, 'member@agency.example', 'leak-marker-member-password-1');
    seed('member session', member.cookie.split('=')[1], ['POST /api/v1/auth/login']);
    seed('new password', 'leak-marker-new-password-2');
    await member.request('POST', '/api/v1/auth/password', { body: { currentPassword: 'leak-marker-member-password-1', newPassword: 'leak-marker-new-password-2' } });

    await owner.request('GET', `${orgs}/audit-events?limit=200`);
    await owner.request('GET', `${orgs}/audit-events/export?format=ndjson`);
    await owner.request('GET', `${orgs}/api-keys`);
    await owner.request('GET', `${widget}/secret-versions`);
    // The owner revealed v2 and created the key: their offboarding report names both, and holds neither.
    expect((await owner.request('GET', `${orgs}/members/${owner.userId}/offboarding`)).body.secretVersions.length).toBeGreaterThan(0);
    await owner.request('POST', `${orgs}/members/${owner.userId}/offboarding/rotation-requests`);
    await keyring.request('GET', '/metrics');
    await owner.request('GET', `${orgs}/webhooks`);
    // secret.rotated, secret.revealed, api_key.created, member.added
    await timeUntil(async () => receiver.received.length, (count) => count >= 4);
    await owner.request('GET', `${orgs}/webhooks/${hook.body.webhook.id}/deliveries`);
    expect(secrets.size).toBe(18);
  });

  it('no seeded secret is in any log line', () => {
    const logs = keyring.logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect([...secrets].filter(([, { value }]) => logs.includes(value)).map(([name]) => name)).toEqual([]);
  });

  it('no seeded secret is in any webhook delivered (bodies and headers)', () => {
    const sent = receiver.received.map((request) => `${JSON.stringify(request.headers)}\n${request.body}`).join('\n');
    expect(sent).toContain('secret.rotated');
    expect([...secrets].filter(([, { value }]) => sent.includes(value)).map(([name]) => name)).toEqual([]);
  });

  it('no seeded secret is in any row of any table', async () => {
    const dump = await dumpAllRows(keyring.db);
    expect(dump).toContain('secret.revealed'); // the dump holds the session's data
    expect([...secrets].filter(([, { value }]) => dump.includes(value)).map(([name]) => name)).toEqual([]);
  });

  it('each seeded secret is in no response but the one that created or revealed it', () => {
    const found = [...secrets].map(([name, { value, shownBy }]) => ({
      name,
      where: [...new Set(responses.filter((response) => response.text.includes(value)).map((response) => response.label))],
      allowed: shownBy,
    }));
    expect(found.filter(({ where, allowed }) => JSON.stringify(where) !== JSON.stringify(allowed))).toEqual([]);
  });
});
