import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { HttpException, HttpStatus } from '@nestjs/common';
import type { Logger } from 'pino';
import type { MaybePromise } from '../maybe-promise';
import { problemFor } from '../problem/problem-document';
import { bodyErrors, JSON_BODY_LIMIT_BYTES } from './json-body.middleware';
import { requestIdFor } from './request-id.middleware';

export interface LeanRequest {
  id: string;
  /** The path's capture groups, in order. */
  params: string[];
  headers: IncomingHttpHeaders;
  body: unknown;
}

/**
 * A JSON POST route served straight from `node:http`, before Express and Nest. Only for the tenant API's
 * user-hash calls, made on every page view of every client's visitors: the full framework stack (router,
 * middleware chain, guards, pipes, interceptors) costs several times the signing itself. Errors still become
 * the same problem documents, every request still gets a request id, and every refusal a log line.
 */
export interface LeanRoute {
  /** The route as documented, e.g. `/api/v1/widgets/:widgetId/user-hash`: the label of its logs and metrics. */
  pattern: string;
  /** Matched against the path without its query; capture groups become `params`. */
  path: RegExp;
  handle(request: LeanRequest): MaybePromise<unknown>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Told of every answer of a lean route, for metrics. */
export type LeanObserver = (route: LeanRoute, status: number, seconds: number) => void;

/** A request listener that serves `routes` itself (POST only) and hands everything else to `fallback`. */
export function withLeanRoutes(routes: LeanRoute[], fallback: RequestListener, logger: Logger, prefix: string, observe: LeanObserver): RequestListener {
  return (req, res) => {
    const url = req.url ?? '/';
    if (req.method !== 'POST' || !url.startsWith(prefix)) return fallback(req, res);
    const path = url.split('?', 1)[0];
    for (const route of routes) {
      const match = route.path.exec(path);
      if (match) return void serve(route, match.slice(1), req, res, logger, observe);
    }
    return fallback(req, res);
  };
}

function serve(route: LeanRoute, params: string[], req: IncomingMessage, res: ServerResponse, logger: Logger, observe: LeanObserver): void {
  const startedAt = performance.now();
  const id = requestIdFor(req.headers);
  const respond = (status: number, contentType: string, payload: string, extraHeaders: Record<string, string> = {}) => {
    // A flat [name, value, …] list is the cheapest form for Node to write.
    const headers = ['content-type', contentType, 'content-length', String(Buffer.byteLength(payload)), 'x-request-id', id];
    for (const [name, value] of Object.entries(extraHeaders)) headers.push(name, value);
    res.writeHead(status, headers);
    res.end(payload);
    observe(route, status, (performance.now() - startedAt) / 1000);
    // The same line as the pino-http logger of the Nest routes, but successes at debug: at thousands a second they
    // would flood the log and cost a tenth of the throughput (measured); usage counts and /metrics account for them.
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'debug';
    if (logger.isLevelEnabled(level)) {
      const responseTime = Math.round(performance.now() - startedAt);
      logger[level](
        { req: { id, method: req.method, url: req.url?.split('?', 1)[0] }, res: { statusCode: status }, responseTime },
        'request completed',
      );
    }
  };
  const succeed = (result: unknown) => respond(200, 'application/json; charset=utf-8', JSON.stringify(result));
  const fail = (error: unknown) => {
    const problem = problemFor(error, id, req.url ?? '/');
    if (problem.unexpected) logger.error({ err: error, requestId: id }, 'Unhandled error');
    respond(problem.status, 'application/problem+json; charset=utf-8', JSON.stringify(problem.body), problem.headers);
  };
  readJsonBody(req, (error, body) => {
    if (error) return fail(error);
    let result: MaybePromise<unknown>;
    try {
      result = route.handle({ id, params, headers: req.headers, body });
    } catch (thrown) {
      return fail(thrown);
    }
    if (result instanceof Promise) result.then(succeed, fail);
    else succeed(result);
  });
}

/** The body as JSON: UTF-8 only (never "repaired"), within the same size limit as the other routes. */
function readJsonBody(req: IncomingMessage, done: (error: unknown, body?: unknown) => void): void {
  const refusal = contentTypeProblem(req.headers);
  if (refusal) {
    req.resume();
    return done(refusal);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= JSON_BODY_LIMIT_BYTES) chunks.push(chunk);
  });
  req.on('error', done);
  req.on('end', () => {
    if (size > JSON_BODY_LIMIT_BYTES) return done(bodyErrors.tooLarge());
    let body: unknown;
    try {
      body = JSON.parse(utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    } catch {
      return done(bodyErrors.notJson());
    }
    done(null, body);
  });
}

function contentTypeProblem(headers: IncomingHttpHeaders): HttpException | null {
  const [mediaType, ...parameters] = (headers['content-type'] ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') {
    return new HttpException('Send the body as JSON, with "Content-Type: application/json".', HttpStatus.UNSUPPORTED_MEDIA_TYPE);
  }
  const charset = parameters
    .find((parameter) => parameter.startsWith('charset='))
    ?.slice(8)
    .replace(/"/g, '');
  const encoding = headers['content-encoding'];
  if ((charset && charset !== 'utf-8') || (encoding && encoding !== 'identity')) return bodyErrors.notUtf8Json();
  return null;
}
