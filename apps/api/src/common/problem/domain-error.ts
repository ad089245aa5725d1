/**
 * Base of each feature's error type. A feature declares its codes as an enum and maps every one of them to an
 * HTTP status in a `Record<Code, number>`, so a code without a status does not compile. The problem filter turns
 * it into `urn:keyring:problem:<code>` with the message as detail: messages are written for the caller to read.
 */
export abstract class DomainError<Code extends string = string> extends Error {
  abstract readonly status: number;

  constructor(
    readonly code: Code,
    message: string,
    /** Extra members of the problem document (e.g. `retryAfterSeconds`). */
    readonly extensions: Record<string, unknown> = {},
    /** Response headers that go with the problem (e.g. `Retry-After`). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}
