import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** How far ahead an API key's expiry is announced (api_key.expiring, the dashboard). */
export const EXPIRY_NOTICE_DAYS = 7;

export interface ExpiringApiKey {
  organizationId: string;
  tenantId: string;
  id: string;
  name: string;
  prefix: string;
  expiresAt: Date;
}

/** Every organization's live API keys that expire within EXPIRY_NOTICE_DAYS, for the reminders job (webhooks/). */
@Injectable()
export class ExpiringApiKeys {
  list(manager: EntityManager): Promise<ExpiringApiKey[]> {
    return manager.query<ExpiringApiKey[]>(
      `SELECT k.organization_id AS "organizationId", k.tenant_id AS "tenantId", k.id, k.name, k.prefix, k.expires_at AS "expiresAt"
         FROM api_keys k JOIN tenants t ON t.id = k.tenant_id AND t.archived_at IS NULL
        WHERE k.revoked_at IS NULL AND k.expires_at > now() AND k.expires_at <= now() + make_interval(days => $1)
        ORDER BY k.expires_at`,
      [EXPIRY_NOTICE_DAYS],
    );
  }
}
