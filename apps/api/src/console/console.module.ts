import { DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Paths the console's SPA fallback must leave to the API, so an unknown API route is a JSON 404. */
export const NOT_CONSOLE_PATHS = ['/api{/*path}', '/healthz', '/readyz', '/metrics', '/.well-known/keyring-audit-keys.json'];

export function hasBuiltConsole(consoleDir: string): boolean {
  return existsSync(join(consoleDir, 'index.html'));
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
