import { DynamicModule, Logger, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Paths the console's SPA fallback must leave to the API, so an unknown API route is a JSON 404. */
export const NOT_CONSOLE_PATHS = ['/api{/*path}', '/healthz', '/readyz', '/metrics'];

/** Serves the built admin console at `/`, with `index.html` for client-side routes. */
@Module({})
export class ConsoleModule {
  static register(consoleDir: string): DynamicModule {
    if (!existsSync(join(consoleDir, 'index.html'))) {
      new Logger('Console').warn(`No built console in ${consoleDir}; serving the API only. Run \`npx nx build admin\`.`);
      return { module: ConsoleModule };
    }
    return {
      module: ConsoleModule,
      imports: [ServeStaticModule.forRoot({ rootPath: consoleDir, exclude: NOT_CONSOLE_PATHS })],
    };
  }
}
