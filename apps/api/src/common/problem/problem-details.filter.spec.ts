import { ArgumentsHost, BadRequestException, ConflictException, Logger } from '@nestjs/common';
import { ProblemDetailsFilter } from './problem-details.filter';

/** Runs the filter on one error and returns what it sent. */
function render(exception: unknown) {
  const sent: { status?: number; type?: string; body?: string } = {};
  const response = {
    headersSent: false,
    set() {
      return this;
    },
    status(code: number) {
      sent.status = code;
      return this;
    },
    type(contentType: string) {
      sent.type = contentType;
      return this;
    },
    send(body: string) {
      sent.body = body;
      return this;
    },
  };
  const request = { id: 'req-42', originalUrl: '/api/v1/widgets/7?q=1', url: '/api/v1/widgets/7?q=1' };
  const host = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(exception, host);
  return { status: sent.status, type: sent.type, body: JSON.parse(sent.body!) };
}

describe('ProblemDetailsFilter', () => {
  it('turns an unexpected error into a 500 that reveals nothing but the request id', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const result = render(new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2'));
    expect(result).toEqual({
      status: 500,
      type: 'application/problem+json',
      body: {
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        detail: 'An unexpected error occurred. Quote request id req-42 when reporting it.',
        instance: '/api/v1/widgets/7',
        requestId: 'req-42',
      },
    });
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ requestId: 'req-42' }), 'Unhandled error');
    logged.mockRestore();
  });

  it('keeps the type, detail, field errors and extensions an exception carries', () => {
    const result = render(
      new BadRequestException({
        type: 'urn:keyring:problem:validation',
        detail: 'email must be an email',
        errors: [{ field: 'email', message: 'email must be an email' }],
      }),
    );
    expect(result.status).toBe(400);
    expect(result.body).toEqual({
      type: 'urn:keyring:problem:validation',
      title: 'Bad Request',
      status: 400,
      detail: 'email must be an email',
      errors: [{ field: 'email', message: 'email must be an email' }],
      instance: '/api/v1/widgets/7',
      requestId: 'req-42',
    });
  });

  it("uses the message of Nest's own exceptions as the detail", () => {
    expect(render(new ConflictException('Setup has already been done.')).body).toMatchObject({
      status: 409,
      title: 'Conflict',
      detail: 'Setup has already been done.',
    });
  });
});
