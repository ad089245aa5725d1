import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { problemFor } from './problem-document';

/** Turns every error a Nest route throws into `application/problem+json` (see problemFor), logging the unexpected. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const requestId = String(request.id ?? '');
    const problem = problemFor(exception, requestId, request.originalUrl ?? request.url);
    if (problem.unexpected) this.logger.error({ err: exception, requestId }, 'Unhandled error');
    if (response.headersSent) return;
    response.set(problem.headers);
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem.body));
  }
}
