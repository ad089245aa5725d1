import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A well-formed id from a proxy is kept so that logs line up across hops; otherwise a new one. */
export function requestIdFor(headers: IncomingHttpHeaders): string {
  const fromCaller = headers['x-request-id'];
  return typeof fromCaller === 'string' && CALLER_REQUEST_ID.test(fromCaller) ? fromCaller : randomUUID();
}

/**
 * Gives every request an id before anything else runs (even the body parser, whose errors must carry it too),
 * echoed in `X-Request-Id`.
 */
export function assignRequestId(req: Request, res: Response, next: NextFunction): void {
  req.id = requestIdFor(req.headers);
  res.setHeader('X-Request-Id', req.id);
  next();
}
