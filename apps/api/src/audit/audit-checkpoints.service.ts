import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import type { AuditCheckpoint } from '@keyring/contracts';
import { DataSource } from 'typeorm';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';
import { GENESIS_HASH, legacyDigest, SYSTEM_CHAIN, type StoredAuditEvent } from './audit-chain';
import { keepCheckpoint } from './audit-checkpoint';
import { AuditKeys } from './audit-keys';
import { AuditObserver } from './audit-observer';
import { AuditRepository, EVENT_COLUMNS } from './audit.repository';
import { ChainStateRepository } from './chain-state.repository';

const LEGACY_BATCH = 2000;

/**
 * Signed checkpoints of the audit chains: on demand, for every chain that moved in the last
 * `KEYRING_AUDIT_CHECKPOINT_MINUTES`, and once at start-up over the unkeyed events a chain held before it was keyed
 * (the seal: those events are never rewritten, and verification accepts unkeyed events only up to it).
 */
@Injectable()
export class AuditCheckpoints implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AuditCheckpoints');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: DataSource,
    private readonly keys: AuditKeys,
    private readonly events: AuditRepository,
    private readonly state: ChainStateRepository,
    @Inject(KEYRING_CONFIG) private readonly config: KeyringConfig,
    @Optional() private readonly observer?: AuditObserver,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sealLegacyChains();
    this.timer = setInterval(() => {
      this.checkpointMovedChains().catch((error: unknown) => this.logger.warn(`Periodic audit checkpoints failed: ${(error as Error).message}`));
    }, this.config.auditCheckpointMinutes * 60_000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /**
   * A checkpoint of the organization's chain at its newest event (the one kept there already, if any), and the
   * seal of its unkeyed prefix, which an offline verifier needs to accept those events.
   */
  async checkpoint(routeOrgId: string): Promise<AuditCheckpoint> {
    const organizationId = routeOrgId.toLowerCase();
    const head = (await this.events.head(organizationId)) ?? { seq: 0, hash: GENESIS_HASH };
    const checkpoint = await keepCheckpoint(this.db.manager, this.keys.signer, organizationId, head);
    return { checkpoint, legacySeal: await this.state.seal(organizationId) };
  }

  /** Checkpoints each chain whose newest event is past its newest checkpoint. */
  async checkpointMovedChains(): Promise<number> {
    const moved: { chain: string; seq: number; hash: string }[] = await this.db.query(`
      SELECT chains.chain, head.seq::int AS seq, head.hash
        FROM (SELECT id AS chain FROM organizations UNION ALL SELECT $1::uuid) chains
        CROSS JOIN LATERAL (
          SELECT seq, hash FROM audit_events WHERE COALESCE(organization_id, $1::uuid) = chains.chain
           ORDER BY COALESCE(organization_id, $1::uuid), seq DESC LIMIT 1) head
       WHERE head.seq > COALESCE((SELECT max(seq) FROM audit_checkpoints WHERE chain_id = chains.chain), 0)`,
      [SYSTEM_CHAIN],
    );
    for (const head of moved) {
      // With its webhook events (audit.checkpoint), which commit with it.
      await this.db.transaction(async (manager) => {
        const jws = await keepCheckpoint(manager, this.keys.signer, head.chain, head);
        if (head.chain !== SYSTEM_CHAIN) await this.observer?.checkpointKept(manager, { organizationId: head.chain, seq: head.seq, hash: head.hash, jws });
      });
    }
    return moved.length;
  }

  /** Seals, once, the unkeyed prefix of every chain that has one; instances starting together take turns per chain. */
  private async sealLegacyChains(): Promise<void> {
    const chains: { chain: string }[] = await this.db.query(
      `SELECT chains.chain FROM (SELECT id AS chain FROM organizations UNION ALL SELECT $1::uuid) chains
        WHERE EXISTS (SELECT 1 FROM audit_events WHERE key_id IS NULL AND COALESCE(organization_id, $1::uuid) = chains.chain)
          AND NOT EXISTS (SELECT 1 FROM audit_checkpoints WHERE chain_id = chains.chain AND legacy_digest IS NOT NULL)`,
      [SYSTEM_CHAIN],
    );
    for (const { chain } of chains) {
      await this.db.transaction(async (manager) => {
        await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`audit:${chain}`]);
        const [sealed] = await manager.query<unknown[]>('SELECT 1 FROM audit_checkpoints WHERE chain_id = $1 AND legacy_digest IS NOT NULL', [chain]);
        if (sealed) return;
        let digest = GENESIS_HASH;
        let last: StoredAuditEvent | undefined;
        for (;;) {
          const batch: StoredAuditEvent[] = await manager.query(
            `SELECT ${EVENT_COLUMNS} FROM audit_events
              WHERE COALESCE(organization_id, $1::uuid) = $2::uuid AND key_id IS NULL AND seq > $3
              ORDER BY COALESCE(organization_id, $1::uuid), audit_events.seq LIMIT ${LEGACY_BATCH}`,
            [SYSTEM_CHAIN, chain, last?.seq ?? 0],
          );
          for (const event of batch) digest = legacyDigest(digest, event);
          last = batch.at(-1) ?? last;
          if (batch.length < LEGACY_BATCH) break;
        }
        if (!last) return;
        await keepCheckpoint(manager, this.keys.signer, chain, { seq: last.seq, hash: last.hash }, digest);
        this.logger.log(`Sealed the ${last.seq} unkeyed audit events of chain ${chain} with a signed checkpoint.`);
      });
    }
  }
}
