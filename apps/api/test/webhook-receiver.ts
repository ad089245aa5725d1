import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Answer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Answer only after this long. */
  delayMs?: number;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  received: ReceivedWebhook[];
  /** TCP connections accepted, whatever came over them (a TLS handshake to this plain server is no request). */
  connections: number;
  /** How the next requests are answered (200 by default), given each request and how many came before it. */
  answer(respond: (request: ReceivedWebhook, index: number) => Answer): void;
  close(): Promise<void>;
}

/**
 * A real local HTTP server that records every request a webhook sends it and answers as the test says. `host`: the
 * address to listen on (`::` for every loopback address, 127.0.0.2 included).
 */
export async function startWebhookReceiver(host = '127.0.0.1'): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let respond: (request: ReceivedWebhook, index: number) => Answer = () => ({ status: 200, body: 'ok' });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      const answer = respond(request, received.length - 1);
      setTimeout(() => {
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body ?? '');
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: WebhookReceiver = {
    origin: `http://127.0.0.1:${port}`,
    port,
    received,
    connections: 0,
    answer: (next) => (respond = next),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  server.on('connection', () => (receiver.connections += 1));
  return receiver;
}
