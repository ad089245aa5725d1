import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, type JWK } from 'jose';
import { createPrivateKey, createPublicKey, generateKeyPairSync, hkdfSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { Envelope, keyIdOf } from '../crypto/envelope';
import { MASTER_KEYS, type MasterKeys } from '../crypto/master-keys';

/** HKDF label of the audit MAC keys: the same master key material gives unrelated keys for each purpose. */
const MAC_KEY_LABEL = 'keyring/audit-chain/mac-key/v1';

/** The public half of a checkpoint-signing key, as published in the JWKS. */
export type AuditPublicJwk = JWK & { kid: string; kty: 'OKP'; crv: 'Ed25519'; alg: 'EdDSA'; use: 'sig' };

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: AuditPublicJwk;
}

interface KeyRow {
  kind: 'mac' | 'signing';
  kid: string;
  wrapped: string;
}

/** The audit key of a master key: HKDF-SHA256 with its own label. */
export function deriveAuditMacKey(masterKey: Uint8Array): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', masterKey, new Uint8Array(0), MAC_KEY_LABEL, 32));
}

/**
 * The audit log's keys: MAC keys (one per master key, named after it; new events use the active master key's)
 * and the Ed25519 keys that sign checkpoints (the newest signs; all stay published). Each is kept in `audit_keys`
 * as a JWE under the active master key, so that retiring a master key neither strands the events MACed under its
 * audit key nor the checkpoints signed before. Only keys that open under a configured master key are trusted or
 * published: a key row written straight into the database is ignored.
 */
@Injectable()
export class AuditKeys implements OnModuleInit {
  private readonly logger = new Logger('AuditKeys');
  private readonly envelope: Envelope;
  private macKeys = new Map<string, Uint8Array>();
  private signingKeys: SigningKey[] = [];

  constructor(
    @Inject(MASTER_KEYS) private readonly masterKeys: MasterKeys,
    private readonly db: DataSource,
  ) {
    this.envelope = new Envelope(masterKeys);
  }

  onModuleInit(): Promise<void> {
    return this.load();
  }

  /** Reads, completes and re-wraps the stored keys; several instances starting at once take turns. */
  async load(): Promise<void> {
    await this.db.transaction(async (manager) => {
      await manager.query("SELECT pg_advisory_xact_lock(hashtextextended('audit-keys', 0))");
      const rows = await manager.query<KeyRow[]>('SELECT kind, kid, wrapped FROM audit_keys ORDER BY created_at DESC, kid');
      const macKeys = new Map<string, Uint8Array>();
      const signingKeys: SigningKey[] = [];
      let signerUnderActiveMasterKey = false;
      for (const row of rows) {
        const opened = await this.open(manager, row);
        if (opened === undefined) continue;
        // The row as read: open() may have re-wrapped it under the active master key since.
        const wrappedUnder = keyIdOf(row.wrapped);
        if (row.kind === 'mac') {
          macKeys.set(row.kid, Buffer.from(opened, 'base64'));
        } else {
          if (signingKeys.length === 0) signerUnderActiveMasterKey = wrappedUnder === this.masterKeys.active.id;
          signingKeys.push(await signingKey(createPrivateKey({ key: JSON.parse(opened) as JsonWebKey, format: 'jwk' })));
        }
      }
      for (const master of this.masterKeys.byId.values()) {
        const derived = deriveAuditMacKey(master.key);
        if (!macKeys.has(master.id)) await this.store(manager, 'mac', master.id, Buffer.from(derived).toString('base64'));
        macKeys.set(master.id, derived);
      }
      // A new active master key brings a new signing key; the older ones stay trusted and published, for the
      // checkpoints they signed.
      if (!signerUnderActiveMasterKey) {
        const created = await signingKey(generateKeyPairSync('ed25519').privateKey);
        await this.store(manager, 'signing', created.kid, JSON.stringify(created.privateKey.export({ format: 'jwk' })));
        signingKeys.unshift(created);
      }
      this.macKeys = macKeys;
      this.signingKeys = signingKeys;
    });
  }

  /** The audit key new events are MACed under: the active master key's. */
  get activeMacKey(): { id: string; key: Uint8Array } {
    const id = this.masterKeys.active.id;
    return { id, key: this.macKeys.get(id)! };
  }

  macKey(kid: string): Uint8Array | undefined {
    return this.macKeys.get(kid);
  }

  /** The key that signs new checkpoints. */
  get signer(): { kid: string; privateKey: KeyObject } {
    return this.signingKeys[0];
  }

  /** Every trusted checkpoint-signing key, newest first. */
  jwks(): { keys: AuditPublicJwk[] } {
    return { keys: this.signingKeys.map((key) => key.publicJwk) };
  }

  /** Resolves a JWS header's kid among the trusted keys, for jose's verify. */
  keyResolver() {
    return createLocalJWKSet(this.jwks());
  }

  /** The stored key in clear, re-wrapped when its master key is not the active one; undefined if it does not open. */
  private async open(manager: EntityManager, row: KeyRow): Promise<string | undefined> {
    let clear: string;
    try {
      clear = await this.envelope.decrypt(row.wrapped, binding(row.kind, row.kid));
    } catch (error) {
      this.logger.warn(`Ignoring the stored audit ${row.kind} key "${row.kid}": ${(error as Error).message}`);
      return undefined;
    }
    if (keyIdOf(row.wrapped) !== this.envelope.activeKeyId) {
      const rewrapped = await this.envelope.encrypt(clear, binding(row.kind, row.kid));
      await manager.query('UPDATE audit_keys SET wrapped = $3 WHERE kind = $1 AND kid = $2', [row.kind, row.kid, rewrapped]);
    }
    return clear;
  }

  private async store(manager: EntityManager, kind: KeyRow['kind'], kid: string, clear: string): Promise<void> {
    const wrapped = await this.envelope.encrypt(clear, binding(kind, kid));
    await manager.query('INSERT INTO audit_keys (kind, kid, wrapped) VALUES ($1, $2, $3)', [kind, kid, wrapped]);
  }
}

// Not `kid`: that header names the master key.
const binding = (kind: KeyRow['kind'], kid: string) => ({ purpose: `audit-${kind}-key`, auditKeyId: kid });

/** A signing key named by its public key's RFC 7638 thumbprint, so that a kid cannot be reused for another key. */
async function signingKey(privateKey: KeyObject): Promise<SigningKey> {
  const jwk = await exportJWK(createPublicKey(privateKey));
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg: 'EdDSA', use: 'sig' } as AuditPublicJwk };
}
