import { assertNoSecretFields, auditEventMac, canonicalJson, GENESIS_HASH, storableDetails, storableText, type ChainedEvent } from './audit-chain';

const key = new Uint8Array(32).fill(9);
const auditEventHash = (event: ChainedEvent) => auditEventMac(event, key);

const event: ChainedEvent = {
  organizationId: '6f1c1d7e-3c1a-4f59-9c63-1f8e0d3b2a10',
  seq: 1,
  occurredAt: new Date('2026-11-23T12:00:00.123Z'),
  actorType: 'user',
  actorId: 'u-1',
  actorLabel: 'ana@agency.example',
  action: 'member.invited',
  targetType: 'invitation',
  targetId: 'i-1',
  tenantId: null,
  ip: '127.0.0.1',
  userAgent: 'jest',
  requestId: 'r-1',
  outcome: 'success',
  details: { role: 'operator', email: 'bob@agency.example' },
  prevHash: GENESIS_HASH,
  keyId: 'test',
};

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: undefined } })).toBe('{"a":{"d":[2,{"y":null,"z":1}]},"b":1}');
  });
});

describe('storableDetails', () => {
  it('gives details as jsonb gives them back: dates as ISO strings, -0 as 0, no undefined, text PostgreSQL stores', () => {
    const stored = storableDetails({ expiresAt: new Date('2027-01-01T00:00:00Z'), zero: -0, gone: undefined, list: [undefined, NaN], 'k\0': 'a\ud800b' });
    expect(stored).toEqual({ expiresAt: '2027-01-01T00:00:00.000Z', zero: 0, list: [null, null], 'k\ufffd': 'a\ufffdb' });
    expect(Object.is(stored['zero'], 0)).toBe(true);
    expect(storableText('pair \ud83d\ude00 kept')).toBe('pair \ud83d\ude00 kept');
  });
});

describe('auditEventMac', () => {
  it('depends on the audit key', () => {
    expect(auditEventMac(event, new Uint8Array(32).fill(8))).not.toBe(auditEventHash(event));
  });

  it('does not depend on the order of keys in details', () => {
    const reordered = { ...event, details: { email: 'bob@agency.example', role: 'operator' } };
    expect(auditEventHash(reordered)).toBe(auditEventHash(event));
  });

  it.each(Object.keys(event) as (keyof ChainedEvent)[])('changes when %s changes', (field) => {
    const original = event[field];
    const changed =
      original instanceof Date
        ? new Date(original.getTime() + 1)
        : typeof original === 'number'
          ? original + 1
          : typeof original === 'object' && original !== null
            ? { ...original, extra: true }
            : `${original ?? ''}x`;
    expect(auditEventHash({ ...event, [field]: changed })).not.toBe(auditEventHash(event));
  });
});

describe('assertNoSecretFields', () => {
  it('refuses secret-bearing field names at any depth', () => {
    expect(() => assertNoSecretFields({ version: 2, fingerprint: 'ab12' })).not.toThrow();
    expect(() => assertNoSecretFields({ secret: 'x' })).toThrow('details.secret');
    expect(() => assertNoSecretFields({ change: { Password: 'x' } })).toThrow('details.change.Password');
  });
});
