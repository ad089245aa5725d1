import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { jsonBody } from '../common/http/json-body.middleware';
import { withLeanRoutes, type LeanObserver } from '../common/http/lean-routes';
import { assignRequestId } from '../common/http/request-id.middleware';
import { createValidationPipe } from '../common/validation/validation.pipe';
import { runMigrations } from '../database/data-source';
import { serveApiDocs } from '../docs/openapi';
import { Metrics } from '../metrics/metrics';
import { UserHashRoutes } from '../tenant-api/user-hash.routes';
import { AppModule, AppOptions } from './app.module';

export const API_PREFIX = 'api/v1';

/**
 * Builds the whole Keyring HTTP app, with migrations applied, ready to `listen`. `main.ts` and the integration
 * tests both use it, so the tests exercise exactly what runs in production.
 */
export async function createKeyringApp(options: AppOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(options), {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false, // registered below, after the request id
  });
  app.useLogger(app.get(PinoNestLogger));
  app.disable('x-powered-by');
  if (options.config.trustProxy !== undefined) app.set('trust proxy', options.config.trustProxy);
  const metrics = app.get(Metrics);
  app.use(assignRequestId);
  app.use(metrics.expressMiddleware);
  app.use(jsonBody());
  app.use(cookieParser());
  app.setGlobalPrefix(API_PREFIX, { exclude: ['healthz', 'readyz', 'metrics', '.well-known/keyring-audit-keys.json'] });
  app.useGlobalPipes(createValidationPipe());
  // The user-hash routes answer before Express (see LeanRoute); everything else goes through Nest.
  const server = app.getHttpServer();
  server.removeAllListeners('request');
  const leanRoutes = app.get(UserHashRoutes).routes;
  const observe: LeanObserver = (route, status, seconds) => metrics.observeRequest('POST', route.pattern, status, seconds);
  server.on('request', withLeanRoutes(leanRoutes, app.getHttpAdapter().getInstance(), options.logger, `/${API_PREFIX}/`, observe));
  serveApiDocs(app, leanRoutes);
  const applied = await runMigrations(app.get(DataSource));
  if (applied.length > 0) options.logger.info({ migrations: applied }, `Applied ${applied.length} migration(s)`);
  return app;
}
