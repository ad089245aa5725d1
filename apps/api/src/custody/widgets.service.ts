import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../access/principal';
import type { RequestContext } from '../access/request-context';
import type { Scope } from '../access/scope';
import { AuditWriter } from '../audit/audit-writer.service';
import { ChangeFeed } from '../changes/change-feed';
import { decodeCursor, keysetPage } from '../common/http/cursor';
import type { CreateWidgetDto, ListWidgetsQueryDto, UpdateWidgetDto } from './custody.dto';
import { widgetNotFound } from './custody.errors';
import { liveWidget, SecretVersionsService } from './secret-versions.service';
import { TenantsService } from './tenants.service';
import { SEARCH_TOTAL_CAP, WidgetsRepository, type TokenPolicy, type WidgetFields, type WidgetFilter, type WidgetView } from './widgets.repository';

const DEFAULT_PAGE = 50;
/** Past this many, a list says "10,000+" rather than count every widget. */
const TOTAL_CAP = 10_000;
const DEFAULT_UNUSED_DAYS = 30;
const DEFAULT_POLICY: TokenPolicy = { claims: 'jti', ttlSeconds: null };

@Injectable()
export class WidgetsService {
  constructor(
    private readonly db: DataSource,
    private readonly widgets: WidgetsRepository,
    private readonly tenants: TenantsService,
    private readonly secrets: SecretVersionsService,
    private readonly audit: AuditWriter,
    private readonly changes: ChangeFeed,
  ) {}

  async create(scope: Scope, dto: CreateWidgetDto, principal: Principal, context: RequestContext): Promise<WidgetView> {
    const fields: WidgetFields = {
      name: dto.name.trim(),
      huggyWidgetUuid: dto.huggyWidgetUuid ?? null,
      huggyCompanyId: dto.huggyCompanyId ?? null,
      tokenPolicy: dto.tokenPolicy ? { claims: dto.tokenPolicy.claims, ttlSeconds: dto.tokenPolicy.ttlSeconds ?? null } : DEFAULT_POLICY,
    };
    return this.db.transaction(async (manager) => {
      const tenant = await this.tenants.lockLive(manager, scope, dto.tenantId, 'given new widgets');
      const widgetId = await this.widgets.insert(manager, scope, tenant.id, fields);
      const created = (await this.widgets.lock(manager, scope, widgetId))!;
      const initial = dto.secret ? await this.secrets.store(manager, scope, created, dto.secret, principal.userId) : null;
      await this.audit.record(manager, context, {
        organizationId: scope.organizationId,
        action: 'widget.created',
        target: { type: 'widget', id: widgetId },
        tenantId: tenant.id,
        details: { ...auditFields(fields), initialSecret: initial },
      });
      return (await this.widgets.find(scope, widgetId, manager))!;
    });
  }

  /** A page of the widgets the query selects, with how many there are in all (counted up to a cap). */
  async list(scope: Scope, query: ListWidgetsQueryDto) {
    const limit = query.limit ?? DEFAULT_PAGE;
    const after = query.cursor ? decodeCursor(query.cursor, 2) : undefined;
    const filter: WidgetFilter = {
      q: query.q,
      tenantId: query.tenantId,
      archived: query.archived ?? false,
      status: query.status,
      unusedDays: query.unusedDays ?? DEFAULT_UNUSED_DAYS,
    };
    const page = after ? { name: String(after[0]), id: String(after[1]) } : undefined;
    const paged = (rows: WidgetView[], total: number, cap: number) => ({
      ...keysetPage(rows, limit, (widget) => [widget.name, widget.id]),
      total: Math.min(total, cap),
      totalExact: total <= cap,
    });
    if (!filter.q) {
      const [rows, total] = await Promise.all([this.widgets.list(scope, filter, limit + 1, page), this.widgets.count(scope, filter, TOTAL_CAP + 1)]);
      return paged(rows, total, TOTAL_CAP);
    }
    // A search counts by its three lookups, each stopped at the cap (its total is exact up to a smaller number), and
    // counts first: with few matches the page is read straight from the lookups, without trying a walk in name order.
    const total = await this.widgets.count(scope, filter, SEARCH_TOTAL_CAP + 1);
    return paged(await this.widgets.list(scope, filter, limit + 1, page, total <= SEARCH_TOTAL_CAP), total, SEARCH_TOTAL_CAP);
  }

  async needingRotation(scope: Scope, limit = DEFAULT_PAGE) {
    return { items: await this.widgets.needingRotation(scope, limit) };
  }

  async get(scope: Scope, id: string): Promise<WidgetView> {
    const widget = await this.widgets.find(scope, id);
    if (!widget) throw widgetNotFound();
    return widget;
  }

  /**
   * Read, change and write under the widget's row lock, so that concurrent PATCHes each land on the one before and
   * are audited with the true before and after. A field sent as null is cleared; one left out is kept. A PATCH that
   * changes nothing writes and audits nothing.
   */
  async update(scope: Scope, id: string, dto: UpdateWidgetDto, context: RequestContext): Promise<WidgetView> {
    return this.db.transaction(async (manager) => {
      const before = liveWidget(await this.widgets.lock(manager, scope, id), 'changed');
      const fields: WidgetFields = {
        name: dto.name?.trim() ?? before.name,
        huggyWidgetUuid: dto.huggyWidgetUuid !== undefined ? dto.huggyWidgetUuid : before.huggyWidgetUuid,
        huggyCompanyId: dto.huggyCompanyId !== undefined ? dto.huggyCompanyId : before.huggyCompanyId,
        tokenPolicy: dto.tokenPolicy ? { claims: dto.tokenPolicy.claims, ttlSeconds: dto.tokenPolicy.ttlSeconds ?? null } : before.tokenPolicy,
      };
      const change = difference(auditFields(before), auditFields(fields));
      if (change) {
        await this.widgets.update(manager, scope, id, fields);
        await this.changes.publish(manager, { kind: 'widget', id });
        await this.audit.record(manager, context, {
          organizationId: scope.organizationId,
          action: 'widget.updated',
          target: { type: 'widget', id },
          tenantId: before.tenantId,
          details: change,
        });
      }
      return (await this.widgets.find(scope, id, manager))!;
    });
  }

  /**
   * Queues widgets for rotation because `person` (offboarded) saw their secret, in the caller's transaction: each one
   * queued now is audited; one queued already, archived or out of the scope is left as it is.
   */
  async requestRotation(
    manager: EntityManager,
    scope: Scope,
    ids: readonly string[],
    person: { id: string; email: string | null },
    context: RequestContext,
  ): Promise<{ id: string; name: string; tenantId: string; tenantName: string }[]> {
    const queued = await this.widgets.requestRotation(manager, scope, ids);
    for (const widget of queued) {
      await this.audit.record(manager, context, {
        organizationId: scope.organizationId,
        action: 'widget.rotation_requested',
        target: { type: 'widget', id: widget.id },
        tenantId: widget.tenantId,
        details: { name: widget.name, reason: 'offboarding', userId: person.id, email: person.email },
      });
    }
    return queued;
  }

  /** Archiving twice changes nothing and audits nothing. */
  async archive(scope: Scope, id: string, context: RequestContext): Promise<WidgetView> {
    return this.db.transaction(async (manager) => {
      const widget = await this.widgets.lock(manager, scope, id);
      if (!widget) throw widgetNotFound();
      if (await this.widgets.archive(manager, scope, id)) {
        await this.changes.publish(manager, { kind: 'widget', id });
        await this.audit.record(manager, context, {
          organizationId: scope.organizationId,
          action: 'widget.archived',
          target: { type: 'widget', id },
          tenantId: widget.tenantId,
          details: { name: widget.name },
        });
      }
      return (await this.widgets.find(scope, id, manager))!;
    });
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

type AuditedFields = ReturnType<typeof auditFields>;

/** The fields that differ, before and after; null when none does. */
function difference(before: AuditedFields, after: AuditedFields): { from: Partial<AuditedFields>; to: Partial<AuditedFields> } | null {
  const changed = (Object.keys(after) as (keyof AuditedFields)[]).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
  if (changed.length === 0) return null;
  const pick = (fields: AuditedFields) => Object.fromEntries(changed.map((key) => [key, fields[key]]));
  return { from: pick(before), to: pick(after) };
}
