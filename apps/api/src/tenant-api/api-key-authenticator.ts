import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ApiKeyScope } from '@keyring/contracts';
import { ChangeFeed } from '../changes/change-feed';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';
import { LiveCache } from '../changes/live-cache';
import { andThen, type MaybePromise } from '../common/maybe-promise';
import { sha256 } from '../identity/secret-tokens';
import { hasApiKeyShape, isWellFormedApiKey } from './api-key-format';
import { ApiKeysRepository, type ApiKeyPrincipal } from './api-keys.repository';
import { TenantApiError, TenantApiErrorCode } from './tenant-api.errors';

interface CachedKey {
  id: string;
  keyHash: Buffer;
  principal: ApiKeyPrincipal;
}

/** Turns `Authorization: Bearer kr_…` into the key's principal, or says, for the tenant's developer, why not. */
@Injectable()
export class ApiKeyAuthenticator {
  /** Keys by the base64 SHA-256 of the key; dropped on revocation through the change feed. */
  readonly cache: LiveCache<CachedKey>;

  constructor(
    private readonly keys: ApiKeysRepository,
    changes: ChangeFeed,
    @Inject(KEYRING_CONFIG) config: KeyringConfig,
  ) {
    this.cache = new LiveCache(changes, 'api-key', config.tenantCacheEntries);
  }

  authenticate(header: string | undefined, scope: ApiKeyScope): MaybePromise<ApiKeyPrincipal> {
    const presented = typeof header === 'string' && /^Bearer /i.test(header) ? header.slice(7).trim() : '';
    if (!hasApiKeyShape(presented)) throw malformed();
    const hash = sha256(presented);
    // The checksum turns away typos and lookalikes before any database work; a cached key has passed it already.
    const key = this.cache.get(hash.toString('base64'), async () => {
      if (!isWellFormedApiKey(presented)) throw malformed();
      const found = await this.keys.findByHash(hash);
      if (!found) return null;
      const { keyHash, ...principal } = found;
      return { id: found.id, keyHash, principal };
    });
    return andThen(key, (found) => admit(found, hash, scope));
  }
}

/** The key's principal if the key is known, live and holds `scope`. */
function admit(key: CachedKey | null, hash: Buffer, scope: ApiKeyScope): ApiKeyPrincipal {
  if (!key || !timingSafeEqual(key.keyHash, hash)) {
    throw new TenantApiError(TenantApiErrorCode.ApiKeyInvalid, 'This API key is not known to Keyring.');
  }
  const { principal } = key;
  if (principal.revokedAt) {
    throw new TenantApiError(TenantApiErrorCode.ApiKeyRevoked, 'This API key was revoked; ask the agency for a new one.');
  }
  if (principal.expiresAt && new Date(principal.expiresAt).getTime() <= Date.now()) {
    throw new TenantApiError(
      TenantApiErrorCode.ApiKeyExpired,
      `This API key expired at ${new Date(principal.expiresAt).toISOString()}; ask the agency for a new one.`,
    );
  }
  if (!principal.scopes.includes(scope)) {
    throw new TenantApiError(TenantApiErrorCode.ScopeMissing, `This API key does not have the ${scope} scope.`);
  }
  return principal;
}

const malformed = () =>
  new TenantApiError(
    TenantApiErrorCode.ApiKeyInvalid,
    'Send a Keyring API key as "Authorization: Bearer kr_…"; the one sent is missing or malformed.',
  );
