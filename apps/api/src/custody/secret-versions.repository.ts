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
    await this.markActive(manager, scope, version.widgetId, version.version);
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

  private async markActive(manager: EntityManager, scope: Scope, widgetId: string, version: number): Promise<void> {
    await manager.query(
      'UPDATE widgets w SET active_version = $4 WHERE w.id = $3 AND w.organization_id = $1 AND ($2::uuid[] IS NULL OR w.tenant_id = ANY($2))',
      params(scope, widgetId, version),
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
