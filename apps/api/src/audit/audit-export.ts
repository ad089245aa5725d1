import type { AuditEvent } from '@keyring/contracts';

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
