import { startTestApp, type TestApp } from '../../test/test-app';

describe('health endpoints (real app, real PostgreSQL)', () => {
  let keyring: TestApp;

  beforeAll(async () => {
    keyring = await startTestApp();
  });
  afterAll(() => keyring.close());

  it('/healthz says the process is alive, with a request id', async () => {
    const response = await keyring.request('GET', '/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('/readyz is ready when the database answers and every migration is applied', async () => {
    const response = await keyring.request('GET', '/readyz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ready', checks: { database: 'up', migrations: 'applied' } });
  });

  it('/readyz answers 503 problem+json while a migration is pending', async () => {
    const [last] = await keyring.db.query<{ id: number; timestamp: string; name: string }>(
      'DELETE FROM migrations WHERE id = (SELECT max(id) FROM migrations) RETURNING *',
    );
    try {
      const response = await keyring.request('GET', '/readyz');
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({
        status: 503,
        title: 'Service Unavailable',
        detail: 'Not ready: database up, migrations pending.',
        checks: { database: 'up', migrations: 'pending' },
      });
    } finally {
      await keyring.db.query('INSERT INTO migrations (id, timestamp, name) VALUES ($1, $2, $3)', [
        last.id,
        last.timestamp,
        last.name,
      ]);
    }
  });
});
