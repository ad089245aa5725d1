import { startTestApp, type TestApp } from '../../test/test-app';

describe('starting Keyring', () => {
  let keyring: TestApp;
  beforeAll(async () => {
    keyring = await startTestApp();
  });
  afterAll(() => keyring.close());

  it('prints no deprecation warning (the request logger is mounted with a named wildcard)', () => {
    const warnings = keyring.logs.map((line) => JSON.parse(line)).filter((entry) => entry.level >= 40);
    expect(warnings.filter((entry) => entry.context === 'LegacyRouteConverter' || /deprecat|unsupported route/i.test(entry.msg))).toEqual([]);
  });

  it('still logs every request, API and not', async () => {
    await keyring.request('GET', '/api/v1/setup');
    await keyring.request('GET', '/api/v1/orgs/nope');
    const requests = keyring.logs.map((line) => JSON.parse(line)).filter((entry) => entry.req);
    expect(requests.map((entry) => entry.req.url)).toEqual(expect.arrayContaining(['/api/v1/setup', '/api/v1/orgs/nope']));
  });
});
