import type { ApiKey } from '@keyring/contracts';
import { iso, isoOrNull } from '../common/http/iso';
import type { ApiKeyView } from './api-keys.repository';

/** The repository's row as the libs/contracts type. */
export function toApiKey(key: ApiKeyView): ApiKey {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    tenantId: key.tenantId,
    tenantName: key.tenantName,
    scopes: key.scopes,
    widgetIds: key.widgetIds,
    expiresAt: isoOrNull(key.expiresAt),
    createdAt: iso(key.createdAt),
    revokedAt: isoOrNull(key.revokedAt),
    lastUsedAt: isoOrNull(key.lastUsedAt),
  };
}
