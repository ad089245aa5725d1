import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { tenantIdsParam, type Scope } from '../../access/scope';
import { CustodyError, CustodyErrorCode } from '../custody.errors';
import type { ExistingWidget, ImportState } from './import-plan';

/** Rows per multi-row statement: a few arrays of this length are one parameter each. */
const BATCH = 2000;

export interface NewWidget {
  id: string;
  tenantId: string;
  name: string;
  huggyWidgetUuid: string | null;
  huggyCompanyId: string | null;
  /** 1 when the widget comes with its secret. */
  activeVersion: number | null;
}

export interface NewVersion {
  widgetId: string;
  version: number;
  ciphertext: string;
  fingerprint: string;
}

/** A line of the inventory export. */
export interface InventoryRow {
  tenantId: string;
  tenant: string;
  widgetId: string;
  widget: string;
  huggyWidgetUuid: string | null;
  huggyCompanyId: string | null;
  lowerName: string;
}

const scopeParams = (scope: Scope) => [scope.organizationId, tenantIdsParam(scope)];

/** The SQL of bulk import and export: many tenants, widgets and versions per statement. */
@Injectable()
export class ImportRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * What Keyring holds of what the rows name. With `lock`, the tenants and widgets read stay locked until the
   * transaction ends (tenants first, then widgets, each in id order: the order of the single-widget paths).
   */
  async state(manager: EntityManager, scope: Scope, named: { tenantNames: string[]; widgetNames: string[]; uuids: string[] }, lock: boolean): Promise<ImportState> {
    const tenants = await manager.query<ImportState['tenants']>(
      `SELECT t.id, t.name, t.archived_at IS NOT NULL AS archived FROM tenants t
        WHERE t.organization_id = $1 AND ($2::uuid[] IS NULL OR t.id = ANY($2)) AND lower(t.name) = ANY($3)
        ORDER BY t.id ${lock ? 'FOR UPDATE' : ''}`,
      [...scopeParams(scope), named.tenantNames],
    );
    // Every live widget with one of the uuids, in any tenant (a uuid taken elsewhere is an error), but only the
    // names and fingerprints of the scope's.
    const widgets = await manager.query<ExistingWidget[]>(
      `SELECT w.id, w.tenant_id AS "tenantId", w.huggy_widget_uuid AS "huggyWidgetUuid", s.in_scope AS "inScope",
              CASE WHEN s.in_scope THEN t.name END AS "tenantName", CASE WHEN s.in_scope THEN w.name END AS name,
              CASE WHEN s.in_scope THEN w.huggy_company_id END AS "huggyCompanyId",
              CASE WHEN s.in_scope THEN v.fingerprint END AS "activeFingerprint", CASE WHEN s.in_scope THEN v.version END AS "activeVersion",
              (SELECT COALESCE(max(x.version), 0)::int FROM secret_versions x WHERE x.widget_id = w.id) AS "lastVersion"
         FROM widgets w
         JOIN tenants t ON t.id = w.tenant_id
         CROSS JOIN LATERAL (SELECT $2::uuid[] IS NULL OR w.tenant_id = ANY($2) AS in_scope) s
         LEFT JOIN secret_versions v ON v.widget_id = w.id AND v.state = 'active'
        WHERE w.organization_id = $1 AND w.archived_at IS NULL
          AND (lower(w.huggy_widget_uuid) = ANY($3) OR (w.tenant_id = ANY($4) AND lower(w.name) = ANY($5)))
        ORDER BY w.id ${lock ? 'FOR UPDATE OF w' : ''}`,
      [...scopeParams(scope), named.uuids, tenants.filter((tenant) => !tenant.archived).map((tenant) => tenant.id), named.widgetNames],
    );
    return { tenants, widgets };
  }

  /** Only a scope over every tenant adds some (the plan refuses the others first). */
  async insertTenants(manager: EntityManager, scope: Scope, names: string[]): Promise<{ id: string; name: string }[]> {
    if (names.length === 0) return [];
    return unique(CustodyErrorCode.TenantNameTaken, 'A tenant this import creates was created meanwhile: run the import again.', () =>
      manager.query<{ id: string; name: string }[]>(
        `INSERT INTO tenants (organization_id, name) SELECT $1, n FROM unnest($3::text[]) AS n WHERE $2::uuid[] IS NULL RETURNING id, name`,
        [...scopeParams(scope), names],
      ),
    );
  }

  async insertWidgets(manager: EntityManager, scope: Scope, widgets: NewWidget[]): Promise<void> {
    for (let start = 0; start < widgets.length; start += BATCH) {
      const batch = widgets.slice(start, start + BATCH);
      await unique(CustodyErrorCode.WidgetNameTaken, 'A widget this import creates has a name taken meanwhile: run the import again.', () =>
        manager.query<unknown>(
          `INSERT INTO widgets (id, organization_id, tenant_id, name, huggy_widget_uuid, huggy_company_id, active_version)
           SELECT x.id, $1, x.tenant_id, x.name, x.uuid, x.company, x.active
             FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::int[]) AS x(id, tenant_id, name, uuid, company, active)
            WHERE $2::uuid[] IS NULL OR x.tenant_id = ANY($2)`,
          [
            ...scopeParams(scope),
            batch.map((widget) => widget.id),
            batch.map((widget) => widget.tenantId),
            batch.map((widget) => widget.name),
            batch.map((widget) => widget.huggyWidgetUuid),
            batch.map((widget) => widget.huggyCompanyId),
            batch.map((widget) => widget.activeVersion),
          ],
        ),
      );
    }
  }

  /**
   * Each version becomes its widget's active one: on widgets that had versions (`replacing`), the active one becomes
   * previous and the previous one retired, as a rotation does; new widgets already name it as their active version.
   */
  async insertActiveVersions(manager: EntityManager, scope: Scope, versions: NewVersion[], options: { masterKeyId: string; createdBy: string | null; replacing: boolean }): Promise<void> {
    const ofScope = `EXISTS (SELECT 1 FROM widgets w WHERE w.id = v.widget_id AND w.organization_id = $1 AND ($2::uuid[] IS NULL OR w.tenant_id = ANY($2)))`;
    for (let start = 0; start < versions.length; start += BATCH) {
      const batch = versions.slice(start, start + BATCH);
      const ids = batch.map((version) => version.widgetId);
      if (options.replacing) {
        await manager.query<unknown>(
          `UPDATE secret_versions v SET state = 'retired', retired_at = now() WHERE v.organization_id = $1 AND v.widget_id = ANY($3) AND v.state = 'previous' AND ${ofScope}`,
          [...scopeParams(scope), ids],
        );
        await manager.query<unknown>(
          `UPDATE secret_versions v SET state = 'previous' WHERE v.organization_id = $1 AND v.widget_id = ANY($3) AND v.state = 'active' AND ${ofScope}`,
          [...scopeParams(scope), ids],
        );
      }
      await manager.query<unknown>(
        `INSERT INTO secret_versions (widget_id, version, organization_id, state, ciphertext, master_key_id, fingerprint, created_by, activated_at)
         SELECT x.widget_id, x.version, $1, 'active', x.ciphertext, $3, x.fingerprint, $4, now()
           FROM unnest($5::uuid[], $6::int[], $7::text[], $8::text[]) AS x(widget_id, version, ciphertext, fingerprint)
           JOIN widgets w ON w.id = x.widget_id AND w.organization_id = $1 AND ($2::uuid[] IS NULL OR w.tenant_id = ANY($2))`,
        [
          ...scopeParams(scope),
          options.masterKeyId,
          options.createdBy,
          ids,
          batch.map((version) => version.version),
          batch.map((version) => version.ciphertext),
          batch.map((version) => version.fingerprint),
        ],
      );
      if (options.replacing) {
        await manager.query<unknown>(
          `UPDATE widgets w SET active_version = x.version, rotation_requested_at = NULL FROM unnest($3::uuid[], $4::int[]) AS x(id, version)
            WHERE w.id = x.id AND w.organization_id = $1 AND ($2::uuid[] IS NULL OR w.tenant_id = ANY($2))`,
          [...scopeParams(scope), ids, batch.map((version) => version.version)],
        );
      }
    }
  }

  /** A page of the scope's live widgets of live tenants, grouped by tenant (keyset on the tenant index). */
  async inventoryPage(scope: Scope, limit: number, after?: InventoryRow): Promise<InventoryRow[]> {
    return this.db.query<InventoryRow[]>(
      `SELECT w.tenant_id AS "tenantId", t.name AS tenant, w.id AS "widgetId", w.name AS widget, lower(w.name) AS "lowerName",
              w.huggy_widget_uuid AS "huggyWidgetUuid", w.huggy_company_id AS "huggyCompanyId"
         FROM widgets w JOIN tenants t ON t.id = w.tenant_id
        WHERE w.organization_id = $1 AND ($2::uuid[] IS NULL OR w.tenant_id = ANY($2)) AND w.archived_at IS NULL AND t.archived_at IS NULL
          AND ($3::uuid IS NULL OR (w.tenant_id, lower(w.name), w.id) > ($3::uuid, $4::text, $5::uuid))
        ORDER BY w.tenant_id, lower(w.name), w.id
        LIMIT $6`,
      [...scopeParams(scope), after?.tenantId ?? null, after?.lowerName ?? null, after?.widgetId ?? null, limit],
    );
  }
}

/** A unique index the import's own check did not foresee (a concurrent change) is a 409 naming what to do. */
async function unique<T>(code: CustodyErrorCode, message: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new CustodyError(code, message);
    throw error;
  }
}
