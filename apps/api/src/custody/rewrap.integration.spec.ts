import { signUserHash } from '@keyring/signing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AuditWriter } from '../audit/audit-writer.service';
import { Envelope } from '../crypto/envelope';
import type { MasterKey } from '../crypto/master-keys';
import { completeSetup, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';
import { createWidget } from '../../test/custody-fixtures';
import { rewrapCommand } from '../cli/rewrap';
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

    // The owner's TOTP secret is under the master key too: from before the key change, under the old one.
    const totpBinding = { purpose: 'totp-secret', userId: owner.userId };
    await keyring.db.query('UPDATE users SET totp_secret_enc = $2, totp_enabled_at = now() WHERE id = $1', [
      owner.userId,
      await envelopeOf(OLD).encrypt('JBSWY3DPEHPK3PXP', totpBinding),
    ]);

    const result = await rewrapSecrets(db, envelope, keyring.app.get(AuditWriter), { batchSize: 100 });
    expect(result).toEqual({ done: 500, total: 500, totpSecrets: 1, remaining: 0 });
    expect(await countByKey()).toEqual({ [NEW.id]: COUNT });
    const [{ totp_secret_enc: totpSecret }] = await keyring.db.query<{ totp_secret_enc: string }>('SELECT totp_secret_enc FROM users WHERE id = $1', [owner.userId]);
    expect(await envelopeOf(NEW).decrypt(totpSecret, totpBinding)).toBe('JBSWY3DPEHPK3PXP');

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
    expect(events[2].details).toEqual({ activeMasterKeyId: NEW.id, versionsRewrapped: 500, totpSecretsRewrapped: 1 });
  });

  describe('while another transaction holds a version (a rotation in flight)', () => {
    let locker: Client;
    let lockedWidgetId: string;

    /** Puts `count` versions back under the old key, as if the key had changed again, and locks one of them. */
    beforeEach(async () => {
      const rows = await keyring.db.query<{ widget_id: string; ciphertext: string }>('SELECT widget_id, ciphertext FROM secret_versions ORDER BY widget_id LIMIT 5');
      const both = envelopeOf(NEW, OLD);
      const old = envelopeOf(OLD);
      for (const row of rows) {
        const binding = widgetSecretBinding(orgId, row.widget_id, 1);
        const ciphertext = await old.encrypt(await both.decrypt(row.ciphertext, binding), binding);
        await keyring.db.query('UPDATE secret_versions SET ciphertext = $2, master_key_id = $3 WHERE widget_id = $1', [row.widget_id, ciphertext, OLD.id]);
      }
      lockedWidgetId = rows[2].widget_id;
      locker = new Client({ connectionString: keyring.db.url });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM secret_versions WHERE widget_id = $1 FOR UPDATE', [lockedWidgetId]);
    });
    afterEach(async () => {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    });

    const lastRewrapEvent = async () =>
      (
        await keyring.db.query<{ action: string; details: Record<string, unknown> }>(
          "SELECT action, details FROM audit_events WHERE organization_id IS NULL AND action LIKE 'master_key.%' ORDER BY seq DESC LIMIT 1",
        )
      )[0];

    it('waits for the locked version and finishes every one once the lock is released', async () => {
      const startedAt = Date.now();
      setTimeout(() => void locker.query('COMMIT'), 400);
      const result = await rewrapSecrets(keyring.app.get(DataSource), envelopeOf(NEW, OLD), keyring.app.get(AuditWriter), { batchSize: 2, lockWaitMs: 10_000 });
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(350);
      expect(result).toEqual({ done: 5, total: 5, totpSecrets: 0, remaining: 0 });
      expect(await countByKey()).toEqual({ [NEW.id]: COUNT });
      expect(await lastRewrapEvent()).toEqual({ action: 'master_key.rewrap_completed', details: { activeMasterKeyId: NEW.id, versionsRewrapped: 5, totpSecretsRewrapped: 0 } });
    });

    it('exits non-zero naming how many are left and why when the lock is kept, and audits no completion', async () => {
      const output: string[] = [];
      const code = await rewrapCommand(keyring.app.get(DataSource), envelopeOf(NEW, OLD), keyring.app.get(AuditWriter), (line) => output.push(line), { batchSize: 2, lockWaitMs: 200, onProgress: () => undefined });
      expect(code).toBe(1);
      expect(output).toEqual([
        `\nRe-wrapped 4 secret version(s), 0 two-factor secret(s) and 0 webhook signing secret(s) onto master key "${NEW.id}".`,
        'NOT DONE: 1 encrypted value(s) are still under an older master key (locked by another transaction for more than 0.2 s). ' +
          'Keep the old key configured and run `npm run keyring -- rewrap` again.',
      ]);
      expect(await countByKey()).toEqual({ [OLD.id]: 1, [NEW.id]: COUNT - 1 });
      expect(await lastRewrapEvent()).toEqual({
        action: 'master_key.rewrap_stopped',
        details: { activeMasterKeyId: NEW.id, versionsRewrapped: 4, totpSecretsRewrapped: 0, valuesRemaining: 1 },
      });

      // Once the rotation is over, the next run carries on.
      await locker.query('COMMIT');
      expect(await rewrapCommand(keyring.app.get(DataSource), envelopeOf(NEW, OLD), keyring.app.get(AuditWriter), () => undefined, { onProgress: () => undefined })).toBe(0);
      expect(await countByKey()).toEqual({ [NEW.id]: COUNT });
    });
  });
});
