import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject, SchemaObject } from '../common/http/openapi-types';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { UserHashRoute } from '../tenant-api/user-hash.routes';
import { TENANT_API_OPERATIONS } from '../tenant-api/user-hash.openapi';
import contractSchemas from './contract-schemas.json';
import { SUCCESS_BODIES } from './responses';

export const DOCS_PATH = 'api/docs';

const PROBLEM: SchemaObject = {
  type: 'object',
  description: 'RFC 9457 problem details: every error of the API, served as application/problem+json.',
  required: ['type', 'title', 'status', 'detail', 'instance', 'requestId'],
  properties: {
    type: { type: 'string', example: 'urn:keyring:problem:validation', description: '`about:blank` or `urn:keyring:problem:<code>`' },
    title: { type: 'string', example: 'Bad Request' },
    status: { type: 'integer', example: 400 },
    detail: { type: 'string', example: 'name must not be blank', description: 'Written for the caller to read.' },
    instance: { type: 'string', example: '/api/v1/orgs/4f9c…/tenants' },
    requestId: { type: 'string', example: '1c28a655-d2d7-4315-98bc-4bbd0aecadd6', description: 'Also in X-Request-Id and every log line.' },
    errors: {
      type: 'array',
      description: 'For validation errors: one message per invalid field.',
      items: { type: 'object', properties: { field: { type: 'string', example: 'name' }, message: { type: 'string', example: 'name must not be blank' } } },
    },
  },
};

/**
 * The OpenAPI 3 document of the whole API: Nest's routes (request bodies described from their class-validator
 * rules, so the document cannot drift from the validation), the tenant API's lean routes, the error shape, and the
 * two ways in: the session cookie (with X-CSRF-Token on changes) and API keys.
 */
export function openApiDocument(app: INestApplication, leanRoutes: UserHashRoute[]): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Keyring API')
    .setDescription(
      'Custody of Huggy Chat widget secrets: the console uses the session cookie routes; clients\' backends call the tenant API ' +
        'with an API key to get the `userHash` of a signed-in visitor. Errors are application/problem+json (see ProblemDetails).',
    )
    .setVersion('1')
    .addCookieAuth('keyring_session', { type: 'apiKey', in: 'cookie', description: 'Set by POST /api/v1/auth/login (httpOnly, SameSite=Strict).' }, 'session')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'The csrfToken of POST /auth/login or GET /auth/me; required on every change made with the session cookie.' }, 'csrf')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'kr_…', description: 'A Keyring API key (created in the console, shown once).' }, 'apiKey')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // JSON Schema types (e.g. ["string", "null"]) need OpenAPI 3.1.
  document.openapi = '3.1.0';
  const requests = validationMetadatasToSchemas({ refPointerPrefix: '#/components/schemas/' }) as Record<string, SchemaObject>;
  document.components = {
    ...document.components,
    // The generated schemas use JSON Schema's type lists, which @nestjs/swagger's OpenAPI 3.0 typings do not know.
    schemas: { ...document.components?.schemas, ...requests, ...(contractSchemas as unknown as Record<string, SchemaObject>), ProblemDetails: PROBLEM },
  };

  for (const route of leanRoutes) {
    const path = route.pattern.replace(/:(\w+)/g, '{$1}');
    document.paths[path] = { post: TENANT_API_OPERATIONS[route.pattern] };
  }
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item) as [string, OperationObject][]) {
      if (typeof operation !== 'object' || !operation.responses) continue;
      describeSuccess(operation, SUCCESS_BODIES[`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`]);
      operation.responses['default'] ??= { description: 'An error', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } } };
      // Changes made with the session cookie also need the CSRF header.
      if (method !== 'get' && operation.security?.some((requirement: Record<string, string[]>) => 'session' in requirement)) operation.security = [{ session: [], csrf: [] }];
    }
  }
  return document;
}

/** Puts the body's schema under the operation's success status (the one Nest chose: 200, 201 or 204). */
function describeSuccess(operation: OperationObject, body: SchemaObject | null | undefined): void {
  if (!body) return;
  const status = Object.keys(operation.responses).find((code) => code.startsWith('2'));
  if (!status) return;
  const response = operation.responses[status] as { description?: string; content?: Record<string, { schema: SchemaObject }> };
  const type = body.type === 'string' ? 'text/plain' : 'application/json';
  operation.responses[status] = { ...response, description: response.description || 'Done.', content: { [type]: { schema: body } } };
}

/** Serves the document at /api/docs/openapi.json and Swagger UI (from the swagger-ui-dist package, no CDN) at /api/docs. */
export function serveApiDocs(app: INestApplication, leanRoutes: UserHashRoute[]): void {
  SwaggerModule.setup(DOCS_PATH, app, () => openApiDocument(app, leanRoutes), {
    jsonDocumentUrl: `${DOCS_PATH}/openapi.json`,
    yamlDocumentUrl: `${DOCS_PATH}/openapi.yaml`,
    customSiteTitle: 'Keyring API',
  });
}
