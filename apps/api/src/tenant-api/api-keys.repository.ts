import { Injectable } from '@nestjs/common';
import type { ApiKeyScope } from '@keyring/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { tenantIdsParam, type Scope } from '../access/scope';

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  tenantId: string;
  tenantName: string;
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

/** The scope in SQL, on the key `k`: $1 the organization, $2 its tenants (null for all). */
const IN_SCOPE = 'k.organization_id = $1 AND ($2::uuid[] IS NULL OR k.tenant_id = ANY($2))';
const scopeParams = (scope: Scope) => [scope.organizationId, tenantIdsParam(scope)];

/** A key `k` with its tenant's name (lists show it, whichever of hundreds of tenants it is). */
const COLUMNS = `k.id, k.name, k.prefix, k.tenant_id AS "tenantId", t.name AS "tenantName", k.scopes, k.widget_ids AS "widgetIds",
  k.expires_at AS "expiresAt", k.created_at AS "createdAt", k.revoked_at AS "revokedAt", k.last_used_at AS "lastUsedAt"`;
const KEYS_WITH_TENANT = 'api_keys k JOIN tenants t ON t.id = k.tenant_id';
/** The key an INSERT or UPDATE (`write`, without RETURNING) wrote, as COLUMNS reads it. */
const withTenant = (write: string) => `WITH k AS (${write} RETURNING *) SELECT ${COLUMNS} FROM k JOIN tenants t ON t.id = k.tenant_id`;

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: DataSource) {}

  async insert(
    manager: EntityManager,
    scope: Scope,
    key: { tenantId: string; name: string; prefix: string; keyHash: Buffer; scopes: ApiKeyScope[]; widgetIds: string[] | null; expiresAt: Date | null; createdBy: string },
  ): Promise<ApiKeyView> {
    const [row] = await manager.query<ApiKeyView[]>(
      withTenant(`INSERT INTO api_keys (organization_id, tenant_id, name, prefix, key_hash, scopes, widget_ids, expires_at, created_by)
       SELECT $1, $3, $4, $5, $6, $7, $8, $9, $10 WHERE $2::uuid[] IS NULL OR $3 = ANY($2)`),
      [...scopeParams(scope), key.tenantId, key.name, key.prefix, key.keyHash, key.scopes, key.widgetIds, key.expiresAt, key.createdBy],
    );
    return row;
  }

  /** Newest first; only one tenant's with `tenantId`; `expiringWithinDays`: only live keys that expire within that many days (the dashboard's reminder list). */
  async list(scope: Scope, tenantId: string | null, limit: number, after?: { createdAt: string; id: string }, expiringWithinDays?: number): Promise<ApiKeyView[]> {
    return this.db.query<ApiKeyView[]>(
      `SELECT ${COLUMNS} FROM ${KEYS_WITH_TENANT}
        WHERE ${IN_SCOPE}
          AND ($3::timestamptz IS NULL OR (k.created_at, k.id) < ($3::timestamptz, $4::uuid))
          AND ($6::uuid IS NULL OR k.tenant_id = $6)
          AND ($7::int IS NULL OR (k.revoked_at IS NULL AND k.expires_at > now() AND k.expires_at <= now() + make_interval(days => $7::int)))
        ORDER BY k.created_at DESC, k.id DESC LIMIT $5`,
      [...scopeParams(scope), after?.createdAt ?? null, after?.id ?? null, limit, tenantId, expiringWithinDays ?? null],
    );
  }

  async find(scope: Scope, id: string, manager: EntityManager = this.db.manager): Promise<ApiKeyView | null> {
    const [row] = await manager.query<ApiKeyView[]>(`SELECT ${COLUMNS} FROM ${KEYS_WITH_TENANT} WHERE ${IN_SCOPE} AND k.id = $3`, [...scopeParams(scope), id]);
    return row ?? null;
  }

  /** The keys `userId` created that still work (neither revoked nor expired), within the scope: for their offboarding. */
  async workingCreatedBy(scope: Scope, userId: string): Promise<ApiKeyView[]> {
    return this.db.query<ApiKeyView[]>(
      `SELECT ${COLUMNS} FROM ${KEYS_WITH_TENANT}
        WHERE ${IN_SCOPE} AND k.created_by = $3 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
        ORDER BY k.created_at DESC, k.id DESC`,
      [...scopeParams(scope), userId],
    );
  }

  /** One UPDATE … RETURNING: the key as revoked now, or null when it was revoked already (or is out of scope). */
  async revoke(manager: EntityManager, scope: Scope, id: string): Promise<ApiKeyView | null> {
    // A SELECT over the UPDATE's rows: query() answers it with the rows themselves (see updateReturning).
    const [row] = await manager.query<ApiKeyView[]>(
      withTenant(`UPDATE api_keys k SET revoked_at = now() WHERE ${IN_SCOPE} AND k.id = $3 AND k.revoked_at IS NULL`),
      [...scopeParams(scope), id],
    );
    return row ?? null;
  }

  /**
   * Every live tenant that has a working key, in any organization (what the tenant API warms its cache with): those
   * whose keys were used last first.
   */
  async tenantsWithWorkingKeys(): Promise<{ organizationId: string; tenantId: string }[]> {
    return this.db.query<{ organizationId: string; tenantId: string }[]>(
      `SELECT k.organization_id AS "organizationId", k.tenant_id AS "tenantId"
         FROM api_keys k JOIN tenants t ON t.id = k.tenant_id AND t.archived_at IS NULL
        WHERE k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
        GROUP BY 1, 2 ORDER BY max(k.last_used_at) DESC NULLS LAST`,
    );
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
