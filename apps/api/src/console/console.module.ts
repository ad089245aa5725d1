import { DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Paths the console's SPA fallback must leave to the API, so an unknown API route is a JSON 404. */
export const NOT_CONSOLE_PATHS = ['/api{/*path}', '/healthz', '/readyz', '/metrics'];

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

/** Serves the built admin console at `/`, with `index.html` for client-side routes; nothing when it is not built. */
@Module({})
export class ConsoleModule {
  static register(consoleDir: string): DynamicModule {
    if (!hasBuiltConsole(consoleDir)) return { module: ConsoleModule };
    return {
      module: ConsoleModule,
      imports: [ServeStaticModule.forRoot({ rootPath: consoleDir, exclude: NOT_CONSOLE_PATHS })],
    };
  }
}
