import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';
import { Metrics } from './metrics';

/**
 * /metrics on a port of its own (KEYRING_METRICS_PORT, on loopback unless KEYRING_METRICS_HOST says otherwise):
 * the counts say how busy every organization is, so they stay off the port the public reaches.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: Server;

  constructor(
    metrics: Metrics,
    @Inject(KEYRING_CONFIG) private readonly config: KeyringConfig,
  ) {
    this.server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?', 1)[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Only GET /metrics is served here.\n');
        return;
      }
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' }).end(text),
        () => res.writeHead(500).end(),
      );
    });
  }

  /** The address it listens on (for tests, which ask for any free port). */
  address(): AddressInfo {
    return this.server.address() as AddressInfo;
  }

  onApplicationBootstrap(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', (error) => reject(new Error(`KEYRING_METRICS_PORT ${this.config.metricsPort} on ${this.config.metricsHost}: ${error.message}`)));
      this.server.listen(this.config.metricsPort, this.config.metricsHost, resolve);
    });
  }

  onApplicationShutdown(): Promise<void> {
    return new Promise((resolve) => (this.server.listening ? this.server.close(() => resolve()) : resolve()));
  }
}
