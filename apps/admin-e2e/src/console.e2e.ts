import { signUserHash } from '@keyring/signing';
import { createServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, tabOrder, unnamedControls } from './accessibility';
import { launchChromium, screenshot } from './browser';
import { startKeyring, type KeyringServer } from './keyring-server';

const OWNER = { email: 'owner@agency.example', password: 'violet-harbor-engine-42' };
const AUDITOR = { email: 'auditor@agency.example', password: 'quiet-lantern-meadow-17' };
const OPERATOR = { email: 'operator@agency.example', password: 'amber-canyon-whistle-58' };
const SECRET_V1 = 'a3f1c9e07b2d4e6f8a1b3c5d7e9f0a2b';
const SECRET_V2 = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';

describe('the console in a real browser, served by the built API on an embedded PostgreSQL', () => {
  let keyring: KeyringServer;
  let browser: Browser;
  let page: Page;
  let widgetUrl: string;
  /** What Chromium reports refusing under the console's Content-Security-Policy, on every page of this run. */
  const cspViolations: string[] = [];
  /** axe-core's serious and critical findings, by page, gathered over the run and checked at its end. */
  const axeFindings: string[] = [];

  beforeAll(async () => {
    keyring = await startKeyring();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await keyring?.stop();
  });

  /** A screenshot of the page once nothing on it is loading any more, and axe-core's check of it. */
  async function look(name: string) {
    // Generous: on a machine shared with other test runs, a page's last list has been seen to take over 10 s.
    await page.waitForFunction(() => document.querySelector('mat-progress-bar') === null, null, { timeout: 30_000 });
    await screenshot(page, name);
    axeFindings.push(...(await axeViolations(page)).map((finding) => `${name}: ${finding}`));
  }

  const nav = (name: string) => page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name });
  const activeVersion = () => page.getByTestId('active-version').textContent();
  /** The element's text once it matches: a dialog's element can be in the page a moment before its bindings are. */
  async function textWhen(testId: string, pattern: RegExp) {
    const element = page.getByTestId(testId);
    await element.filter({ hasText: pattern }).waitFor();
    return (await element.textContent())!.trim();
  }

  async function signIn(email: string, password: string) {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function rotate(secret: string, expectedVersion: number) {
    await page.getByRole('button', { name: expectedVersion === 1 ? 'Import the current key' : 'Rotate secret' }).click();
    await page.getByRole('button', { name: expectedVersion === 1 ? 'I have copied the current key' : 'I have copied the new key' }).click();
    await page.getByTestId('secret-input').fill(`${secret}\n`);
    await page.getByTestId('secret-warning').getByText('starts or ends with white space').waitFor();
    await page.getByTestId('secret-input').fill(secret);
    await page.getByRole('button', { name: 'Continue' }).click();
    const pasted = page.getByTestId('pasted-fingerprint');
    await pasted.filter({ hasText: /^[0-9A-Z]{4}-/ }).waitFor();
    const fingerprint = await pasted.textContent();
    await page.getByRole('button', { name: `Activate version ${expectedVersion}` }).click();
    await page.getByTestId('active-version').filter({ hasText: String(expectedVersion) }).waitFor();
    // What Keyring stored is what was pasted: the fingerprint computed in the browser is the server's.
    expect(await page.getByTestId('active-fingerprint').textContent()).toBe(fingerprint);
  }

  it('first run: setup creates the owner and the organization, then the dashboard opens', async () => {
    await page.goto(keyring.baseUrl);
    await page.waitForURL('**/setup');
    await look('01-setup');
    await page.getByLabel('Setup token').fill(keyring.setupToken);
    await page.getByLabel('Organization name').fill('Agency One');
    await page.getByLabel('Your email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Create owner and organization' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(await page.getByTestId('count-widgets').textContent()).toBe('0');
  });

  it('signs out and in again', async () => {
    await page.getByRole('button', { name: 'Account' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL('**/login**');
    // Keyboard: Tab reaches the fields and the button in order, each with a visible focus ring.
    await page.getByRole('heading', { name: 'Sign in to Keyring' }).waitFor();
    const order = await tabOrder(page, 3);
    expect(order.map((step) => step.name)).toEqual(['Email', 'Password', 'Sign in']);
    expect(order.every((step) => step.outlined)).toBe(true);
    await signIn(OWNER.email, 'not-the-password-1');
    await page.getByRole('alert').getByText('The email or password is not correct.').waitFor();
    await look('02-login');
    await signIn(OWNER.email, OWNER.password);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  });

  it('a wrong code while turning on two-factor sign-in is a field error, and the user stays signed in', async () => {
    await page.getByRole('button', { name: 'Account' }).click();
    await page.getByRole('menuitem', { name: 'Profile and security' }).click();
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    // The QR code is a data: image: the CSP lets it through.
    await page.getByRole('img', { name: 'QR code to add Keyring to an authenticator app' }).waitFor();
    expect(await page.getByRole('img', { name: 'QR code to add Keyring to an authenticator app' }).evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await page.getByLabel('6-digit code').fill('000000');
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByText('That code is not valid; check the time on your device and try the next one.').first().waitFor();
    expect(page.url()).toMatch(/\/profile$/);
    await page.goto(keyring.baseUrl);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  });

  it('creates a tenant and a widget, pastes the secret, rotates, reveals with the password, rolls back', async () => {
    await nav('Tenants').click();
    await page.getByText('No tenants yet').waitFor();
    await page.getByRole('button', { name: 'New tenant' }).click();
    await page.getByLabel('Client name').fill('Client One');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('cell', { name: 'Client One', exact: true }).waitFor();
    await look('03-tenants');
    expect(await unnamedControls(page)).toEqual([]);

    await nav('Widgets').click();
    await page.getByRole('button', { name: 'New widget' }).click();
    await page.getByRole('dialog').getByRole('combobox', { name: 'Tenant' }).fill('client one');
    await page.getByRole('option', { name: 'Client One' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Client One site');
    await page.getByRole('button', { name: 'Create widget' }).click();
    await page.getByRole('heading', { name: 'Client One site' }).waitFor();
    widgetUrl = page.url();
    await page.getByText('No secret yet.').waitFor();

    await rotate(SECRET_V1, 1);
    await rotate(SECRET_V2, 2);
    await look('04-widget');
    expect(await unnamedControls(page)).toEqual([]);

    const versionRow = (version: number) => page.locator(`tr[data-version="${version}"]`);
    await versionRow(2).getByRole('button', { name: 'Reveal' }).click();
    await page.getByLabel('Your password').fill('not-the-password-1');
    await page.getByRole('button', { name: 'Reveal', exact: true }).last().click();
    await page.getByRole('dialog').getByText('The password is not correct; the secret was not revealed.').waitFor();
    await page.getByLabel('Your password').fill(OWNER.password);
    await page.getByRole('dialog').getByRole('button', { name: 'Reveal' }).click();
    const revealed = page.getByTestId('revealed-secret');
    await revealed.waitFor();
    expect(await revealed.textContent()).not.toContain(SECRET_V2); // masked by default
    await page.getByRole('button', { name: 'Show the secret' }).click();
    // Wait for the re-render rather than read at once (the click returns before Angular has drawn the change).
    await revealed.filter({ hasText: SECRET_V2 }).waitFor();
    expect(await revealed.textContent()).toBe(SECRET_V2);
    await look('05-reveal');
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

    await versionRow(1).getByRole('button', { name: 'Roll back to v1' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Activate version 1' }).click();
    await page.getByTestId('active-version').filter({ hasText: '1' }).waitFor();
    expect(await activeVersion()).toBe('1');
  });

  it('creates an API key shown once, and the key signs userHashes with the active secret', async () => {
    await nav('API keys').click();
    await page.getByRole('button', { name: 'New API key' }).click();
    await page.getByLabel('Name').fill('Client One backend');
    // No tenant is chosen in advance: creating without one is refused until the user picks it.
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('Choose the tenant from the list.').waitFor();
    await page.getByRole('dialog').getByRole('combobox', { name: 'Tenant' }).fill('Client One');
    await page.getByRole('option', { name: 'Client One' }).click();
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = await textWhen('new-api-key', /kr_/);
    expect(key).toMatch(/^kr_[0-9A-Za-z]{49}$/);
    await look('06-api-key-created');
    await page.getByRole('button', { name: 'I have stored the key' }).click();
    await page.getByRole('button', { name: 'Revoke Client One backend' }).waitFor();
    expect(await page.content()).not.toContain(key);

    const widgetId = widgetUrl.split('/').pop()!;
    const response = await fetch(`${keyring.baseUrl}/api/v1/widgets/${widgetId}/user-hash`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userIdentifier: 'visitor@example.com' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ userIdentifier: 'visitor@example.com', userHash: await signUserHash(SECRET_V1, 'visitor@example.com'), keyVersion: 1 });
  });

  it('switches between organizations with the toolbar switcher', async () => {
    const owner = await apiSession(keyring.baseUrl, OWNER);
    const second = await owner.post('/api/v1/orgs', { name: 'Agency Two' });
    await page.reload(); // the console reads the memberships again
    const switcher = page.getByRole('combobox', { name: 'Organization' });
    await switcher.click();
    await page.getByRole('option', { name: 'Agency Two' }).click();
    await page.waitForURL(`**/orgs/${second.id}/dashboard`);
    await page.getByTestId('count-tenants').filter({ hasText: '0' }).waitFor();
    await switcher.click();
    await page.getByRole('option', { name: 'Agency One' }).click();
    await page.getByTestId('count-tenants').filter({ hasText: '1' }).waitFor();
  });

  it('the dashboard chart counts the userHash, the audit log shows every step and a verified chain, then sign out', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2500)); // one usage flush, then one rollup round
    await nav('Dashboard').click();
    await page.reload(); // the previous test left the dashboard open: read its figures again
    await page.getByTestId('issued-total').filter({ hasText: '1 userHash issued' }).waitFor();
    expect(await page.locator('kr-usage-chart canvas').count()).toBe(1);
    await look('07-dashboard');
    expect(await unnamedControls(page)).toEqual([]);

    await nav('Audit log').click();
    await page.getByTestId('chain-badge').filter({ hasText: 'Chain verified' }).waitFor();
    const sentences = await page.getByTestId('audit-events').locator('.sentence').allTextContents();
    const log = sentences.map((sentence) => sentence.replace(/\s+/g, ' ').trim());
    for (const sentence of [
      `Keyring was set up: ${OWNER.email} owns Agency One`,
      `${OWNER.email} created the tenant Client One`,
      `${OWNER.email} created the widget Client One site (Client One)`,
      `${OWNER.email} rotated the secret of Client One site (Client One) to v2`,
      `${OWNER.email} revealed v2 of the secret of Client One site (Client One)`,
      `${OWNER.email} rolled Client One site (Client One) back to v1 (from v2)`,
      `${OWNER.email} created the API key “Client One backend”`,
    ]) {
      expect(log).toContain(sentence);
    }
    // The widget is a link to its page, and the raw record is one click away.
    expect(await page.getByTestId('audit-events').getByRole('link', { name: 'Client One site' }).first().getAttribute('href')).toBe(new URL(widgetUrl).pathname);
    await page.getByTestId('audit-events').getByText(/^Record #/).first().click();
    await page.getByTestId('audit-events').locator('details[open] pre').first().waitFor();
    // The action filter is a grouped list of words, not a code to know.
    await page.getByRole('combobox', { name: 'Action' }).click();
    await page.getByRole('group', { name: 'Secrets' }).getByRole('option', { name: 'Secret revealed' }).click();
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByTestId('audit-events').locator('.sentence').first().filter({ hasText: 'revealed v2' }).waitFor();
    expect(await page.getByTestId('audit-events').locator('.sentence').count()).toBe(1);
    await look('08-audit');
    expect(await unnamedControls(page)).toEqual([]);

    await page.getByRole('button', { name: 'Account' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL('**/login**');
  });

  it('an auditor sees no reveal button, and the API refuses the reveal with 403 if forced', async () => {
    const owner = await apiSession(keyring.baseUrl, OWNER);
    const [{ organizationId }] = (await owner.get('/api/v1/orgs')).items;
    const invited = await owner.post(`/api/v1/orgs/${organizationId}/members/invitations`, { email: AUDITOR.email, role: 'auditor' });
    await fetch(`${keyring.baseUrl}/api/v1/invitations/accept`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: invited.token, password: AUDITOR.password }) });

    await page.goto(widgetUrl);
    await page.waitForURL('**/login**');
    await signIn(AUDITOR.email, AUDITOR.password);
    await page.getByRole('heading', { name: 'Client One site' }).waitFor();
    await page.locator('tr[data-version="1"]').waitFor();
    expect(await page.getByRole('button', { name: 'Reveal' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Rotate secret|Roll back/ }).count()).toBe(0);
    await look('09-widget-as-auditor');

    const forced = await page.evaluate(async (url) => {
      const me = await (await fetch('/api/v1/auth/me')).json();
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: JSON.stringify({ password: 'quiet-lantern-meadow-17' }) });
      return { status: response.status, body: await response.json() };
    }, `${new URL(widgetUrl).pathname.replace('/orgs/', '/api/v1/orgs/')}/secret-versions/1/reveal`);
    expect(forced.status).toBe(403);
    expect(forced.body).toMatchObject({ type: 'urn:keyring:problem:role-forbidden', detail: 'Your role (auditor) does not allow this: it needs the secrets:reveal permission.' });
  });

  it('an invited operator sees who invited them to what, joins signed in, and pages they cannot see say why with a way back', async () => {
    const owner = await apiSession(keyring.baseUrl, OWNER);
    const [{ organizationId }] = (await owner.get('/api/v1/orgs')).items;
    const other = await owner.post(`/api/v1/orgs/${organizationId}/tenants`, { name: 'Client Two' });
    const invited = await owner.post(`/api/v1/orgs/${organizationId}/members/invitations`, { email: OPERATOR.email, role: 'operator', tenantIds: [other.id] });
    await page.getByRole('button', { name: 'Account' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL('**/login**');

    await page.goto(`${keyring.baseUrl}/invitations/accept?token=${encodeURIComponent(invited.token)}`);
    const details = (await textWhen('invitation-details', /invites/)).replace(/\s+/g, ' ');
    expect(details).toContain(`${OWNER.email} invites ${OPERATOR.email} to join Agency One as operator: Tenants, widgets, rotation and test tokens; never sees a secret.`);
    expect(details).toMatch(/This link works until \w+ \d+, \d{4}/);
    await page.getByLabel('Password').fill(OPERATOR.password);
    await look('10-accept-invitation');
    await page.getByRole('button', { name: 'Join' }).click();
    // Joining signs the new member in: the dashboard of the organization, not a blank sign-in page.
    await page.waitForURL(`**/orgs/${organizationId}/dashboard`);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByText('Welcome to Agency One: you joined as operator.').waitFor();

    // A widget of a tenant the operator is not given: a final state with the API's words, not an endless bar.
    await page.goto(widgetUrl);
    const outside = page.locator('[data-testid="state-not-found"], [data-testid="state-forbidden"]');
    await outside.waitFor();
    expect(await page.locator('mat-progress-bar').count()).toBe(0);
    await look('11-widget-outside-tenants');
    await outside.getByRole('link', { name: 'Back to the widgets' }).click();
    await page.waitForURL(`**/orgs/${organizationId}/widgets`);

    // A widget that does not exist (a deleted widget's URL).
    await page.goto(`${keyring.baseUrl}/orgs/${organizationId}/widgets/00000000-0000-4000-8000-000000000000`);
    await page.getByTestId('state-not-found').waitFor();
    expect(await page.getByTestId('state-not-found').textContent()).toMatch(/Not found.+widget/);

    // The audit log, which an operator may not read.
    await page.goto(`${keyring.baseUrl}/orgs/${organizationId}/audit`);
    const forbidden = page.getByTestId('state-forbidden');
    await forbidden.waitFor();
    expect(await forbidden.textContent()).toContain('Your role (operator) does not allow this: it needs the audit:read permission.');
    await look('12-audit-as-operator');
    await forbidden.getByRole('link', { name: 'Back to the dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  });

  it('on a phone (390×844): a drawer for the navigation, nothing wider than the screen, the wizard and the reveal fit', async () => {
    await page.getByRole('button', { name: 'Account' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL('**/login**');
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(OWNER.email, OWNER.password);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);

    await page.getByTestId('count-tenants').waitFor();
    await page.getByTestId('recent-activity').waitFor();
    expect(await page.getByRole('navigation', { name: 'Sections' }).isVisible()).toBe(false);
    expect(await pageWidth()).toBeLessThanOrEqual(390);
    await look('20-phone-dashboard');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.locator('mat-sidenav.mat-drawer-opened').waitFor();
    await page.waitForTimeout(500); // the drawer's slide-in, for the screenshot
    await look('21-phone-drawer');
    await nav('Widgets').click();
    await page.getByRole('heading', { name: 'Widgets' }).waitFor();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor({ state: 'hidden' }); // closed after navigating
    expect(await pageWidth()).toBeLessThanOrEqual(390);
    await look('22-phone-widgets');

    await page.goto(widgetUrl);
    await page.getByRole('heading', { name: 'Client One site' }).waitFor();
    expect(await pageWidth()).toBeLessThanOrEqual(390);
    await look('23-phone-widget');

    // Keyboard: opening the wizard puts the focus in it; each step takes it along; cancelling gives it back.
    await page.getByRole('button', { name: 'Rotate secret' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.closest('kr-rotation-wizard') !== null);
    await page.getByRole('button', { name: 'I have copied the new key' }).click();
    await page.waitForFunction(() => document.activeElement?.textContent?.includes('Paste the key') === true);
    expect(await pageWidth()).toBeLessThanOrEqual(390);
    await look('24-phone-wizard');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForFunction(() => document.activeElement?.textContent?.includes('Rotate secret') === true);

    await page.locator('tr[data-version="1"]').getByRole('button', { name: 'Reveal' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await page.waitForFunction(() => document.activeElement?.closest('mat-dialog-container') !== null); // focus moved into the dialog
    await look('25-phone-reveal');
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('members: a created invitation is news, roles are explained, a pending invitation gets a new link or is revoked', async () => {
    await nav('Members').click();
    await page.getByLabel('Email to invite').fill('later@agency.example');
    await page.getByTestId('role-description').filter({ hasText: 'never sees a secret' }).waitFor();
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await page.getByTestId('invitation-link').filter({ hasText: 'Invitation created.' }).waitFor();
    expect(await page.getByText('Required.').count()).toBe(0); // the emptied field is not an error
    const pending = page.getByTestId('pending-invitations');
    await pending.getByText('later@agency.example').waitFor();
    await pending.getByRole('button', { name: 'New link for later@agency.example' }).click();
    await page.getByTestId('invitation-link').filter({ hasText: 'New link created' }).waitFor();
    await look('13-members');
    await pending.getByRole('button', { name: 'Revoke the invitation of later@agency.example' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('No pending invitations.').waitFor();
  });

  it("settings: the rotation policy, and a widget's token policy with what the client's backend must change", async () => {
    await nav('Settings').click();
    const days = page.getByLabel('Rotate every secret within (days)');
    await days.fill('30');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Secrets are now due for rotation after 30 days.').waitFor();
    // axe read the snack bar's label mid-animation (faded: too little contrast); check the page once it has gone.
    await page.waitForFunction(() => document.querySelectorAll('mat-snack-bar-container').length === 0, null, { timeout: 10_000 });
    await look('14-settings');

    await page.goto(widgetUrl);
    await page.getByRole('combobox', { name: 'Claims in each userHash' }).click();
    await page.getByRole('option', { name: 'jti + iat + exp (and an expiry)' }).click();
    await page.getByTestId('token-policy-backend').filter({ hasText: 'before the previous one expires' }).waitFor();
    await page.getByLabel('Lifetime (seconds)').fill('600');
    await page.getByRole('button', { name: 'Save the policy' }).click();
    await page.getByRole('button', { name: 'Save the policy' }).and(page.locator('[disabled]')).waitFor();
    await look('15-token-policy');
    const owner = await apiSession(keyring.baseUrl, OWNER);
    const widget = await owner.get(new URL(widgetUrl).pathname.replace('/orgs/', '/api/v1/orgs/'));
    expect(widget.tokenPolicy).toEqual({ claims: 'jti+iat+exp', ttlSeconds: 600 });
  });

  // After every other check: 260 tenants would fill the first pages of the lists above.
  it('hundreds of clients: the 201st tenant is found by typing in the widget dialog', async () => {
    const owner = await apiSession(keyring.baseUrl, OWNER);
    const [{ organizationId }] = (await owner.get('/api/v1/orgs')).items;
    for (let i = 1; i <= 260; i++) await owner.post(`/api/v1/orgs/${organizationId}/tenants`, { name: `Café Cliente ${String(i).padStart(3, '0')}` });
    await page.getByRole('button', { name: 'Account' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL('**/login**');
    await signIn(OWNER.email, OWNER.password);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.goto(`${keyring.baseUrl}/orgs/${organizationId}/widgets`);

    await page.getByRole('button', { name: 'New widget' }).click();
    const picker = page.getByRole('dialog').getByRole('combobox', { name: 'Tenant' });
    await picker.fill('cafe cliente 201'); // no accent typed, any case
    await page.getByRole('option', { name: 'Café Cliente 201' }).waitFor();
    expect(await page.getByRole('option').allTextContents()).toEqual(['Café Cliente 201']);
    await look('16-tenant-201-by-typing');
    await page.getByRole('option', { name: 'Café Cliente 201' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Cliente 201 site');
    await page.getByRole('button', { name: 'Create widget' }).click();
    await page.getByRole('heading', { name: 'Cliente 201 site' }).waitFor();

    // The list carries the tenant's name from the API (the 201st tenant is no "—"), and the search lives in the URL.
    await page.goto(`${keyring.baseUrl}/orgs/${organizationId}/widgets?q=cliente%20201`);
    await page.getByRole('cell', { name: 'Café Cliente 201' }).waitFor();
    await page.getByText('1–1 of 1').waitFor();
    await look('17-widgets-search-in-url');
  });

  it('bulk import: a 300-row CSV with three bad rows, the dry run names exactly those, then the fixed file is applied', async () => {
    const [{ organizationId }] = (await (await apiSession(keyring.baseUrl, OWNER)).get('/api/v1/orgs')).items;
    const BAD = new Map([
      [49, (cells: string[]) => [cells[0], cells[1], 'not-a-uuid', cells[3], cells[4]]],
      [149, (cells: string[]) => [cells[0], cells[1], cells[2], cells[3], 'short']],
      [249, (cells: string[]) => [cells[0], '', cells[2], cells[3], cells[4]]],
    ]);
    const rows = Array.from({ length: 300 }, (_, i) => [
      `Importado ${String(Math.floor(i / 10) + 1).padStart(2, '0')}`,
      `Site ${i + 1}`,
      `e2e00000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      String(5000 + i),
      `imported-secret-${String(i).padStart(4, '0')}-a1b2c3`,
    ]);
    const file = (withBadRows: boolean) => ({
      name: 'clients.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(['tenant,widget,huggyWidgetUuid,huggyCompanyId,secret', ...rows.map((cells, i) => (withBadRows && BAD.get(i)?.(cells)) || cells).map((cells) => cells.join(','))].join('\r\n')),
    });

    await page.goto(`${keyring.baseUrl}/orgs/${organizationId}/widgets`);
    await page.getByRole('main').getByRole('link', { name: 'Import', exact: true }).click(); // the Widgets page's button
    await page.getByRole('heading', { name: 'Import and export' }).waitFor();
    await page.locator('#import-file').setInputFiles(file(true));
    await page.getByText('clients.csv').waitFor();
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    // Data row i is line i + 2 of the file (the header is line 1).
    const reported = await errors.locator('tr.mat-mdc-row').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
    expect(reported).toEqual([
      ['51', 'huggyWidgetUuid', 'huggyWidgetUuid must be the widget UUID from the Huggy panel'],
      ['151', 'secret', 'secret must have 8 to 512 characters'],
      ['251', 'widget', 'widget is required'],
    ]);
    expect(await page.getByTestId('import-new-tenants').textContent()).toContain('Importado 01');
    expect(await page.getByRole('button', { name: 'Apply import' }).isDisabled()).toBe(true);
    await errors.scrollIntoViewIfNeeded(); // the page scrolls inside its frame: bring the errors into the screenshot
    await look('18-import-dry-run-three-bad-rows');

    await page.locator('#import-file').setInputFiles(file(false));
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    await page.getByText('0 with errors').waitFor();
    await page.getByRole('button', { name: 'Apply import' }).click();
    await page.getByRole('heading', { name: 'Imported' }).waitFor();
    await page.getByText('300 new widgets').waitFor();
    expect(await page.getByText('30 new tenants').count()).toBe(1);
    expect(await page.getByRole('textbox', { name: 'CSV (or paste it here)' }).inputValue()).toBe(''); // the file's secrets are never shown
    await page.getByTestId('import-report').scrollIntoViewIfNeeded();
    await look('19-import-applied');

    await page.getByRole('link', { name: 'See the widgets' }).click();
    await page.goto(`${keyring.baseUrl}/orgs/${organizationId}/widgets?q=importado`);
    await page.getByRole('cell', { name: 'Importado 01' }).first().waitFor();
    await page.getByText('1–50 of 300').waitFor();

    // On a phone: the same file again is all unchanged, and the report fits the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${keyring.baseUrl}/orgs/${organizationId}/imports`);
    await page.locator('#import-file').setInputFiles(file(false));
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    await page.getByText('300 unchanged').waitFor();
    await page.getByText('there is nothing to import').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByRole('heading', { name: 'What this import would do' }).scrollIntoViewIfNeeded();
    await look('26-phone-import-unchanged');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('a client page, and offboarding: the report lists exactly the two secrets a member revealed, and queues them for rotation', async () => {
    const owner = await apiSession(keyring.baseUrl, OWNER);
    const [{ organizationId }] = (await owner.get('/api/v1/orgs')).items;
    const orgApi = `/api/v1/orgs/${organizationId}`;
    const client = await owner.post(`${orgApi}/tenants`, { name: 'Offboard Client' });
    const widgets: { id: string }[] = [];
    for (const [name, secret] of [['Shop chat', 'offboard-secret-shop-0001'], ['Blog chat', 'offboard-secret-blog-0001'], ['Help chat', 'offboard-secret-help-0001']]) {
      widgets.push(await owner.post(`${orgApi}/widgets`, { tenantId: client.id, name, secret }));
    }
    await owner.post(`${orgApi}/api-keys`, { name: 'Offboard backend', tenantId: client.id, scopes: ['user-hash:issue'] });
    const leaver = { email: 'leaver@agency.example', password: 'copper-willow-garden-63' };
    const invited = await owner.post(`${orgApi}/members/invitations`, { email: leaver.email, role: 'admin', tenantIds: [client.id] });
    await fetch(`${keyring.baseUrl}/api/v1/invitations/accept`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: invited.token, password: leaver.password }) });
    const leaving = await apiSession(keyring.baseUrl, leaver);
    for (const widget of widgets.slice(0, 2)) {
      expect((await leaving.post(`${orgApi}/widgets/${widget.id}/secret-versions/1/reveal`, { password: leaver.password })).secret).toMatch(/^offboard-secret-/);
    }

    // The client page, from the tenants list.
    await nav('Tenants').click();
    await page.getByLabel('Search tenants').fill('offboard');
    await page.getByRole('link', { name: 'Offboard Client', exact: true }).click();
    await page.getByRole('heading', { name: 'Offboard Client', level: 1 }).waitFor();
    for (const name of ['Shop chat', 'Blog chat', 'Help chat']) await page.getByRole('link', { name, exact: true }).first().waitFor();
    await page.getByRole('cell', { name: /^Offboard backend/ }).waitFor();
    await page.getByTestId('tenant-members').getByText(leaver.email).waitFor();
    await page.getByTestId('recent-activity').getByText('revealed v1 of the secret of', { exact: false }).first().waitFor();
    await page.getByTestId('issued-total').waitFor();
    await look('30-client-page');
    // A key created here is for this client: the dialog names it instead of asking.
    await page.getByRole('button', { name: 'New API key' }).click();
    const keyDialog = page.getByRole('dialog');
    await keyDialog.getByText('For Offboard Client').waitFor();
    await keyDialog.getByLabel('Name').fill('Client page key');
    await keyDialog.getByRole('button', { name: 'Create key' }).click();
    await keyDialog.getByTestId('new-api-key').waitFor();
    await keyDialog.getByRole('button', { name: 'I have stored the key' }).click();
    await page.getByRole('cell', { name: /^Client page key/ }).waitFor();
    await page.getByTestId('recent-activity').scrollIntoViewIfNeeded();
    await look('30b-client-page-members-usage-activity');
    await page.getByRole('button', { name: 'Archive', exact: true }).click();
    const archiveDialog = page.getByRole('dialog');
    await archiveDialog.getByText('3 widgets stop signing userHashes (3 with a secret); 2 API keys stop signing and verifying; 1 member limited to it loses it, 1 of them left with no tenant at all.', { exact: false }).waitFor();
    await page.waitForTimeout(400); // the dialog's fade-in, for the screenshot
    await look('31-client-archive-summary');
    await archiveDialog.getByRole('button', { name: 'Cancel' }).click();

    // The offboarding report, from the members page.
    await nav('Members').click();
    await page.getByRole('link', { name: `Offboarding report of ${leaver.email}` }).click();
    await page.getByTestId('offboarding-person').filter({ hasText: leaver.email }).waitFor();
    const rows = page.getByTestId('exposed-versions').locator('tr.mat-mdc-row');
    await rows.first().waitFor();
    expect((await rows.allTextContents()).map((row) => row.trim().match(/^(\w+ chat)/)?.[1]).sort()).toEqual(['Blog chat', 'Shop chat']);
    expect(await page.getByTestId('exposed-versions').textContent()).toContain('Still active');
    await look('32-offboarding-report');
    await page.getByTestId('queue-rotation').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Queue for rotation' }).click();
    await page.getByText('2 widgets queued for rotation.').waitFor();
    await page.getByTestId('nothing-to-queue').waitFor();

    // "Rotation requested" in the widget list (and its filter) and on the dashboard.
    await page.goto(`${keyring.baseUrl}/orgs/${organizationId}/widgets?status=rotation-requested`);
    await page.getByText('1–2 of 2').waitFor();
    expect(await page.getByTestId('rotation-requested').count()).toBe(2);
    await look('33-widgets-rotation-requested');
    await nav('Dashboard').click();
    await page.getByTestId('count-rotation-requested').filter({ hasText: '2' }).waitFor();
    await page.getByText('(offboarding)').first().waitFor();
    await look('35-dashboard-rotation-requested');

    // Removed, the member is still one click away: a former member with the same report.
    await page.waitForFunction(() => document.querySelectorAll('mat-snack-bar-container').length === 0, null, { timeout: 10_000 });
    const removed = await fetch(`${keyring.baseUrl}${orgApi}/members/${(await leaving.get('/api/v1/auth/me')).user.id}`, { method: 'DELETE', headers: owner.headers });
    expect(removed.status).toBe(204);
    await nav('Members').click();
    await page.getByTestId('former-members').getByRole('link', { name: `Offboarding report of ${leaver.email}` }).click();
    await page.getByText('is no longer a member').waitFor();
    expect(await page.getByTestId('exposed-versions').locator('tr.mat-mdc-row').count()).toBe(2);

    // On a phone, the client page fits.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${keyring.baseUrl}/orgs/${organizationId}/tenants/${client.id}`);
    await page.getByRole('heading', { name: 'Offboard Client', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Shop chat', exact: true }).first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await look('34-phone-client-page');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('settings: audit streaming to a syslog receiver shows its progress and a failing receiver, and stops on delete', async () => {
    const received: Buffer[] = [];
    const sockets = new Set<Socket>();
    const receiver = createTcpServer((socket) => {
      sockets.add(socket);
      socket.on('data', (chunk: Buffer) => received.push(chunk));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `tcp://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
      await nav('Settings').click();
      await page.getByText('The audit log is not streamed anywhere yet.').waitFor();
      await page.getByLabel('Receiver').fill('https://ingest:hunter2@siem.example/');
      await page.getByRole('button', { name: 'Start streaming' }).click();
      await page.getByText('url must not hold credentials (user:password@)').waitFor();

      await page.getByLabel('Receiver').fill(url);
      await page.getByRole('button', { name: 'Start streaming' }).click();
      const stream = page.getByRole('list', { name: 'Audit streams' }).getByRole('listitem');
      await stream.getByText('Up to date').waitFor({ timeout: 20_000 });
      expect(await page.getByText('Required.').count()).toBe(0); // the emptied field is not an error
      // What the receiver got: octet-counted RFC 5424, a checkpoint first.
      expect(Buffer.concat(received).toString('utf8')).toMatch(/^\d+ <110>1 \S+ \S+ keyring \d+ checkpoint \[keyring@32473 /);
      await page.waitForFunction(() => document.querySelectorAll('mat-snack-bar-container').length === 0, null, { timeout: 10_000 });
      await look('36-settings-audit-stream');

      // The receiver goes down; the next event cannot be delivered.
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => receiver.close(resolve));
      const owner = await apiSession(keyring.baseUrl, OWNER);
      const [{ organizationId }] = (await owner.get('/api/v1/orgs')).items;
      await owner.post(`/api/v1/orgs/${organizationId}/tenants`, { name: 'Written while the SIEM is down' });
      await stream.getByText('Failing').waitFor({ timeout: 20_000 });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole('navigation', { name: 'Sections' }).waitFor({ state: 'hidden' }); // a drawer on a phone
      await stream.scrollIntoViewIfNeeded();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await look('37-phone-audit-stream-failing');
      await page.setViewportSize({ width: 1280, height: 900 });
      await stream.getByRole('button', { name: `Stop streaming to ${url}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Stop streaming' }).click();
      await page.getByText('The audit log is not streamed anywhere yet.').waitFor();
    } finally {
      // A failed step must not leave the receiver listening: jest would never exit.
      for (const socket of sockets) socket.destroy();
      if (receiver.listening) await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('webhooks: created with its secret shown once, a test event reaches a local receiver (signed), and the log shows it; phones fit', async () => {
    const received: { headers: Record<string, string>; body: string }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end('thanks');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/keyring`;
    try {
      // The dashboard lists what the reminders job announces: an API key that expires within 7 days.
      const owner = await apiSession(keyring.baseUrl, OWNER);
      const [{ organizationId }] = (await owner.get('/api/v1/orgs')).items;
      const [tenant] = (await owner.get(`/api/v1/orgs/${organizationId}/tenants?q=Client%20One`)).items;
      const expiresAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
      await owner.post(`/api/v1/orgs/${organizationId}/api-keys`, { name: 'Expires soon', tenantId: tenant.id, scopes: ['user-hash:issue'], expiresAt });
      await nav('Dashboard').click();
      await page.getByTestId('expiring-keys').getByText('Expires soon').waitFor();
      expect(await page.getByTestId('count-expiring-keys').textContent()).toBe('1');

      await nav('Webhooks').click();
      await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
      await page.getByText('No webhooks yet').waitFor();
      await page.getByRole('button', { name: 'New webhook' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Endpoint URL').fill(url);
      await dialog.getByLabel('Description (optional)').fill('Incident channel');
      await dialog.getByRole('button', { name: 'Create webhook' }).click();
      await dialog.getByText('Choose at least one event.').waitFor(); // nothing chosen yet
      await dialog.getByRole('checkbox', { name: /secret\.rotated/ }).check();
      await dialog.getByRole('checkbox', { name: /api_key\.expiring/ }).check();
      await look('40-webhook-new');
      await dialog.getByRole('button', { name: 'Create webhook' }).click();
      const secret = await textWhen('webhook-secret', /whsec_/);
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      await page.waitForTimeout(300); // the dialog's fade-in, for the screenshot and axe
      await look('41-webhook-secret-once');
      await page.getByRole('button', { name: 'I have stored the secret' }).click();
      await page.getByRole('heading', { name: url }).waitFor();
      await page.getByText('Nothing sent yet.').waitFor();

      await page.getByRole('button', { name: 'Send a test event' }).click();
      await page.getByTestId('delivery-status').filter({ hasText: 'Delivered' }).waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('delivery-response').first().textContent()).toContain('200');
      expect(received).toHaveLength(1);
      const event = new StandardWebhook(secret).verify(received[0].body, received[0].headers) as { type: string };
      expect(event.type).toBe('webhook.test');
      expect(page.url()).not.toContain(secret);
      await page.waitForFunction(() => document.querySelectorAll('mat-snack-bar-container').length === 0, null, { timeout: 10_000 });
      await look('42-webhook-deliveries');

      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole('navigation', { name: 'Sections' }).waitFor({ state: 'hidden' }); // a drawer on phones
      await page.getByTestId('deliveries').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await look('43-phone-webhook');
      await page.setViewportSize({ width: 1280, height: 900 });
      await nav('Webhooks').click();
      await page.getByRole('link', { name: url }).waitFor();
      await look('44-webhooks-list');
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('dialogs at 1440×900 and 390×844 show every label whole and a Huggy widget UUID whole; the chart reads in dark mode', async () => {
    const uuid = '1a67557a-3c1e-4f7b-9d2a-5e8f0b6c4d21';
    for (const [width, height, name] of [[1440, 900, '27-widget-dialog'], [390, 844, '28-phone-widget-dialog']] as const) {
      await page.setViewportSize({ width, height });
      await page.goto(widgetUrl);
      await page.getByRole('button', { name: 'Edit' }).click();
      const dialog = page.getByRole('dialog');
      const uuidField = dialog.getByLabel('Huggy widget UUID (optional)');
      await uuidField.fill(uuid);
      await dialog.getByLabel('Name', { exact: true }).focus(); // its label floats, the others hold values
      const fit = await dialog.evaluate((element) => {
        const content = element.querySelector('.mat-mdc-dialog-content')!.getBoundingClientRect();
        const input = element.querySelector<HTMLInputElement>('input[formcontrolname="huggyWidgetUuid"]')!;
        return {
          clippedLabels: Array.from(element.querySelectorAll('mat-label')).filter((label) => label.getBoundingClientRect().top < content.top).map((label) => label.textContent),
          uuidWhole: input.scrollWidth <= input.clientWidth,
          insideScreen: element.getBoundingClientRect().right <= window.innerWidth,
        };
      });
      await look(name);
      expect(fit).toEqual({ clippedLabels: [], uuidWhole: true, insideScreen: true });
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.emulateMedia({ colorScheme: 'dark' });
    await nav('Dashboard').click();
    await page.getByTestId('issued-total').waitFor();
    await look('29-dashboard-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('axe-core found no serious or critical violation on any page above', () => {
    expect(axeFindings).toEqual([]);
  });

  it('ran every page above under a CSP without inline scripts, and nothing was refused', async () => {
    const response = await page.goto(keyring.baseUrl);
    const csp = (await response!.allHeaders())['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(cspViolations).toEqual([]);
  });
});

/** A session of the API itself, for set-up steps that are not what a test is about. */
async function apiSession(baseUrl: string, user: { email: string; password: string }) {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) });
  const headers = { cookie: login.headers.get('set-cookie')!.split(';')[0], 'x-csrf-token': (await login.json()).csrfToken, 'content-type': 'application/json' };
  return {
    headers,
    get: async (path: string) => (await fetch(`${baseUrl}${path}`, { headers })).json(),
    post: async (path: string, body: unknown) => (await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })).json(),
  };
}
