import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RequestContext } from '../access/request-context';
import { AuditWriter } from '../audit/audit-writer.service';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';
import { Accounts } from '../identity/accounts.service';
import type { SetupDto } from '../identity/identity.dto';
import { IdentityError, IdentityErrorCode } from '../identity/identity.errors';
import { assertStrongPassword } from '../identity/password-policy';
import { newToken, sha256 } from '../identity/secret-tokens';
import { Memberships } from '../organizations/memberships.service';

/** The single row of setup_state: the hash of the pending setup token, and when setup was done. */
interface SetupState {
  token_hash: Buffer | null;
  completed_at: Date | null;
}

/** First run: the person holding the setup token creates the first owner and organization, once. */
@Injectable()
export class SetupService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Setup');
  /** The token this process generated at first start, for the terminal banner; null once given or when set. */
  generatedToken: string | null = null;

  constructor(
    private readonly db: DataSource,
    @Inject(KEYRING_CONFIG) private readonly config: KeyringConfig,
    private readonly accounts: Accounts,
    private readonly memberships: Memberships,
    private readonly audit: AuditWriter,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.setupToken) {
      await this.db.query('UPDATE setup_state SET token_hash = $1 WHERE completed_at IS NULL', [sha256(this.config.setupToken)]);
      return;
    }
    // Only the first instance to get here generates a token, and it is printed this once.
    const token = newToken();
    const [{ claimed }] = await this.db.query<{ claimed: number }[]>(
      `WITH claim AS (UPDATE setup_state SET token_hash = $1 WHERE completed_at IS NULL AND token_hash IS NULL RETURNING 1)
       SELECT count(*)::int AS claimed FROM claim`,
      [sha256(token)],
    );
    if (claimed > 0) {
      this.generatedToken = token;
      this.logger.warn(`First run: open the console and complete setup with this one-time setup token: ${token}`);
    } else if (await this.isRequired()) {
      this.logger.warn('Setup is pending: use the setup token printed at first start, or set KEYRING_SETUP_TOKEN.');
    }
  }

  async isRequired(): Promise<boolean> {
    const [state] = await this.db.query<Pick<SetupState, 'completed_at'>[]>('SELECT completed_at FROM setup_state');
    return state.completed_at === null;
  }

  async complete(dto: SetupDto, context: RequestContext) {
    return this.setUp(dto, context, 'console', (state) => {
      const expected: Buffer | null = state.token_hash;
      if (!expected || !sha256(dto.setupToken).equals(expected)) {
        throw new IdentityError(IdentityErrorCode.SetupTokenInvalid, 'The setup token is not valid.');
      }
    });
  }

  /** Setup from the CLI (`create-owner`): whoever runs commands on the server needs no setup token. */
  async completeByOperator(request: Omit<SetupDto, 'setupToken'>) {
    const context: RequestContext = { actor: { type: 'system', id: null, label: 'cli' }, ip: null, userAgent: 'keyring-cli', requestId: null };
    return this.setUp(request, context, 'cli', () => undefined);
  }

  private async setUp(
    dto: Omit<SetupDto, 'setupToken'>,
    context: RequestContext,
    via: 'console' | 'cli',
    checkToken: (state: SetupState) => void,
  ) {
    // Before the transaction: a weak password is refused without waiting for the setup lock.
    assertStrongPassword(dto.password, dto.email);
    return this.db.transaction(async (manager) => {
      const [state] = await manager.query<SetupState[]>('SELECT token_hash, completed_at FROM setup_state FOR UPDATE');
      if (state.completed_at !== null) {
        throw new IdentityError(IdentityErrorCode.SetupAlreadyDone, 'Setup has already been done; sign in instead.');
      }
      checkToken(state);
      const user = await this.accounts.create(manager, dto.email, dto.password);
      const organization = await this.memberships.createOrganization(manager, dto.organizationName.trim(), user.id);
      await manager.query('UPDATE setup_state SET completed_at = now(), token_hash = NULL');
      await this.audit.record(
        manager,
        { ...context, actor: { type: 'user', id: user.id, label: user.email } },
        {
          organizationId: organization.id,
          action: 'setup.completed',
          target: { type: 'organization', id: organization.id },
          details: { ownerEmail: user.email, organizationName: organization.name, via },
        },
      );
      return { user: { id: user.id, email: user.email }, organization: { id: organization.id, name: organization.name } };
    });
  }
}
