import { signUserHash } from '@keyring/signing';
import { DataSource } from 'typeorm';
import { AuditWriter } from '../audit/audit-writer.service';
import { Envelope } from '../crypto/envelope';
import type { MasterKey } from '../crypto/master-keys';
import { completeSetup, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';
import { createWidget } from '../../test/custody-fixtures';
import { rewrapSecrets } from './rewrap';
import { widgetSecretBinding } from './widget-secrets';

const OLD: MasterKey = { id: 'old-2025', key: new Uint8Array(32).fill(11) };
const NEW: MasterKey = { id: 'new-2026', key: new Uint8Array(32).fill(22) };
const keyEnv = (key: MasterKey) => `${key.id}:${Buffer.from(key.key).toString('base64')}`;
const envelopeOf = (active: MasterKey, ...others: MasterKey[]) =>
  new Envelope({ active, byId: new Map([active, ...others].map((key) => [key.id, key])) });

describe('re-wrap onto a new master key (real PostgreSQL)', () => {
  let keyring: TestApp;
  let owner: Session;
  let orgId: string;
  let sampleWidgetId: string;
  const COUNT = 1000;

  beforeAll(async () => {
    // The server runs with both keys and the new one active, as during a real key change.
    keyring = await startTestApp({ KEYRING_MASTER_KEYS: `${keyEnv(OLD)},${keyEnv(NEW)}`, KEYRING_ACTIVE_MASTER_KEY: NEW.id });
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    const { tenantId, widgetId } = await createWidget(owner, orgId, { widgetName: 'Sample' });
    sampleWidgetId = widgetId;
    // 1,000 versions written under the old key, as an older installation would have them.
    const widgets = await keyring.db.query<{ id: string }>(
      `INSERT INTO widgets (organization_id, tenant_id, name) SELECT $1, $2, 'bulk ' || i FROM generate_series(1, $3 - 1) i RETURNING id`,
      [orgId, tenantId, COUNT],
    );
    const oldEnvelope = envelopeOf(OLD);
    const ids = [widgetId, ...widgets.map((widget) => widget.id)];
    const ciphertexts = await Promise.all(ids.map((id, index) => oldEnvelope.encrypt(`bulk-secret-${index}`, widgetSecretBinding(orgId, id, 1))));
    await keyring.db.query(
      `INSERT INTO secret_versions (widget_id, version, organization_id, state, ciphertext, master_key_id, fingerprint, activated_at)
       SELECT w, 1, $1, 'active', c, $2, 'XXXX-XXXX-XXXX-XXXX', now() FROM unnest($3::uuid[], $4::text[]) AS x(w, c)`,
      [orgId, OLD.id, ids, ciphertexts],
    );
  });
  afterAll(() => keyring.close());

  const countByKey = async () =>
    Object.fromEntries(
      (await keyring.db.query<{ master_key_id: string; n: number }>('SELECT master_key_id, count(*)::int AS n FROM secret_versions GROUP BY 1')).map(
        (row) => [row.master_key_id, row.n],
      ),
    );

  it('resumes after being killed halfway, and every secret still opens to its original value', async () => {
    const db = keyring.app.get(DataSource);
    const envelope = envelopeOf(NEW, OLD);
    const killedAt = new Error('killed');
    const progress: number[] = [];
    await expect(
      rewrapSecrets(db, envelope, keyring.app.get(AuditWriter), {
        batchSize: 100,
        onProgress: ({ done }) => {
          progress.push(done);
          if (done >= 500) throw killedAt;
        },
      }),
    ).rejects.toBe(killedAt);
    expect(progress).toEqual([0, 100, 200, 300, 400, 500]);
    expect(await countByKey()).toEqual({ [OLD.id]: 500, [NEW.id]: 500 });

    // Half-way, the API serves every widget, whichever key its secret is under.
    const response = await owner.request('POST', `/api/v1/orgs/${orgId}/widgets/${sampleWidgetId}/test-user-hash`, { body: { userIdentifier: 'u' } });
    expect(response.body.userHash).toBe(await signUserHash('bulk-secret-0', 'u'));

    const result = await rewrapSecrets(db, envelope, keyring.app.get(AuditWriter), { batchSize: 100 });
    expect(result).toEqual({ done: 500, total: 500 });
    expect(await countByKey()).toEqual({ [NEW.id]: COUNT });

    // Only the new key is needed now.
    const newOnly = envelopeOf(NEW);
    const rows = await keyring.db.query<{ widget_id: string; ciphertext: string; name: string }>(
      `SELECT v.widget_id, v.ciphertext, w.name FROM secret_versions v JOIN widgets w ON w.id = v.widget_id`,
    );
    const opened = await Promise.all(rows.map((row) => newOnly.decrypt(row.ciphertext, widgetSecretBinding(orgId, row.widget_id, 1))));
    const expected = rows.map((row) => (row.name === 'Sample' ? 'bulk-secret-0' : `bulk-secret-${row.name.slice('bulk '.length)}`));
    expect(opened).toEqual(expected);
  });

  it('audits each run in the installation chain', async () => {
    const events = await keyring.db.query<{ action: string; actor_type: string; details: Record<string, unknown> }>(
      "SELECT action, actor_type, details FROM audit_events WHERE organization_id IS NULL AND action LIKE 'master_key.%' ORDER BY seq",
    );
    expect(events.map((event) => [event.action, event.actor_type])).toEqual([
      ['master_key.rewrap_started', 'system'],
      ['master_key.rewrap_started', 'system'],
      ['master_key.rewrap_completed', 'system'],
    ]);
    expect(events[2].details).toEqual({ activeMasterKeyId: NEW.id, versionsRewrapped: 500 });
  });
});
