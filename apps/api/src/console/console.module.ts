import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ExpressAdapter } from '@nestjs/platform-express';
import type { Express, NextFunction, Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CONSOLE_DIR = Symbol('CONSOLE_DIR');

/** Paths the console's SPA fallback leaves to the API, so that an unknown API route is a JSON 404. */
const NOT_CONSOLE_PATHS = ['/healthz', '/readyz', '/metrics', '/.well-known/keyring-audit-keys.json'];
const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/') || NOT_CONSOLE_PATHS.includes(path);

export function hasBuiltConsole(consoleDir: string): boolean {
  return existsSync(join(consoleDir, 'index.html'));
}

/**
 * The CSP sources (`'sha256-…'`) of the inline scripts of the built console's index.html, so that the policy allows
 * exactly those and no other inline script. The production build has none today; this keeps the policy right if a
 * build option adds one.
 */
export function inlineScriptHashes(consoleDir: string): string[] {
  if (!hasBuiltConsole(consoleDir)) return [];
  const html = readFileSync(join(consoleDir, 'index.html'), 'utf8');
  return [...html.matchAll(/<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi)].map(
    ([, code]) => `'sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}'`,
  );
}

/** Seconds between the placeholder page's reloads. */
const RELOAD_SECONDS = 5;

/**
 * What `/` shows while there is no built console: `npm start` serves the API at once and builds the console
 * beside it. Plain HTML, no script or inline style (the Content-Security-Policy allows neither).
 */
export const CONSOLE_BEING_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="${RELOAD_SECONDS}">
<title>Keyring: the console is being built</title>
</head>
<body>
<h1>The console is being built</h1>
<p>This page reloads itself every ${RELOAD_SECONDS} seconds and becomes the console when the build is done.
The API already answers under <code>/api/v1</code> (reference: <a href="/api/docs">/api/docs</a>).</p>
<p>Nothing is building it? Run <code>npx nx build admin</code>, or <code>npm start</code>.</p>
</body>
</html>
`;

/**
 * Serves the built admin console at `/`, with `index.html` for client-side routes. The folder is looked at on each
 * request rather than once at start-up, so that a server started before the console build finished switches to
 * the console by itself; until then, `/` answers 503 with a page that says the console is being built.
 */
@Module({})
export class ConsoleModule implements OnModuleInit {
  static register(consoleDir: string): DynamicModule {
    return { module: ConsoleModule, providers: [{ provide: CONSOLE_DIR, useValue: consoleDir }] };
  }

  constructor(
    private readonly adapterHost: HttpAdapterHost<ExpressAdapter>,
    @Inject(CONSOLE_DIR) private readonly consoleDir: string,
  ) {}

  /** Runs after Nest has mounted its routes and before its 404 handler, so the API keeps precedence. */
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    adapter.useStaticAssets(this.consoleDir, { index: false });
    // A middleware rather than a route: the console is not part of the API's route list (matrix, OpenAPI, fuzz).
    adapter.getInstance<Express>().use((request: Request, response: Response, next: NextFunction) => {
      if (!['GET', 'HEAD'].includes(request.method) || isApiPath(request.path)) return next();
      if (!hasBuiltConsole(this.consoleDir)) return sendBeingBuilt(response);
      // A rebuild may remove index.html between the check and the read.
      response.sendFile(join(this.consoleDir, 'index.html'), (error) => {
        if (error && !response.headersSent) sendBeingBuilt(response);
      });
    });
  }
}

function sendBeingBuilt(response: Response): void {
  response.status(503).set('Retry-After', String(RELOAD_SECONDS)).type('html').send(CONSOLE_BEING_BUILT_PAGE);
}
