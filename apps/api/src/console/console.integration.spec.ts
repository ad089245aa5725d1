import { CONSOLE_INDEX_HTML, consoleDir } from '../../test/console-fixture';
import { startTestApp, type TestApp } from '../../test/test-app';

describe('the console at / (real app)', () => {
  let keyring: TestApp;
  const indexHtml = CONSOLE_INDEX_HTML;

  beforeAll(async () => {
    keyring = await startTestApp({ KEYRING_CONSOLE_DIR: await consoleDir() });
  });
  afterAll(() => keyring.close());

  it('serves index.html at /', async () => {
    const response = await keyring.request('GET', '/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.text).toBe(indexHtml);
  });

  it('serves the built files', async () => {
    const response = await keyring.request('GET', '/assets/main.js');
    expect(response.status).toBe(200);
    expect(response.text).toBe('console.log("console")');
  });

  it('answers client-side routes with index.html so that a reload works', async () => {
    const response = await keyring.request('GET', '/orgs/1/widgets/2');
    expect(response.status).toBe(200);
    expect(response.text).toBe(indexHtml);
  });

  it('never answers an API path with the console', async () => {
    for (const path of ['/api', '/api/v1', '/api/v1/widgets/unknown', '/api/v2/x']) {
      const response = await keyring.request('GET', path);
      expect({ path, status: response.status, type: response.headers.get('content-type') }).toEqual({
        path,
        status: 404,
        type: 'application/problem+json; charset=utf-8',
      });
    }
    expect((await keyring.request('GET', '/healthz')).body).toEqual({ status: 'ok' });
  });
});
