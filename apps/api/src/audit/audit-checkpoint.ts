import { CompactSign, compactVerify, errors as joseErrors, type JWTVerifyGetKey } from 'jose';
import type { KeyObject } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { SYSTEM_CHAIN } from './audit-chain';

/** What a checkpoint states: the chain of `organizationId` held `hash` as its event `seq` at `issuedAt`. */
export interface CheckpointPayload {
  /** null for the installation's own chain. */
  organizationId: string | null;
  seq: number;
  hash: string;
  issuedAt: string;
  /** Only on the checkpoint that seals a chain's unkeyed (legacy) prefix: see `legacyDigest`. */
  legacyDigest?: string;
}

export class CheckpointError extends Error {}

const encoder = new TextEncoder();

/** A compact JWS (EdDSA, Ed25519) of `payload`, its key named by `kid` in the protected header. */
export function signCheckpoint(signer: { kid: string; privateKey: KeyObject }, payload: CheckpointPayload): Promise<string> {
  return new CompactSign(encoder.encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'EdDSA', kid: signer.kid, typ: 'keyring-audit-checkpoint+jws' })
    .sign(signer.privateKey);
}

/** The payload of a checkpoint whose signature holds under one of `keys` (a JWKS); CheckpointError otherwise. */
export async function verifyCheckpoint(jws: string, keys: JWTVerifyGetKey): Promise<CheckpointPayload> {
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws, keys, { algorithms: ['EdDSA'] }));
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) throw new CheckpointError(`is not validly signed by a published audit key (${error.code})`);
    throw error;
  }
  const parsed = JSON.parse(new TextDecoder().decode(payload)) as Partial<Record<keyof CheckpointPayload, unknown>>;
  const valid =
    (parsed.organizationId === null || typeof parsed.organizationId === 'string') &&
    Number.isSafeInteger(parsed.seq) &&
    (parsed.seq as number) >= 0 &&
    typeof parsed.hash === 'string' &&
    typeof parsed.issuedAt === 'string' &&
    (parsed.legacyDigest === undefined || typeof parsed.legacyDigest === 'string');
  if (!valid) throw new CheckpointError('is signed but does not hold organizationId, seq, hash and issuedAt');
  return parsed as CheckpointPayload;
}

/**
 * Signs and keeps a checkpoint of `chainId` at (`seq`, `hash`), or returns the one already kept at that seq: a
 * chain that did not move gets no new checkpoint however often one is asked for.
 */
export async function keepCheckpoint(
  manager: EntityManager,
  signer: { kid: string; privateKey: KeyObject },
  chainId: string,
  at: { seq: number; hash: string },
  legacyDigest?: string,
): Promise<string> {
  const issuedAt = new Date();
  const payload: CheckpointPayload = {
    organizationId: chainId === SYSTEM_CHAIN ? null : chainId,
    seq: at.seq,
    hash: at.hash,
    issuedAt: issuedAt.toISOString(),
    ...(legacyDigest ? { legacyDigest } : {}),
  };
  const jws = await signCheckpoint(signer, payload);
  // Insert-only (no UPDATE needed on the table), then read the checkpoint another caller kept first.
  const [inserted] = await manager.query<{ jws: string }[]>(
    `INSERT INTO audit_checkpoints (chain_id, seq, hash, issued_at, kid, jws, legacy_digest)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (chain_id, seq) DO NOTHING RETURNING jws`,
    [chainId, at.seq, at.hash, issuedAt, signer.kid, jws, legacyDigest ?? null],
  );
  if (inserted) return inserted.jws;
  const [kept] = await manager.query<{ jws: string }[]>('SELECT jws FROM audit_checkpoints WHERE chain_id = $1 AND seq = $2', [chainId, at.seq]);
  return kept.jws;
}
