import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fastUserHashSigner } from './fast-signer';
import { signUserHash, type SignUserHashOptions } from './user-hash';
import { UserHashError } from './user-hash-error';

// The same independent vectors as signUserHash's (made with PyJWT and PHP).
const vectors: { secret: string; userIdentifier: string; userHash: string }[] = JSON.parse(
  readFileSync(join(__dirname, '../../test/vectors/huggy-user-hash.sign.json'), 'utf8'),
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

  it.each([
    ['no lifetime with exp', 'visitor', { claims: 'jti+iat+exp' }],
    ['a zero lifetime', 'visitor', { claims: 'jti+iat+exp', ttlSeconds: 0 }],
    ['a fractional lifetime', 'visitor', { claims: 'jti+iat+exp', ttlSeconds: 1.5 }],
    ['an empty identifier', '', { claims: 'jti' }],
  ] as [string, string, SignUserHashOptions][])('refuses %s, as signUserHash does', async (_case, userIdentifier, options) => {
    const refusal = await signUserHash('a-widget-secret-value', userIdentifier, options).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(UserHashError);
    expect(() => fastUserHashSigner('a-widget-secret-value')(userIdentifier, options)).toThrow(refusal as UserHashError);
  });

  it('refuses an empty secret, as signUserHash does', async () => {
    await expect(signUserHash('', 'visitor')).rejects.toThrow('The widget secret must be a non-empty string.');
    expect(() => fastUserHashSigner('')).toThrow('The widget secret must be a non-empty string.');
  });
});
