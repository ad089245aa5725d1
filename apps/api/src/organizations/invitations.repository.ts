import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Role } from '@keyring/contracts';

export interface InvitationRow {
  id: string;
  organizationId: string;
  organizationName: string;
  email: string;
  role: Role;
  tenantIds: string[] | null;
  expiresAt: Date;
}

export interface PendingInvitationRow {
  id: string;
  email: string;
  role: Role;
  tenantIds: string[] | null;
  expiresAt: Date;
  createdAt: Date;
  invitedBy?: string | null;
}

export interface InvitationPreviewRow {
  email: string;
  organizationName: string;
  role: Role;
  invitedBy: string | null;
  expiresAt: Date;
}

/** The invitation of a token, if it can still be accepted. */
const USABLE = `SELECT i.id, i.organization_id AS "organizationId", o.name AS "organizationName", i.email, i.role,
  i.tenant_ids AS "tenantIds", i.expires_at AS "expiresAt" FROM invitations i JOIN organizations o ON o.id = i.organization_id
  WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > now()`;

@Injectable()
export class InvitationsRepository {
  constructor(private readonly db: DataSource) {}

  async insert(
    manager: EntityManager,
    invitation: { organizationId: string; email: string; role: Role; tenantIds: string[] | null; tokenHash: Buffer; invitedBy: string; validDays: number },
  ): Promise<{ id: string; expiresAt: Date }> {
    const [row] = await manager.query<{ id: string; expiresAt: Date }[]>(
      `INSERT INTO invitations (organization_id, email, role, tenant_ids, token_hash, invited_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7))
       RETURNING id, expires_at AS "expiresAt"`,
      [invitation.organizationId, invitation.email, invitation.role, invitation.tenantIds, invitation.tokenHash, invitation.invitedBy, invitation.validDays],
    );
    return row;
  }

  /** An invitation that can still be accepted. */
  async findUsable(tokenHash: Buffer): Promise<InvitationRow | null> {
    const [row] = await this.db.query<InvitationRow[]>(USABLE, [tokenHash]);
    return row ?? null;
  }

  /** The same, locked until the end of the transaction; null if it was accepted or expired meanwhile. */
  async lockUsable(manager: EntityManager, tokenHash: Buffer): Promise<InvitationRow | null> {
    const [row] = await manager.query<InvitationRow[]>(`${USABLE} FOR UPDATE OF i`, [tokenHash]);
    return row ?? null;
  }

  /**
   * Seconds until one more invitation fits under both hourly limits (0: now), counted while holding a lock per
   * inviter and per organization until the end of the transaction.
   */
  async lockAndCountRecent(
    manager: EntityManager,
    organizationId: string,
    invitedBy: string,
    perHour: { organization: number; inviter: number },
  ): Promise<{ waitSeconds: number }> {
    await manager.query("SELECT pg_advisory_xact_lock(hashtext('invitations:' || $1)), pg_advisory_xact_lock(hashtext('invitations:' || $2))", [
      organizationId,
      invitedBy,
    ]);
    // The n-th newest invitation of the hour, when there are n (the limit): the next one fits when it is an hour old.
    const [row] = await manager.query<{ waitSeconds: number }[]>(
      `SELECT GREATEST(
         COALESCE((SELECT CEIL(EXTRACT(EPOCH FROM created_at + interval '1 hour' - now())) FROM invitations
                    WHERE organization_id = $1 AND created_at > now() - interval '1 hour' ORDER BY created_at DESC OFFSET $3 - 1 LIMIT 1), 0),
         COALESCE((SELECT CEIL(EXTRACT(EPOCH FROM created_at + interval '1 hour' - now())) FROM invitations
                    WHERE invited_by = $2 AND created_at > now() - interval '1 hour' ORDER BY created_at DESC OFFSET $4 - 1 LIMIT 1), 0)
       )::int AS "waitSeconds"`,
      [organizationId, invitedBy, perHour.organization, perHour.inviter],
    );
    return row;
  }

  /** The invitations of an organization not yet accepted (expired ones too, to be sent again), newest first. */
  async listPending(organizationId: string): Promise<PendingInvitationRow[]> {
    return this.db.query<PendingInvitationRow[]>(
      `SELECT i.id, i.email, i.role, i.tenant_ids AS "tenantIds", i.expires_at AS "expiresAt", i.created_at AS "createdAt", u.email AS "invitedBy"
       FROM invitations i LEFT JOIN users u ON u.id = i.invited_by
       WHERE i.organization_id = $1 AND i.accepted_at IS NULL ORDER BY i.created_at DESC, i.id LIMIT 200`,
      [organizationId],
    );
  }

  /** What the holder of a usable token is invited to, for the invitation page. */
  async preview(tokenHash: Buffer): Promise<InvitationPreviewRow | null> {
    const [row] = await this.db.query<InvitationPreviewRow[]>(
      `SELECT i.email, o.name AS "organizationName", i.role, u.email AS "invitedBy", i.expires_at AS "expiresAt"
       FROM invitations i JOIN organizations o ON o.id = i.organization_id LEFT JOIN users u ON u.id = i.invited_by
       WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > now()`,
      [tokenHash],
    );
    return row ?? null;
  }

  /**
   * A new link for a pending invitation: the old token stops working, the validity starts again, and the one who
   * sent it becomes its inviter (it counts under the hourly limits like a new invitation).
   */
  async renew(manager: EntityManager, organizationId: string, id: string, renewal: { tokenHash: Buffer; invitedBy: string; validDays: number }) {
    const [row] = await manager.query<PendingInvitationRow[]>(
      // In a WITH: TypeORM answers a bare UPDATE … RETURNING as [rows, count].
      `WITH renewed AS (
         UPDATE invitations SET token_hash = $3, invited_by = $4, created_at = now(), expires_at = now() + make_interval(days => $5)
         WHERE organization_id = $1 AND id = $2 AND accepted_at IS NULL
         RETURNING id, email, role, tenant_ids AS "tenantIds", expires_at AS "expiresAt", created_at AS "createdAt")
       SELECT * FROM renewed`,
      [organizationId, id, renewal.tokenHash, renewal.invitedBy, renewal.validDays],
    );
    return row ?? null;
  }

  /** Deletes a pending invitation; its link stops working. Null when there is none (or it was accepted). */
  async revoke(manager: EntityManager, organizationId: string, id: string): Promise<{ email: string; role: Role } | null> {
    const [row] = await manager.query<{ email: string; role: Role }[]>(
      'WITH gone AS (DELETE FROM invitations WHERE organization_id = $1 AND id = $2 AND accepted_at IS NULL RETURNING email, role) SELECT * FROM gone',
      [organizationId, id],
    );
    return row ?? null;
  }

  async markAccepted(manager: EntityManager, id: string): Promise<void> {
    await manager.query('UPDATE invitations SET accepted_at = now() WHERE id = $1', [id]);
  }
}
