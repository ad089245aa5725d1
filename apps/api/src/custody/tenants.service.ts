import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../access/principal';
import type { RequestContext } from '../access/request-context';
import { AuditWriter } from '../audit/audit-writer.service';
import { decodeCursor, keysetPage } from '../common/http/cursor';
import { CustodyError, CustodyErrorCode, tenantNotFound } from './custody.errors';
import { inScope, tenantScope } from './tenant-scope';
import { TenantsRepository, type TenantView } from './tenants.repository';

const DEFAULT_PAGE = 50;

@Injectable()
export class TenantsService {
  constructor(
    private readonly db: DataSource,
    private readonly tenants: TenantsRepository,
    private readonly audit: AuditWriter,
  ) {}

  async create(organizationId: string, name: string, principal: Principal, context: RequestContext): Promise<TenantView> {
    if (tenantScope(principal) !== null) {
      throw new CustodyError(CustodyErrorCode.TenantScopeForbidden, 'You are limited to some tenants, so you cannot create new ones.');
    }
    return this.db.transaction(async (manager) => {
      const tenant = await this.tenants.insert(manager, organizationId, name.trim());
      await this.audit.record(manager, context, {
        organizationId,
        action: 'tenant.created',
        target: { type: 'tenant', id: tenant.id },
        tenantId: tenant.id,
        details: { name: tenant.name },
      });
      return tenant;
    });
  }

  async list(organizationId: string, principal: Principal, query: { q?: string; limit?: number; cursor?: string; includeArchived?: boolean }) {
    const limit = query.limit ?? DEFAULT_PAGE;
    const after = query.cursor ? decodeCursor(query.cursor, 2) : undefined;
    const rows = await this.tenants.list(
      organizationId,
      { q: query.q, scope: tenantScope(principal), includeArchived: query.includeArchived ?? false },
      limit + 1,
      after ? { name: String(after[0]), id: String(after[1]) } : undefined,
    );
    return keysetPage(rows, limit, (tenant) => [tenant.name, tenant.id]);
  }

  async get(organizationId: string, id: string, principal: Principal): Promise<TenantView> {
    const tenant = await this.tenants.find(organizationId, id);
    if (!tenant || !inScope(tenantScope(principal), tenant.id)) throw tenantNotFound();
    return tenant;
  }

  async rename(organizationId: string, id: string, name: string, principal: Principal, context: RequestContext): Promise<TenantView> {
    const before = await this.get(organizationId, id, principal);
    return this.db.transaction(async (manager) => {
      await this.tenants.rename(manager, organizationId, id, name.trim());
      await this.audit.record(manager, context, {
        organizationId,
        action: 'tenant.updated',
        target: { type: 'tenant', id },
        tenantId: id,
        details: { from: { name: before.name }, to: { name: name.trim() } },
      });
      return (await this.tenants.find(organizationId, id, manager))!;
    });
  }

  async archive(organizationId: string, id: string, principal: Principal, context: RequestContext): Promise<TenantView> {
    const tenant = await this.get(organizationId, id, principal);
    return this.db.transaction(async (manager) => {
      await this.tenants.archive(manager, organizationId, id);
      await this.audit.record(manager, context, {
        organizationId,
        action: 'tenant.archived',
        target: { type: 'tenant', id },
        tenantId: id,
        details: { name: tenant.name },
      });
      return (await this.tenants.find(organizationId, id, manager))!;
    });
  }
}
