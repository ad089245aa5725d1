import { Envelope, EnvelopeError, keyIdOf } from './envelope';
import type { MasterKey } from './master-keys';

const oldKey: MasterKey = { id: 'old', key: new Uint8Array(32).fill(1) };
const newKey: MasterKey = { id: 'new', key: new Uint8Array(32).fill(2) };
const envelope = (active: MasterKey, ...others: MasterKey[]) =>
  new Envelope({ active, byId: new Map([active, ...others].map((key) => [key.id, key])) });

const binding = { purpose: 'widget-secret', organizationId: 'org-1', widgetId: 'w-1', version: 3 };

describe('Envelope', () => {
  it('writes a JWE with A256GCMKW, A256GCM, the master key id and the binding in the protected header', async () => {
    const jwe = await envelope(newKey).encrypt('s3cr3t-k3y', binding);
    const header = JSON.parse(Buffer.from(jwe.split('.')[0], 'base64url').toString());
    // iv and tag belong to the AES-GCM key wrap.
    expect(header).toEqual({ ...binding, alg: 'A256GCMKW', enc: 'A256GCM', kid: 'new', iv: expect.any(String), tag: expect.any(String) });
    expect(jwe.split('.')).toHaveLength(5);
    expect(jwe).not.toContain('s3cr3t');
    await expect(envelope(newKey).decrypt(jwe, binding)).resolves.toBe('s3cr3t-k3y');
  });

  it('uses a fresh content key each time', async () => {
    const a = await envelope(newKey).encrypt('same', binding);
    const b = await envelope(newKey).encrypt('same', binding);
    expect(a).not.toBe(b);
  });

  it('opens values of an older key while a newer one is active', async () => {
    const jwe = await envelope(oldKey).encrypt('kept', binding);
    expect(keyIdOf(jwe)).toBe('old');
    await expect(envelope(newKey, oldKey).decrypt(jwe, binding)).resolves.toBe('kept');
  });

  it.each([
    ['another widget', { ...binding, widgetId: 'w-2' }, 'The value is bound to another widgetId: it was copied from elsewhere'],
    ['another version', { ...binding, version: 4 }, 'The value is bound to another version: it was copied from elsewhere'],
  ])('refuses a ciphertext moved to %s', async (_label, otherBinding, message) => {
    const jwe = await envelope(newKey).encrypt('moved', binding);
    await expect(envelope(newKey).decrypt(jwe, otherBinding)).rejects.toThrow(new EnvelopeError(message));
  });

  it('refuses a flipped byte, a missing key and garbage, with an EnvelopeError', async () => {
    const jwe = await envelope(newKey).encrypt('intact', binding);
    const parts = jwe.split('.');
    const tag = Buffer.from(parts[4], 'base64url');
    tag[0] ^= 1;
    const flipped = [...parts.slice(0, 4), tag.toString('base64url')].join('.');
    await expect(envelope(newKey).decrypt(flipped, binding)).rejects.toBeInstanceOf(EnvelopeError);
    await expect(envelope(oldKey).decrypt(jwe, binding)).rejects.toThrow('The value is wrapped by master key "new", which is not configured');
    await expect(envelope(newKey).decrypt('garbage', binding)).rejects.toThrow('The value is not a JWE');
  });
});
