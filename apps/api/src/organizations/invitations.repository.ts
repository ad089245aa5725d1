import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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

const COLUMNS = `i.id, i.organization_id AS "organizationId", o.name AS "organizationName", i.email, i.role,
  i.tenant_ids AS "tenantIds", i.expires_at AS "expiresAt"`;

@Injectable()
export class InvitationsRepository {
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

  /** An invitation that can still be accepted, locked until the end of the transaction. */
  async lockUsable(manager: EntityManager, tokenHash: Buffer): Promise<InvitationRow | null> {
    const [row] = await manager.query<InvitationRow[]>(
      `SELECT ${COLUMNS} FROM invitations i JOIN organizations o ON o.id = i.organization_id
        WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > now()
        FOR UPDATE OF i`,
      [tokenHash],
    );
    return row ?? null;
  }

  async markAccepted(manager: EntityManager, id: string): Promise<void> {
    await manager.query('UPDATE invitations SET accepted_at = now() WHERE id = $1', [id]);
  }
}
