// Valid audit events in bulk, written straight into the database: the benchmarks need a chain of a million
// events that the server's verification accepts, and the API would take hours to write one.
import { createHmac, hkdfSync } from 'node:crypto';

const CHUNK = 20_000;
const ACTIONS = ['secret.rotated', 'widget.updated', 'auth.login_succeeded', 'user_hash.tested', 'tenant.created'];
/** One event in 20 failed and one in 50 was refused, as the outcome filter would find them. */
const outcomeOf = (i) => (i % 50 === 7 ? 'denied' : i % 20 === 3 ? 'failure' : 'success');

const auditKeyOf = (masterKey) => Buffer.from(hkdfSync('sha256', masterKey.key, new Uint8Array(0), 'keyring/audit-chain/mac-key/v1', 32));

/**
 * Appends `count` events to the organization's chain, each MACed as the server does (apps/api/src/audit/
 * audit-chain.ts): HMAC-SHA256 under the HKDF-derived audit key of `masterKey` over the event's canonical JSON.
 * The server's full verification of the seeded chain is the check that this recipe still matches. `details` is
 * the same on every event (padding makes an export large); its keys must be in code-point order, as canonicalJson
 * writes them. With `tenantIds`, two events in three are about one of those tenants (in turn), for the tenant filter.
 */
export async function seedAuditChain(db, { orgId, count, masterKey, spreadSeconds = count, details = {}, tenantIds = [] }) {
  const detailsJson = JSON.stringify(details);
  const auditKey = auditKeyOf(masterKey);
  const { rows: [head] } = await db.query('SELECT seq::int AS seq, hash FROM audit_events WHERE organization_id = $1 ORDER BY seq DESC LIMIT 1', [orgId]);
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? '0'.repeat(64);
  const now = Date.now();
  for (let done = 0; done < count; done += CHUNK) {
    const columns = { seq: [], occurredAt: [], actorId: [], actorLabel: [], action: [], targetId: [], tenantId: [], outcome: [], prevHash: [], hash: [] };
    for (let i = done; i < Math.min(count, done + CHUNK); i++) {
      seq += 1;
      const event = {
        occurredAt: new Date(now - Math.round(((count - i) * spreadSeconds * 1000) / count)).toISOString(),
        actorId: `actor-${i % 50}`,
        actorLabel: `user${i % 50}@agency.example`,
        action: ACTIONS[i % ACTIONS.length],
        targetId: `target-${i}`,
        tenantId: tenantIds.length && i % 3 ? tenantIds[i % tenantIds.length] : null,
        outcome: outcomeOf(i),
      };
      // Keys in code-point order, as canonicalJson writes them.
      const canonical = JSON.stringify({
        action: event.action, actorId: event.actorId, actorLabel: event.actorLabel, actorType: 'user', details, ip: null,
        keyId: masterKey.id, occurredAt: event.occurredAt, organizationId: orgId, outcome: event.outcome, prevHash, requestId: null,
        seq, targetId: event.targetId, targetType: 'widget', tenantId: event.tenantId, userAgent: null, v: 2,
      });
      const hash = createHmac('sha256', auditKey).update(canonical).digest('hex');
      for (const [name, value] of Object.entries({ ...event, seq, prevHash, hash })) columns[name].push(value);
      prevHash = hash;
    }
    await db.query(
      `INSERT INTO audit_events (organization_id, seq, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id,
         tenant_id, outcome, details, prev_hash, key_id, hash)
       SELECT $1, s, o, 'user', a, l, act, 'widget', t, tn, oc, $13::jsonb, p, $2, h
         FROM unnest($3::bigint[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::uuid[], $10::text[], $11::text[], $12::text[])
           AS x(s, o, a, l, act, t, tn, oc, p, h)`,
      [orgId, masterKey.id, columns.seq, columns.occurredAt, columns.actorId, columns.actorLabel, columns.action, columns.targetId, columns.tenantId,
        columns.outcome, columns.prevHash, columns.hash, detailsJson],
    );
  }
}

/**
 * Records the chain as verified up to `behind` events before its head, with the MAC the server writes beside the
 * point (verifiedPointMac in apps/api/src/audit/audit-chain.ts): the next GET …/verify checks only the events after
 * it, as it would after a full verification (which takes minutes at a million events, paced).
 */
export async function markVerified(db, { orgId, masterKey, behind = 0 }) {
  const { rows: [point] } = await db.query(
    'SELECT seq::int AS seq, hash FROM audit_events WHERE organization_id = $1 ORDER BY seq DESC OFFSET $2 LIMIT 1',
    [orgId, behind],
  );
  const mac = createHmac('sha256', auditKeyOf(masterKey)).update(`verified-point:${orgId}:${point.seq}:${point.hash}`).digest('hex');
  await db.query(
    `INSERT INTO audit_chain_state (chain_id, verified_seq, verified_hash, verified_mac) VALUES ($1, $2, $3, $4)
     ON CONFLICT (chain_id) DO UPDATE SET verified_seq = excluded.verified_seq, verified_hash = excluded.verified_hash, verified_mac = excluded.verified_mac`,
    [orgId, point.seq, point.hash, mac],
  );
}
