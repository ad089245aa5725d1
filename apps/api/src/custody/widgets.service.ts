import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../access/principal';
import type { RequestContext } from '../access/request-context';
import { AuditWriter } from '../audit/audit-writer.service';
import { ChangeFeed } from '../changes/change-feed';
import { decodeCursor, keysetPage } from '../common/http/cursor';
import type { CreateWidgetDto, UpdateWidgetDto } from './custody.dto';
import { CustodyError, CustodyErrorCode, tenantNotFound, widgetNotFound } from './custody.errors';
import { SecretVersionsService } from './secret-versions.service';
import { inScope, tenantScope } from './tenant-scope';
import { TenantsRepository } from './tenants.repository';
import { WidgetsRepository, type TokenPolicy, type WidgetFields, type WidgetView } from './widgets.repository';

const DEFAULT_PAGE = 50;
const DEFAULT_POLICY: TokenPolicy = { claims: 'jti', ttlSeconds: null };

@Injectable()
export class WidgetsService {
  constructor(
    private readonly db: DataSource,
    private readonly widgets: WidgetsRepository,
    private readonly tenants: TenantsRepository,
    private readonly secrets: SecretVersionsService,
    private readonly audit: AuditWriter,
    private readonly changes: ChangeFeed,
  ) {}

  async create(organizationId: string, dto: CreateWidgetDto, principal: Principal, context: RequestContext): Promise<WidgetView> {
    const tenant = await this.tenants.find(organizationId, dto.tenantId);
    if (!tenant || !inScope(tenantScope(principal), tenant.id)) throw tenantNotFound();
    if (tenant.archivedAt) throw new CustodyError(CustodyErrorCode.TenantArchived, 'This tenant is archived; it cannot get new widgets.');
    const fields: WidgetFields = {
      name: dto.name.trim(),
      huggyWidgetUuid: dto.huggyWidgetUuid ?? null,
      huggyCompanyId: dto.huggyCompanyId ?? null,
      tokenPolicy: dto.tokenPolicy ? { claims: dto.tokenPolicy.claims, ttlSeconds: dto.tokenPolicy.ttlSeconds ?? null } : DEFAULT_POLICY,
    };
    const id = await this.db.transaction(async (manager) => {
      const widgetId = await this.widgets.insert(manager, organizationId, tenant.id, fields);
      const created = (await this.widgets.lock(manager, organizationId, widgetId))!;
      const initial = dto.secret ? await this.secrets.store(manager, created, organizationId, dto.secret, principal.userId) : null;
      await this.audit.record(manager, context, {
        organizationId,
        action: 'widget.created',
        target: { type: 'widget', id: widgetId },
        tenantId: tenant.id,
        details: { ...auditFields(fields), initialSecret: initial },
      });
      return widgetId;
    });
    return (await this.widgets.find(organizationId, id))!;
  }

  async list(organizationId: string, principal: Principal, query: { q?: string; tenantId?: string; limit?: number; cursor?: string }) {
    const limit = query.limit ?? DEFAULT_PAGE;
    const after = query.cursor ? decodeCursor(query.cursor, 2) : undefined;
    const rows = await this.widgets.list(
      organizationId,
      { q: query.q, tenantId: query.tenantId, scope: tenantScope(principal) },
      limit + 1,
      after ? { name: String(after[0]), id: String(after[1]) } : undefined,
    );
    return keysetPage(rows, limit, (widget) => [widget.name, widget.id]);
  }

  async needingRotation(organizationId: string, principal: Principal, limit = DEFAULT_PAGE) {
    return { items: await this.widgets.needingRotation(organizationId, tenantScope(principal), limit) };
  }

  async get(organizationId: string, id: string, principal: Principal): Promise<WidgetView> {
    const widget = await this.widgets.find(organizationId, id);
    if (!widget || !inScope(tenantScope(principal), widget.tenantId)) throw widgetNotFound();
    return widget;
  }

  async update(organizationId: string, id: string, dto: UpdateWidgetDto, principal: Principal, context: RequestContext): Promise<WidgetView> {
    const before = await this.get(organizationId, id, principal);
    const fields: WidgetFields = {
      name: dto.name?.trim() ?? before.name,
      huggyWidgetUuid: dto.huggyWidgetUuid ?? before.huggyWidgetUuid,
      huggyCompanyId: dto.huggyCompanyId ?? before.huggyCompanyId,
      tokenPolicy: dto.tokenPolicy ? { claims: dto.tokenPolicy.claims, ttlSeconds: dto.tokenPolicy.ttlSeconds ?? null } : before.tokenPolicy,
    };
    await this.db.transaction(async (manager) => {
      await this.widgets.update(manager, organizationId, id, fields);
      await this.changes.publish(manager, { kind: 'widget', id });
      await this.audit.record(manager, context, {
        organizationId,
        action: 'widget.updated',
        target: { type: 'widget', id },
        tenantId: before.tenantId,
        details: { from: auditFields(before), to: auditFields(fields) },
      });
    });
    return (await this.widgets.find(organizationId, id))!;
  }

  async archive(organizationId: string, id: string, principal: Principal, context: RequestContext): Promise<WidgetView> {
    const widget = await this.get(organizationId, id, principal);
    await this.db.transaction(async (manager) => {
      await this.widgets.archive(manager, organizationId, id);
      await this.changes.publish(manager, { kind: 'widget', id });
      await this.audit.record(manager, context, {
        organizationId,
        action: 'widget.archived',
        target: { type: 'widget', id },
        tenantId: widget.tenantId,
        details: { name: widget.name },
      });
    });
    return (await this.widgets.find(organizationId, id))!;
  }
}

function auditFields(fields: WidgetFields) {
  return {
    name: fields.name,
    huggyWidgetUuid: fields.huggyWidgetUuid,
    huggyCompanyId: fields.huggyCompanyId,
    tokenPolicy: fields.tokenPolicy,
  };
}
