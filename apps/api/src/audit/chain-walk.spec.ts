import { auditEventMac, GENESIS_HASH, type ChainedEvent, type StoredAuditEvent } from './audit-chain';
import { CHAIN_START, ChainWalk } from './chain-walk';

const key = new Uint8Array(32).fill(5);

/** A chain of `count` keyed events, each linked to the one before. */
function chain(count: number): StoredAuditEvent[] {
  const events: StoredAuditEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const event: ChainedEvent = {
      ...{ organizationId: 'org', seq, occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)), actorType: 'system', actorId: null, actorLabel: 'system' },
      ...{ action: 'thing.done', targetType: null, targetId: null, tenantId: null, ip: null, userAgent: null, requestId: null },
      ...{ outcome: 'success', details: { seq }, prevHash, keyId: 'k1' },
    };
    prevHash = auditEventMac(event, key);
    events.push({ ...event, hash: prevHash });
  }
  return events;
}

const walkAll = (events: StoredAuditEvent[], macKey?: (id: string) => Uint8Array | undefined) => {
  const walk = new ChainWalk(CHAIN_START, { seal: null, macKey });
  for (const event of events) {
    const broken = walk.step(event);
    if (broken) return { at: walk.at.seq, broken };
  }
  return { at: walk.at.seq, broken: null };
};

describe('ChainWalk', () => {
  const known = (id: string) => (id === 'k1' ? key : undefined);

  it('accepts a whole chain', () => {
    expect(walkAll(chain(3), known)).toEqual({ at: 3, broken: null });
  });

  it('names a missing event, a broken link, a wrong MAC and an unknown key', () => {
    const events = chain(4);
    expect(walkAll([events[0], events[2]], known).broken).toEqual({ seq: 2, reason: 'Event 2 is missing.' });
    expect(walkAll([events[0], { ...events[1], prevHash: events[2].hash }], known).broken).toEqual({ seq: 2, reason: 'Event 2 does not link to the event before it.' });
    expect(walkAll([events[0], { ...events[1], details: { seq: 99 } }], known).broken).toEqual({ seq: 2, reason: 'Event 2 does not match its MAC.' });
    expect(walkAll(events, () => undefined).broken).toEqual({ seq: 1, reason: 'Event 1 is under audit key "k1", which is not known here.' });
  });

  it('offline (no key) checks links and sequence but not MACs', () => {
    const events = chain(2);
    expect(walkAll([events[0], { ...events[1], details: { seq: 99 } }])).toEqual({ at: 2, broken: null });
    expect(walkAll([{ ...events[0], keyId: null }]).broken).toEqual({ seq: 1, reason: 'Event 1 has no MAC, and no sealed legacy prefix covers it.' });
  });
});
