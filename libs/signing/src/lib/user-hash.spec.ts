import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signUserHash, verifyUserHash } from './user-hash';
import { UserHashError } from './user-hash-error';

// The vectors were made with PyJWT and PHP, independently of this code (provenance: libs/signing/test/vectors).
const vectorsDir = join(__dirname, '../../test/vectors');
const signVectors: { secret: string; userIdentifier: string; userHash: string }[] = JSON.parse(
  readFileSync(join(vectorsDir, 'huggy-user-hash.sign.json'), 'utf8'),
);
const verifyVectors: {
  secret: string;
  userHash: string;
  valid: boolean;
  userIdentifier?: string;
  producer: string;
}[] = JSON.parse(readFileSync(join(vectorsDir, 'huggy-user-hash.verify.json'), 'utf8'));

const decodePart = (token: string, index: number) =>
  Buffer.from(token.split('.')[index], 'base64url').toString('utf8');

async function rejection(promise: Promise<unknown>): Promise<UserHashError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UserHashError) return error;
    throw error;
  }
  throw new Error('expected a UserHashError, got a result');
}

describe('signUserHash', () => {
  it('has vectors to check against', () => {
    expect(signVectors.length).toBeGreaterThanOrEqual(6);
  });

  it.each(signVectors)('reproduces the independent token for $userIdentifier byte for byte', async (vector) => {
    await expect(signUserHash(vector.secret, vector.userIdentifier)).resolves.toBe(vector.userHash);
  });

  it('writes the header as Huggy does and the identifier as raw UTF-8', async () => {
    const token = await signUserHash('a-secret-of-some-length', 'josé@exemplo.com.br');
    expect(decodePart(token, 0)).toBe('{"typ":"JWT","alg":"HS256"}');
    expect(decodePart(token, 1)).toBe('{"jti":"josé@exemplo.com.br"}');
  });

  it('adds iat, then iat and exp, when the policy asks for them', async () => {
    const now = new Date('2026-01-02T03:04:05.678Z');
    const withIat = await signUserHash('a-secret-of-some-length', 'u1', { claims: 'jti+iat', now });
    expect(JSON.parse(decodePart(withIat, 1))).toEqual({ jti: 'u1', iat: 1767323045 });

    const withExp = await signUserHash('a-secret-of-some-length', 'u1', { claims: 'jti+iat+exp', ttlSeconds: 300, now });
    expect(JSON.parse(decodePart(withExp, 1))).toEqual({ jti: 'u1', iat: 1767323045, exp: 1767323345 });
  });

  it.each([
    ['an empty secret', '', 'user'],
    ['an empty identifier', 'secret', ''],
    ['a non-string identifier', 'secret', 42 as unknown as string],
    ['a missing identifier', 'secret', undefined as unknown as string],
  ])('refuses %s with an input error, never a token', async (_label, secret, userIdentifier) => {
    const error = await rejection(signUserHash(secret, userIdentifier));
    expect(error.code).toBe('input');
  });

  it('refuses an expiring policy without a positive ttl', async () => {
    const error = await rejection(signUserHash('secret', 'user', { claims: 'jti+iat+exp', ttlSeconds: 0 }));
    expect(error.code).toBe('input');
    expect(error.message).toContain('ttlSeconds');
  });
});

describe('verifyUserHash', () => {
  const accepted = verifyVectors.filter((vector) => vector.valid);
  const rejected = verifyVectors.filter((vector) => !vector.valid);

  it('has valid and invalid vectors to check against', () => {
    expect(accepted.length).toBeGreaterThanOrEqual(6);
    expect(rejected.length).toBeGreaterThanOrEqual(8);
  });

  it.each(accepted)('accepts the $producer token for $userIdentifier', async (vector) => {
    await expect(verifyUserHash(vector.secret, vector.userHash)).resolves.toEqual({
      userIdentifier: vector.userIdentifier,
    });
  });

  const expectedCode: Record<string, string> = {
    'wrong-secret': 'signature',
    'tampered-payload': 'signature',
    'alg-none': 'algorithm',
    'alg-hs512': 'algorithm',
    'missing-jti': 'claims',
    'jti-not-string': 'claims',
    'truncated-signature': 'signature',
    'not-a-jwt': 'malformed',
    empty: 'malformed',
  };

  it.each(rejected)('rejects the $producer token with a typed error', async (vector) => {
    const error = await rejection(verifyUserHash(vector.secret, vector.userHash));
    expect(error.code).toBe(expectedCode[vector.producer]);
  });

  it('knows the expected code of every rejected vector', () => {
    expect(rejected.map((vector) => vector.producer).filter((producer) => !(producer in expectedCode))).toEqual([]);
  });

  it('round-trips its own tokens with every claims policy', async () => {
    const now = new Date('2026-01-02T03:04:05Z');
    const token = await signUserHash('round-trip-secret', 'visitor 1', { claims: 'jti+iat+exp', ttlSeconds: 60, now });
    await expect(verifyUserHash('round-trip-secret', token, { now })).resolves.toEqual({
      userIdentifier: 'visitor 1',
      issuedAt: now,
      expiresAt: new Date(now.getTime() + 60_000),
    });
  });

  it('rejects an expired token as expired', async () => {
    const now = new Date('2026-01-02T03:04:05Z');
    const token = await signUserHash('round-trip-secret', 'visitor 1', { claims: 'jti+iat+exp', ttlSeconds: 60, now });
    const error = await rejection(verifyUserHash('round-trip-secret', token, { now: new Date(now.getTime() + 61_000) }));
    expect(error.code).toBe('expired');
  });
});
