import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { tenantIdsParam, type Scope } from '../access/scope';

export type SecretState = 'active' | 'previous' | 'retired' | 'destroyed';

export interface SecretVersionView {
  version: number;
  state: SecretState;
  fingerprint: string;
  createdAt: Date;
  createdBy: { id: string; email: string } | null;
  activatedAt: Date | null;
  retiredAt: Date | null;
  destroyedAt: Date | null;
}

/** A version someone revealed, `times` times, the last at `at` (from the audit log). */
export interface RevealedVersion {
  widgetId: string;
  version: number;
  at: Date;
  times: number;
}

export interface ExposedVersion {
  how: 'revealed' | 'rotated';
  widgetId: string;
  widgetName: string;
  tenantId: string;
  tenantName: string;
  version: number;
  fingerprint: string;
  at: Date;
  times: number;
  state: SecretState;
  /** The widget or its tenant is archived: nothing signs with it, and it cannot be rotated. */
  widgetArchived: boolean;
  rotationRequestedAt: Date | null;
}

export interface StoredSecret {
  version: number;
  state: SecretState;
  fingerprint: string;
  ciphertext: string | null;
}

/** The scope in SQL, on the version's widget ($3): $1 the organization, $2 its tenants (null for all). */
const OF_WIDGET_IN_SCOPE = `v.widget_id = $3 AND v.organization_id = $1
  AND EXISTS (SELECT 1 FROM widgets w WHERE w.id = v.widget_id AND w.organization_id = $1 AND ($2::uuid[] IS NULL OR w.tenant_id = ANY($2)))`;
const params = (scope: Scope, widgetId: string, ...rest: unknown[]) => [scope.organizationId, tenantIdsParam(scope), widgetId, ...rest];
const STORED = 'v.version, v.state, v.fingerprint, v.ciphertext';

/** A widget's secret versions. Writes happen with the widget row locked (WidgetsRepository.lock). */
@Injectable()
export class SecretVersionsRepository {
  constructor(private readonly db: DataSource) {}

  async list(scope: Scope, widgetId: string): Promise<SecretVersionView[]> {
    const rows = await this.db.query<(Omit<SecretVersionView, 'createdBy'> & { creator_id: string | null; creator_email: string | null })[]>(
      `SELECT v.version, v.state, v.fingerprint, v.created_at AS "createdAt", v.activated_at AS "activatedAt",
              v.retired_at AS "retiredAt", v.destroyed_at AS "destroyedAt", u.id AS creator_id, u.email AS creator_email
         FROM secret_versions v LEFT JOIN users u ON u.id = v.created_by
        WHERE ${OF_WIDGET_IN_SCOPE} ORDER BY v.version DESC`,
      params(scope, widgetId),
    );
    return rows.map(({ creator_id, creator_email, ...row }) => ({
      ...row,
      createdBy: creator_id ? { id: creator_id, email: creator_email! } : null,
    }));
  }

  async find(scope: Scope, widgetId: string, version: number, manager: EntityManager = this.db.manager): Promise<StoredSecret | null> {
    const [row] = await manager.query<StoredSecret[]>(`SELECT ${STORED} FROM secret_versions v WHERE ${OF_WIDGET_IN_SCOPE} AND v.version = $4`, params(scope, widgetId, version));
    return row ?? null;
  }

  async findActive(scope: Scope, widgetId: string, manager: EntityManager = this.db.manager): Promise<StoredSecret | null> {
    const [row] = await manager.query<StoredSecret[]>(`SELECT ${STORED} FROM secret_versions v WHERE ${OF_WIDGET_IN_SCOPE} AND v.state = 'active'`, params(scope, widgetId));
    return row ?? null;
  }

  /** The versions a token may be checked against: the active one, then the previous one. */
  async findActiveAndPrevious(scope: Scope, widgetId: string): Promise<StoredSecret[]> {
    return this.db.query<StoredSecret[]>(
      `SELECT ${STORED} FROM secret_versions v
        WHERE ${OF_WIDGET_IN_SCOPE} AND v.state IN ('active', 'previous') ORDER BY v.state = 'active' DESC`,
      params(scope, widgetId),
    );
  }

  /** `findActiveAndPrevious` of every widget of the scope that is not archived, in one query. */
  async activeAndPreviousInScope(scope: Scope): Promise<(StoredSecret & { widgetId: string })[]> {
    return this.db.query(
      `SELECT v.widget_id AS "widgetId", ${STORED} FROM secret_versions v JOIN widgets w ON w.id = v.widget_id
        WHERE v.organization_id = $1 AND w.organization_id = $1 AND ($2::uuid[] IS NULL OR w.tenant_id = ANY($2))
          AND w.archived_at IS NULL AND v.state IN ('active', 'previous')
        ORDER BY v.widget_id, v.state = 'active' DESC`,
      [scope.organizationId, tenantIdsParam(scope)],
    );
  }

  async nextVersion(manager: EntityManager, scope: Scope, widgetId: string): Promise<number> {
    const [row] = await manager.query<{ next: number }[]>(
      `SELECT COALESCE(max(v.version), 0)::int + 1 AS next FROM secret_versions v WHERE ${OF_WIDGET_IN_SCOPE}`,
      params(scope, widgetId),
    );
    return row.next;
  }

  /** The new version becomes active, the active one previous, and the previous one retired. */
  async insertActive(
    manager: EntityManager,
    scope: Scope,
    version: { widgetId: string; version: number; ciphertext: string; masterKeyId: string; fingerprint: string; createdBy: string | null },
  ): Promise<void> {
    await manager.query(
      `UPDATE secret_versions v SET state = 'retired', retired_at = now() WHERE ${OF_WIDGET_IN_SCOPE} AND v.state = 'previous'`,
      params(scope, version.widgetId),
    );
    await manager.query(`UPDATE secret_versions v SET state = 'previous' WHERE ${OF_WIDGET_IN_SCOPE} AND v.state = 'active'`, params(scope, version.widgetId));
    await manager.query(
      `INSERT INTO secret_versions (widget_id, version, organization_id, state, ciphertext, master_key_id, fingerprint, created_by, activated_at)
       SELECT w.id, $4, w.organization_id, 'active', $5, $6, $7, $8, now() FROM widgets w
        WHERE w.id = $3 AND w.organization_id = $1 AND ($2::uuid[] IS NULL OR w.tenant_id = ANY($2))`,
      params(scope, version.widgetId, version.version, version.ciphertext, version.masterKeyId, version.fingerprint, version.createdBy),
    );
    await this.markActive(manager, scope, version.widgetId, version.version, true);
  }

  /**
   * Rollback: the previous version becomes active again and the active one becomes previous. In three steps,
   * because the one-active and one-previous unique indexes are checked row by row.
   */
  async swapActiveAndPrevious(manager: EntityManager, scope: Scope, widgetId: string, activeVersion: number, previousVersion: number): Promise<void> {
    const setState = (version: number, state: SecretState, activate = false) =>
      manager.query<unknown>(
        `UPDATE secret_versions v SET state = $5${activate ? ', activated_at = now()' : ''} WHERE ${OF_WIDGET_IN_SCOPE} AND v.version = $4`,
        params(scope, widgetId, version, state),
      );
    await setState(activeVersion, 'retired');
    await setState(previousVersion, 'active', true);
    await setState(activeVersion, 'previous');
    await this.markActive(manager, scope, widgetId, previousVersion);
  }

  /** A new secret (`stored`) answers a rotation request; a rollback does not (it may re-activate the version seen). */
  private async markActive(manager: EntityManager, scope: Scope, widgetId: string, version: number, stored = false): Promise<void> {
    await manager.query(
      `UPDATE widgets w SET active_version = $4${stored ? ', rotation_requested_at = NULL' : ''}
        WHERE w.id = $3 AND w.organization_id = $1 AND ($2::uuid[] IS NULL OR w.tenant_id = ANY($2))`,
      params(scope, widgetId, version),
    );
  }

  /**
   * The versions `userId` saw, within the scope, newest first: those they revealed (`reveals`, from the audit log)
   * and those they stored themselves (created_by: a rotation, an import, a widget's first secret).
   */
  async exposedTo(scope: Scope, userId: string, reveals: readonly RevealedVersion[]): Promise<ExposedVersion[]> {
    return this.db.query<ExposedVersion[]>(
      `WITH seen AS (
         SELECT 'revealed' AS how, r.widget_id, r.version, r.at, r.times
           FROM jsonb_to_recordset($4::jsonb) AS r(widget_id uuid, version int, at timestamptz, times int)
         UNION ALL
         SELECT 'rotated', v.widget_id, v.version, v.created_at, 1 FROM secret_versions v WHERE v.organization_id = $1 AND v.created_by = $3)
       SELECT s.how, s.widget_id AS "widgetId", w.name AS "widgetName", w.tenant_id AS "tenantId", t.name AS "tenantName",
              s.version, v.fingerprint, s.at, s.times, v.state, w.archived_at IS NOT NULL OR t.archived_at IS NOT NULL AS "widgetArchived",
              w.rotation_requested_at AS "rotationRequestedAt"
         FROM seen s
         JOIN secret_versions v ON v.widget_id = s.widget_id AND v.version = s.version AND v.organization_id = $1
         JOIN widgets w ON w.id = s.widget_id AND w.organization_id = $1 AND ($2::uuid[] IS NULL OR w.tenant_id = ANY($2))
         JOIN tenants t ON t.id = w.tenant_id
        ORDER BY s.at DESC, lower(w.name), s.version DESC`,
      [scope.organizationId, tenantIdsParam(scope), userId, JSON.stringify(reveals.map((r) => ({ widget_id: r.widgetId, version: r.version, at: r.at, times: r.times })))],
    );
  }

  /** Erases the ciphertext for good; the row and its fingerprint stay, for the history. */
  async destroy(manager: EntityManager, scope: Scope, widgetId: string, version: number): Promise<void> {
    await manager.query(
      `UPDATE secret_versions v SET state = 'destroyed', ciphertext = NULL, master_key_id = NULL, destroyed_at = now(),
              retired_at = COALESCE(v.retired_at, now())
        WHERE ${OF_WIDGET_IN_SCOPE} AND v.version = $4`,
      params(scope, widgetId, version),
    );
  }
}
