import { connect } from 'node:net';

export interface RawExchange {
  /** The status line and headers, lower-cased names. */
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from sending the head to the server's answer. */
  answeredAfterMs: number;
  /** Whether the server closed the connection within the wait. */
  closed: boolean;
}

/**
 * Sends `head` (the request line and headers, CRLF-separated, ending with a blank line) and then `chunks` one
 * every `chunkEveryMs`, as a client that declares or streams more than it should; resolves with the answer once
 * the server closes the connection, `waitMs` passes or, with `untilAnswered`, the whole answer is in.
 */
export function rawExchange(
  baseUrl: string,
  head: string,
  options: { chunks?: () => Buffer | null; chunkEveryMs?: number; waitMs?: number; untilAnswered?: boolean } = {},
): Promise<RawExchange> {
  const { port, hostname } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  const startedAt = performance.now();
  let received = '';
  let answeredAfterMs = -1;
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const chunk = options.chunks?.();
      if (chunk && !socket.destroyed && socket.writable) socket.write(chunk);
    }, options.chunkEveryMs ?? 10);
    let finished = false;
    const finish = (closed: boolean) => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      clearTimeout(deadline);
      socket.destroy();
      const [headText, ...rest] = received.split('\r\n\r\n');
      const [statusLine, ...headerLines] = headText.split('\r\n');
      const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n'), answeredAfterMs, closed });
    };
    const deadline = setTimeout(() => finish(false), options.waitMs ?? 5000);
    socket.on('data', (data) => {
      if (answeredAfterMs < 0) answeredAfterMs = performance.now() - startedAt;
      received += data.toString('utf8');
      // With untilAnswered, stop at the end of the answer rather than wait for the server to close.
      const length = /\r\ncontent-length: (\d+)\r\n/i.exec(received)?.[1];
      const bodyStart = received.indexOf('\r\n\r\n') + 4;
      if (options.untilAnswered && length && bodyStart >= 4 && Buffer.byteLength(received.slice(bodyStart)) >= Number(length)) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? finish(true) : reject(error)));
    socket.write(head);
  });
}
