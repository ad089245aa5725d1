import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../../test/test-app';

/** `npm start` starts the server while the console is still being built: one server sees both moments, in order. */
describe('the console at / (real app)', () => {
  let keyring: TestApp;
  let consoleDir: string;
  const indexHtml = '<!doctype html><title>Keyring</title><kr-root></kr-root>';

  beforeAll(async () => {
    consoleDir = await mkdtemp(join(tmpdir(), 'keyring-console-'));
    keyring = await startTestApp({ KEYRING_CONSOLE_DIR: consoleDir });
  });
  afterAll(() => keyring.close());

  async function expectApiUntouched() {
    for (const path of ['/api', '/api/v1', '/api/v1/widgets/unknown', '/api/v2/x']) {
      const response = await keyring.request('GET', path);
      expect({ path, status: response.status, type: response.headers.get('content-type') }).toEqual({
        path,
        status: 404,
        type: 'application/problem+json; charset=utf-8',
      });
    }
    expect((await keyring.request('GET', '/healthz')).body).toEqual({ status: 'ok' });
  }

  describe('before the console is built', () => {
    it.each(['/', '/orgs/1/widgets/2', '/assets/main.js'])('answers %s with a page that says so and reloads itself', async (path) => {
      const response = await keyring.request('GET', path);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('retry-after')).toBe('5');
      expect(response.text).toContain('<h1>The console is being built</h1>');
      expect(response.text).toContain('<meta http-equiv="refresh" content="5">');
      expect(response.text).not.toContain('<script');
    });

    it('already serves the API and the probes', expectApiUntouched);
  });

  describe('once the build has written the console', () => {
    beforeAll(async () => {
      await mkdir(join(consoleDir, 'assets'));
      await writeFile(join(consoleDir, 'assets', 'main.js'), 'console.log("console")');
      await writeFile(join(consoleDir, 'index.html'), indexHtml);
    });

    it('serves index.html at / without a restart', async () => {
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

    it('never answers an API path with the console', expectApiUntouched);
  });
});
