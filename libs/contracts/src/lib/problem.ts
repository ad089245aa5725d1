/** One invalid field of a request body or query, as shown beside that field in the console. */
export interface FieldError {
  /** Dotted path of the field, e.g. `email` or `userIdentifiers.3`. */
  field: string;
  message: string;
}

/** Every API error: RFC 9457 problem details, served as `application/problem+json`. */
export interface ProblemDetails {
  /** `about:blank` for plain HTTP errors, `urn:keyring:problem:<code>` for Keyring's own. */
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request path. */
  instance: string;
  /** Also in the `X-Request-Id` header and on every log line of the request. */
  requestId: string;
  errors?: FieldError[];
}
