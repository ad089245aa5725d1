import { Body, Controller, Get, Post } from '@nestjs/common';
import { IsString, Length, Matches } from 'class-validator';
import { NOT_BLANK_PATTERN, type Membership } from '@keyring/contracts';
import { Context, CurrentPrincipal, SignedIn } from '../access/access.decorators';
import type { Principal } from '../access/principal';
import type { RequestContext } from '../access/request-context';
import { Memberships } from './memberships.service';
import { OrganizationsService } from './organizations.service';

export class CreateOrganizationDto {
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK_PATTERN, { message: 'name must not be blank' })
  name!: string;
}

@Controller('orgs')
export class OrganizationsController {
  constructor(
    private readonly memberships: Memberships,
    private readonly organizations: OrganizationsService,
  ) {}

  /** The organizations the caller belongs to, with their role in each: the console's organization switcher. */
  @SignedIn()
  @Get()
  async list(@CurrentPrincipal() principal: Principal): Promise<{ items: Membership[] }> {
    return { items: await this.memberships.listForUser(principal.userId) };
  }

  /** A new organization, with the caller as its owner (an agency that also runs a second company, say). */
  @SignedIn()
  @Post()
  create(@Body() dto: CreateOrganizationDto, @CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    return this.organizations.create(dto.name.trim(), principal.userId, context);
  }
}
