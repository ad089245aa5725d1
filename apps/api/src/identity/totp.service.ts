import { Injectable } from '@nestjs/common';
import { generateSecret, generateURI, verify } from 'otplib';
import { DataSource, type EntityManager } from 'typeorm';
import type { RequestContext } from '../access/request-context';
import { AuditWriter } from '../audit/audit-writer.service';
import { Envelope } from '../crypto/envelope';
import { IdentityError, IdentityErrorCode, wrongPassword } from './identity.errors';
import { Reauthentication } from './reauthentication';
import { issueRecoveryCodes, spendRecoveryCode } from './recovery-codes';
import { totpSecretBinding } from './totp-secrets';
import { UsersRepository } from './users.repository';

const TOTP_PERIOD = 30;

/** Optional two-factor sign-in with an authenticator app, and one-time recovery codes. */
@Injectable()
export class TotpService {
  constructor(
    private readonly db: DataSource,
    private readonly envelope: Envelope,
    private readonly users: UsersRepository,
    private readonly reauthentication: Reauthentication,
    private readonly audit: AuditWriter,
  ) {}

  /** Starts enrolment: a new secret, shown this once, that becomes active only when a code from it is confirmed. */
  async enrol(userId: string, email: string): Promise<{ otpauthUrl: string; secret: string }> {
    const user = await this.users.findById(userId);
    if (user?.totpEnabled) {
      throw new IdentityError(IdentityErrorCode.TotpAlreadyOn, 'Two-factor sign-in is already on; turn it off first to enrol a new device.');
    }
    const secret = generateSecret();
    await this.db.query('UPDATE users SET totp_pending_enc = $2 WHERE id = $1', [userId, await this.envelope.encrypt(secret, totpSecretBinding(userId))]);
    return { otpauthUrl: generateURI({ issuer: 'Keyring', label: email, secret }), secret };
  }

  /** Turns two-factor sign-in on once a code from the new secret checks out; returns the recovery codes, once. */
  async confirm(account: { userId: string; email: string }, code: string, context: RequestContext): Promise<{ recoveryCodes: string[] }> {
    const { userId } = account;
    const attempt = { account, purpose: 'totp-confirm', factor: 'totp', context, refusal: () => wrongCode('That code is not valid; check the time on your device and try the next one.') } as const;
    return this.reauthentication.run(attempt, (wrong) =>
      this.db.transaction(async (manager) => {
        const [row] = await manager.query<{ totp_pending_enc: string | null; totp_enabled_at: Date | null }[]>(
          'SELECT totp_pending_enc, totp_enabled_at FROM users WHERE id = $1 FOR UPDATE',
          [userId],
        );
        if (row.totp_enabled_at) throw new IdentityError(IdentityErrorCode.TotpAlreadyOn, 'Two-factor sign-in is already on.');
        if (!row.totp_pending_enc) throw new IdentityError(IdentityErrorCode.TotpNotStarted, 'Start enrolment first (POST /api/v1/auth/totp/enrol).');
        const secret = await this.envelope.decrypt(row.totp_pending_enc, totpSecretBinding(userId));
        const step = (await this.checkCode(secret, code, null)) ?? wrong();
        await manager.query(
          `UPDATE users SET totp_secret_enc = totp_pending_enc, totp_pending_enc = NULL, totp_enabled_at = now(), totp_last_step = $2
            WHERE id = $1`,
          [userId, step],
        );
        const recoveryCodes = await issueRecoveryCodes(manager, userId);
        await this.audit.recordForUser(manager, context, userId, { action: 'auth.totp_enabled' });
        return { recoveryCodes };
      }),
    );
  }

  /** Turns two-factor sign-in off: the password and a current code (or a recovery code), each re-authenticated. */
  async disable(account: { userId: string; email: string }, password: string, code: string, context: RequestContext): Promise<void> {
    const { userId } = account;
    await this.reauthentication.checkPassword(userId, password, {
      purpose: 'totp-disable',
      context,
      refusal: () => wrongPassword('password', 'The password is not correct.'),
    });
    const attempt = { account, purpose: 'totp-disable', factor: 'totp', context, refusal: () => wrongCode('That code is not valid.') } as const;
    await this.reauthentication.run(attempt, (wrong) =>
      this.db.transaction(async (manager) => {
        if (!(await this.accept(manager, userId, code, context))) wrong();
        await manager.query(
          'UPDATE users SET totp_secret_enc = NULL, totp_pending_enc = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1',
          [userId],
        );
        await manager.query('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
        await this.audit.recordForUser(manager, context, userId, { action: 'auth.totp_disabled' });
      }),
    );
  }

  /**
   * Checks a sign-in's second factor: a current authenticator code (each accepted once), or an unused recovery
   * code, which is then spent.
   */
  async accept(manager: EntityManager, userId: string, code: string, context: RequestContext): Promise<boolean> {
    // totp_last_step is a bigint, which pg hands over as a string.
    const [row] = await manager.query<({ totp_secret_enc: string | null; totp_last_step: string | null } | undefined)[]>(
      'SELECT totp_secret_enc, totp_last_step FROM users WHERE id = $1 FOR UPDATE',
      [userId],
    );
    if (!row?.totp_secret_enc) return false;
    if (/^\d{6}$/.test(code)) {
      const secret = await this.envelope.decrypt(row.totp_secret_enc, totpSecretBinding(userId));
      const step = await this.checkCode(secret, code, row.totp_last_step === null ? null : Number(row.totp_last_step));
      if (step === null) return false;
      await manager.query('UPDATE users SET totp_last_step = $2 WHERE id = $1', [userId, step]);
      return true;
    }
    if (!(await spendRecoveryCode(manager, userId, code))) return false;
    await this.audit.recordForUser(manager, context, userId, { action: 'auth.recovery_code_used' });
    return true;
  }

  /** The time step of a valid code, or null. Codes of a step already used are refused: no replay. */
  private async checkCode(secret: string, code: string, lastStep: number | null): Promise<number | null> {
    const result = await verify({
      secret,
      token: code,
      epochTolerance: TOTP_PERIOD,
      ...(lastStep !== null && { afterTimeStep: lastStep }),
    }).catch(() => ({ valid: false as const }));
    // verify() types HOTP and TOTP results alike; a TOTP match always carries its time step.
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  }
}

/** A wrong code from a signed-in user: 400 with a field error, so that the console does not take it for a lost session. */
function wrongCode(message: string): IdentityError {
  return new IdentityError(IdentityErrorCode.WrongTotpCode, message, { errors: [{ field: 'code', message }] });
}
