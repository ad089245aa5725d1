// Custody data in bulk, written straight into the database for the benchmarks: tenants, widgets named with common
// words, and a secret version on every widget encrypted as the server does it, so that reveal and signing work.
import { randomBytes } from 'node:crypto';
import { CompactEncrypt } from 'jose';

/** Words in tenants' and widgets' names: each is in a tenth of them (a common search term). */
export const WORDS = ['loja', 'padaria', 'farmacia', 'clinica', 'escola', 'academia', 'hotel', 'oficina', 'mercado', 'livraria'];

/**
 * `widgets` widgets spread evenly over `widgets / 100` tenants. Widget names are a word, an md5 and "chat"
 * ("Padaria 1679091c… chat"): a 6-character piece of the md5 is a rare search term. No secrets yet.
 */
export async function seedTenantsAndWidgets(db, { orgId, widgets }) {
  const tenants = Math.max(1, Math.floor(widgets / 100));
  await db.query(`INSERT INTO tenants (organization_id, name) SELECT $1, 'Tenant ' || i || ' ' || ($2::text[])[1 + i % 10] FROM generate_series(1, $3) i`, [orgId, WORDS, tenants]);
  await db.query(
    `INSERT INTO widgets (organization_id, tenant_id, name)
     SELECT $1, t.id, initcap(($2::text[])[1 + (g.i * 7) % 10]) || ' ' || md5(g.i::text) || ' chat'
       FROM (SELECT id, row_number() OVER () AS n FROM tenants WHERE organization_id = $1) t
       JOIN generate_series(1, $3) g(i) ON (g.i % $4) + 1 = t.n`,
    [orgId, WORDS, widgets, tenants],
  );
}

/** The JWE of a widget secret as apps/api/src/crypto/envelope.ts writes it (bound to its widget and version). */
export function encryptSecret(masterKey, { organizationId, widgetId, version }, secret) {
  return new CompactEncrypt(new TextEncoder().encode(secret))
    .setProtectedHeader({ purpose: 'widget-secret', organizationId, widgetId, version, alg: 'A256GCMKW', enc: 'A256GCM', kid: masterKey.id })
    .encrypt(masterKey.key);
}

/**
 * Version 1, active, on every widget of the organization that has none, under `masterKey`; the widget's
 * active_version is set too (the list, needs-attention and the overview's counters read it). `secretOf(i)` names the
 * i-th secret (32 hex characters by default); activation dates are spread evenly over the last `ageDays` days.
 * The ids of the widgets given a version, in that order. (Fingerprints are a placeholder: nothing measured shows them.)
 */
export async function seedSecretVersions(db, { orgId, masterKey, ageDays = 0, secretOf = () => randomBytes(16).toString('hex') }) {
  const { rows } = await db.query(
    'SELECT id FROM widgets w WHERE organization_id = $1 AND NOT EXISTS (SELECT 1 FROM secret_versions v WHERE v.widget_id = w.id) ORDER BY id',
    [orgId],
  );
  const ids = rows.map((row) => row.id);
  for (let offset = 0; offset < ids.length; offset += 5000) {
    const chunk = ids.slice(offset, offset + 5000);
    const ciphertexts = await Promise.all(chunk.map((widgetId, i) => encryptSecret(masterKey, { organizationId: orgId, widgetId, version: 1 }, secretOf(offset + i))));
    const ages = chunk.map((_, i) => ((offset + i) * ageDays) / ids.length);
    await db.query(
      `INSERT INTO secret_versions (widget_id, version, organization_id, state, ciphertext, master_key_id, fingerprint, activated_at)
       SELECT w, 1, $1, 'active', c, $2, 'XXXX-XXXX-XXXX-XXXX', now() - a * interval '1 day' FROM unnest($3::uuid[], $4::text[], $5::float8[]) AS x(w, c, a)`,
      [orgId, masterKey.id, chunk, ciphertexts, ages],
    );
    await db.query('UPDATE widgets SET active_version = 1 WHERE id = ANY($1::uuid[])', [chunk]);
  }
  return ids;
}
