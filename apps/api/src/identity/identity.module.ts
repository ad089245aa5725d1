import { Module } from '@nestjs/common';
import { SessionLookup } from '../access/access-lookups';
import { Accounts } from './accounts.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { CredentialThrottle } from './credential-throttle';
import { PasswordHasher } from './password-hasher';
import { Reauthentication } from './reauthentication';
import { SessionsService } from './sessions.service';
import { TotpService } from './totp.service';
import { UsersRepository } from './users.repository';

/**
 * Users, passwords, sessions, two-factor sign-in and re-authentication. Exports services only. The session view's
 * memberships come from MembershipDirectory, declared here and bound to organizations' Memberships by app.module.
 */
@Module({
  controllers: [AuthController],
  providers: [
    AuthService,
    SessionsService,
    CredentialThrottle,
    TotpService,
    UsersRepository,
    PasswordHasher,
    Reauthentication,
    Accounts,
    { provide: SessionLookup, useExisting: SessionsService },
  ],
  exports: [Accounts, Reauthentication, SessionLookup],
})
export class IdentityModule {}
