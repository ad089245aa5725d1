import { connect, type Socket } from 'node:net';
import { createWidget } from '../../test/custody-fixtures';
import { completeSetup } from '../../test/identity-fixtures';
import { startTestApp } from '../../test/test-app';
import { drainAndClose } from './lifecycle';

describe('graceful stop (real app, real PostgreSQL)', () => {
  it('fails /readyz while draining, finishes the request in flight, and flushes the usage counted in memory', async () => {
    const keyring = await startTestApp({ KEYRING_USAGE_FLUSH_SECONDS: '3600' });
    const { organizationId, owner } = await completeSetup(keyring);
    const { tenantId, widgetId } = await createWidget(owner, organizationId, { secret: 'draining-widget-secret' });
    const created = await owner.request('POST', `/api/v1/orgs/${organizationId}/api-keys`, { body: { name: 'd', tenantId, scopes: ['user-hash:issue'] } });
    const headers = { authorization: `Bearer ${created.body.key}` };
    expect((await keyring.request('POST', `/api/v1/widgets/${widgetId}/user-hash`, { body: { userIdentifier: 'before' }, headers })).status).toBe(200);

    // A request in flight: headers and half of the body sent.
    const body = JSON.stringify({ userIdentifier: 'in-flight' });
    const { port } = new URL(keyring.baseUrl);
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`POST /api/v1/widgets/${widgetId}/user-hash HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${created.body.key}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`);

    const closing = drainAndClose(keyring.app, 300);
    const ready = await keyring.request('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.detail).toBe('Not ready: this instance is shutting down.');
    socket.end(body.slice(5));
    await new Promise((resolve) => socket.once('close', resolve));
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(answer).toContain('"userIdentifier":"in-flight"');
    await closing;

    const [usage] = await keyring.db.query('SELECT sum(issued)::int AS issued FROM usage_minutes WHERE widget_id = $1', [widgetId]);
    expect(usage.issued).toBe(2);
    await keyring.db.drop();
  });

  it('retires keep-alive connections while draining and answers a connection accepted before the listener closed', async () => {
    const keyring = await startTestApp();
    const { port } = new URL(keyring.baseUrl);
    const open = async () => {
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      return socket;
    };
    /** Sends a keep-alive request; resolves with everything the server sent until it closed the connection. */
    const ask = (socket: Socket) =>
      new Promise<string>((resolve) => {
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk)).once('close', () => resolve(answer));
        socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      });
    // A proxy's pooled connection, opened before the stop and used only after the listener has closed.
    const pooled = await open();

    const closing = drainAndClose(keyring.app, 400);
    const duringGrace = await ask(await open());
    expect(duringGrace).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(duringGrace).toMatch(/\r\nConnection: close\r\n/i);

    await new Promise((resolve) => setTimeout(resolve, 600));
    await expect(open()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const afterListenerClosed = await ask(pooled);
    expect(afterListenerClosed).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(afterListenerClosed).toMatch(/\r\nConnection: close\r\n/i);
    await closing;
    await keyring.db.drop();
  });
});
