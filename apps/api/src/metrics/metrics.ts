import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { ChangeFeed } from '../changes/change-feed';
import { RecentRate } from './recent-rate';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * What an operator graphs and alerts on, served at /metrics in Prometheus' format. One registry per app (not
 * prom-client's global one), so that several apps in one process — the tests start two — do not collide.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  /** Requests this instance answered over about the last second: background work yields while it is busy. */
  readonly traffic = new RecentRate();
  private readonly requests = new Counter({
    name: 'keyring_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'keyring_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  // No widget (or organization) label: /metrics is read across organizations, and such series would grow with
  // the number of widgets. Per-widget counts are each organization's own, in its usage API.
  private readonly issued = new Counter({
    name: 'keyring_user_hashes_issued_total',
    help: 'userHashes signed through the tenant API.',
    registers: [this.registry],
  });
  private readonly auditFailures = new Counter({
    name: 'keyring_audit_write_failures_total',
    help: 'Audit events that could not be written (their action was rolled back with them).',
    registers: [this.registry],
  });

  constructor(dataSource: DataSource, changes: ChangeFeed) {
    collectDefaultMetrics({ register: this.registry, prefix: 'keyring_' });
    new Counter({
      name: 'keyring_cache_lookups_total',
      help: 'Look-ups in the in-memory caches (decrypted secrets, API keys), by cache and result.',
      labelNames: ['cache', 'result'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [cache, stats] of changes.caches) {
          this.inc({ cache, result: 'hit' }, stats.hits);
          this.inc({ cache, result: 'miss' }, stats.misses);
        }
      },
    });
    new Counter({
      name: 'keyring_change_feed_reconnects_total',
      help: 'Times the LISTEN/NOTIFY connection was lost and re-established (caches are dropped each time).',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(changes.reconnects);
      },
    });
    new Gauge({
      name: 'keyring_db_pool_connections',
      help: 'Connections of the database pool, by state.',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const pool = (dataSource.driver as unknown as { master?: PgPool }).master;
        if (!pool) return;
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }

  /** Labels from bounded sets only: known methods, route patterns (never raw paths), status codes. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method: KNOWN_METHODS.has(method) ? method : 'other', route, status: String(status) };
    this.requests.inc(labels);
    this.latency.observe(labels, seconds);
    this.traffic.count();
  }

  userHashesIssued(count: number): void {
    this.issued.inc(count);
  }

  auditWriteFailed(): void {
    this.auditFailures.inc();
  }

  /** Express middleware timing every request of the Nest routes, labelled by route pattern (never the raw path). */
  readonly expressMiddleware = (req: Request, res: Response, next: NextFunction): void => {
    const startedAt = performance.now();
    res.once('finish', () => {
      // Express types the matched route as any.
      const pattern = (req.route as { path?: string } | undefined)?.path;
      const route = pattern ? `${req.baseUrl}${pattern}` : 'unmatched';
      this.observeRequest(req.method, route, res.statusCode, (performance.now() - startedAt) / 1000);
    });
    next();
  };
}
