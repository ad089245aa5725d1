import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RequestContext } from '../access/request-context';
import { AuditWriter } from '../audit/audit-writer.service';
import { CredentialThrottle } from './credential-throttle';
import { IdentityError, IdentityErrorCode } from './identity.errors';
import { PasswordHasher } from './password-hasher';
import { UsersRepository } from './users.repository';

/** What a re-authentication protects, as recorded in the audit event of a failure. */
export type ReauthenticationPurpose = 'secret-reveal' | 'password-change' | 'totp-confirm' | 'totp-disable' | 'invitation-accept';

export interface ReauthenticationAttempt {
  /** The account whose password or code is checked. */
  account: { userId: string; email: string };
  purpose: ReauthenticationPurpose;
  factor: 'password' | 'totp';
  context: RequestContext;
  /** What the caller is told when the check fails (never the guess). */
  refusal: () => Error;
}

/**
 * Every check of a password or second factor outside sign-in (reveal a secret, change the password, turn 2FA on
 * or off, accept an invitation into an existing account) goes through here: refused with 429 while the account
 * or the IP is locked, each failure counted in sign-in's throttle and audited (purpose and factor, never the guess).
 */
@Injectable()
export class Reauthentication {
  constructor(
    private readonly db: DataSource,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: CredentialThrottle,
    private readonly audit: AuditWriter,
  ) {}

  /** Checks the user's own password; throws the attempt's refusal when it is wrong. */
  async checkPassword(userId: string, password: string, attempt: Omit<ReauthenticationAttempt, 'account' | 'factor'>): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user) throw attempt.refusal();
    await this.run({ ...attempt, account: { userId, email: user.email }, factor: 'password' }, async (wrong) => {
      if (!(await this.hasher.verify(user.passwordHash, password))) wrong();
    });
  }

  /**
   * Runs `action` unless the throttle says wait. The action calls `wrong()` when the credential does not match
   * (inside its transaction, which the throw rolls back); the failure is then counted, audited and refused.
   */
  async run<T>(attempt: ReauthenticationAttempt, action: (wrong: () => never) => Promise<T>): Promise<T> {
    await this.refuseWhileLocked(attempt.account.email, attempt.context);
    const mismatch = new WrongCredential();
    let result: T;
    try {
      result = await action(() => {
        throw mismatch;
      });
    } catch (error) {
      if (error !== mismatch) throw error;
      await this.recordFailure(attempt);
      throw attempt.refusal();
    }
    await this.throttle.recordSuccess(attempt.account.email);
    return result;
  }

  /** 429 with Retry-After while this account or IP may not try a credential. */
  async refuseWhileLocked(email: string, context: RequestContext): Promise<void> {
    const wait = await this.throttle.retryAfterSeconds(email, context.ip);
    if (wait > 0) {
      throw new IdentityError(
        IdentityErrorCode.ReauthenticationThrottled,
        `Too many wrong passwords or codes. Try again in ${wait} second${wait === 1 ? '' : 's'}.`,
        { retryAfterSeconds: wait },
        { 'Retry-After': String(wait) },
      );
    }
  }

  /** Counted and audited in their own transaction: the refused action's transaction is rolled back. */
  private async recordFailure({ account, purpose, factor, context }: ReauthenticationAttempt): Promise<void> {
    await this.throttle.recordFailure(account.email, context.ip);
    await this.db.transaction((manager) =>
      this.audit.recordForUser(manager, context, account.userId, { action: 'auth.reauthentication_failed', outcome: 'failure', details: { purpose, factor } }),
    );
  }
}

/** Thrown through the action of Reauthentication.run to mark a wrong credential; never leaves it. */
class WrongCredential extends Error {}
