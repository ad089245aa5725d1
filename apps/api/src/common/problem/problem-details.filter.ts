import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainError } from './domain-error';
import type { FieldError, ProblemDetails } from '@keyring/contracts';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';

/** What a thrown HttpException may carry to shape its problem document. */
export interface ProblemOverrides {
  type?: string;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/**
 * Turns every error into `application/problem+json`. Domain errors and HTTP errors keep their status and message;
 * anything else is a 500 that names only the request id, with the cause in the log.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const requestId = String(request.id ?? '');
    const { status, overrides, headers } = this.describe(exception, requestId);
    const problem: ProblemDetails & Record<string, unknown> = {
      type: 'about:blank',
      title: STATUS_CODES[status] ?? 'Error',
      status,
      detail: STATUS_CODES[status] ?? 'Error',
      ...overrides,
      instance: request.originalUrl?.split('?')[0] ?? request.url,
      requestId,
    };
    if (response.headersSent) return;
    if (headers) response.set(headers);
    response.status(status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private describe(exception: unknown, requestId: string): { status: number; overrides: ProblemOverrides; headers?: Record<string, string> } {
    if (exception instanceof DomainError) {
      return {
        status: exception.status,
        overrides: { type: `urn:keyring:problem:${exception.code}`, detail: exception.message, ...exception.extensions },
        headers: exception.headers,
      };
    }
    if (exception instanceof HttpException) {
      return { status: exception.getStatus(), overrides: overridesOf(exception.getResponse()) };
    }
    this.logger.error({ err: exception, requestId }, 'Unhandled error');
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      overrides: { detail: `An unexpected error occurred. Quote request id ${requestId} when reporting it.` },
    };
  }
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
