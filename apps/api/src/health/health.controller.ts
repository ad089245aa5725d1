import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Public } from '../access/access.decorators';
import { Lifecycle } from './lifecycle';

/** Liveness and readiness for load balancers and orchestrators; outside `/api/v1` by convention. */
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lifecycle: Lifecycle,
  ) {}

  /** The process is up and answering. Says nothing about the database, so a database outage does not restart it. */
  @Get('healthz')
  healthz() {
    return { status: 'ok' };
  }

  /** Ready for traffic: not shutting down, the database answers and every migration is applied. */
  @Get('readyz')
  async readyz() {
    if (this.lifecycle.draining) {
      throw new ServiceUnavailableException({ detail: 'Not ready: this instance is shutting down.', checks: { draining: true } });
    }
    const database = await this.dataSource
      .query('SELECT 1')
      .then(() => 'up' as const)
      .catch(() => 'down' as const);
    const migrations =
      database === 'up'
        ? await this.dataSource
            .showMigrations()
            .then((pending) => (pending ? ('pending' as const) : ('applied' as const)))
            .catch(() => 'unknown' as const)
        : ('unknown' as const);
    const checks = { database, migrations };
    if (database !== 'up' || migrations !== 'applied') {
      throw new ServiceUnavailableException({
        detail: `Not ready: database ${database}, migrations ${migrations}.`,
        checks,
      });
    }
    return { status: 'ready', checks };
  }
}
