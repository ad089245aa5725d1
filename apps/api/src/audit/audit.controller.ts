import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { once } from 'node:events';
import { CurrentScope, RequirePermission } from '../access/access.decorators';
import type { Scope } from '../access/scope';
import { csvLine, CSV_HEADER } from './audit-export';
import { AuditExportDto, AuditFilterDto } from './audit.dto';
import { AuditService } from './audit.service';

@Controller('orgs/:orgId/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @RequirePermission('audit:read')
  @Get()
  list(@CurrentScope() scope: Scope, @Query() query: AuditFilterDto) {
    const { limit, cursor, ...filter } = query;
    return this.audit.list(scope, filter, limit, cursor);
  }

  @RequirePermission('audit:read')
  @Get('verify')
  verify(@CurrentScope() scope: Scope) {
    return this.audit.verify(scope);
  }

  /** Streams the matching events, oldest first, honouring back-pressure so that memory stays flat. */
  @RequirePermission('audit:read')
  @Get('export')
  async export(@CurrentScope() scope: Scope, @Query() query: AuditExportDto, @Res() res: Response): Promise<void> {
    const { format, limit: _limit, cursor: _cursor, ...filter } = query;
    const csv = format === 'csv';
    res.status(200);
    res.type(csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="audit-${scope.organizationId}.${csv ? 'csv' : 'ndjson'}"`);
    if (csv) res.write(`${CSV_HEADER.join(',')}\r\n`);
    for await (const event of this.audit.stream(scope, filter)) {
      const line = csv ? `${csvLine(event)}\r\n` : `${JSON.stringify(event)}\n`;
      if (!res.write(line)) await once(res, 'drain');
    }
    res.end();
  }
}
