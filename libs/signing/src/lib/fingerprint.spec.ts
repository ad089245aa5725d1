import { createHash } from 'node:crypto';
import { secretFingerprint } from './fingerprint';

describe('secretFingerprint', () => {
  it('is four groups of four Crockford base32 characters, stable for a widget and secret', async () => {
    const fingerprint = await secretFingerprint('w-1', 'a3f1c9e07b2d4e6f8a1b3c5d7e9f0a2b');
    expect(fingerprint).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(await secretFingerprint('w-1', 'a3f1c9e07b2d4e6f8a1b3c5d7e9f0a2b')).toBe(fingerprint);
  });

  it('is the first 80 bits of SHA-256 over the salted secret', async () => {
    const digest = createHash('sha256').update('keyring-fingerprint-v1\u0000w-1\u0000secret-value').digest();
    const bits = [...digest.subarray(0, 10)].map((byte) => byte.toString(2).padStart(8, '0')).join('');
    const expected = bits.match(/.{5}/g)!.map((chunk) => '0123456789ABCDEFGHJKMNPQRSTVWXYZ'[parseInt(chunk, 2)]).join('');
    expect((await secretFingerprint('w-1', 'secret-value')).replace(/-/g, '')).toBe(expected);
  });

  it('differs between widgets and between secrets that differ only in white space', async () => {
    const base = await secretFingerprint('w-1', 'same-secret');
    expect(await secretFingerprint('w-2', 'same-secret')).not.toBe(base);
    expect(await secretFingerprint('w-1', 'same-secret\n')).not.toBe(base);
  });
});
