import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Role } from '@keyring/contracts';
import type { RequestContext } from '../access/request-context';
import { scopeIncludes, type Scope } from '../access/scope';
import { AuditWriter } from '../audit/audit-writer.service';
import { decodeCursor, keysetPage } from '../common/http/cursor';
import { Accounts, type Account } from '../identity/accounts.service';
import { wrongPassword } from '../identity/identity.errors';
import { assertStrongPassword } from '../identity/password-policy';
import { Reauthentication } from '../identity/reauthentication';
import { newToken, sha256 } from '../identity/secret-tokens';
import { InvitationsRepository } from './invitations.repository';
import type { AcceptInvitationDto, InviteMemberDto, UpdateMemberDto } from './members.dto';
import { MembersError, MembersErrorCode } from './members.errors';
import { MembershipsRepository, type ListedMember } from './memberships.repository';

export const INVITATION_VALID_DAYS = 7;
export const INVITATIONS_PER_HOUR = { organization: 50, inviter: 20 } as const;
const DEFAULT_PAGE = 50;

@Injectable()
export class MembersService {
  constructor(
    private readonly db: DataSource,
    private readonly memberships: MembershipsRepository,
    private readonly invitations: InvitationsRepository,
    private readonly accounts: Accounts,
    private readonly reauthentication: Reauthentication,
    private readonly audit: AuditWriter,
  ) {}

  /** With `tenantId`, the members limited to it (none when it is outside the caller's own tenants). */
  async list(scope: Scope, query: { tenantId?: string; limit?: number; cursor?: string }): Promise<{ items: ListedMember[]; nextCursor: string | null }> {
    const limit = query.limit ?? DEFAULT_PAGE;
    if (query.tenantId && !scopeIncludes(scope, query.tenantId)) return { items: [], nextCursor: null };
    const after = query.cursor ? decodeCursor(query.cursor, 2) : undefined;
    const rows = await this.memberships.listMembers(
      scope.organizationId,
      query.tenantId ?? null,
      limit + 1,
      after ? { email: String(after[0]), userId: String(after[1]) } : undefined,
    );
    return keysetPage(rows, limit, (member) => [member.email, member.userId]);
  }

  /** Creates a one-time invitation; its token is returned this once and stored only hashed. */
  async invite(organizationId: string, dto: InviteMemberDto, invitedBy: string, context: RequestContext) {
    const email = dto.email.trim();
    const token = newToken();
    return this.db.transaction(async (manager) => {
      await this.refuseOverInvitationLimit(manager, organizationId, invitedBy);
      const existing = await this.accounts.findByEmail(email);
      if (existing && (await this.memberships.find(organizationId, existing.id))) {
        throw new MembersError(MembersErrorCode.AlreadyMember, `${email} is already a member of this organization.`);
      }
      const tenantIds = dto.tenantIds ?? null;
      const invitation = await this.invitations.insert(manager, {
        organizationId,
        email,
        role: dto.role,
        tenantIds,
        tokenHash: sha256(token),
        invitedBy,
        validDays: INVITATION_VALID_DAYS,
      });
      await this.audit.record(manager, context, {
        organizationId,
        action: 'member.invited',
        target: { type: 'invitation', id: invitation.id },
        details: { email, role: dto.role, tenantIds },
      });
      return { invitation: { id: invitation.id, email, role: dto.role, tenantIds, expiresAt: invitation.expiresAt }, token };
    });
  }

  listInvitations(organizationId: string) {
    return this.invitations.listPending(organizationId).then((items) => ({ items }));
  }

  /** A new link for a pending invitation (the old one stops working), shown this once like the first. */
  async resendInvitation(organizationId: string, invitationId: string, sentBy: string, context: RequestContext) {
    const token = newToken();
    return this.db.transaction(async (manager) => {
      await this.refuseOverInvitationLimit(manager, organizationId, sentBy);
      const renewed = await this.invitations.renew(manager, organizationId, invitationId, { tokenHash: sha256(token), invitedBy: sentBy, validDays: INVITATION_VALID_DAYS });
      if (!renewed) throw invitationNotFound();
      await this.audit.record(manager, context, {
        organizationId,
        action: 'member.invitation_resent',
        target: { type: 'invitation', id: invitationId },
        details: { email: renewed.email, role: renewed.role },
      });
      const { createdAt: _createdAt, ...invitation } = renewed;
      return { invitation, token };
    });
  }

  async revokeInvitation(organizationId: string, invitationId: string, context: RequestContext): Promise<void> {
    await this.db.transaction(async (manager) => {
      const revoked = await this.invitations.revoke(manager, organizationId, invitationId);
      if (!revoked) throw invitationNotFound();
      await this.audit.record(manager, context, {
        organizationId,
        action: 'member.invitation_revoked',
        target: { type: 'invitation', id: invitationId },
        details: { email: revoked.email, role: revoked.role },
      });
    });
  }

  /** What an invitation link is for, told to its holder before they choose a password. */
  async previewInvitation(token: string) {
    const preview = await this.invitations.preview(sha256(token));
    if (!preview) throw invitationInvalid();
    return preview;
  }

  /**
   * Each invitation lets its holder try a password (see accept): how many an organization and an inviter (who can
   * create organizations at will) may make in an hour is capped. Counted under a lock per organization and per
   * inviter, so that parallel requests cannot pass the cap together.
   */
  private async refuseOverInvitationLimit(manager: EntityManager, organizationId: string, invitedBy: string): Promise<void> {
    const { waitSeconds } = await this.invitations.lockAndCountRecent(manager, organizationId, invitedBy, INVITATIONS_PER_HOUR);
    if (waitSeconds > 0) {
      throw new MembersError(
        MembersErrorCode.InvitationLimit,
        `At most ${INVITATIONS_PER_HOUR.organization} invitations an hour per organization and ${INVITATIONS_PER_HOUR.inviter} per person. Try again in ${waitSeconds} seconds.`,
        { retryAfterSeconds: waitSeconds },
        { 'Retry-After': String(waitSeconds) },
      );
    }
  }

  /**
   * Joins the organization of an invitation. A new email gets an account with this password; an existing
   * account must give its own password, a re-authentication like any other (throttled, failures audited). The
   * password rule is checked first and the throttle is keyed by the invitation's email, so that neither answer
   * depends on whether the email has an account.
   */
  async accept(dto: AcceptInvitationDto, context: RequestContext) {
    const tokenHash = sha256(dto.token);
    const invitation = await this.invitations.findUsable(tokenHash);
    if (!invitation) throw invitationInvalid();
    assertStrongPassword(dto.password, invitation.email);
    await this.reauthentication.refuseWhileLocked(invitation.email, context);
    const existing = await this.accounts.findByEmail(invitation.email);
    if (existing) {
      const attempt = {
        account: { userId: existing.id, email: existing.email },
        purpose: 'invitation-accept',
        factor: 'password',
        context,
        refusal: () => wrongPassword('password', 'The password is not correct.'),
      } as const;
      await this.reauthentication.run(attempt, async (wrong) => {
        if (!(await this.accounts.passwordMatches(existing.email, dto.password))) wrong();
      });
    }
    return this.db.transaction(async (manager) => {
      // Locked now: accepted once, even by two requests at the same moment.
      if (!(await this.invitations.lockUsable(manager, tokenHash))) throw invitationInvalid();
      const user: Account = existing ?? (await this.accounts.create(manager, invitation.email, dto.password));
      if (!(await this.memberships.insert(manager, invitation.organizationId, user.id, invitation.role, invitation.tenantIds))) {
        throw new MembersError(MembersErrorCode.AlreadyMember, 'You are already a member of this organization.');
      }
      await this.invitations.markAccepted(manager, invitation.id);
      await this.audit.record(
        manager,
        { ...context, actor: { type: 'user', id: user.id, label: user.email } },
        {
          organizationId: invitation.organizationId,
          action: 'member.joined',
          target: { type: 'user', id: user.id },
          details: { email: user.email, role: invitation.role, invitationId: invitation.id },
        },
      );
      return {
        user: { id: user.id, email: user.email },
        organization: { id: invitation.organizationId, name: invitation.organizationName },
        role: invitation.role,
      };
    });
  }

  async update(organizationId: string, userId: string, dto: UpdateMemberDto, context: RequestContext): Promise<ListedMember> {
    return this.db.transaction(async (manager) => {
      const { target, owners } = await this.memberships.lockForChange(manager, organizationId, userId);
      if (!target) throw new MembersError(MembersErrorCode.MemberNotFound, 'No such member in this organization.');
      const role: Role = dto.role ?? target.role;
      const tenantIds = dto.tenantIds === undefined ? target.tenantIds : dto.tenantIds;
      if (target.role === 'owner' && role !== 'owner' && owners === 1) {
        throw new MembersError(MembersErrorCode.LastOwner, 'This is the last owner: make another member owner before changing this role.');
      }
      // Under the lock taken above; a change to what it already is writes and audits nothing.
      const unchanged = role === target.role && JSON.stringify(tenantIds) === JSON.stringify(target.tenantIds);
      if (unchanged) return (await this.memberships.findMember(organizationId, userId, manager))!;
      await this.memberships.update(manager, organizationId, userId, role, tenantIds);
      await this.audit.record(manager, context, {
        organizationId,
        action: 'member.updated',
        target: { type: 'user', id: userId },
        details: { email: target.email, from: { role: target.role, tenantIds: target.tenantIds }, to: { role, tenantIds } },
      });
      return (await this.memberships.findMember(organizationId, userId, manager))!;
    });
  }

  async remove(organizationId: string, userId: string, context: RequestContext): Promise<void> {
    await this.db.transaction(async (manager) => {
      const { target, owners } = await this.memberships.lockForChange(manager, organizationId, userId);
      if (!target) throw new MembersError(MembersErrorCode.MemberNotFound, 'No such member in this organization.');
      if (target.role === 'owner' && owners === 1) {
        throw new MembersError(MembersErrorCode.LastOwner, 'This is the last owner: make another member owner before removing this one.');
      }
      await this.memberships.delete(manager, organizationId, userId);
      await this.audit.record(manager, context, {
        organizationId,
        action: 'member.removed',
        target: { type: 'user', id: userId },
        details: { email: target.email, role: target.role },
      });
    });
  }
}

function invitationNotFound(): MembersError {
  return new MembersError(MembersErrorCode.InvitationNotFound, 'No pending invitation with this id in this organization.');
}

function invitationInvalid(): MembersError {
  return new MembersError(MembersErrorCode.InvitationInvalid, 'This invitation does not exist, has expired or was already used.');
}
