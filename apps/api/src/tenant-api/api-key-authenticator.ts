import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ChangeFeed } from '../changes/change-feed';
import { LiveCache } from '../changes/live-cache';
import { constantTimeEqual, sha256 } from '../identity/secret-tokens';
import { isWellFormedApiKey } from './api-key-format';
import { ApiKeysRepository, type ApiKeyPrincipal, type ApiKeyScope } from './api-keys.repository';
import { TenantApiError, TenantApiErrorCode } from './tenant-api.errors';

/** Turns `Authorization: Bearer kr_…` into the key's principal, or says, for the tenant's developer, why not. */
@Injectable()
export class ApiKeyAuthenticator {
  /** Keys by the hex SHA-256 of the key; dropped on revocation through the change feed. */
  readonly cache: LiveCache<ApiKeyPrincipal & { keyHash: Buffer }>;

  constructor(
    private readonly keys: ApiKeysRepository,
    changes: ChangeFeed,
  ) {
    this.cache = new LiveCache(changes, 'api-key');
  }

  async authenticate(req: Request, scope: ApiKeyScope): Promise<ApiKeyPrincipal> {
    const header = req.headers.authorization;
    const presented = typeof header === 'string' && /^Bearer /i.test(header) ? header.slice(7).trim() : '';
    // The checksum turns away typos and lookalikes before any database work.
    if (!isWellFormedApiKey(presented)) {
      throw new TenantApiError(
        TenantApiErrorCode.ApiKeyInvalid,
        'Send a Keyring API key as "Authorization: Bearer kr_…"; the one sent is missing or malformed.',
      );
    }
    const hash = sha256(presented);
    const key = await this.cache.get(hash.toString('hex'), () => this.keys.findByHash(hash));
    if (!key || !constantTimeEqual(key.keyHash.toString('hex'), hash.toString('hex'))) {
      throw new TenantApiError(TenantApiErrorCode.ApiKeyInvalid, 'This API key is not known to Keyring.');
    }
    if (key.revokedAt) {
      throw new TenantApiError(TenantApiErrorCode.ApiKeyRevoked, 'This API key was revoked; ask the agency for a new one.');
    }
    if (key.expiresAt && new Date(key.expiresAt).getTime() <= Date.now()) {
      throw new TenantApiError(TenantApiErrorCode.ApiKeyExpired, `This API key expired at ${new Date(key.expiresAt).toISOString()}; ask the agency for a new one.`);
    }
    if (!key.scopes.includes(scope)) {
      throw new TenantApiError(TenantApiErrorCode.ScopeMissing, `This API key does not have the ${scope} scope.`);
    }
    const { keyHash: _keyHash, ...principal } = key;
    return principal;
  }
}
