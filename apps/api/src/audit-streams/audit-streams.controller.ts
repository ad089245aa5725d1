import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { Context, CurrentScope, RequirePermission } from '../access/access.decorators';
import type { RequestContext } from '../access/request-context';
import type { Scope } from '../access/scope';
import { CreateAuditStreamDto } from './audit-streams.dto';
import { streamNotFound } from './audit-streams.errors';
import { AuditStreamsService } from './audit-streams.service';

const STREAM_ID = new ParseUUIDPipe({ exceptionFactory: streamNotFound });

@Controller('orgs/:orgId/audit-streams')
export class AuditStreamsController {
  constructor(private readonly streams: AuditStreamsService) {}

  @RequirePermission('audit-streams:manage')
  @Post()
  create(@CurrentScope() scope: Scope, @Body() dto: CreateAuditStreamDto, @Context() context: RequestContext) {
    return this.streams.create(scope, dto, context);
  }

  @RequirePermission('audit:read')
  @Get()
  list(@CurrentScope() scope: Scope) {
    return this.streams.list(scope);
  }

  /** The stream's progress: the last event the receiver accepted, how far behind it is, and its last error. */
  @RequirePermission('audit:read')
  @Get(':streamId')
  get(@CurrentScope() scope: Scope, @Param('streamId', STREAM_ID) id: string) {
    return this.streams.get(scope, id);
  }

  @RequirePermission('audit-streams:manage')
  @Delete(':streamId')
  @HttpCode(204)
  async delete(@CurrentScope() scope: Scope, @Param('streamId', STREAM_ID) id: string, @Context() context: RequestContext): Promise<void> {
    await this.streams.delete(scope, id, context);
  }
}
