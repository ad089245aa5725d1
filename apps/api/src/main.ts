import pino from 'pino';
import { createKeyringApp } from './app/create-app';
import { startBanner } from './app/start-banner';
import { hasBuiltConsole } from './console/console.module';
import { ConfigError, loadConfig } from './config/keyring-config';
import { resolveMasterKeys } from './crypto/master-keys';
import { drainAndClose } from './health/lifecycle';
import { SetupService } from './setup/setup.service';
import { MetricsServer } from './metrics/metrics-server';
import { startEmbeddedPostgres } from './database/embedded-postgres';

async function main(): Promise<void> {
  const startedAt = performance.now();
  const config = loadConfig();
  // On a terminal the log is written synchronously, so that the banner printed at the end comes after it.
  const logger = pino({ level: config.logLevel }, pino.destination({ dest: 1, sync: Boolean(process.stdout.isTTY) }));

  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: config.dataDir,
        port: config.embeddedPostgresPort,
        database: 'keyring',
        persistent: true,
        log: (line) => logger.debug({ component: 'embedded-postgres' }, line),
      });
  if (embedded) logger.info(`Using the embedded PostgreSQL on port ${config.embeddedPostgresPort} (data in ${config.dataDir})`);

  if (!hasBuiltConsole(config.consoleDir)) {
    logger.warn(`No built console in ${config.consoleDir} yet; / says so until it is there (\`npx nx build admin\`).`);
  }
  const masterKeys = await resolveMasterKeys(config, (message) => logger.warn(message));
  const app = await createKeyringApp({
    config,
    databaseUrl: config.databaseUrl ?? embedded!.url,
    migrationDatabaseUrl: config.databaseMigrationUrl ?? embedded?.ownerUrl,
    logger,
    masterKeys,
  });
  if (config.listenAddress) await app.listen(config.port, config.listenAddress);
  else await app.listen(config.port);
  const metrics = app.get(MetricsServer).address();
  logger.info(`Metrics at http://${metrics.address}:${metrics.port}/metrics`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received, stopping`);
    await drainAndClose(app, config.shutdownGraceSeconds * 1000).catch((error) => logger.error({ err: error }, 'Error while stopping the app'));
    await embedded?.stop().catch((error) => logger.error({ err: error }, 'Error while stopping PostgreSQL'));
    process.exit(0);
  };
  // Importing embedded-postgres hooks SIGTERM and SIGINT (async-exit-hook) to exit at once: that would cut the
  // graceful stop short — requests in flight reset, usage not flushed. Keyring stops its embedded PostgreSQL itself.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.removeAllListeners(signal);
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  logger.info({ port: config.port, startupSeconds: Number(seconds) }, 'Keyring is ready');
  // A few plain lines for the person who typed `npm start`, after the JSON of the start; only on a terminal, so
  // that a log collector reads nothing but JSON.
  if (process.stdout.isTTY) {
    const setup = app.get(SetupService);
    const url = `http://localhost:${config.port}`;
    process.stdout.write(startBanner({ url, seconds, setupRequired: await setup.isRequired(), setupToken: setup.generatedToken }));
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Keyring could not start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
