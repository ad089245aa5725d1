import type { EntityManager } from 'typeorm';
import type { ChainedEvent } from './audit-chain';

/**
 * What a layer above wants to hear of each audit event and checkpoint, inside the transaction that writes it, so
 * that whatever it writes in turn (the webhooks' outbox) commits or rolls back with the change itself. Declared
 * here, provided by webhooks/ and bound in app.module; absent in the CLI.
 */
export abstract class AuditObserver {
  abstract eventRecorded(manager: EntityManager, event: ChainedEvent): Promise<void>;
  abstract checkpointKept(manager: EntityManager, checkpoint: { organizationId: string; seq: number; hash: string; jws: string }): Promise<void>;
}
