import { Global, Module } from '@nestjs/common';
import { MembershipLookup } from '../access/access-lookups';
import { IdentityModule } from '../identity/identity.module';
import { MembershipDirectory } from '../identity/membership-directory';
import { InvitationsRepository } from './invitations.repository';
import { InvitationsController, MembersController } from './members.controller';
import { MembersService } from './members.service';
import { MembershipsRepository } from './memberships.repository';
import { Memberships } from './memberships.service';
import { OrganizationsController } from './organizations.controller';
import { OrganizationsService } from './organizations.service';

/**
 * Organizations and their memberships. Global, because what it provides to the layers below it (the access guard's
 * MembershipLookup, identity's MembershipDirectory) must reach them without their importing it.
 */
@Global()
@Module({
  imports: [IdentityModule],
  controllers: [OrganizationsController, MembersController, InvitationsController],
  providers: [
    MembershipsRepository,
    InvitationsRepository,
    MembersService,
    OrganizationsService,
    Memberships,
    { provide: MembershipLookup, useExisting: Memberships },
    { provide: MembershipDirectory, useExisting: Memberships },
  ],
  exports: [Memberships, MembershipLookup, MembershipDirectory],
})
export class OrganizationsModule {}
