import type { AuditEvent } from '@keyring/contracts';

/**
 * One line of the NDJSON export, and of every copy of the log that leaves Keyring (audit streams): the event as the
 * API answers it, which the offline verifier (`audit-verify --export`) reads back.
 */
export function ndjsonLine(event: AuditEvent): string {
  return `${JSON.stringify(event)}\n`;
}

/** A signed checkpoint as a line of such a copy, told apart from an event by having no `seq`. */
export function checkpointLine(jws: string): string {
  return `${JSON.stringify({ checkpoint: jws })}\n`;
}

/** A line of an NDJSON copy of the log: an event, or a checkpoint (a compact JWS) sent among the events. */
export function parseNdjsonLine(line: string): { event: AuditEvent } | { checkpoint: string } {
  const parsed = JSON.parse(line) as AuditEvent | { checkpoint?: unknown };
  if ('checkpoint' in parsed && typeof parsed.checkpoint === 'string') return { checkpoint: parsed.checkpoint };
  return { event: parsed as AuditEvent };
}

export const CSV_HEADER = [
  'seq', 'occurredAt', 'actorType', 'actorId', 'actorLabel', 'action', 'targetType', 'targetId', 'tenantId',
  'ip', 'userAgent', 'requestId', 'outcome', 'details', 'prevHash', 'hash',
];

export function csvLine(event: AuditEvent): string {
  return [
    event.seq,
    event.occurredAt,
    event.actor.type,
    event.actor.id,
    event.actor.label,
    event.action,
    event.target.type,
    event.target.id,
    event.tenantId,
    event.ip,
    event.userAgent,
    event.requestId,
    event.outcome,
    JSON.stringify(event.details),
    event.prevHash,
    event.hash,
  ]
    .map(csvCell)
    .join(',');
}

/** RFC 4180 quoting, and a leading `'` on text a spreadsheet would run as a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
