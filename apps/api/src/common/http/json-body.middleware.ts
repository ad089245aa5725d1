import { BadRequestException, HttpException, HttpStatus, PayloadTooLargeException } from '@nestjs/common';
import { json, type RequestHandler } from 'express';

export const JSON_BODY_LIMIT_BYTES = 256 * 1024;

/**
 * What is wrong with a request body, in fixed words: a parser's own messages quote the body, which may hold a
 * secret. Shared by the Express parser below and the tenant API's lean routes.
 */
export const bodyErrors = {
  notJson: () => new BadRequestException('The request body is not valid JSON.'),
  tooLarge: () => new PayloadTooLargeException(`The request body is larger than ${JSON_BODY_LIMIT_BYTES / 1024}kb.`),
  notUtf8Json: () => new HttpException('The request body must be JSON in UTF-8, without content encoding.', HttpStatus.UNSUPPORTED_MEDIA_TYPE),
};

/** Parses JSON bodies and turns body-parser's failures into the errors above. */
export function jsonBody(limit = JSON_BODY_LIMIT_BYTES): RequestHandler {
  const parse = json({ limit });
  return (req, res, next) => parse(req, res, (error?: unknown) => next(error ? describeBodyError(error) : undefined));
}

function describeBodyError(error: unknown): unknown {
  const { type, status } = error as { type?: unknown; status?: unknown };
  switch (type) {
    case 'entity.parse.failed':
      return bodyErrors.notJson();
    case 'entity.too.large':
      return bodyErrors.tooLarge();
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return bodyErrors.notUtf8Json();
    default:
      return typeof status === 'number' && status >= 400 && status < 500
        ? new HttpException('The request body could not be read.', status)
        : error;
  }
}
