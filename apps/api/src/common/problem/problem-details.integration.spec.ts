import { startTestApp, type TestApp } from '../../../test/test-app';

describe('errors are problem+json (real app)', () => {
  let keyring: TestApp;

  beforeAll(async () => {
    keyring = await startTestApp();
  });
  afterAll(() => keyring.close());

  it('an unknown API route is a 404 problem carrying the request id of the response header', async () => {
    const response = await keyring.request('GET', '/api/v1/no-such-thing?x=1');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(response.body).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'Cannot GET /api/v1/no-such-thing?x=1',
      instance: '/api/v1/no-such-thing',
      requestId: response.headers.get('x-request-id'),
    });
  });

  it('a body that is not JSON is a 400 that says so, without echoing the body', async () => {
    const response = await keyring.request('POST', '/api/v1/no-such-thing', { rawBody: '{"secret": "hunter2-secret' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ status: 400, detail: 'The request body is not valid JSON.' });
    expect(response.text).not.toContain('hunter2');
  });

  it('a body over the size limit is a 413', async () => {
    const response = await keyring.request('POST', '/api/v1/no-such-thing', {
      rawBody: JSON.stringify({ padding: 'x'.repeat(300 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ status: 413, detail: 'The request body is larger than 256kb.' });
  });

  it("replaces the caller's request id when no proxy is trusted (KEYRING_TRUST_PROXY unset)", async () => {
    const replaced = await keyring.request('GET', '/healthz', { headers: { 'x-request-id': 'lb-1234.abc' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs one line per request with its request id, and no request headers', async () => {
    const response = await keyring.request('GET', '/healthz', {
      headers: { authorization: 'Bearer kr_should_never_be_logged', cookie: 'session=never-logged-either' },
    });
    const requestId = response.headers.get('x-request-id')!;
    const lines = keyring.logs.filter((line) => line.includes(requestId));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ req: { id: requestId, method: 'GET', url: '/healthz' }, res: { statusCode: 200 } });
    expect(keyring.logs.join('\n')).not.toMatch(/kr_should_never_be_logged|never-logged-either/);
  });
});
