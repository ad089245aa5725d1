import { Injectable } from '@nestjs/common';
import type { ApiKeyScope } from '@keyring/contracts';
import { DataSource, type EntityManager } from 'typeorm';

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  tenantId: string;
  scopes: ApiKeyScope[];
  widgetIds: string[] | null;
  expiresAt: Date | null;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** What a request authenticated by an API key may do. */
export interface ApiKeyPrincipal {
  id: string;
  organizationId: string;
  tenantId: string;
  prefix: string;
  scopes: ApiKeyScope[];
  widgetIds: string[] | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

const COLUMNS = `id, name, prefix, tenant_id AS "tenantId", scopes, widget_ids AS "widgetIds", expires_at AS "expiresAt",
  created_at AS "createdAt", revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"`;

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: DataSource) {}

  async insert(
    manager: EntityManager,
    key: { organizationId: string; tenantId: string; name: string; prefix: string; keyHash: Buffer; scopes: ApiKeyScope[]; widgetIds: string[] | null; expiresAt: Date | null; createdBy: string },
  ): Promise<ApiKeyView> {
    const [row] = await manager.query(
      `INSERT INTO api_keys (organization_id, tenant_id, name, prefix, key_hash, scopes, widget_ids, expires_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [key.organizationId, key.tenantId, key.name, key.prefix, key.keyHash, key.scopes, key.widgetIds, key.expiresAt, key.createdBy],
    );
    return row;
  }

  async list(organizationId: string, scope: string[] | null, limit: number, after?: { createdAt: string; id: string }): Promise<ApiKeyView[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM api_keys
        WHERE organization_id = $1 AND ($2::uuid[] IS NULL OR tenant_id = ANY($2))
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $5`,
      [organizationId, scope, after?.createdAt ?? null, after?.id ?? null, limit],
    );
  }

  async find(organizationId: string, id: string, manager: EntityManager = this.db.manager): Promise<ApiKeyView | null> {
    const [row] = await manager.query(`SELECT ${COLUMNS} FROM api_keys WHERE organization_id = $1 AND id = $2`, [organizationId, id]);
    return row ?? null;
  }

  async revoke(manager: EntityManager, organizationId: string, id: string): Promise<void> {
    await manager.query('UPDATE api_keys SET revoked_at = now() WHERE organization_id = $1 AND id = $2 AND revoked_at IS NULL', [organizationId, id]);
  }

  /** The key whose SHA-256 is `keyHash`, revoked and expired ones included (the caller says why they are refused). */
  async findByHash(keyHash: Buffer): Promise<(ApiKeyPrincipal & { keyHash: Buffer }) | null> {
    const [row] = await this.db.query(
      `SELECT id, organization_id AS "organizationId", tenant_id AS "tenantId", prefix, scopes, widget_ids AS "widgetIds",
              expires_at AS "expiresAt", revoked_at AS "revokedAt", key_hash AS "keyHash"
         FROM api_keys WHERE key_hash = $1`,
      [keyHash],
    );
    return row ?? null;
  }
}
