import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedTarget } from './webhook-target';

/** Whatever the receiver does, an attempt ends within this long. */
export const DELIVERY_TIMEOUT_MS = 5_000;
/** Of an answer's body, only this much is kept (in the delivery log). */
const RESPONSE_BODY_LIMIT = 1024;

/**
 * Connections kept open between deliveries to the same host and port (a socket is only ever opened to an address
 * that was checked, through the pinned lookup below).
 */
const agents = { 'http:': new HttpAgent({ keepAlive: true, maxSockets: 16 }), 'https:': new HttpsAgent({ keepAlive: true, maxSockets: 16 }) };

export interface AttemptResult {
  /** null: no HTTP answer (connection refused, timeout, TLS error). */
  status: number | null;
  body: string | null;
  latencyMs: number;
  error: string | null;
}

/**
 * One POST of `body` to the checked target. The connection goes to the address that was checked (a lookup that
 * answers only it), so a DNS answer changed since the check cannot send it elsewhere; TLS still verifies the host
 * name. Redirects are not followed (a 3xx is a failed attempt); at most 1 KB of the answer is read.
 */
export function postWebhook(target: CheckedTarget, headers: Record<string, string>, body: string): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    /** `keep`: the answer was read to its end, so the connection may serve the next delivery. */
    const finish = (result: Omit<AttemptResult, 'latencyMs'>, keep = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!keep) request.destroy();
      resolve({ ...result, latencyMs: elapsed() });
    };
    const request = send(
      target.url,
      {
        method: 'POST',
        lookup: pinned,
        agent: target.url.protocol === 'https:' ? agents['https:'] : agents['http:'],
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'Keyring-Webhooks/1' },
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = (keep: boolean) => finish({ status: response.statusCode ?? null, body: Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_BODY_LIMIT), error: null }, keep);
        response.on('data', (chunk: Buffer) => {
          if (size >= RESPONSE_BODY_LIMIT) return;
          chunks.push(chunk.subarray(0, RESPONSE_BODY_LIMIT - size));
          size += chunk.length;
          // Enough: the rest is not read, and the connection goes with it.
          if (size >= RESPONSE_BODY_LIMIT) done(false);
        });
        response.on('end', () => done(true));
        response.on('error', () => done(false));
      },
    );
    const timer = setTimeout(() => finish({ status: null, body: null, error: `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s` }), DELIVERY_TIMEOUT_MS);
    request.on('error', (error: NodeJS.ErrnoException) => finish({ status: null, body: null, error: `could not deliver: ${error.code ?? error.message}` }));
    request.end(body);
  });
}
