import type { AuditEvent } from '@keyring/contracts';
import { iso } from '../common/http/iso';
import type { StoredAuditEvent } from './audit.repository';

/** The stored event as the libs/contracts type: the list, the NDJSON export and the CSV export all answer this. */
export function toAuditEvent(event: StoredAuditEvent): AuditEvent {
  return {
    seq: event.seq,
    occurredAt: iso(event.occurredAt),
    actor: { type: event.actorType, id: event.actorId, label: event.actorLabel },
    action: event.action,
    // Always an object, as the console reads `target.type` of every row; both null for an event about no object.
    target: { type: event.targetType, id: event.targetId },
    tenantId: event.tenantId,
    ip: event.ip,
    userAgent: event.userAgent,
    requestId: event.requestId,
    outcome: event.outcome,
    details: event.details,
    prevHash: event.prevHash,
    keyId: event.keyId,
    hash: event.hash,
  };
}
