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

  async markAccepted(manager: EntityManager, id: string): Promise<void> {
    await manager.query('UPDATE invitations SET accepted_at = now() WHERE id = $1', [id]);
  }
}
