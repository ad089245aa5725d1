import { signUserHash } from '@keyring/signing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fastUserHashSigner } from './fast-signer';

const vectors: { secret: string; userIdentifier: string; userHash: string }[] = JSON.parse(
  readFileSync(join(__dirname, '../../../../libs/signing/test/vectors/huggy-user-hash.sign.json'), 'utf8'),
);

describe('fastUserHashSigner', () => {
  it.each(vectors)('reproduces the independent token for $userIdentifier byte for byte', ({ secret, userIdentifier, userHash }) => {
    expect(fastUserHashSigner(secret)(userIdentifier)).toBe(userHash);
  });

  const identifiers = ['plain', 'josé 😀 漢字', '"quoted" \\ back', '</script>', 'x'.repeat(512), '\u2028'];
  const now = new Date('2026-11-23T12:34:56.789Z');

  it.each([
    { claims: 'jti' as const },
    { claims: 'jti+iat' as const, now },
    { claims: 'jti+iat+exp' as const, ttlSeconds: 300, now },
  ])('matches libs/signing with claims $claims', async (options) => {
    const sign = fastUserHashSigner('a-widget-secret-value');
    for (const userIdentifier of identifiers) {
      expect(sign(userIdentifier, options)).toBe(await signUserHash('a-widget-secret-value', userIdentifier, options));
    }
  });
});
