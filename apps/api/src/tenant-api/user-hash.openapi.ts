import type { OperationObject } from '../common/http/openapi-types';
import { USER_IDENTIFIER_MAX_LENGTH } from '../common/validation/user-identifier';
import { USER_HASH_BATCH_MAX } from './user-hash.requests';

/** The OpenAPI operations of the lean user-hash routes (Nest's explorer does not see them). */

const WIDGET_ID = { name: 'widgetId', in: 'path' as const, required: true, schema: { type: 'string' as const, format: 'uuid' }, description: 'The widget, as shown in the console.' };
const USER_IDENTIFIER = {
  type: 'string' as const,
  minLength: 1,
  maxLength: USER_IDENTIFIER_MAX_LENGTH,
  description: 'What identifies the visitor in your system (e.g. their email); not only white space, no control characters; never altered.',
  example: 'maria@client.example',
};
const ISSUED = {
  type: 'object' as const,
  required: ['userIdentifier', 'userHash', 'keyVersion'],
  properties: {
    userIdentifier: USER_IDENTIFIER,
    userHash: { type: 'string' as const, description: 'The HS256 JWT for `window.huggyData` or `Huggy.login`.', example: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJtYXJpYUBjbGllbnQuZXhhbXBsZSJ9.5lU0…' },
    keyVersion: { type: 'integer' as const, description: 'The widget secret version that signed it.', example: 3 },
  },
};
const ERRORS = {
  '400': 'The body is not valid (problem+json with `errors` per field).',
  '401': 'The API key is missing, malformed, unknown, expired or revoked.',
  '403': 'The API key lacks the scope.',
  '404': 'No such widget for this API key (other tenant, outside its allow-list, archived, or not a widget id).',
  '409': 'The widget has no secret yet.',
  '429': 'Over the API key\'s rate limit; see Retry-After.',
  '503': 'The database cannot be reached; retry shortly.',
};
const errorResponses = Object.fromEntries(
  Object.entries(ERRORS).map(([status, description]) => [status, { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } } }]),
);

function operation(summary: string, scope: string, request: object, response: object, example: object): OperationObject {
  return {
    tags: ['tenant API'],
    summary,
    description: `Needs an API key with the \`${scope}\` scope. Served from memory: no database work per call once warm.`,
    security: [{ apiKey: [] }],
    parameters: [WIDGET_ID],
    requestBody: { required: true, content: { 'application/json': { schema: request, example } } },
    responses: { '200': { description: 'Done.', content: { 'application/json': { schema: response } } }, ...errorResponses },
  };
}

export const TENANT_API_OPERATIONS: Record<string, OperationObject> = {
  '/api/v1/widgets/:widgetId/user-hash': operation(
    "Sign a visitor's userHash with the widget's active secret",
    'user-hash:issue',
    { type: 'object', required: ['userIdentifier'], additionalProperties: false, properties: { userIdentifier: USER_IDENTIFIER } },
    ISSUED,
    { userIdentifier: 'maria@client.example' },
  ),
  '/api/v1/widgets/:widgetId/user-hash/batch': operation(
    `Sign up to ${USER_HASH_BATCH_MAX} userHashes at once`,
    'user-hash:issue',
    {
      type: 'object',
      required: ['userIdentifiers'],
      additionalProperties: false,
      properties: { userIdentifiers: { type: 'array', minItems: 1, maxItems: USER_HASH_BATCH_MAX, items: USER_IDENTIFIER } },
    },
    { type: 'object', properties: { items: { type: 'array', items: ISSUED } } },
    { userIdentifiers: ['maria@client.example', 'joao@client.example'] },
  ),
  '/api/v1/widgets/:widgetId/user-hash/verify': operation(
    'Check a userHash against the active and the previous secret',
    'user-hash:verify',
    { type: 'object', required: ['userHash'], additionalProperties: false, properties: { userHash: { type: 'string', maxLength: 8192 } } },
    {
      type: 'object',
      required: ['valid'],
      properties: {
        valid: { type: 'boolean' },
        userIdentifier: { type: 'string', description: 'When valid.' },
        keyVersion: { type: 'integer', description: 'When valid: the version that signed it.' },
        reason: { type: 'string', enum: ['malformed', 'algorithm', 'signature', 'claims', 'expired'], description: 'When not valid.' },
      },
    },
    { userHash: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJtYXJpYUBjbGllbnQuZXhhbXBsZSJ9.5lU0…' },
  ),
};
