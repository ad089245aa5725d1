import { HttpException, HttpStatus } from '@nestjs/common';
import type { FieldError, ProblemDetails } from '@keyring/contracts';
import { STATUS_CODES } from 'node:http';
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { DomainError } from './domain-error';

/** What a thrown HttpException may carry to shape its problem document. */
export interface ProblemOverrides {
  type?: string;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export interface Problem {
  status: number;
  body: ProblemDetails & Record<string, unknown>;
  headers: Record<string, string>;
  /** True when the error was not one we raised on purpose: the caller logs it, the response reveals nothing. */
  unexpected: boolean;
}

/**
 * The RFC 9457 document for any error. Domain errors and HTTP errors keep their status and message; anything
 * else is a 500 that names only the request id. Used by the Nest filter and by the tenant API's lean routes.
 */
export function problemFor(exception: unknown, requestId: string, url: string): Problem {
  const { status, overrides, headers, unexpected } = describe(exception, requestId);
  const title = STATUS_CODES[status] ?? 'Error';
  return {
    status,
    headers,
    unexpected,
    body: { type: 'about:blank', title, status, detail: title, ...overrides, instance: url.split('?')[0], requestId },
  };
}

function describe(exception: unknown, requestId: string) {
  if (exception instanceof DomainError) {
    return {
      status: exception.status,
      overrides: { type: `urn:keyring:problem:${exception.code}`, detail: exception.message, ...exception.extensions } as ProblemOverrides,
      headers: exception.headers,
      unexpected: false,
    };
  }
  if (exception instanceof HttpException) {
    return { status: exception.getStatus(), overrides: overridesOf(exception.getResponse()), headers: {}, unexpected: false };
  }
  if (isDatabaseUnreachable(exception)) {
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      overrides: {
        type: 'urn:keyring:problem:database-unavailable',
        detail: 'The database cannot be reached right now; retry in a few seconds.',
      } as ProblemOverrides,
      headers: { 'Retry-After': '5' },
      unexpected: false,
    };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    overrides: { detail: `An unexpected error occurred. Quote request id ${requestId} when reporting it.` } as ProblemOverrides,
    headers: {},
    unexpected: true,
  };
}

/** Socket errors and PostgreSQL's "connection" and "operator intervention" classes (08, 57P): the database is away. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
// pg's words for a connection that died or was closed under a query ("Client was closed": the pool ended it meanwhile).
const UNREACHABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|Connection is not established/i;

function isDatabaseUnreachable(error: unknown): boolean {
  // TypeORM releases a transaction's query runner the moment its connection reports an error, so the transaction's
  // next query fails with one of these instead of a socket error. Keyring never queries through a runner it released.
  if (error instanceof QueryRunnerAlreadyReleasedError || error instanceof QueryRunnerProviderAlreadyReleasedError) return true;
  const { code, message, driverError } = (error ?? {}) as { code?: unknown; message?: unknown; driverError?: unknown };
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  if (typeof message === 'string' && UNREACHABLE_MESSAGES.test(message)) return true;
  return driverError !== undefined && driverError !== error && isDatabaseUnreachable(driverError);
}

function overridesOf(body: string | object): ProblemOverrides {
  if (typeof body === 'string') return { detail: body };
  // Nest's own exceptions carry { message, error, statusCode }; ours carry ProblemOverrides.
  const { message, error: _error, statusCode: _statusCode, ...rest } = body as Record<string, unknown>;
  const overrides: ProblemOverrides = { ...rest };
  if (overrides.detail === undefined) {
    if (typeof message === 'string') overrides.detail = message;
    else if (Array.isArray(message)) overrides.detail = message.join('; ');
  }
  return overrides;
}
