import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A well-formed id from a trusted proxy (KEYRING_TRUST_PROXY) is kept so that logs line up across hops; otherwise a
 * new one: a client must not choose what the audit log records as the request id.
 */
export function requestIdFor(headers: IncomingHttpHeaders, fromTrustedProxy: boolean): string {
  const fromCaller = headers['x-request-id'];
  return fromTrustedProxy && typeof fromCaller === 'string' && CALLER_REQUEST_ID.test(fromCaller) ? fromCaller : randomUUID();
}
