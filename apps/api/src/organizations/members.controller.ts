import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { Context, CurrentPrincipal, CurrentScope, Public, RequirePermission } from '../access/access.decorators';
import type { Principal } from '../access/principal';
import type { RequestContext } from '../access/request-context';
import type { Scope } from '../access/scope';
import { mapPage } from '../common/http/cursor';
import { AcceptInvitationDto, InvitationTokenDto, InviteMemberDto, ListMembersQueryDto, UpdateMemberDto } from './members.dto';
import { MembersError, MembersErrorCode } from './members.errors';
import { MembersService } from './members.service';
import { toMember } from './member.mapper';

const USER_ID = new ParseUUIDPipe({ exceptionFactory: () => memberNotFound() });
const INVITATION_ID = new ParseUUIDPipe({
  exceptionFactory: () => new MembersError(MembersErrorCode.InvitationNotFound, 'No pending invitation with this id in this organization.'),
});

@Controller('orgs/:orgId/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @RequirePermission('members:read')
  @Get()
  async list(@CurrentScope() scope: Scope, @Query() query: ListMembersQueryDto) {
    return mapPage(await this.members.list(scope, query), (member) => toMember(member, scope));
  }

  @RequirePermission('members:manage')
  @Post('invitations')
  invite(
    @CurrentScope() scope: Scope,
    @Body() dto: InviteMemberDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    return this.members.invite(scope.organizationId, dto, principal.userId, context);
  }

  @RequirePermission('members:manage')
  @Get('invitations')
  invitations(@CurrentScope() scope: Scope) {
    return this.members.listInvitations(scope.organizationId);
  }

  @RequirePermission('members:manage')
  @Post('invitations/:invitationId/resend')
  @HttpCode(200)
  resend(
    @CurrentScope() scope: Scope,
    @Param('invitationId', INVITATION_ID) invitationId: string,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    return this.members.resendInvitation(scope.organizationId, invitationId, principal.userId, context);
  }

  @RequirePermission('members:manage')
  @Delete('invitations/:invitationId')
  @HttpCode(204)
  async revoke(@CurrentScope() scope: Scope, @Param('invitationId', INVITATION_ID) invitationId: string, @Context() context: RequestContext) {
    await this.members.revokeInvitation(scope.organizationId, invitationId, context);
  }

  @RequirePermission('members:manage')
  @Patch(':userId')
  async update(
    @CurrentScope() scope: Scope,
    @Param('userId', USER_ID) userId: string,
    @Body() dto: UpdateMemberDto,
    @Context() context: RequestContext,
  ) {
    return toMember(await this.members.update(scope.organizationId, userId, dto, context), scope);
  }

  @RequirePermission('members:manage')
  @Delete(':userId')
  @HttpCode(204)
  async remove(@CurrentScope() scope: Scope, @Param('userId', USER_ID) userId: string, @Context() context: RequestContext) {
    await this.members.remove(scope.organizationId, userId, context);
  }
}

@Controller('invitations')
export class InvitationsController {
  constructor(private readonly members: MembersService) {}

  /** Public: the invitation token is the credential (in the body, not the URL, to keep it out of logs). */
  @Public()
  @Post('preview')
  @HttpCode(200)
  preview(@Body() dto: InvitationTokenDto) {
    return this.members.previewInvitation(dto.token);
  }

  /** Public: the invitation token is the credential. */
  @Public()
  @Post('accept')
  accept(@Body() dto: AcceptInvitationDto, @Context() context: RequestContext) {
    return this.members.accept(dto, context);
  }
}

function memberNotFound() {
  return new MembersError(MembersErrorCode.MemberNotFound, 'No such member in this organization.');
}
