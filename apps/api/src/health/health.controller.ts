import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Public } from '../access/access.decorators';
import { describeMasterKeyUsage, MasterKeyCoverage, type MasterKeyUsage } from './master-key-usage';
import { Lifecycle } from './lifecycle';

/** Liveness and readiness for load balancers and orchestrators; outside `/api/v1` by convention. */
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lifecycle: Lifecycle,
    private readonly masterKeys: MasterKeyCoverage,
  ) {}

  /** The process is up and answering. Says nothing about the database, so a database outage does not restart it. */
  @Get('healthz')
  healthz() {
    return { status: 'ok' };
  }

  /**
   * Ready for traffic: not shutting down, the database answers, every migration is applied and every master key
   * the stored secrets are under is configured.
   */
  @Get('readyz')
  async readyz() {
    if (this.lifecycle.draining) {
      throw new ServiceUnavailableException({ detail: 'Not ready: this instance is shutting down.', checks: { draining: true } });
    }
    const database = await this.dataSource
      .query<unknown>('SELECT 1')
      .then(() => 'up' as const)
      .catch(() => 'down' as const);
    const migrations =
      database === 'up'
        ? await this.dataSource
            .showMigrations()
            .then((pending) => (pending ? ('pending' as const) : ('applied' as const)))
            .catch(() => 'unknown' as const)
        : ('unknown' as const);
    if (database !== 'up' || migrations !== 'applied') {
      throw new ServiceUnavailableException({
        detail: `Not ready: database ${database}, migrations ${migrations}.`,
        checks: { database, migrations, masterKeys: 'unknown' },
      });
    }
    const missing: MasterKeyUsage[] | undefined = await this.masterKeys.missing().catch(() => undefined);
    const checks = { database, migrations, masterKeys: missing === undefined ? 'unknown' : missing.length ? 'missing' : 'configured' };
    if (missing === undefined || missing.length > 0) {
      throw new ServiceUnavailableException({
        detail: missing
          ? `Not ready: stored secrets are encrypted under master key(s) not configured in KEYRING_MASTER_KEYS: ${describeMasterKeyUsage(missing)}.`
          : 'Not ready: the master keys of the stored secrets could not be checked.',
        checks,
        ...(missing && { missingMasterKeys: missing }),
      });
    }
    return { status: 'ready', checks };
  }
}
