import { operatorScope } from '../access/scope';
import fc from 'fast-check';
import { createLocalJWKSet } from 'jose';
import { keyIdOf } from '../crypto/envelope';
import { DataSource } from 'typeorm';
import { appendEvents, asDba, fullVerificationOf } from '../../test/audit-fixtures';
import { completeSetup, signIn, OWNER } from '../../test/identity-fixtures';
import { createTestDatabase, type TestDatabase } from '../../test/test-database';
import { startTestApp, type TestApp } from '../../test/test-app';
import { assertNoSecretFields, auditEventMac, type StoredAuditEvent } from './audit-chain';
import { verifyCheckpoint } from './audit-checkpoint';
import { AuditCheckpoints } from './audit-checkpoints.service';
import { AuditKeys } from './audit-keys';
import { AuditWriter } from './audit-writer.service';
import { AuditRepository } from './audit.repository';

const key = (id: string, byte: number) => `${id}:${Buffer.alloc(32, byte).toString('base64')}`;

/** Any JSON-ish value a feature might audit: dates, nested arrays, any text (NUL, lone surrogates), any number. */
const detailValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.constant(undefined),
    fc.boolean(),
    fc.double(),
    fc.integer(),
    fc.constantFrom(-0, 1e21, 2 ** 53 + 2, 5e-324, 0.1, -1.7976931348623157e308),
    fc.string({ unit: 'binary' }),
    fc.date(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary' }), tie('value'), { maxKeys: 4 }),
  ),
})).value;
const details = fc
  .dictionary(fc.string({ unit: 'binary' }), detailValue, { maxKeys: 6 })
  .filter((value) => {
    try {
      assertNoSecretFields(value);
      return true;
    } catch {
      return false;
    }
  });

describe('keyed audit chain (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let orgId: string;

  beforeAll(async () => {
    keyring = await startTestApp();
    ({ organizationId: orgId } = await completeSetup(keyring));
  });
  afterAll(() => keyring.close());

  it('stores events exactly as it MACs them: the MAC recomputed from the row read back equals the one written', async () => {
    const db = keyring.app.get(DataSource);
    const writer = keyring.app.get(AuditWriter);
    const keys = keyring.app.get(AuditKeys);
    const events = new AuditRepository(db);
    const context = { actor: { type: 'system' as const, id: null, label: 'prop\ud800erty' }, ip: null, userAgent: 'agent\0', requestId: null };
    await fc.assert(
      fc.asyncProperty(details, fc.uuid(), fc.boolean(), async (generated, tenantId, upperCase) => {
        const cased = (uuid: string) => (upperCase ? uuid.toUpperCase() : uuid);
        await db.transaction((manager) =>
          writer.record(manager, context, { organizationId: cased(orgId), tenantId: cased(tenantId), action: 'property.tested', details: generated }),
        );
        const [row] = await events.page(operatorScope(orgId), {}, 1, null);
        const { hash, ...stored } = row as StoredAuditEvent;
        expect(auditEventMac(stored, keys.macKey(stored.keyId!)!)).toBe(hash);
      }),
      { numRuns: 150 },
    );
  });
});

describe('audit keys across a master-key rotation (real app, real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(() => db.drop());

  it('verifies events and checkpoints of a retired master key, its signing key still published, every stored key under the active master key', async () => {
    const first = await startTestApp({ KEYRING_MASTER_KEYS: key('old', 1) }, db);
    const { organizationId, owner: firstOwner } = await completeSetup(first);
    const firstKeys = (await first.request('GET', '/.well-known/keyring-audit-keys.json')).body.keys;
    const oldCheckpoint = (await firstOwner.request('GET', `/api/v1/orgs/${organizationId}/audit-events/checkpoint`)).body.checkpoint;
    await first.close();

    const both = await startTestApp({ KEYRING_MASTER_KEYS: `${key('old', 1)},${key('new', 2)}`, KEYRING_ACTIVE_MASTER_KEY: 'new' }, db);
    await signIn(both, OWNER.email, OWNER.password);
    await both.close();

    const newOnly = await startTestApp({ KEYRING_MASTER_KEYS: key('new', 2) }, db);
    try {
      const owner = await signIn(newOnly, OWNER.email, OWNER.password);
      const keyIds = await db.query<{ key_id: string }>('SELECT key_id FROM audit_events WHERE organization_id = $1 ORDER BY seq', [organizationId]);
      expect(keyIds.map((row) => row.key_id)).toEqual(['old', 'old', 'new', 'new']);
      expect(await fullVerificationOf(owner, organizationId)).toMatchObject({ valid: true, checkedEvents: 4 });
      const { keys } = (await newOnly.request('GET', '/.well-known/keyring-audit-keys.json')).body;
      expect(keys).toHaveLength(2);
      expect(keys[1]).toEqual(firstKeys[0]);
      const newCheckpoint = (await owner.request('GET', `/api/v1/orgs/${organizationId}/audit-events/checkpoint`)).body.checkpoint;
      expect(JSON.parse(Buffer.from(newCheckpoint.split('.')[0], 'base64url').toString()).kid).toBe(keys[0].kid);
      const verified = await owner.request('POST', `/api/v1/orgs/${organizationId}/audit-events/verify`, { body: { checkpoints: [oldCheckpoint, newCheckpoint] } });
      expect(verified.body).toMatchObject({ valid: true });
      const stored = await db.query<{ wrapped: string }>('SELECT wrapped FROM audit_keys');
      expect(stored.map((row) => keyIdOf(row.wrapped))).toEqual(stored.map(() => 'new'));
    } finally {
      await newOnly.close();
    }
  });

  it('publishes and trusts no key written straight into the database', async () => {
    await db.query("INSERT INTO audit_keys (kind, kid, wrapped) VALUES ('signing', 'planted', 'eyJhbGciOiJub25lIn0.e30.')");
    const keyring = await startTestApp({ KEYRING_MASTER_KEYS: key('new', 2) }, db);
    try {
      const { keys } = (await keyring.request('GET', '/.well-known/keyring-audit-keys.json')).body;
      expect(keys.map((jwk: { kid: string }) => jwk.kid)).not.toContain('planted');
      expect(keyring.logs.some((line) => line.includes('Ignoring the stored audit signing key \\"planted\\": The value names no master key'))).toBe(true);
    } finally {
      await keyring.close();
    }
  });
});

describe('automatic checkpoints (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  afterAll(() => keyring.close());

  it('signs and keeps one every KEYRING_AUDIT_CHECKPOINT_EVENTS events, and one per moved chain on the periodic run', async () => {
    keyring = await startTestApp({ KEYRING_AUDIT_CHECKPOINT_EVENTS: '3' });
    const { organizationId } = await completeSetup(keyring);
    for (let i = 0; i < 5; i++) await signIn(keyring, OWNER.email, OWNER.password);
    const kept = () => keyring.db.query<{ seq: string; jws: string }>('SELECT seq, jws FROM audit_checkpoints WHERE chain_id = $1 ORDER BY seq', [organizationId]);
    expect((await kept()).map((row) => Number(row.seq))).toEqual([3, 6]);

    const checkpoints = keyring.app.get(AuditCheckpoints);
    expect(await checkpoints.checkpointMovedChains()).toBe(1);
    expect(await checkpoints.checkpointMovedChains()).toBe(0);
    const rows = await kept();
    expect(rows.map((row) => Number(row.seq))).toEqual([3, 6, 7]);
    const keys = createLocalJWKSet((await keyring.request('GET', '/.well-known/keyring-audit-keys.json')).body);
    for (const row of rows) {
      expect(await verifyCheckpoint(row.jws, keys)).toEqual({ organizationId, seq: Number(row.seq), hash: expect.stringMatching(/^[0-9a-f]{64}$/), issuedAt: expect.any(String) });
    }
  });
});

describe('verification of a large backlog (real app, real PostgreSQL)', () => {
  let keyring: TestApp | undefined;
  afterAll(() => keyring?.close());

  it('leaves more than 5000 new events to a background full verification, still holding the chain to given checkpoints', async () => {
    keyring = await startTestApp();
    const { organizationId, owner } = await completeSetup(keyring);
    await appendEvents(keyring.db, keyring.app.get(AuditKeys), organizationId, 6000);
    const verifyPath = `/api/v1/orgs/${organizationId}/audit-events/verify`;
    const { checkpoint } = (await owner.request('GET', `/api/v1/orgs/${organizationId}/audit-events/checkpoint`)).body;

    const first = await owner.request('GET', verifyPath);
    expect(first.body).toMatchObject({ valid: true, checkedEvents: 0, pendingEvents: 6002, fullVerification: { startedAt: expect.any(String), finishedAt: null } });

    await asDba(keyring.db, 'DELETE FROM audit_events WHERE organization_id = $1 AND seq > 6000', [organizationId]);
    await asDba(keyring.db, 'DELETE FROM audit_checkpoints');
    const withCheckpoint = await owner.request('POST', verifyPath, { body: { checkpoints: [checkpoint] } });
    expect(withCheckpoint.body).toMatchObject({ valid: false, firstBrokenSeq: 6002, reason: expect.stringMatching(/^Event 6002, covered by the checkpoint of .+, is missing\.$/) });

    for (let attempt = 0; attempt < 600; attempt++) {
      if ((await owner.request('GET', verifyPath)).body.fullVerification.finishedAt) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await owner.request('GET', verifyPath)).body).toMatchObject({ valid: true, checkedEvents: 6000, fullVerification: { valid: true, checkedEvents: 6000 } });
  }, 60_000);

  it('records a full verification cut short by a stop as unfinished, neither valid nor broken', async () => {
    const db = await createTestDatabase();
    const first = await startTestApp({}, db);
    const { organizationId, owner } = await completeSetup(first);
    await appendEvents(db, first.app.get(AuditKeys), organizationId, 6000);
    expect((await owner.request('POST', `/api/v1/orgs/${organizationId}/audit-events/verify/full`)).status).toBe(202);
    await first.close();
    try {
      const [state] = await db.query('SELECT full_finished_at, full_valid, full_reason FROM audit_chain_state WHERE chain_id = $1', [organizationId]);
      expect(state).toEqual({ full_finished_at: expect.any(Date), full_valid: null, full_reason: 'The server stopped before the end: start it again.' });
    } finally {
      await db.drop();
    }
  }, 60_000);
});
