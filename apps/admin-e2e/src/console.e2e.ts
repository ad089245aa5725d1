import type { Browser } from 'playwright-core';
import { launchChromium, screenshot } from './browser';
import { startKeyring, type KeyringServer } from './keyring-server';

describe('the console in a real browser, served by the built API on an embedded PostgreSQL', () => {
  let keyring: KeyringServer;
  let browser: Browser;

  beforeAll(async () => {
    keyring = await startKeyring();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await keyring?.stop();
  });

  it('loads the console at / and shows that the server is ready', async () => {
    const page = await browser.newPage();
    const failedRequests: string[] = [];
    page.on('requestfailed', (request) => failedRequests.push(request.url()));
    await page.goto(keyring.baseUrl);
    await page.getByText('Server ready: database connected, migrations applied.').waitFor();
    expect(await page.title()).toBe('Keyring');
    await screenshot(page, 'welcome');
    expect(failedRequests).toEqual([]);
  });

  it('answers a client-side route with the console and an API route with problem+json', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${keyring.baseUrl}/orgs/some/widgets`);
    expect(response?.headers()['content-type']).toContain('text/html');
    await page.getByText('Keyring').first().waitFor();

    const api = await page.request.get(`${keyring.baseUrl}/api/v1/setup`);
    expect(await api.json()).toEqual({ required: true });
    const missing = await page.request.get(`${keyring.baseUrl}/api/v1/nothing-here`);
    expect(missing.status()).toBe(404);
    expect(missing.headers()['content-type']).toContain('application/problem+json');
  });
});
