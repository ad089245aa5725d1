import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';
import type { Role } from '@keyring/contracts';

export interface MembershipView {
  organizationId: string;
  organizationName: string;
  role: Role;
  tenantIds: string[] | null;
}

export interface MemberRow {
  userId: string;
  email: string;
  role: Role;
  tenantIds: string[] | null;
  createdAt: Date;
}

/** A member as lists show them: with the names of their tenants. */
export type ListedMember = MemberRow & { tenants: { id: string; name: string }[] | null };

/** A membership `m` of user `u`, with its tenants' names (tenants read for their names only). */
const LISTED_MEMBER = `u.id AS "userId", u.email, m.role, m.tenant_ids AS "tenantIds", m.created_at AS "createdAt",
  CASE WHEN m.tenant_ids IS NOT NULL THEN COALESCE((SELECT json_agg(json_build_object('id', t.id, 'name', t.name) ORDER BY lower(t.name), t.id)
    FROM tenants t WHERE t.organization_id = m.organization_id AND t.id = ANY(m.tenant_ids)), '[]') END AS tenants`;

@Injectable()
export class MembershipsRepository {
  constructor(private readonly db: DataSource) {}

  /** The caller's membership in one organization; null for an organization they are not in (or that is not). */
  async find(organizationId: string, userId: string): Promise<MembershipView | null> {
    const [row] = await this.db.query<MembershipView[]>(
      `SELECT m.organization_id AS "organizationId", o.name AS "organizationName", m.role, m.tenant_ids AS "tenantIds"
         FROM memberships m JOIN organizations o ON o.id = m.organization_id
        WHERE m.organization_id = $1 AND m.user_id = $2`,
      [organizationId, userId],
    );
    return row ?? null;
  }

  async listForUser(userId: string): Promise<MembershipView[]> {
    return this.db.query<MembershipView[]>(
      `SELECT m.organization_id AS "organizationId", o.name AS "organizationName", m.role, m.tenant_ids AS "tenantIds"
         FROM memberships m JOIN organizations o ON o.id = m.organization_id
        WHERE m.user_id = $1 ORDER BY o.name, o.id`,
      [userId],
    );
  }

  /** Keyset page by email; with `limitedTo`, only the members limited to some tenants, that one among them. */
  async listMembers(organizationId: string, limitedTo: string | null, limit: number, after?: { email: string; userId: string }): Promise<ListedMember[]> {
    return this.db.query<ListedMember[]>(
      `SELECT ${LISTED_MEMBER}
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.organization_id = $1
          AND ($3::text IS NULL OR (lower(u.email), u.id) > (lower($3::text), $4::uuid))
          AND ($5::uuid IS NULL OR $5 = ANY(m.tenant_ids))
        ORDER BY lower(u.email), u.id
        LIMIT $2`,
      [organizationId, limit, after?.email ?? null, after?.userId ?? null, limitedTo],
    );
  }

  async findMember(organizationId: string, userId: string, manager: EntityManager = this.db.manager): Promise<ListedMember | null> {
    const [row] = await manager.query<ListedMember[]>(
      `SELECT ${LISTED_MEMBER} FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organization_id = $1 AND m.user_id = $2`,
      [organizationId, userId],
    );
    return row ?? null;
  }

  /** Locks the organization's owner rows and the target row, so that two changes cannot both remove the last owner. */
  async lockForChange(manager: EntityManager, organizationId: string, userId: string): Promise<{ target: MemberRow | null; owners: number }> {
    const rows: (MemberRow & { isTarget: boolean })[] = await manager.query<(MemberRow & { isTarget: boolean })[]>(
      `SELECT u.id AS "userId", u.email, m.role, m.tenant_ids AS "tenantIds", m.created_at AS "createdAt",
              m.user_id = $2 AS "isTarget"
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.organization_id = $1 AND (m.role = 'owner' OR m.user_id = $2)
        ORDER BY m.user_id
        FOR UPDATE OF m`,
      [organizationId, userId],
    );
    const target = rows.find((row) => row.isTarget) ?? null;
    if (target) delete (target as Partial<typeof target>).isTarget;
    return { target, owners: rows.filter((row) => row.role === 'owner').length };
  }

  async insert(manager: EntityManager, organizationId: string, userId: string, role: Role, tenantIds: string[] | null): Promise<boolean> {
    const rows = await manager.query<{ user_id: string }[]>(
      `INSERT INTO memberships (organization_id, user_id, role, tenant_ids) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING user_id`,
      [organizationId, userId, role, tenantIds],
    );
    return rows.length === 1;
  }

  async update(manager: EntityManager, organizationId: string, userId: string, role: Role, tenantIds: string[] | null): Promise<void> {
    await manager.query(
      'UPDATE memberships SET role = $3, tenant_ids = $4 WHERE organization_id = $1 AND user_id = $2',
      [organizationId, userId, role, tenantIds],
    );
  }

  async delete(manager: EntityManager, organizationId: string, userId: string): Promise<void> {
    await manager.query('DELETE FROM memberships WHERE organization_id = $1 AND user_id = $2', [organizationId, userId]);
  }
}
