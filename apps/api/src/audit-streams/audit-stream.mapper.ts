import type { AuditStream } from '@keyring/contracts';
import { iso, isoOrNull } from '../common/http/iso';
import type { AuditStreamRow } from './audit-streams.repository';

/** The stored stream as the libs/contracts type; `headSeq` is the organization's newest event, for the lag. */
export function toAuditStream(row: AuditStreamRow, headSeq: number): AuditStream {
  return {
    id: row.id,
    kind: row.kind,
    url: row.url,
    createdAt: iso(row.createdAt),
    startSeq: row.startSeq,
    deliveredSeq: row.deliveredSeq,
    lastDeliveredAt: isoOrNull(row.lastDeliveredAt),
    lag: Math.max(0, headSeq - row.deliveredSeq),
    lastError: row.lastError,
    lastErrorAt: isoOrNull(row.lastErrorAt),
  };
}
