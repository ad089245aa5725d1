import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../access/principal';
import type { RequestContext } from '../access/request-context';
import { AuditWriter } from '../audit/audit-writer.service';
import { ChangeFeed } from '../changes/change-feed';
import { decodeCursor, keysetPage } from '../common/http/cursor';
import { tenantNotFound } from '../custody/custody.errors';
import { inScope, tenantScope } from '../custody/tenant-scope';
import { TenantsRepository } from '../custody/tenants.repository';
import { sha256 } from '../identity/secret-tokens';
import { newApiKey, VISIBLE_PREFIX_LENGTH } from './api-key-format';
import type { CreateApiKeyDto } from './api-keys.dto';
import { ApiKeysRepository, type ApiKeyView } from './api-keys.repository';
import { TenantApiError, TenantApiErrorCode } from './tenant-api.errors';

const DEFAULT_PAGE = 50;
const keyNotFound = () => new TenantApiError(TenantApiErrorCode.ApiKeyNotFound, 'No such API key.');

/** API keys of a tenant's backend: created (shown once), listed, revoked. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly db: DataSource,
    private readonly keys: ApiKeysRepository,
    private readonly tenants: TenantsRepository,
    private readonly audit: AuditWriter,
    private readonly changes: ChangeFeed,
  ) {}

  async create(organizationId: string, dto: CreateApiKeyDto, principal: Principal, context: RequestContext): Promise<{ apiKey: ApiKeyView; key: string }> {
    const tenant = await this.tenants.find(organizationId, dto.tenantId);
    if (!tenant || !inScope(tenantScope(principal), tenant.id)) throw tenantNotFound();
    const key = newApiKey();
    const scopes = [...new Set(dto.scopes)];
    const apiKey = await this.db.transaction(async (manager) => {
      const created = await this.keys.insert(manager, {
        organizationId,
        tenantId: tenant.id,
        name: dto.name.trim(),
        prefix: key.slice(0, VISIBLE_PREFIX_LENGTH),
        keyHash: sha256(key),
        scopes,
        widgetIds: dto.widgetIds ?? null,
        expiresAt: dto.expiresAt ?? null,
        createdBy: principal.userId,
      });
      await this.audit.record(manager, context, {
        organizationId,
        action: 'api_key.created',
        target: { type: 'api_key', id: created.id },
        tenantId: tenant.id,
        details: { name: created.name, prefix: created.prefix, scopes, widgetIds: created.widgetIds, expiresAt: created.expiresAt },
      });
      return created;
    });
    return { apiKey, key };
  }

  async list(organizationId: string, principal: Principal, limit = DEFAULT_PAGE, cursor?: string) {
    const after = cursor ? decodeCursor(cursor, 2) : undefined;
    const rows = await this.keys.list(organizationId, tenantScope(principal), limit + 1, after ? { createdAt: String(after[0]), id: String(after[1]) } : undefined);
    return keysetPage(rows, limit, (key) => [new Date(key.createdAt).toISOString(), key.id]);
  }

  async revoke(organizationId: string, id: string, principal: Principal, context: RequestContext): Promise<ApiKeyView> {
    const key = await this.keys.find(organizationId, id);
    if (!key || !inScope(tenantScope(principal), key.tenantId)) throw keyNotFound();
    return this.db.transaction(async (manager) => {
      await this.keys.revoke(manager, organizationId, id);
      await this.changes.publish(manager, { kind: 'api-key', id });
      await this.audit.record(manager, context, {
        organizationId,
        action: 'api_key.revoked',
        target: { type: 'api_key', id },
        tenantId: key.tenantId,
        details: { name: key.name, prefix: key.prefix },
      });
      return (await this.keys.find(organizationId, id, manager))!;
    });
  }
}
