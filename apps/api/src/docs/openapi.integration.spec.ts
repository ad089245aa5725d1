import { routesOf } from '../../test/route-list';
import { startTestApp, type TestApp } from '../../test/test-app';

describe('OpenAPI document and Swagger UI (real app)', () => {
  let keyring: TestApp;
  let document: any;

  beforeAll(async () => {
    keyring = await startTestApp();
    const response = await keyring.request('GET', '/api/docs/openapi.json');
    expect(response.status).toBe(200);
    document = response.body;
  });
  afterAll(() => keyring.close());

  it('describes every route of the app (a route missing from the document fails this test)', () => {
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`)),
    );
    // The catch-alls and the documentation itself are not API operations.
    const routes = routesOf(keyring.app).filter((route) => !route.startsWith('ALL ') && !route.includes('/api/docs'));
    expect(routes.filter((route) => !documented.has(route))).toEqual([]);
    expect(routes.length).toBeGreaterThan(45);
  });

  it('has request schemas taken from the validation rules, the error shape and both security schemes', () => {
    const tenantRequest = document.paths['/api/v1/orgs/{orgId}/tenants'].post.requestBody.content['application/json'].schema;
    expect(document.components.schemas[tenantRequest.$ref.split('/').pop()]).toMatchObject({
      properties: { name: { type: 'string', minLength: 1, maxLength: 200 } },
      required: ['name'],
    });
    expect(document.components.schemas.ProblemDetails.required).toEqual(['type', 'title', 'status', 'detail', 'instance', 'requestId']);
    expect(document.components.securitySchemes).toMatchObject({
      session: { type: 'apiKey', in: 'cookie', name: 'keyring_session' },
      csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
      apiKey: { type: 'http', scheme: 'bearer' },
    });
    expect(document.paths['/api/v1/orgs/{orgId}/tenants'].post.security).toEqual([{ session: [], csrf: [] }]);
    expect(document.paths['/api/v1/orgs/{orgId}/tenants'].get.security).toEqual([{ session: [] }]);
    expect(document.paths['/api/v1/auth/login'].post.security).toBeUndefined();
    expect(document.paths['/api/v1/orgs/{orgId}/tenants'].post.responses.default.content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/ProblemDetails' });
  });

  it('documents the tenant API with its API key, limits, errors and examples', () => {
    const issue = document.paths['/api/v1/widgets/{widgetId}/user-hash'].post;
    expect(issue.security).toEqual([{ apiKey: [] }]);
    expect(issue.requestBody.content['application/json'].example).toEqual({ userIdentifier: 'maria@client.example' });
    expect(issue.requestBody.content['application/json'].schema.properties.userIdentifier).toMatchObject({ minLength: 1, maxLength: 512 });
    expect(Object.keys(issue.responses)).toEqual(['200', '400', '401', '403', '404', '409', '429', '503', 'default']);
    expect(document.paths['/api/v1/widgets/{widgetId}/user-hash/batch'].post.requestBody.content['application/json'].schema.properties.userIdentifiers.maxItems).toBe(1000);
  });

  it('serves Swagger UI from this server, with no third-party host', async () => {
    const page = await keyring.request('GET', '/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('swagger-ui');
    // Scripts and styles from this server only (the w3.org URLs in the page are XML namespaces, never fetched).
    expect(page.text).not.toMatch(/(src|href)=["']https?:/);
    expect((await keyring.request('GET', '/api/docs/swagger-ui-bundle.js')).status).toBe(200);
  });
});
