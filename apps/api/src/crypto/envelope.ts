import { Inject, Injectable } from '@nestjs/common';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader, errors as joseErrors } from 'jose';
import { MASTER_KEYS, type MasterKeys } from './master-keys';

/**
 * What an encrypted value belongs to, written into the JWE protected header and checked on decryption: a
 * ciphertext copied onto another row (another widget, version or user) does not open.
 */
export type EnvelopeBinding = { purpose: string } & Record<string, string | number>;

export class EnvelopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Envelope encryption in the JOSE standard: JWE compact, `A256GCMKW` wraps a random per-value content key under
 * the master key named by `kid`, `A256GCM` encrypts the value. Old and new master keys coexist during a re-wrap.
 */
@Injectable()
export class Envelope {
  constructor(@Inject(MASTER_KEYS) private readonly keys: MasterKeys) {}

  get activeKeyId(): string {
    return this.keys.active.id;
  }

  encrypt(plaintext: string, binding: EnvelopeBinding): Promise<string> {
    return new CompactEncrypt(encoder.encode(plaintext))
      .setProtectedHeader({ ...binding, alg: 'A256GCMKW', enc: 'A256GCM', kid: this.keys.active.id })
      .encrypt(this.keys.active.key);
  }

  async decrypt(jwe: string, binding: EnvelopeBinding): Promise<string> {
    const kid = keyIdOf(jwe);
    const masterKey = this.keys.byId.get(kid);
    if (!masterKey) throw new EnvelopeError(`The value is wrapped by master key "${kid}", which is not configured`);
    let result;
    try {
      result = await compactDecrypt(jwe, masterKey.key, { keyManagementAlgorithms: ['A256GCMKW'], contentEncryptionAlgorithms: ['A256GCM'] });
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) throw new EnvelopeError(`The value does not decrypt (${error.code})`);
      throw error;
    }
    for (const [name, expected] of Object.entries(binding)) {
      if (result.protectedHeader[name] !== expected) {
        throw new EnvelopeError(`The value is bound to another ${name}: it was copied from elsewhere`);
      }
    }
    return decoder.decode(result.plaintext);
  }
}

/** The master key id of a JWE, read without decrypting. */
export function keyIdOf(jwe: string): string {
  let kid: unknown;
  try {
    kid = decodeProtectedHeader(jwe).kid;
  } catch {
    throw new EnvelopeError('The value is not a JWE');
  }
  if (typeof kid !== 'string') throw new EnvelopeError('The value names no master key');
  return kid;
}
