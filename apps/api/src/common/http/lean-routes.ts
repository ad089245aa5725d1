import type { IncomingHttpHeaders } from 'node:http';
import type { MaybePromise } from '../maybe-promise';

/** What a lean route sees of its request before the body is read. */
export interface LeanRequest {
  id: string;
  /** The path's capture groups, in order. */
  params: string[];
  headers: IncomingHttpHeaders;
}

/** Runs a lean route on the parsed body, once the request was admitted. */
export type LeanHandler = (body: unknown) => MaybePromise<unknown>;

/**
 * A JSON POST route served straight from `node:http` by the edge listener (see edge.ts), before Express and Nest.
 * Only for the tenant API's user-hash calls, made on every page view of every client's visitors: the full
 * framework stack (router, middleware chain, guards, pipes, interceptors) costs several times the signing itself.
 * Errors still become the same problem documents, every request still gets a request id, the security headers
 * and, when refused, a log line.
 */
export interface LeanRoute {
  /** The route as documented, e.g. `/api/v1/widgets/:widgetId/user-hash`: the label of its logs and metrics. */
  pattern: string;
  /** Matched against the path without its query; capture groups become `params`. */
  path: RegExp;
  /**
   * Checks what the headers and path say (the API key) before a byte of the body is read — a caller without a
   * valid key cannot make the server read or wait for a body — and returns what to do with the body.
   */
  admit(request: LeanRequest): MaybePromise<LeanHandler>;
}
