import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { Logger } from 'pino';

/**
 * Paths that must never reach a log line. Bodies are not logged at all; these cover headers and any object
 * a developer might log by mistake.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.secret',
  '*.password',
  '*.key',
  '*.userHash',
  '*.totpCode',
  '*.totpSecret',
  '*.setupToken',
  // A failed query's error carries its parameters, which may hold a secret (a ciphertext, a hash, a pasted value).
  'err.parameters',
  'err.driverError.parameters',
];

/** One JSON line per request, tagged with the request id that is also returned in `X-Request-Id`. */
export function loggerOptions(logger: Logger): Params {
  return {
    // nestjs-pino's default is the legacy `*`, which Nest 11 rewrites with a deprecation warning at every start.
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      logger,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // The id was assigned by the edge listener (edge.ts), before Express.
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url?.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}
