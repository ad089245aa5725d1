import { Injectable } from '@nestjs/common';
import type { ApiKeyScope } from '@keyring/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { updateReturning } from '../database/update-returning';
import { tenantIdsParam, type Scope } from '../access/scope';

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

/** The scope in SQL: $1 the organization, $2 its tenants (null for all). */
const IN_SCOPE = 'organization_id = $1 AND ($2::uuid[] IS NULL OR tenant_id = ANY($2))';
const scopeParams = (scope: Scope) => [scope.organizationId, tenantIdsParam(scope)];

const COLUMNS = `id, name, prefix, tenant_id AS "tenantId", scopes, widget_ids AS "widgetIds", expires_at AS "expiresAt",
  created_at AS "createdAt", revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"`;

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: DataSource) {}

  async insert(
    manager: EntityManager,
    scope: Scope,
    key: { tenantId: string; name: string; prefix: string; keyHash: Buffer; scopes: ApiKeyScope[]; widgetIds: string[] | null; expiresAt: Date | null; createdBy: string },
  ): Promise<ApiKeyView> {
    const [row] = await manager.query<ApiKeyView[]>(
      `INSERT INTO api_keys (organization_id, tenant_id, name, prefix, key_hash, scopes, widget_ids, expires_at, created_by)
       SELECT $1, $3, $4, $5, $6, $7, $8, $9, $10 WHERE $2::uuid[] IS NULL OR $3 = ANY($2)
       RETURNING ${COLUMNS}`,
      [...scopeParams(scope), key.tenantId, key.name, key.prefix, key.keyHash, key.scopes, key.widgetIds, key.expiresAt, key.createdBy],
    );
    return row;
  }

  /** `expiringWithinDays`: only live keys that expire within that many days (the dashboard's reminder list). */
  async list(scope: Scope, limit: number, after?: { createdAt: string; id: string }, expiringWithinDays?: number): Promise<ApiKeyView[]> {
    return this.db.query<ApiKeyView[]>(
      `SELECT ${COLUMNS} FROM api_keys
        WHERE ${IN_SCOPE}
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
          AND ($6::int IS NULL OR (revoked_at IS NULL AND expires_at > now() AND expires_at <= now() + make_interval(days => $6::int)))
        ORDER BY created_at DESC, id DESC LIMIT $5`,
      [...scopeParams(scope), after?.createdAt ?? null, after?.id ?? null, limit, expiringWithinDays ?? null],
    );
  }

  async find(scope: Scope, id: string, manager: EntityManager = this.db.manager): Promise<ApiKeyView | null> {
    const [row] = await manager.query<ApiKeyView[]>(`SELECT ${COLUMNS} FROM api_keys WHERE ${IN_SCOPE} AND id = $3`, [...scopeParams(scope), id]);
    return row ?? null;
  }

  /** One UPDATE … RETURNING: the key as revoked now, or null when it was revoked already (or is out of scope). */
  async revoke(manager: EntityManager, scope: Scope, id: string): Promise<ApiKeyView | null> {
    const [row] = await updateReturning<ApiKeyView>(
      manager,
      `UPDATE api_keys SET revoked_at = now() WHERE ${IN_SCOPE} AND id = $3 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
      [...scopeParams(scope), id],
    );
    return row ?? null;
  }

  /** The key whose SHA-256 is `keyHash`, revoked and expired ones included (the caller says why they are refused). */
  async findByHash(keyHash: Buffer): Promise<(ApiKeyPrincipal & { keyHash: Buffer }) | null> {
    const [row] = await this.db.query<(ApiKeyPrincipal & { keyHash: Buffer })[]>(
      `SELECT id, organization_id AS "organizationId", tenant_id AS "tenantId", prefix, scopes, widget_ids AS "widgetIds",
              expires_at AS "expiresAt", revoked_at AS "revokedAt", key_hash AS "keyHash"
         FROM api_keys WHERE key_hash = $1`,
      [keyHash],
    );
    return row ?? null;
  }
}
