import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { BadRequestException } from '@nestjs/common';
import type { Logger } from 'pino';
import type { MaybePromise } from '../maybe-promise';
import { problemFor } from '../problem/problem-document';
import { bodyErrors, declaresTooLargeBody, DEFAULT_BODY, hasBody, readJsonBody, type BodyPolicy } from './json-body';
import type { LeanHandler, LeanRoute } from './lean-routes';
import { requestIdFor } from './request-id';
import { NO_STORE, type HeaderList } from './security-headers';

/** Told of every answer written by the edge itself (lean routes, refused bodies), for metrics. */
export type EdgeObserver = (method: string, route: string, status: number, seconds: number) => void;

export interface EdgeOptions {
  /** Served here (POST only), before Express. */
  routes: LeanRoute[];
  /** Express, for everything else, with the body already parsed into `req.body`. */
  fallback: RequestListener;
  logger: Logger;
  /** Path prefix of the API, e.g. `/api/v1/`. */
  prefix: string;
  /** Security headers of every response. */
  headers: HeaderList;
  /** Whether the peer is a proxy allowed to set X-Request-Id (KEYRING_TRUST_PROXY). */
  trustsPeer: (address: string | undefined) => boolean;
  observe: EdgeObserver;
  /** Routes whose bodies may be larger than the default or CSV (matched on the path, without the query). */
  bodyPolicies?: { method: string; path: RegExp; policy: BodyPolicy }[];
}

/** After refusing a body that is still coming, how long the client has to read the answer before the socket is closed. */
const LINGER_MS = 1000;
/** Routes whose answers are never cached: everything but the console's files. */
const API_PATH = /^\/(api|healthz|readyz|metrics)(\/|$)/;
const UUID_SEGMENT = /(?<=\/)[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?=\/|$)/g;

/**
 * The server's request listener, in front of everything: gives each request its id and the security headers,
 * refuses what no route should see (a declared body over the limit, at once; a NUL in the URL), reads and checks
 * every JSON body itself — the same rules for every route, problem+json whether or not the console is served —
 * and serves the lean routes without Express.
 */
export function edgeListener(options: EdgeOptions): RequestListener {
  const apiHeaders: HeaderList = [...options.headers, NO_STORE];
  return (req, res) => {
    const startedAt = performance.now();
    const id = requestIdFor(req.headers, options.trustsPeer(req.socket.remoteAddress));
    (req as IncomingMessage & { id: string }).id = id;
    const [rawPath, query] = splitUrl(req.url ?? '/');
    // Ids are compared as PostgreSQL does, whatever their case: one spelling from here on.
    const path = rawPath.replace(UUID_SEGMENT, (uuid) => uuid.toLowerCase());
    if (path !== rawPath) req.url = path + query;
    const answer = new EdgeAnswer(req, res, id, API_PATH.test(path) ? apiHeaders : options.headers, options, startedAt);

    if ((req.url ?? '').includes('%00')) return answer.fail(new BadRequestException('The URL holds a NUL character (%00).'), 'unmatched');
    const policy = options.bodyPolicies?.find((route) => route.method === req.method && route.path.test(path))?.policy ?? DEFAULT_BODY;
    answer.bodyLimit = policy.limitBytes;
    if (declaresTooLargeBody(req.headers, policy.limitBytes)) return answer.fail(bodyErrors.tooLarge(policy.limitBytes), 'unmatched');
    if (req.method === 'POST' && path.startsWith(options.prefix)) {
      for (const route of options.routes) {
        const match = route.path.exec(path);
        if (match) return serveLean(route, match.slice(1), answer);
      }
    }
    for (const [name, value] of answer.headers) res.setHeader(name, value);
    res.setHeader('x-request-id', id);
    if (!hasBody(req.headers)) return options.fallback(req, res);
    readJsonBody(
      req,
      (error, body) => {
        if (error) return answer.fail(error, 'unmatched');
        (req as IncomingMessage & { body: unknown }).body = body;
        options.fallback(req, res);
      },
      policy,
    );
  };
}

function serveLean(route: LeanRoute, params: string[], answer: EdgeAnswer): void {
  const { req } = answer;
  const fail = (error: unknown) => answer.fail(error, route.pattern);
  let admitted: MaybePromise<LeanHandler>;
  try {
    admitted = route.admit({ id: answer.id, params, headers: req.headers });
  } catch (thrown) {
    return fail(thrown);
  }
  const withBody = (handler: LeanHandler) =>
    readJsonBody(req, (error, body) => {
      if (error) return fail(error);
      let result: MaybePromise<unknown>;
      try {
        result = handler(body);
      } catch (thrown) {
        return fail(thrown);
      }
      const succeed = (value: unknown) => answer.succeed(value, route.pattern);
      if (result instanceof Promise) result.then(succeed, fail);
      else succeed(result);
    });
  if (admitted instanceof Promise) admitted.then(withBody, fail);
  else withBody(admitted);
}

/** Writes the edge's own answers: headers as one flat list (the cheapest form for Node), a log line, metrics. */
class EdgeAnswer {
  /** The body limit of the route asked for: a declared length within it is read and discarded after a refusal. */
  bodyLimit = DEFAULT_BODY.limitBytes;

  constructor(
    readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    readonly id: string,
    readonly headers: HeaderList,
    private readonly options: EdgeOptions,
    private readonly startedAt: number,
  ) {}

  succeed(result: unknown, route: string): void {
    this.write(200, 'application/json; charset=utf-8', JSON.stringify(result), {}, route);
  }

  fail(error: unknown, route: string): void {
    const problem = problemFor(error, this.id, this.req.url ?? '/');
    if (problem.unexpected) this.options.logger.error({ err: error, requestId: this.id }, 'Unhandled error');
    this.write(problem.status, 'application/problem+json; charset=utf-8', JSON.stringify(problem.body), problem.headers, route);
  }

  private write(status: number, contentType: string, payload: string, extra: Record<string, string>, route: string): void {
    const { req, res } = this;
    if (res.headersSent) return;
    const flat = ['content-type', contentType, 'content-length', String(Buffer.byteLength(payload)), 'x-request-id', this.id];
    for (const [name, value] of this.headers) flat.push(name, value);
    for (const [name, value] of Object.entries(extra)) flat.push(name, value);
    // A body still on its way (refused before or while reading it) is not waited for: the connection goes — unless
    // it declared a length within the limit, which Node then reads and discards to keep the connection.
    const bounded = req.headers['content-length'] !== undefined && !declaresTooLargeBody(req.headers, this.bodyLimit);
    const abandonBody = !req.complete && !bounded;
    if (abandonBody) flat.push('connection', 'close');
    res.writeHead(status, flat);
    res.end(payload);
    if (abandonBody) res.once('finish', () => setTimeout(() => req.socket.destroy(), LINGER_MS).unref());
    this.options.observe(req.method ?? 'GET', route, status, (performance.now() - this.startedAt) / 1000);
    // The same line as the pino-http logger of the Nest routes, but successes at debug: at thousands a second they
    // would flood the log and cost a tenth of the throughput (measured); usage counts and /metrics account for them.
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'debug';
    const { logger } = this.options;
    if (logger.isLevelEnabled(level)) {
      const responseTime = Math.round(performance.now() - this.startedAt);
      logger[level]({ req: { id: this.id, method: req.method, url: splitUrl(req.url ?? '/')[0] }, res: { statusCode: status }, responseTime }, 'request completed');
    }
  }
}

function splitUrl(url: string): [path: string, query: string] {
  const at = url.indexOf('?');
  return at === -1 ? [url, ''] : [url.slice(0, at), url.slice(at)];
}
