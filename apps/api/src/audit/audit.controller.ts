import { Body, Controller, Get, HttpCode, Logger, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentScope, Public, RequirePermission } from '../access/access.decorators';
import { sendDownload } from '../common/http/stream-download';
import type { Scope } from '../access/scope';
import { AuditCheckpoints } from './audit-checkpoints.service';
import { csvLine, CSV_HEADER, ndjsonLine } from './audit-export';
import { AuditKeys } from './audit-keys';
import { AuditError, AuditErrorCode } from './audit.errors';
import { AuditExportDto, AuditFilterDto, VerifyWithCheckpointsDto } from './audit.dto';
import { AuditService } from './audit.service';

const EXPORT_CHUNK_CHARS = 64 * 1024;

@Controller('orgs/:orgId/audit-events')
export class AuditController {
  private readonly logger = new Logger('AuditExport');

  constructor(
    private readonly audit: AuditService,
    private readonly checkpoints: AuditCheckpoints,
  ) {}

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

  /** Verification that also holds the chain to checkpoints the caller kept: events deleted or changed since show. */
  @RequirePermission('audit:read')
  @Post('verify')
  @HttpCode(200)
  verifyWithCheckpoints(@CurrentScope() scope: Scope, @Body() body: VerifyWithCheckpointsDto) {
    return this.audit.verify(scope, body.checkpoints);
  }

  /** Starts a full re-verification in the background (or joins the running one); poll GET verify for its result. */
  @RequirePermission('audit:read')
  @Post('verify/full')
  @HttpCode(202)
  verifyFully(@CurrentScope() scope: Scope) {
    return this.audit.startFullVerification(scope.organizationId);
  }

  /**
   * A checkpoint signs the head of the whole organization's chain, so its `seq` counts every tenant's events: a member
   * limited to some tenants would learn how much happens in the others.
   */
  @RequirePermission('audit:read')
  @Get('checkpoint')
  checkpoint(@CurrentScope() scope: Scope) {
    if (scope.tenants !== 'all') {
      throw new AuditError(AuditErrorCode.CheckpointNeedsWholeOrganization, 'A checkpoint covers every tenant of the organization; members limited to some tenants cannot take one.');
    }
    return this.checkpoints.checkpoint(scope.organizationId);
  }

  /** Streams the matching events, oldest first, at the pace the client reads them (see sendDownload). */
  @RequirePermission('audit:read')
  @Get('export')
  async export(@CurrentScope() scope: Scope, @Query() query: AuditExportDto, @Res() res: Response): Promise<void> {
    const { format, limit: _limit, cursor: _cursor, ...filter } = query;
    const csv = format === 'csv';
    res.status(200);
    res.type(csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="audit-${scope.organizationId}.${csv ? 'csv' : 'ndjson'}"`);
    const events = this.audit.stream(scope, filter);
    // Lines go out in chunks of about 64 kB: one write per line would cost a chunk header and a call each.
    async function* chunks(): AsyncGenerator<string> {
      let chunk = csv ? `${CSV_HEADER.join(',')}\r\n` : '';
      for await (const event of events) {
        chunk += csv ? `${csvLine(event)}\r\n` : ndjsonLine(event);
        if (chunk.length >= EXPORT_CHUNK_CHARS) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    }
    await sendDownload(res, chunks(), (message) => this.logger.error(`audit export: ${message}`));
  }
}

/** The public keys of audit checkpoints, for anyone to check them; outside `/api/v1`, at a well-known address. */
@Public()
@Controller('.well-known')
export class AuditKeySetController {
  constructor(private readonly keys: AuditKeys) {}

  @Get('keyring-audit-keys.json')
  keySet() {
    return this.keys.jwks();
  }
}
