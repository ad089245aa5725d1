import { Module } from '@nestjs/common';
import { CredentialThrottle } from '../identity/credential-throttle';
import { PasswordHasher } from '../identity/password-hasher';
import { Reauthentication } from '../identity/reauthentication';
import { UsersRepository } from '../identity/users.repository';
import { InvitationsRepository } from './invitations.repository';
import { InvitationsController, MembersController } from './members.controller';
import { MembersService } from './members.service';
import { MembershipsRepository } from './memberships.repository';
import { OrganizationsController } from './organizations.controller';
import { OrganizationsService } from './organizations.service';

@Module({
  controllers: [OrganizationsController, MembersController, InvitationsController],
  providers: [MembershipsRepository, InvitationsRepository, MembersService, OrganizationsService, UsersRepository, PasswordHasher, CredentialThrottle, Reauthentication],
  exports: [MembershipsRepository, UsersRepository, PasswordHasher, CredentialThrottle, Reauthentication],
})
export class OrganizationsModule {}
