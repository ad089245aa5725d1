import { Module } from '@nestjs/common';
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
  providers: [MembershipsRepository, InvitationsRepository, MembersService, OrganizationsService, UsersRepository, PasswordHasher, Reauthentication],
  exports: [MembershipsRepository, UsersRepository, PasswordHasher, Reauthentication],
})
export class OrganizationsModule {}
