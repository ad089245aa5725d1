import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { Context, CurrentPrincipal, Public, RequirePermission } from '../access/access.decorators';
import type { Principal } from '../access/principal';
import type { RequestContext } from '../access/request-context';
import { AcceptInvitationDto, InvitationTokenDto, InviteMemberDto, PageQueryDto, UpdateMemberDto } from './members.dto';
import { MembersError, MembersErrorCode } from './members.errors';
import { MembersService } from './members.service';

const USER_ID = new ParseUUIDPipe({ exceptionFactory: () => memberNotFound() });
const INVITATION_ID = new ParseUUIDPipe({
  exceptionFactory: () => new MembersError(MembersErrorCode.InvitationNotFound, 'No pending invitation with this id in this organization.'),
});

@Controller('orgs/:orgId/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @RequirePermission('members:read')
  @Get()
  list(@Param('orgId') orgId: string, @Query() query: PageQueryDto) {
    return this.members.list(orgId, query.limit, query.cursor);
  }

  @RequirePermission('members:manage')
  @Post('invitations')
  invite(
    @Param('orgId') orgId: string,
    @Body() dto: InviteMemberDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    return this.members.invite(orgId, dto, principal.userId, context);
  }

  @RequirePermission('members:manage')
  @Get('invitations')
  invitations(@Param('orgId') orgId: string) {
    return this.members.listInvitations(orgId);
  }

  @RequirePermission('members:manage')
  @Post('invitations/:invitationId/resend')
  @HttpCode(200)
  resend(
    @Param('orgId') orgId: string,
    @Param('invitationId', INVITATION_ID) invitationId: string,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    return this.members.resendInvitation(orgId, invitationId, principal.userId, context);
  }

  @RequirePermission('members:manage')
  @Delete('invitations/:invitationId')
  @HttpCode(204)
  async revoke(@Param('orgId') orgId: string, @Param('invitationId', INVITATION_ID) invitationId: string, @Context() context: RequestContext) {
    await this.members.revokeInvitation(orgId, invitationId, context);
  }

  @RequirePermission('members:manage')
  @Patch(':userId')
  update(
    @Param('orgId') orgId: string,
    @Param('userId', USER_ID) userId: string,
    @Body() dto: UpdateMemberDto,
    @Context() context: RequestContext,
  ) {
    return this.members.update(orgId, userId, dto, context);
  }

  @RequirePermission('members:manage')
  @Delete(':userId')
  @HttpCode(204)
  async remove(@Param('orgId') orgId: string, @Param('userId', USER_ID) userId: string, @Context() context: RequestContext) {
    await this.members.remove(orgId, userId, context);
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
