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

/** The other way: an exported event as stored (the export leaves out the organization, which the checkpoints name). */
export function storedAuditEvent(event: AuditEvent, organizationId: string | null): StoredAuditEvent {
  return {
    organizationId,
    seq: event.seq,
    occurredAt: new Date(event.occurredAt),
    actorType: event.actor.type,
    actorId: event.actor.id,
    actorLabel: event.actor.label,
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
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
