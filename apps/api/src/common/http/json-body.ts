import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { BadRequestException, HttpException, HttpStatus, PayloadTooLargeException } from '@nestjs/common';

export const JSON_BODY_LIMIT_BYTES = 256 * 1024;

/**
 * What a route takes as its body when it is not the default (JSON up to JSON_BODY_LIMIT_BYTES): a larger limit, and
 * CSV (text/csv, UTF-8) besides JSON, read into `req.body` as a string. Bulk imports are the one such route.
 */
export interface BodyPolicy {
  limitBytes: number;
  csv: boolean;
}

export const DEFAULT_BODY: BodyPolicy = { limitBytes: JSON_BODY_LIMIT_BYTES, csv: false };
/** Deeper JSON is refused before parsing: no request of the API nests past a few levels, and deep trees cost time. */
export const JSON_MAX_DEPTH = 32;

/**
 * What is wrong with a request body, in fixed words: a parser's own messages quote the body, which may hold a
 * secret. Every body of every route is read by readJsonBody below (see the edge listener).
 */
export const bodyErrors = {
  notJson: () => new BadRequestException('The request body is not valid JSON.'),
  tooLarge: (limitBytes = JSON_BODY_LIMIT_BYTES) => new PayloadTooLargeException(`The request body is larger than ${limitBytes / 1024}kb.`),
  tooDeep: () => new BadRequestException(`The request body nests deeper than ${JSON_MAX_DEPTH} levels.`),
  unstorableText: () => new BadRequestException('The request body holds text that cannot be stored: a NUL character or a lone UTF-16 surrogate.'),
  notJsonType: () => new HttpException('Send the body as JSON, with "Content-Type: application/json".', HttpStatus.UNSUPPORTED_MEDIA_TYPE),
  notJsonOrCsvType: () =>
    new HttpException('Send the body as JSON ("Content-Type: application/json") or CSV ("Content-Type: text/csv").', HttpStatus.UNSUPPORTED_MEDIA_TYPE),
  notUtf8Json: () => new HttpException('The request body must be JSON in UTF-8, without content encoding.', HttpStatus.UNSUPPORTED_MEDIA_TYPE),
  notUtf8Csv: () => new HttpException('The request body must be CSV in UTF-8, without content encoding.', HttpStatus.UNSUPPORTED_MEDIA_TYPE),
  notUtf8Text: () => new BadRequestException('The CSV is not valid UTF-8: save it as "CSV UTF-8".'),
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Whether the request carries a body at all (a declared length above 0, or a chunked one). */
export function hasBody(headers: IncomingHttpHeaders): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}

/** A declared length over the limit: refused before a byte of the body is read. */
export function declaresTooLargeBody(headers: IncomingHttpHeaders, limitBytes = JSON_BODY_LIMIT_BYTES): boolean {
  return Number(headers['content-length'] ?? 0) > limitBytes;
}

/**
 * Reads the body as JSON: UTF-8 only (never "repaired"), at most JSON_BODY_LIMIT_BYTES — a body that passes the
 * limit is cut off there, nothing more is read — at most JSON_MAX_DEPTH deep, and with no string PostgreSQL could
 * not store. `done` is called once. Under a `policy` that allows CSV, a text/csv body is read as a UTF-8 string
 * (without NUL characters, which PostgreSQL cannot store).
 */
export function readJsonBody(req: IncomingMessage, done: (error: unknown, body?: unknown) => void, policy: BodyPolicy = DEFAULT_BODY): void {
  const type = mediaTypeOf(req.headers, policy);
  if (type instanceof HttpException) return done(type);
  const chunks: Buffer[] = [];
  let size = 0;
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size <= policy.limitBytes) return void chunks.push(chunk);
    stop();
    req.pause();
    done(bodyErrors.tooLarge(policy.limitBytes));
  };
  const onError = (error: unknown) => {
    stop();
    done(error);
  };
  const onEnd = () => {
    stop();
    let text: string;
    try {
      text = utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    } catch {
      return done(type === 'csv' ? bodyErrors.notUtf8Text() : bodyErrors.notJson());
    }
    if (type === 'csv') return text.includes('\u0000') ? done(bodyErrors.unstorableText()) : done(null, text);
    const problem = jsonTextProblem(text);
    if (problem) return done(problem);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(bodyErrors.notJson());
    }
  };
  const stop = () => {
    req.off('data', onData);
    req.off('error', onError);
    req.off('end', onEnd);
  };
  req.on('data', onData);
  req.on('error', onError);
  req.on('end', onEnd);
}

/** The body's kind, or why it is refused: JSON, or CSV where the policy allows it, in UTF-8 without content encoding. */
function mediaTypeOf(headers: IncomingHttpHeaders, policy: BodyPolicy): 'json' | 'csv' | HttpException {
  const [mediaType, ...parameters] = (headers['content-type'] ?? '').split(';').map((part) => part.trim().toLowerCase());
  const type = mediaType === 'application/json' ? 'json' : policy.csv && mediaType === 'text/csv' ? 'csv' : null;
  if (!type) return policy.csv ? bodyErrors.notJsonOrCsvType() : bodyErrors.notJsonType();
  const charset = parameters
    .find((parameter) => parameter.startsWith('charset='))
    ?.slice(8)
    .replace(/"/g, '');
  const encoding = headers['content-encoding'];
  if ((charset && charset !== 'utf-8') || (encoding && encoding !== 'identity')) return type === 'csv' ? bodyErrors.notUtf8Csv() : bodyErrors.notUtf8Json();
  return type;
}

const BACKSLASH = 0x5c;
const QUOTE = 0x22;

/**
 * One pass over the JSON text, before JSON.parse, for what the parser would accept but Keyring must not: nesting
 * deeper than JSON_MAX_DEPTH, and `\u0000` or a lone surrogate escape (raw ones cannot come through the strict
 * UTF-8 decoding), which PostgreSQL refuses in text and jsonb. Syntax errors are left to JSON.parse.
 */
export function jsonTextProblem(text: string): HttpException | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === QUOTE) inString = false;
      else if (code === BACKSLASH) {
        const skip = text.charCodeAt(i + 1) === 0x75 /* u */ ? unicodeEscapeLength(text, i) : 1;
        if (skip === null) return bodyErrors.unstorableText();
        i += skip;
      }
    } else if (code === QUOTE) inString = true;
    else if (code === 0x5b /* [ */ || code === 0x7b /* { */) {
      if (++depth > JSON_MAX_DEPTH) return bodyErrors.tooDeep();
    } else if (code === 0x5d /* ] */ || code === 0x7d /* } */) depth -= 1;
  }
  return null;
}

/**
 * For the `\uXXXX` escape at `at`, how many characters after the backslash it spans (a surrogate pair is two
 * escapes), or null when it is NUL or half of a surrogate pair.
 */
function unicodeEscapeLength(text: string, at: number): number | null {
  const unit = parseInt(text.slice(at + 2, at + 6), 16);
  if (unit === 0 || isLowSurrogate(unit)) return null;
  if (!isHighSurrogate(unit)) return 5;
  const paired = text.charCodeAt(at + 6) === BACKSLASH && text.charCodeAt(at + 7) === 0x75 && isLowSurrogate(parseInt(text.slice(at + 8, at + 12), 16));
  return paired ? 11 : null;
}

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;
