import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id before anything else runs (even the body parser, whose errors must carry it too),
 * echoed in `X-Request-Id`. A well-formed id from a proxy is kept so that logs line up across hops.
 */
export function assignRequestId(req: Request, res: Response, next: NextFunction): void {
  const fromCaller = req.headers['x-request-id'];
  req.id = typeof fromCaller === 'string' && CALLER_REQUEST_ID.test(fromCaller) ? fromCaller : randomUUID();
  res.setHeader('X-Request-Id', req.id);
  next();
}
