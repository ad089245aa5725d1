import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { Context, CurrentScope, RequirePermission } from '../access/access.decorators';
import type { RequestContext } from '../access/request-context';
import type { Scope } from '../access/scope';
import { personNotFound } from './offboarding.errors';
import { OffboardingService } from './offboarding.service';

const USER_ID = new ParseUUIDPipe({ exceptionFactory: personNotFound });

/** Offboarding reports read the audit log, so they need audit:read; queueing rotations is for owners and admins. */
@Controller('orgs/:orgId/members')
export class OffboardingController {
  constructor(private readonly offboarding: OffboardingService) {}

  /** People removed from the organization, whose offboarding report is still to be read. */
  @RequirePermission('audit:read')
  @Get('former')
  formerMembers(@CurrentScope() scope: Scope) {
    return this.offboarding.formerMembers(scope);
  }

  @RequirePermission('audit:read')
  @Get(':userId/offboarding')
  report(@CurrentScope() scope: Scope, @Param('userId', USER_ID) userId: string) {
    return this.offboarding.report(scope, userId);
  }

  @RequirePermission('secrets:request-rotation')
  @Post(':userId/offboarding/rotation-requests')
  @HttpCode(200)
  requestRotation(@CurrentScope() scope: Scope, @Param('userId', USER_ID) userId: string, @Context() context: RequestContext) {
    return this.offboarding.requestRotation(scope, userId, context);
  }
}
