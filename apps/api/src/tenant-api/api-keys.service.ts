import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../access/principal';
import type { RequestContext } from '../access/request-context';
import type { Scope } from '../access/scope';
import { AuditWriter } from '../audit/audit-writer.service';
import { ChangeFeed } from '../changes/change-feed';
import { decodeCursor, keysetPage } from '../common/http/cursor';
import { TenantsService } from '../custody/tenants.service';
import { sha256 } from '../identity/secret-tokens';
import { newApiKey, VISIBLE_PREFIX_LENGTH } from './api-key-format';
import type { CreateApiKeyDto } from './api-keys.dto';
import { EXPIRY_NOTICE_DAYS } from './expiring-api-keys';
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
    private readonly tenants: TenantsService,
    private readonly audit: AuditWriter,
    private readonly changes: ChangeFeed,
  ) {}

  async create(scope: Scope, dto: CreateApiKeyDto, principal: Principal, context: RequestContext): Promise<{ apiKey: ApiKeyView; key: string }> {
    const key = newApiKey();
    const scopes = [...new Set(dto.scopes)];
    const apiKey = await this.db.transaction(async (manager) => {
      // The tenant stays locked until the key exists: an archive cannot slip in between.
      const tenant = await this.tenants.lockLive(manager, scope, dto.tenantId, 'given new API keys');
      const created = await this.keys.insert(manager, scope, {
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
        organizationId: scope.organizationId,
        action: 'api_key.created',
        target: { type: 'api_key', id: created.id },
        tenantId: tenant.id,
        details: { name: created.name, prefix: created.prefix, scopes, widgetIds: created.widgetIds, expiresAt: created.expiresAt },
      });
      return created;
    });
    return { apiKey, key };
  }

  /** `expiring`: only live keys that expire within EXPIRY_NOTICE_DAYS (those the reminders job announces). */
  async list(scope: Scope, query: { tenantId?: string; limit?: number; cursor?: string; expiring?: boolean }) {
    const limit = query.limit ?? DEFAULT_PAGE;
    const after = query.cursor ? decodeCursor(query.cursor, 2) : undefined;
    const rows = await this.keys.list(
      scope,
      query.tenantId ?? null,
      limit + 1,
      after ? { createdAt: String(after[0]), id: String(after[1]) } : undefined,
      query.expiring ? EXPIRY_NOTICE_DAYS : undefined,
    );
    return keysetPage(rows, limit, (key) => [new Date(key.createdAt).toISOString(), key.id]);
  }

  /** The keys `userId` created that still work, within the scope (an offboarding report lists them). */
  workingCreatedBy(scope: Scope, userId: string): Promise<ApiKeyView[]> {
    return this.keys.workingCreatedBy(scope, userId);
  }

  /** Revoking a revoked key changes nothing and audits nothing. */
  async revoke(scope: Scope, id: string, context: RequestContext): Promise<ApiKeyView> {
    return this.db.transaction(async (manager) => {
      const revoked = await this.keys.revoke(manager, scope, id);
      if (!revoked) {
        const existing = await this.keys.find(scope, id, manager);
        if (!existing) throw keyNotFound();
        return existing;
      }
      await this.changes.publish(manager, { kind: 'api-key', id });
      await this.audit.record(manager, context, {
        organizationId: scope.organizationId,
        action: 'api_key.revoked',
        target: { type: 'api_key', id },
        tenantId: revoked.tenantId,
        details: { name: revoked.name, prefix: revoked.prefix },
      });
      return revoked;
    });
  }
}
