import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';

/** One RFC 5424 message, its header fields split out (§6), as a syslog receiver parses it. */
export interface SyslogMessage {
  pri: number;
  version: number;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  structuredData: string;
  /** Without its UTF-8 byte order mark. */
  msg: string;
  /** Whether MSG started with the BOM (§6.4: it must, for UTF-8). */
  bom: boolean;
}

/** HEADER SP STRUCTURED-DATA SP MSG (RFC 5424 §6), each header field within its length limit. */
const RFC5424 =
  /^<(\d{1,3})>(\d{1,2}) (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|[+-]\d\d:\d\d)) ([\x21-\x7e]{1,255}) ([\x21-\x7e]{1,48}) ([\x21-\x7e]{1,128}) ([\x21-\x7e]{1,32}) (-|(?:\[[^ \]="]{1,32}(?: [^ \]="]{1,32}="(?:[^"\\\]]|\\["\\\]])*")*\])+) ([\s\S]*)$/;

export interface SyslogReceiver {
  port: number;
  /** Every message received, in arrival order, across connections. */
  messages: SyslogMessage[];
  /** Framing or header errors seen (a test expects none). */
  errors: string[];
  /** Connections accepted so far. */
  connections: number;
  /**
   * While set, messages are read off the connection and thrown away (counted in `dropped`): bytes a sender wrote
   * successfully that the receiver never took in, as when it crashes with them in its buffers.
   */
  dropping: boolean;
  dropped: number;
  /** Closes the listener and every open connection: the receiver is down. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

/**
 * A TCP syslog receiver that insists on RFC 6587 octet counting (`<len> <msg>`, the length in octets, no trailing
 * newline) and on RFC 5424 headers; whatever does not fit goes to `errors`.
 */
export async function startSyslogReceiver(port = 0, host = '127.0.0.1'): Promise<SyslogReceiver> {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const receiver: SyslogReceiver = {
    port,
    messages: [],
    errors: [],
    connections: 0,
    dropping: false,
    dropped: 0,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = null;
    },
    async start() {
      server = createServer((socket) => {
        receiver.connections += 1;
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
        let buffered = Buffer.alloc(0);
        socket.on('data', (chunk: Buffer) => {
          buffered = Buffer.concat([buffered, chunk]);
          for (;;) {
            const space = buffered.indexOf(0x20);
            if (space === -1) return;
            const length = buffered.subarray(0, space).toString('ascii');
            if (!/^[1-9]\d*$/.test(length)) {
              receiver.errors.push(`bad frame length ${JSON.stringify(length.slice(0, 20))}`);
              socket.destroy();
              return;
            }
            const end = space + 1 + Number(length);
            if (buffered.length < end) return;
            const text = buffered.subarray(space + 1, end).toString('utf8');
            buffered = buffered.subarray(end);
            if (receiver.dropping) {
              receiver.dropped += 1;
              continue;
            }
            const match = RFC5424.exec(text);
            if (!match) {
              receiver.errors.push(`not RFC 5424: ${text.slice(0, 120)}`);
              continue;
            }
            const [, pri, version, timestamp, hostname, appName, procId, msgId, structuredData, msg] = match;
            receiver.messages.push({
              ...{ pri: Number(pri), version: Number(version), timestamp, hostname, appName, procId, msgId, structuredData },
              msg: msg.replace(/^\ufeff/, ''),
              bom: msg.startsWith('\ufeff'),
            });
          }
        });
      });
      await new Promise<void>((resolve) => server!.listen(receiver.port, host, resolve));
      receiver.port = (server.address() as { port: number }).port;
    },
  };
  await receiver.start();
  return receiver;
}

export interface NdjsonReceiver {
  url: string;
  /** The body of every POST answered 2xx, in order, with its headers. */
  batches: { headers: IncomingHttpHeaders; body: string }[];
  /** Requests refused (answered with `failWith`). */
  refused: number;
  /** While set, every request is answered with this status. */
  failWith: number | null;
  close(): Promise<void>;
}

/** An HTTP receiver on localhost (http outside production), keeping the NDJSON batches it accepts. */
export async function startNdjsonReceiver(): Promise<NdjsonReceiver> {
  const server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (receiver.failWith !== null) {
        receiver.refused += 1;
        response.writeHead(receiver.failWith).end('not now');
        return;
      }
      receiver.batches.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver: NdjsonReceiver = {
    url: `http://localhost:${(server.address() as { port: number }).port}/ingest`,
    batches: [],
    refused: 0,
    failWith: null,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return receiver;
}
