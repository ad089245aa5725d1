import { Module } from '@nestjs/common';
import { MembershipLookup } from '../access/access-lookups';
import { IdentityModule } from '../identity/identity.module';
import { InvitationsRepository } from './invitations.repository';
import { InvitationsController, MembersController } from './members.controller';
import { MembersService } from './members.service';
import { MembershipsRepository } from './memberships.repository';
import { Memberships } from './memberships.service';
import { OrganizationsController } from './organizations.controller';
import { OrganizationsService } from './organizations.service';

/**
 * Organizations and their memberships. Memberships also answer the lookups declared by the layers below (the access
 * guard's MembershipLookup here; identity's MembershipDirectory, which identity cannot import, is bound by app.module).
 */
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
  ],
  exports: [Memberships, MembershipLookup],
})
export class OrganizationsModule {}
