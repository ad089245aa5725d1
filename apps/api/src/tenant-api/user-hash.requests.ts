import { userIdentifierProblem } from '../common/validation/user-identifier';
import { validationProblem } from '../common/validation/validation.pipe';

/*
 * The bodies of the user-hash routes, checked by hand because those routes run before Nest's validation pipe
 * (see LeanRoute). Same rules and words as the DTOs elsewhere: unknown fields refused, one message per field.
 */

export const USER_HASH_BATCH_MAX = 1000;
const USER_HASH_MAX_LENGTH = 8192;

export function parseIssueRequest(body: unknown): string {
  const { userIdentifier } = fields(body, ['userIdentifier']);
  const problem = userIdentifierProblem(userIdentifier);
  if (problem) throw validationProblem([{ field: 'userIdentifier', message: problem }]);
  return userIdentifier as string;
}

/** `perMinute`: the API key's rate limit; a larger batch could never be served, so it is refused as such. */
export function parseBatchRequest(body: unknown, perMinute: number): string[] {
  const { userIdentifiers } = fields(body, ['userIdentifiers']);
  const problem = batchProblem(userIdentifiers, perMinute);
  if (problem) throw validationProblem([{ field: 'userIdentifiers', message: problem }]);
  return userIdentifiers as string[];
}

export function parseVerifyRequest(body: unknown): string {
  const { userHash } = fields(body, ['userHash']);
  const problem =
    typeof userHash !== 'string'
      ? 'userHash must be a string'
      : userHash.length > USER_HASH_MAX_LENGTH
        ? `userHash must have at most ${USER_HASH_MAX_LENGTH} characters`
        : null;
  if (problem) throw validationProblem([{ field: 'userHash', message: problem }]);
  return userHash as string;
}

function batchProblem(value: unknown, perMinute: number): string | null {
  if (!Array.isArray(value)) return 'userIdentifiers must be a list';
  if (value.length < 1) return 'userIdentifiers must hold at least 1 identifier';
  if (value.length > USER_HASH_BATCH_MAX) return `userIdentifiers must hold at most ${USER_HASH_BATCH_MAX} identifiers`;
  if (value.length > perMinute) {
    return `userIdentifiers must hold at most ${perMinute} identifiers: the largest batch this API key's limit of ${perMinute} userHashes a minute allows`;
  }
  // The first bad identifier, by its position, so the caller can find it.
  for (const [index, item] of value.entries()) {
    const problem = userIdentifierProblem(item);
    if (problem) return `userIdentifiers[${index}]: ${problem}`;
  }
  return null;
}

function fields(body: unknown, allowed: string[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw validationProblem([{ field: '', message: 'The request body must be a JSON object.' }]);
  }
  const unknown = Object.keys(body).filter((name) => !allowed.includes(name));
  if (unknown.length > 0) throw validationProblem(unknown.map((field) => ({ field, message: `property ${field} should not exist` })));
  return body as Record<string, unknown>;
}
