import type { NestExpressApplication } from '@nestjs/platform-express';
import { UserHashRoutes } from '../src/tenant-api/user-hash.routes';

/**
 * Every route the running app answers, as `METHOD /pattern`: Nest's, read from the Express router, and the
 * tenant API's lean routes. Catch-alls (registered for every HTTP method) are listed as `ALL /pattern`.
 */
export function routesOf(app: NestExpressApplication): string[] {
  const express = app.getHttpAdapter().getInstance();
  const nest = (express.router ?? express._router).stack
    .filter((layer: { route?: unknown }) => layer.route)
    .flatMap((layer: { route: { path: string; methods: Record<string, boolean> } }) => {
      const methods = Object.keys(layer.route.methods);
      return methods.length > 10 ? [`ALL ${layer.route.path}`] : methods.map((method) => `${method.toUpperCase()} ${layer.route.path}`);
    });
  const lean = app.get(UserHashRoutes).routes.map((route) => `${route.method} ${route.pattern}`);
  return [...new Set([...nest, ...lean])];
}
