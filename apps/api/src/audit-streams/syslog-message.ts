import type { AuditEvent } from '@keyring/contracts';
import { hostname } from 'node:os';
import { checkpointLine, ndjsonLine } from '../audit/audit-export';

/** What a stream sends, in chain order: events, and the signed checkpoints kept along the chain. */
export type FeedItem =
  | { type: 'event'; organizationId: string; event: AuditEvent }
  | { type: 'checkpoint'; organizationId: string; seq: number; issuedAt: string; jws: string };

/** RFC 5424 facility 13, "log audit". */
const LOG_AUDIT = 13;
const INFORMATIONAL = 6;
const NOTICE = 5;
/**
 * Keyring's own SD-ID. 32473 is the private enterprise number RFC 5612 reserves for examples and documentation;
 * receivers match on the SD-ID as a whole.
 */
const SD_ID = 'keyring@32473';
/** RFC 5424 §6.4: MSG in UTF-8 starts with a byte order mark. */
const BOM = '\ufeff';

/** HOSTNAME is at most 255 printable US-ASCII characters (§6.2.4), the rest of the header fields 48 or 32. */
const HOST = printable(hostname(), 255);

/**
 * One audit event or checkpoint as an RFC 5424 syslog message: PRI (log audit; notice for a refused or failed
 * action, informational otherwise), VERSION 1, the event's own time, HOSTNAME, APP-NAME `keyring`, PROCID, MSGID
 * `audit` or `checkpoint`, STRUCTURED-DATA naming the organization and seq, and MSG the line the NDJSON export
 * holds (the event as JSON, or `{"checkpoint": jws}`), so that a receiver's copy verifies with `audit-verify`.
 */
export function syslogMessage(item: FeedItem): string {
  const [severity, time, msgId, params, line] =
    item.type === 'event'
      ? [
          item.event.outcome === 'success' ? INFORMATIONAL : NOTICE,
          item.event.occurredAt,
          'audit',
          { org: item.organizationId, seq: String(item.event.seq), action: item.event.action, outcome: item.event.outcome },
          ndjsonLine(item.event),
        ]
      : [INFORMATIONAL, item.issuedAt, 'checkpoint', { org: item.organizationId, seq: String(item.seq) }, checkpointLine(item.jws)];
  const data = Object.entries(params)
    .map(([name, value]) => ` ${name}="${sdValue(value)}"`)
    .join('');
  return `<${LOG_AUDIT * 8 + severity}>1 ${time} ${HOST} keyring ${process.pid} ${msgId} [${SD_ID}${data}] ${BOM}${line.trimEnd()}`;
}

/** RFC 6587 octet counting: the message's length in octets, a space, the message. */
export function octetCounted(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}

/** §6.3.3: `"`, `\` and `]` are escaped in a PARAM-VALUE. */
function sdValue(value: string): string {
  return value.replace(/["\\\]]/g, '\\$&');
}

function printable(text: string, max: number): string {
  const ascii = text.replace(/[^\x21-\x7e]/g, '');
  return ascii.slice(0, max) || '-';
}
