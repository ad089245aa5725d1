import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedTarget } from './webhook-target';

/** Whatever the receiver does, an attempt ends within this long. */
export const DELIVERY_TIMEOUT_MS = 5_000;
/** Of an answer's body, only this much is kept (in the delivery log). */
export const RESPONSE_BODY_LIMIT = 1024;

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
    const finish = (result: Omit<AttemptResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve({ ...result, latencyMs: elapsed() });
    };
    const request = send(
      target.url,
      {
        method: 'POST',
        lookup: pinned,
        agent: false,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'Keyring-Webhooks/1' },
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => finish({ status: response.statusCode ?? null, body: Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_BODY_LIMIT), error: null });
        response.on('data', (chunk: Buffer) => {
          if (size >= RESPONSE_BODY_LIMIT) return;
          chunks.push(chunk.subarray(0, RESPONSE_BODY_LIMIT - size));
          size += chunk.length;
          if (size >= RESPONSE_BODY_LIMIT) done();
        });
        response.on('end', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(() => finish({ status: null, body: null, error: `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s` }), DELIVERY_TIMEOUT_MS);
    request.on('error', (error: NodeJS.ErrnoException) => finish({ status: null, body: null, error: `could not deliver: ${error.code ?? error.message}` }));
    request.end(body);
  });
}
