import { BadRequestException, HttpException, HttpStatus, PayloadTooLargeException } from '@nestjs/common';
import { json, type RequestHandler } from 'express';

export const JSON_BODY_LIMIT = '256kb';

/**
 * Parses JSON bodies and turns body-parser's failures into HTTP errors with fixed messages: the parser's own
 * messages quote the body, which may hold a secret.
 */
export function jsonBody(limit = JSON_BODY_LIMIT): RequestHandler {
  const parse = json({ limit });
  return (req, res, next) => parse(req, res, (error?: unknown) => next(error ? describeBodyError(error, limit) : undefined));
}

function describeBodyError(error: unknown, limit: string): unknown {
  const { type, status } = error as { type?: unknown; status?: unknown };
  switch (type) {
    case 'entity.parse.failed':
      return new BadRequestException('The request body is not valid JSON.');
    case 'entity.too.large':
      return new PayloadTooLargeException(`The request body is larger than ${limit}.`);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new HttpException('The request body must be JSON in UTF-8, without content encoding.', HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    default:
      return typeof status === 'number' && status >= 400 && status < 500
        ? new HttpException('The request body could not be read.', status)
        : error;
  }
}
