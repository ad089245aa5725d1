import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { edgeListener } from '../common/http/edge';
import { securityHeaders } from '../common/http/security-headers';
import { createValidationPipe } from '../common/validation/validation.pipe';
import { inlineScriptHashes } from '../console/console.module';
import { migrateDatabase } from '../database/data-source';
import { IMPORT_BODY } from '../custody/imports/import-input';
import { serveApiDocs } from '../docs/openapi';
import { Metrics } from '../metrics/metrics';
import { UserHashRoutes } from '../tenant-api/user-hash.routes';
import { AppModule, AppOptions } from './app.module';

export const API_PREFIX = 'api/v1';
/** Slow clients: the headers must be in within this time, the whole request within the next. */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Builds the whole Keyring HTTP app, with migrations applied, ready to `listen`. `main.ts` and the integration
 * tests both use it, so the tests exercise exactly what runs in production.
 */
export async function createKeyringApp(options: AppOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(options), {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false, // bodies are read by the edge listener
  });
  app.useLogger(app.get(PinoNestLogger));
  app.disable('x-powered-by');
  if (options.config.trustProxy !== undefined) app.set('trust proxy', options.config.trustProxy);
  const metrics = app.get(Metrics);
  app.use(metrics.expressMiddleware);
  app.use(cookieParser());
  app.setGlobalPrefix(API_PREFIX, { exclude: ['healthz', 'readyz', 'metrics', '.well-known/keyring-audit-keys.json'] });
  app.useGlobalPipes(createValidationPipe());
  // The edge listener answers first (see edgeListener); the user-hash routes never reach Express.
  const server = app.getHttpServer();
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.removeAllListeners('request');
  const express = app.getHttpAdapter().getInstance();
  const trustProxy = express.get('trust proxy fn') as (address: string | undefined, hop: number) => boolean;
  const leanRoutes = app.get(UserHashRoutes).routes;
  server.on(
    'request',
    edgeListener({
      routes: leanRoutes,
      fallback: express,
      logger: options.logger,
      prefix: `/${API_PREFIX}/`,
      headers: securityHeaders({ production: options.config.nodeEnv === 'production', inlineScriptHashes: inlineScriptHashes(options.config.consoleDir) }),
      trustsPeer: (address) => options.config.trustProxy !== undefined && trustProxy(address, 0),
      observe: (method, route, status, seconds) => metrics.observeRequest(method, route, status, seconds),
      bodyPolicies: [IMPORT_BODY],
    }),
  );
  serveApiDocs(app, leanRoutes);
  const applied = await migrateDatabase(options.migrationDatabaseUrl ?? options.databaseUrl, options.databaseUrl);
  if (applied.length > 0) options.logger.info({ migrations: applied }, `Applied ${applied.length} migration(s)`);
  return app;
}
