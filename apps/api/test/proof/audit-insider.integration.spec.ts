import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify as verifySignature } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditVerifyOffline } from '../../src/cli/audit-verify';
import { asDba, fullVerificationOf, unkeyedHash } from '../audit-fixtures';
import { createTestDatabase, type TestDatabase } from '../test-database';
import { addMember, completeSetup, signIn, OWNER, type Session } from '../identity-fixtures';
import { startTestApp, type TestApp } from '../test-app';
import type { StoredAuditEvent } from '../../src/audit/audit-chain';

/**
 * An insider with the database (a DBA, a compromised database host, a stolen superuser password) against the audit
 * log: the append-only trigger is off for them, so every proof here rests on the MAC key and the signed checkpoints.
 */

const b64url = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString());

/** Every event of the chain as stored, oldest first. */
function chainOf(db: TestDatabase, orgId: string) {
  return db.query<StoredAuditEvent & { id: string }>(
    `SELECT id, organization_id AS "organizationId", seq::int AS seq, occurred_at AS "occurredAt", actor_type AS "actorType",
            actor_id AS "actorId", actor_label AS "actorLabel", action, target_type AS "targetType", target_id AS "targetId",
            tenant_id AS "tenantId", ip, user_agent AS "userAgent", request_id AS "requestId", outcome, details,
            prev_hash AS "prevHash", key_id AS "keyId", hash
       FROM audit_events WHERE organization_id = $1 ORDER BY seq`,
    [orgId],
  );
}

/** Rewrites event `seq` with `details` and re-hashes it and every later event with the unkeyed recipe. */
async function rewriteWithUnkeyedRecipe(db: TestDatabase, orgId: string, seq: number, details: Record<string, unknown>, keyId: (old: string | null) => string | null) {
  const events = await chainOf(db, orgId);
  let prevHash = events[seq - 2]?.hash ?? '0'.repeat(64);
  for (const event of events.slice(seq - 1)) {
    const { id, hash: _hash, keyId: oldKeyId, ...fields } = event;
    const rewritten = { ...fields, details: event.seq === seq ? details : event.details, prevHash };
    const hash = unkeyedHash(rewritten);
    await asDba(db, 'UPDATE audit_events SET details = $2, prev_hash = $3, hash = $4, key_id = $5 WHERE id = $1', [
      id,
      JSON.stringify(rewritten.details),
      prevHash,
      hash,
      keyId(oldKeyId),
    ]);
    prevHash = hash;
  }
}

describe('audit log against an insider with the database (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let orgId: string;
  let owner: Session;
  let auditor: Session;

  beforeAll(async () => {
    keyring = await startTestApp();
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    auditor = await addMember(keyring, owner, orgId, 'auditor@agency.example', 'auditor');
  });
  afterAll(() => keyring.close());

  const verify = () => auditor.request('GET', `/api/v1/orgs/${orgId}/audit-events/verify`);
  const checkpoint = async () => (await auditor.request('GET', `/api/v1/orgs/${orgId}/audit-events/checkpoint`)).body.checkpoint as string;
  const verifyWith = (checkpoints: unknown) => auditor.request('POST', `/api/v1/orgs/${orgId}/audit-events/verify`, { body: { checkpoints } });

  it('keeps the chain valid across an API key with expiresAt (its Date is stored and MACed as the same ISO string)', async () => {
    const tenant = await owner.request('POST', `/api/v1/orgs/${orgId}/tenants`, { body: { name: 'Expiring' } });
    const created = await owner.request('POST', `/api/v1/orgs/${orgId}/api-keys`, {
      body: { name: 'expiring', tenantId: tenant.body.id, scopes: ['user-hash:issue'], expiresAt: '2031-05-04T03:02:01.000Z' },
    });
    expect(created.status).toBe(201);
    const [event] = await keyring.db.query<{ details: { expiresAt: string } }>(
      "SELECT details FROM audit_events WHERE organization_id = $1 AND action = 'api_key.created'",
      [orgId],
    );
    expect(event.details.expiresAt).toBe('2031-05-04T03:02:01.000Z');
    expect((await verify()).body).toMatchObject({ valid: true, checkedEvents: expect.any(Number) });
    expect(await fullVerificationOf(auditor, orgId)).toMatchObject({ valid: true, reason: null });
  });

  it('publishes the checkpoint keys without authentication, and a checkpoint verifies with plain node:crypto Ed25519', async () => {
    const jwks = await keyring.request('GET', '/.well-known/keyring-audit-keys.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys).toEqual([{ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: expect.any(String), alg: 'EdDSA', use: 'sig' }]);
    expect(JSON.stringify(jwks.body)).not.toMatch(/"d"/);

    const jws = await checkpoint();
    const [header, payload, signature] = jws.split('.');
    expect(b64url(header)).toEqual({ alg: 'EdDSA', kid: jwks.body.keys[0].kid, typ: 'keyring-audit-checkpoint+jws' });
    const publicKey = createPublicKey({ key: jwks.body.keys[0], format: 'jwk' });
    expect(verifySignature(null, Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
    const [newest] = (await auditor.request('GET', `/api/v1/orgs/${orgId}/audit-events?limit=1`)).body.items;
    expect(b64url(payload)).toEqual({ organizationId: orgId, seq: newest.seq, hash: newest.hash, issuedAt: expect.any(String) });
    // A chain that did not move gets the same checkpoint again.
    expect(await checkpoint()).toBe(jws);
  });

  it('refuses, 400, a checkpoint that is not validly signed or is of another organization', async () => {
    const jws = await checkpoint();
    const [header, payload, signature] = jws.split('.');
    const flipped = Buffer.from(signature, 'base64url');
    flipped[0] ^= 1;
    const tampered = await verifyWith([`${header}.${payload}.${flipped.toString('base64url')}`]);
    expect(tampered.status).toBe(400);
    expect(tampered.headers.get('content-type')).toContain('application/problem+json');
    expect(tampered.body).toMatchObject({
      type: 'urn:keyring:problem:audit-checkpoint-invalid',
      detail: 'Checkpoint 1 is not validly signed by a published audit key (ERR_JWS_SIGNATURE_VERIFICATION_FAILED).',
    });

    // Signed with the insider's own key under the published kid.
    const insiderKey = generateKeyPairSync('ed25519').privateKey;
    const forgedPayload = Buffer.from(JSON.stringify({ ...b64url(payload), seq: 1 })).toString('base64url');
    const forgedSignature = sign(null, Buffer.from(`${header}.${forgedPayload}`), createPrivateKey(insiderKey.export({ format: 'pem', type: 'pkcs8' })));
    const forged = await verifyWith([jws, `${header}.${forgedPayload}.${forgedSignature.toString('base64url')}`]);
    expect(forged.status).toBe(400);
    expect(forged.body.detail).toBe('Checkpoint 2 is not validly signed by a published audit key (ERR_JWS_SIGNATURE_VERIFICATION_FAILED).');

    const otherOrg = (await owner.request('POST', '/api/v1/orgs', { body: { name: 'Other agency' } })).body.id;
    const theirs = (await owner.request('GET', `/api/v1/orgs/${otherOrg}/audit-events/checkpoint`)).body.checkpoint;
    const foreign = await verifyWith([theirs]);
    expect(foreign.status).toBe(400);
    expect(foreign.body).toMatchObject({
      type: 'urn:keyring:problem:audit-checkpoint-of-another-organization',
      detail: "Checkpoint 1 is of another organization's audit log.",
    });

    const malformed = await verifyWith('x');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual(expect.arrayContaining([{ field: 'checkpoints', message: 'checkpoints must be a list of checkpoints (compact JWS)' }]));
    expect((await verifyWith([jws])).body).toMatchObject({ valid: true });
  });

  it('shows deleting the newest events against an earlier checkpoint, even when the kept evidence is deleted too', async () => {
    const held = await checkpoint();
    const heldSeq = b64url(held.split('.')[1]).seq;
    for (const role of ['operator', 'admin']) {
      await owner.request('PATCH', `/api/v1/orgs/${orgId}/members/${auditor.userId}`, { body: { role } });
    }
    await owner.request('PATCH', `/api/v1/orgs/${orgId}/members/${auditor.userId}`, { body: { role: 'auditor' } });
    expect((await verify()).body.valid).toBe(true);

    // The insider hides the newest events (say, a reveal), then what Keyring kept about them.
    await asDba(keyring.db, 'DELETE FROM audit_events WHERE organization_id = $1 AND seq >= $2', [orgId, heldSeq - 1]);
    const afterDelete = await verify();
    expect(afterDelete.body).toMatchObject({ valid: false, reason: expect.stringMatching(/^Event \d+, verified before, is missing\.$/) });
    await asDba(keyring.db, 'DELETE FROM audit_checkpoints WHERE chain_id = $1', [orgId]);
    await asDba(keyring.db, 'DELETE FROM audit_chain_state WHERE chain_id = $1', [orgId]);
    expect((await verify()).body).toMatchObject({ valid: true, checkedEvents: heldSeq - 2 });

    const withHeld = await verifyWith([held]);
    expect(withHeld.status).toBe(200);
    expect(withHeld.body).toMatchObject({
      valid: false,
      firstBrokenSeq: heldSeq,
      reason: expect.stringMatching(new RegExp(`^Event ${heldSeq}, covered by the checkpoint of \\d{4}-.+, is missing\\.$`)),
    });
  });
});

describe('audit log rewritten by an insider with the unkeyed recipe (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let orgId: string;
  let owner: Session;

  beforeEach(async () => {
    keyring = await startTestApp();
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    await addMember(keyring, owner, orgId, 'auditor@agency.example', 'auditor');
  });
  afterEach(() => keyring.close());

  it('does not verify an event rewritten with every later hash recomputed (SHA-256 without a key)', async () => {
    expect((await owner.request('GET', `/api/v1/orgs/${orgId}/audit-events/verify`)).body.valid).toBe(true);
    await rewriteWithUnkeyedRecipe(keyring.db, orgId, 2, { cover: 'story' }, (keyId) => keyId);
    const incremental = await owner.request('GET', `/api/v1/orgs/${orgId}/audit-events/verify`);
    expect(incremental.body).toMatchObject({ valid: false, reason: expect.stringMatching(/^Event \d+, verified before, is different now\.$/) });
    expect(await fullVerificationOf(owner, orgId)).toMatchObject({ valid: false, firstBrokenSeq: 2, reason: 'Event 2 does not match its MAC.' });
    // With what Keyring remembers wiped as well, the walk from the first event finds it.
    await asDba(keyring.db, 'DELETE FROM audit_chain_state');
    await asDba(keyring.db, 'DELETE FROM audit_checkpoints');
    expect((await owner.request('GET', `/api/v1/orgs/${orgId}/audit-events/verify`)).body).toMatchObject({
      valid: false,
      checkedEvents: 1,
      firstBrokenSeq: 2,
      reason: 'Event 2 does not match its MAC.',
    });
  });

  it('does not start a verification from a verified point moved by the insider past the events they changed', async () => {
    expect((await owner.request('GET', `/api/v1/orgs/${orgId}/audit-events/verify`)).body.valid).toBe(true);
    await rewriteWithUnkeyedRecipe(keyring.db, orgId, 2, { cover: 'story' }, (keyId) => keyId);
    const [head] = await chainOf(keyring.db, orgId).then((events) => events.slice(-1));
    await asDba(keyring.db, 'UPDATE audit_chain_state SET verified_seq = $2, verified_hash = $3 WHERE chain_id = $1', [orgId, head.seq, head.hash]);
    await asDba(keyring.db, 'DELETE FROM audit_checkpoints');
    expect((await owner.request('GET', `/api/v1/orgs/${orgId}/audit-events/verify`)).body).toMatchObject({
      valid: false,
      firstBrokenSeq: 2,
      reason: 'Event 2 does not match its MAC.',
    });
  });

  it('does not accept rewritten events passed off as legacy (unkeyed) ones', async () => {
    await rewriteWithUnkeyedRecipe(keyring.db, orgId, 3, { cover: 'story' }, () => null);
    await asDba(keyring.db, 'DELETE FROM audit_chain_state');
    expect((await owner.request('GET', `/api/v1/orgs/${orgId}/audit-events/verify`)).body).toMatchObject({
      valid: false,
      firstBrokenSeq: 3,
      reason: 'Event 3 has no MAC, and no sealed legacy prefix covers it.',
    });
  });
});

describe('a chain written before the audit log was keyed (real app, real PostgreSQL)', () => {
  let db: TestDatabase;
  let orgId: string;
  let legacyCount: number;
  let keyring: TestApp;
  let owner: Session;
  let dir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'keyring-audit-'));
    // Yesterday's Keyring: its events hashed with the unkeyed recipe, one of them with the Date bug (details
    // hashed as {} but stored as an ISO string), so that the old chain did not even verify.
    const before = await startTestApp({}, db);
    ({ organizationId: orgId } = await completeSetup(before));
    await before.close();
    const events = await chainOf(db, orgId);
    let prevHash = '0'.repeat(64);
    for (const { id, hash: _hash, keyId: _keyId, ...event } of events) {
      const hashed = event.seq === 1 ? { ...event, details: { ...event.details, expiresAt: {} } } : event;
      const hash = unkeyedHash({ ...hashed, prevHash });
      await asDba(db, 'UPDATE audit_events SET prev_hash = $2, hash = $3, key_id = NULL WHERE id = $1', [id, prevHash, hash]);
      await asDba(db, "UPDATE audit_events SET details = details || '{\"expiresAt\":\"2031-01-01T00:00:00.000Z\"}' WHERE id = $1 AND seq = 1", [id]);
      prevHash = hash;
    }
    legacyCount = events.length;
    await db.query('DELETE FROM audit_checkpoints; DELETE FROM audit_chain_state');
    // Today's Keyring starts on it: the legacy prefix is sealed, not rewritten.
    keyring = await startTestApp({}, db);
    owner = await signIn(keyring, OWNER.email, OWNER.password);
  });
  afterAll(async () => {
    await keyring.close();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('seals the legacy prefix with a signed checkpoint and verifies it, then the keyed events after it', async () => {
    const [seal] = await db.query<{ seq: string; legacy_digest: string }>('SELECT seq, legacy_digest FROM audit_checkpoints WHERE chain_id = $1', [orgId]);
    expect(Number(seal.seq)).toBe(legacyCount);
    expect(keyring.logs.some((line) => line.includes(`Sealed the ${legacyCount} unkeyed audit events of chain ${orgId}`))).toBe(true);
    const keyIds = await db.query<{ key_id: string | null }>('SELECT key_id FROM audit_events WHERE organization_id = $1 ORDER BY seq', [orgId]);
    expect(keyIds.map((row) => row.key_id)).toEqual([...Array(legacyCount).fill(null), 'test']);
    expect((await owner.request('GET', `/api/v1/orgs/${orgId}/audit-events/verify`)).body).toMatchObject({ valid: true, checkedEvents: legacyCount + 1 });
  });

  it('verifies offline, with the JWKS, an export, the seal and a checkpoint, and names what was cut or relinked', async () => {
    const exported = (await owner.request('GET', `/api/v1/orgs/${orgId}/audit-events/export?format=ndjson`)).text;
    const { checkpoint, legacySeal } = (await owner.request('GET', `/api/v1/orgs/${orgId}/audit-events/checkpoint`)).body;
    expect(legacySeal).toEqual(expect.any(String));
    const file = async (name: string, text: string) => {
      await writeFile(join(dir, name), text);
      return join(dir, name);
    };
    const jwks = await file('keys.json', (await keyring.request('GET', '/.well-known/keyring-audit-keys.json')).text);
    const checkpoints = [await file('checkpoint.jws', `${checkpoint}\n${legacySeal}\n`)];
    const output: string[] = [];
    const offline = (exportText: string) => file('audit.ndjson', exportText).then((exportFile) => auditVerifyOffline({ exportFile, jwksFile: jwks, checkpointFiles: checkpoints }, (line) => output.push(line)));

    expect(await offline(exported)).toBe(0);
    expect(output).toEqual([
      `ok      ${legacyCount + 1} events of organization ${orgId}: linked, and matching 2 signed checkpoint(s).`,
      "note    MACs are not checked offline (the audit key is secret): the server's verify checks them.",
    ]);

    output.length = 0;
    const lines = exported.trimEnd().split('\n');
    expect(await offline(`${lines.slice(0, -1).join('\n')}\n`)).toBe(1);
    expect(output[0]).toMatch(new RegExp(`^BROKEN  Event ${legacyCount + 1}, covered by the checkpoint of .+, is missing\\. \\(${legacyCount} events before it hold\\)$`));

    output.length = 0;
    const relinked = lines.map((line, index) => (index === 1 ? JSON.stringify({ ...JSON.parse(line), details: { forged: true } }) : line));
    expect(await offline(`${relinked.join('\n')}\n`)).toBe(1);
    expect(output[0]).toBe(`BROKEN  The unkeyed events 1 to ${legacyCount} differ from the checkpoint that sealed them. (1 events before it hold)`);
  });

  it('does not verify a legacy event rewritten after the seal, even with its unkeyed hashes recomputed', async () => {
    await rewriteWithUnkeyedRecipe(db, orgId, 2, { cover: 'story' }, () => null);
    expect(await fullVerificationOf(owner, orgId)).toMatchObject({
      valid: false,
      firstBrokenSeq: 1,
      reason: `The unkeyed events 1 to ${legacyCount} differ from the checkpoint that sealed them.`,
    });
  });
});
