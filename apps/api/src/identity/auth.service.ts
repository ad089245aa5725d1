import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RequestContext } from '../access/request-context';
import { AuditWriter } from '../audit/audit-writer.service';
import type { LoginDto } from './identity.dto';
import { CredentialThrottle } from './credential-throttle';
import { IdentityError, IdentityErrorCode, wrongPassword } from './identity.errors';
import { MembershipDirectory } from './membership-directory';
import { PasswordHasher } from './password-hasher';
import { Reauthentication } from './reauthentication';
import { assertStrongPassword } from './password-policy';
import { csrfTokenFor } from './secret-tokens';
import { SessionsService } from './sessions.service';
import { TotpService } from './totp.service';
import { UsersRepository } from './users.repository';

export interface SessionView {
  user: { id: string; email: string; totpEnabled: boolean };
  memberships: { organizationId: string; organizationName: string; role: string }[];
  csrfToken: string;
}

const WRONG_CREDENTIALS = 'The email or password is not correct.';

@Injectable()
export class AuthService {
  constructor(
    private readonly db: DataSource,
    private readonly users: UsersRepository,
    private readonly memberships: MembershipDirectory,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly throttle: CredentialThrottle,
    private readonly audit: AuditWriter,
    private readonly totp: TotpService,
    private readonly reauthentication: Reauthentication,
  ) {}

  /** Checks the credentials and opens a session; returns its token (for the cookie) and what the console shows. */
  async login(dto: LoginDto, context: RequestContext): Promise<{ sessionToken: string; view: SessionView }> {
    const wait = await this.throttle.retryAfterSeconds(dto.email, context.ip);
    if (wait > 0) {
      throw new IdentityError(
        IdentityErrorCode.LoginThrottled,
        `Too many failed sign-ins. Try again in ${wait} second${wait === 1 ? '' : 's'}.`,
        { retryAfterSeconds: wait },
        { 'Retry-After': String(wait) },
      );
    }
    const user = await this.users.findByEmail(dto.email);
    // Unknown emails are checked against a decoy hash: same work, same time, same answer.
    const valid = await this.hasher.verify(user?.passwordHash ?? null, dto.password);
    if (!user || !valid) {
      await this.recordFailure(dto.email, context, user?.id ?? null, 'password');
      throw new IdentityError(IdentityErrorCode.InvalidCredentials, WRONG_CREDENTIALS);
    }
    if (user.totpEnabled && !dto.totpCode) {
      throw new IdentityError(
        IdentityErrorCode.TotpRequired,
        'Enter the 6-digit code from your authenticator app, or a recovery code.',
        { totpRequired: true },
      );
    }
    const actor = { ...context, actor: { type: 'user' as const, id: user.id, label: user.email } };
    const sessionToken = await this.db.transaction(async (manager) => {
      if (user.totpEnabled && !(await this.totp.accept(manager, user.id, dto.totpCode!, actor))) return null;
      const token = await this.sessions.open(manager, user.id, context.ip, context.userAgent);
      await this.audit.recordForUser(manager, actor, user.id, { action: 'auth.login_succeeded' });
      return token;
    });
    if (sessionToken === null) {
      await this.recordFailure(dto.email, context, user.id, 'totp');
      throw new IdentityError(IdentityErrorCode.TotpInvalid, 'That code is not valid; try the next one from your app.');
    }
    await this.throttle.recordSuccess(dto.email);
    return { sessionToken, view: await this.view(user.id, sessionToken) };
  }

  private async recordFailure(email: string, context: RequestContext, userId: string | null, factor: 'password' | 'totp') {
    await this.throttle.recordFailure(email, context.ip);
    await this.db.transaction((manager) =>
      this.audit.recordForUser(manager, context, userId, {
        action: 'auth.login_failed',
        outcome: 'failure',
        details: { email: email.trim().slice(0, 254), factor },
      }),
    );
  }

  /** Checks the current password, sets the new one and signs out every other session of the user. */
  async changePassword(userId: string, sessionId: string, currentPassword: string, newPassword: string, context: RequestContext): Promise<void> {
    await this.reauthentication.checkPassword(userId, currentPassword, {
      purpose: 'password-change',
      context,
      refusal: () => wrongPassword('currentPassword', 'The current password is not correct.'),
    });
    const user = await this.users.findById(userId);
    assertStrongPassword(newPassword, user!.email, 'newPassword');
    const passwordHash = await this.hasher.hash(newPassword);
    await this.db.transaction(async (manager) => {
      await manager.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, passwordHash]);
      const [{ closed }] = await manager.query<{ closed: number }[]>(
        'WITH gone AS (DELETE FROM sessions WHERE user_id = $1 AND id <> $2 RETURNING 1) SELECT count(*)::int AS closed FROM gone',
        [userId, sessionId],
      );
      await this.audit.recordForUser(manager, context, userId, { action: 'auth.password_changed', details: { otherSessionsClosed: closed } });
    });
  }

  async logout(sessionId: string, userId: string, context: RequestContext): Promise<void> {
    await this.db.transaction(async (manager) => {
      await this.sessions.close(manager, sessionId);
      await this.audit.recordForUser(manager, context, userId, { action: 'auth.logged_out' });
    });
  }

  async view(userId: string, sessionToken: string): Promise<SessionView> {
    const [user, memberships] = await Promise.all([this.users.findById(userId), this.memberships.listForUser(userId)]);
    return {
      user: { id: userId, email: user!.email, totpEnabled: user!.totpEnabled },
      memberships: memberships.map(({ organizationId, organizationName, role }) => ({ organizationId, organizationName, role })),
      csrfToken: csrfTokenFor(sessionToken),
    };
  }
}
