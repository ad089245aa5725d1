import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { systemContext } from '../access/request-context';
import { AuditWriter, type AuditRecord } from '../audit/audit-writer.service';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';
import { RotationDueWidgets } from '../custody/rotation-due';
import { ExpiringApiKeys } from '../tenant-api/expiring-api-keys';

/** Held for the job's transaction: one instance sends reminders at a time, the others skip that round. */
const REMINDERS_LOCK = 'webhook-reminders';

/**
 * Reminders, every `reminderSeconds` (hourly by default) and at start: `secret.rotation_due` for each live widget
 * whose active secret is past its organization's rotation policy, once per widget version, and `api_key.expiring`
 * for each live key that expires within 7 days, once per key. Each is an audit event by the system (so it is in
 * the audit log, and the webhook outbox fans it out in the same transaction); `reminders_sent` remembers what was
 * sent, in that transaction too, so a round that fails sends nothing and the next one sends it.
 */
@Injectable()
export class Reminders implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reminders');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditWriter,
    private readonly rotationDue: RotationDueWidgets,
    private readonly expiringKeys: ExpiringApiKeys,
    @Inject(KEYRING_CONFIG) private readonly config: KeyringConfig,
  ) {}

  onApplicationBootstrap(): void {
    const run = () => void this.run().catch((error: unknown) => this.logger.error({ err: error }, 'Reminders failed'));
    this.timer = setInterval(run, this.config.reminderSeconds * 1000);
    this.timer.unref();
    run();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One round: how many reminders were sent, or false when another instance holds the lock. */
  async run(): Promise<number | false> {
    return this.db.transaction(async (manager) => {
      const [{ locked }] = await manager.query<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [REMINDERS_LOCK]);
      if (!locked) return false;
      let sent = 0;
      for (const widget of await this.rotationDue.list(manager)) {
        const remind = this.remindOnce(manager, `rotation_due:${widget.widgetId}:${widget.version}`, {
          organizationId: widget.organizationId,
          action: 'secret.rotation_due',
          target: { type: 'widget', id: widget.widgetId },
          tenantId: widget.tenantId,
          details: { widgetName: widget.widgetName, version: widget.version, activatedAt: new Date(widget.activatedAt).toISOString(), rotationMaxAgeDays: widget.rotationMaxAgeDays },
        });
        if (await remind) sent += 1;
      }
      for (const key of await this.expiringKeys.list(manager)) {
        const remind = this.remindOnce(manager, `api_key_expiring:${key.id}`, {
          organizationId: key.organizationId,
          action: 'api_key.expiring',
          target: { type: 'api_key', id: key.id },
          tenantId: key.tenantId,
          details: { name: key.name, prefix: key.prefix, expiresAt: new Date(key.expiresAt).toISOString() },
        });
        if (await remind) sent += 1;
      }
      return sent;
    });
  }

  private async remindOnce(manager: EntityManager, subject: string, record: AuditRecord): Promise<boolean> {
    const [fresh] = await manager.query<{ subject: string }[]>('INSERT INTO reminders_sent (subject) VALUES ($1) ON CONFLICT DO NOTHING RETURNING subject', [subject]);
    if (!fresh) return false;
    await this.audit.record(manager, systemContext(), record);
    return true;
  }
}
