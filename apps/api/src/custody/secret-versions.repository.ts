import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

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

@Injectable()
export class SecretVersionsRepository {
  constructor(private readonly db: DataSource) {}

  async list(widgetId: string): Promise<SecretVersionView[]> {
    const rows = await this.db.query(
      `SELECT v.version, v.state, v.fingerprint, v.created_at AS "createdAt", v.activated_at AS "activatedAt",
              v.retired_at AS "retiredAt", v.destroyed_at AS "destroyedAt", u.id AS creator_id, u.email AS creator_email
         FROM secret_versions v LEFT JOIN users u ON u.id = v.created_by
        WHERE v.widget_id = $1 ORDER BY v.version DESC`,
      [widgetId],
    );
    return rows.map(({ creator_id, creator_email, ...row }: SecretVersionView & { creator_id: string | null; creator_email: string | null }) => ({
      ...row,
      createdBy: creator_id ? { id: creator_id, email: creator_email! } : null,
    }));
  }

  async find(widgetId: string, version: number, manager: EntityManager = this.db.manager): Promise<StoredSecret | null> {
    const [row] = await manager.query(
      'SELECT version, state, fingerprint, ciphertext FROM secret_versions WHERE widget_id = $1 AND version = $2',
      [widgetId, version],
    );
    return row ?? null;
  }

  async findActive(widgetId: string): Promise<StoredSecret | null> {
    const [row] = await this.db.query(
      "SELECT version, state, fingerprint, ciphertext FROM secret_versions WHERE widget_id = $1 AND state = 'active'",
      [widgetId],
    );
    return row ?? null;
  }

  /** The versions a token may be checked against: the active one, then the previous one. */
  async findActiveAndPrevious(widgetId: string): Promise<StoredSecret[]> {
    return this.db.query(
      `SELECT version, state, fingerprint, ciphertext FROM secret_versions
        WHERE widget_id = $1 AND state IN ('active', 'previous') ORDER BY state = 'active' DESC`,
      [widgetId],
    );
  }

  async nextVersion(manager: EntityManager, widgetId: string): Promise<number> {
    const [row] = await manager.query('SELECT COALESCE(max(version), 0) + 1 AS next FROM secret_versions WHERE widget_id = $1', [widgetId]);
    return Number(row.next);
  }

  /** The new version becomes active, the active one previous, and the previous one retired. */
  async insertActive(
    manager: EntityManager,
    version: { organizationId: string; widgetId: string; version: number; ciphertext: string; masterKeyId: string; fingerprint: string; createdBy: string | null },
  ): Promise<void> {
    await manager.query(
      "UPDATE secret_versions SET state = 'retired', retired_at = now() WHERE widget_id = $1 AND state = 'previous'",
      [version.widgetId],
    );
    await manager.query("UPDATE secret_versions SET state = 'previous' WHERE widget_id = $1 AND state = 'active'", [version.widgetId]);
    await manager.query(
      `INSERT INTO secret_versions (widget_id, version, organization_id, state, ciphertext, master_key_id, fingerprint, created_by, activated_at)
       VALUES ($1, $2, $3, 'active', $4, $5, $6, $7, now())`,
      [version.widgetId, version.version, version.organizationId, version.ciphertext, version.masterKeyId, version.fingerprint, version.createdBy],
    );
    await this.markActive(manager, version.widgetId, version.version);
  }

  /**
   * Rollback: the previous version becomes active again and the active one becomes previous. In three steps,
   * because the one-active and one-previous unique indexes are checked row by row.
   */
  async swapActiveAndPrevious(manager: EntityManager, widgetId: string, activeVersion: number, previousVersion: number): Promise<void> {
    const setState = (version: number, state: SecretState, activate = false) =>
      manager.query(
        `UPDATE secret_versions SET state = $3${activate ? ', activated_at = now()' : ''} WHERE widget_id = $1 AND version = $2`,
        [widgetId, version, state],
      );
    await setState(activeVersion, 'retired');
    await setState(previousVersion, 'active', true);
    await setState(activeVersion, 'previous');
    await this.markActive(manager, widgetId, previousVersion);
  }

  private async markActive(manager: EntityManager, widgetId: string, version: number): Promise<void> {
    await manager.query('UPDATE widgets SET active_version = $2 WHERE id = $1', [widgetId, version]);
  }

  /** Erases the ciphertext for good; the row and its fingerprint stay, for the history. */
  async destroy(manager: EntityManager, widgetId: string, version: number): Promise<void> {
    await manager.query(
      `UPDATE secret_versions SET state = 'destroyed', ciphertext = NULL, master_key_id = NULL, destroyed_at = now(),
              retired_at = COALESCE(retired_at, now())
        WHERE widget_id = $1 AND version = $2`,
      [widgetId, version],
    );
  }
}
