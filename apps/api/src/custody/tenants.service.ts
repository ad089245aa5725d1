import { Injectable } from '@nestjs/common';
import type { TenantSummary } from '@keyring/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import type { RequestContext } from '../access/request-context';
import type { Scope } from '../access/scope';
import { AuditWriter } from '../audit/audit-writer.service';
import { ChangeFeed } from '../changes/change-feed';
import { decodeCursor, keysetPage } from '../common/http/cursor';
import { CustodyError, CustodyErrorCode, tenantNotFound } from './custody.errors';
import { TenantsRepository, type TenantView } from './tenants.repository';

const DEFAULT_PAGE = 50;

@Injectable()
export class TenantsService {
  constructor(
    private readonly db: DataSource,
    private readonly tenants: TenantsRepository,
    private readonly audit: AuditWriter,
    private readonly changes: ChangeFeed,
  ) {}

  async create(scope: Scope, name: string, context: RequestContext): Promise<TenantView> {
    if (scope.tenants !== 'all') {
      throw new CustodyError(CustodyErrorCode.TenantScopeForbidden, 'You are limited to some tenants, so you cannot create new ones.');
    }
    return this.db.transaction(async (manager) => {
      const tenant = await this.tenants.insert(manager, scope, name.trim());
      await this.audit.record(manager, context, {
        organizationId: scope.organizationId,
        action: 'tenant.created',
        target: { type: 'tenant', id: tenant.id },
        tenantId: tenant.id,
        details: { name: tenant.name },
      });
      return tenant;
    });
  }

  async list(scope: Scope, query: { q?: string; limit?: number; cursor?: string; includeArchived?: boolean }) {
    const limit = query.limit ?? DEFAULT_PAGE;
    const after = query.cursor ? decodeCursor(query.cursor, 2) : undefined;
    const rows = await this.tenants.list(
      scope,
      { q: query.q, includeArchived: query.includeArchived ?? false },
      limit + 1,
      after ? { name: String(after[0]), id: String(after[1]) } : undefined,
    );
    return keysetPage(rows, limit, (tenant) => [tenant.name, tenant.id]);
  }

  async get(scope: Scope, id: string): Promise<TenantView> {
    const tenant = await this.tenants.find(scope, id);
    if (!tenant) throw tenantNotFound();
    return tenant;
  }

  /** What archiving the tenant would stop (or has stopped). */
  async summary(scope: Scope, id: string): Promise<TenantSummary> {
    const summary = await this.tenants.summary(scope, id);
    if (!summary) throw tenantNotFound();
    return { tenantId: id, ...summary };
  }

  async rename(scope: Scope, id: string, newName: string, context: RequestContext): Promise<TenantView> {
    const name = newName.trim();
    return this.db.transaction(async (manager) => {
      const before = await this.lockLive(manager, scope, id, 'renamed');
      if (before.name === name) return before;
      await this.tenants.rename(manager, scope, id, name);
      await this.audit.record(manager, context, {
        organizationId: scope.organizationId,
        action: 'tenant.updated',
        target: { type: 'tenant', id },
        tenantId: id,
        details: { from: { name: before.name }, to: { name } },
      });
      return (await this.tenants.find(scope, id, manager))!;
    });
  }

  /**
   * Archiving stops everything that acts for the tenant (its widgets' signing, its API keys, new keys, secrets and
   * test tokens) on every instance, without touching its widgets or keys, so that unarchiving restores exactly what
   * was active. Doing it twice changes nothing and audits nothing.
   */
  async setArchived(scope: Scope, id: string, archived: boolean, context: RequestContext): Promise<TenantView> {
    return this.db.transaction(async (manager) => {
      const tenant = await this.tenants.lock(manager, scope, id);
      if (!tenant) throw tenantNotFound();
      if (!(await this.tenants.setArchived(manager, scope, tenant, archived))) return tenant;
      await this.changes.publish(manager, { kind: 'tenant', id });
      await this.audit.record(manager, context, {
        organizationId: scope.organizationId,
        action: archived ? 'tenant.archived' : 'tenant.unarchived',
        target: { type: 'tenant', id },
        tenantId: id,
        details: { name: tenant.name },
      });
      return (await this.tenants.find(scope, id, manager))!;
    });
  }

  /** The tenant locked, refused when archived: `action` says what an archived tenant cannot be. */
  async lockLive(manager: EntityManager, scope: Scope, id: string, action: string): Promise<TenantView> {
    const tenant = await this.tenants.lock(manager, scope, id);
    if (!tenant) throw tenantNotFound();
    if (tenant.archivedAt) throw tenantArchived(action);
    return tenant;
  }
}

export const tenantArchived = (action: string) =>
  new CustodyError(CustodyErrorCode.TenantArchived, `This tenant is archived; it cannot be ${action}. Unarchive it first.`);
