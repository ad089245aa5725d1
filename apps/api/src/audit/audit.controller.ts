import { Body, Controller, Get, HttpCode, Logger, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CurrentScope, Public, RequirePermission } from '../access/access.decorators';
import type { Scope } from '../access/scope';
import { AuditCheckpoints } from './audit-checkpoints.service';
import { csvLine, CSV_HEADER } from './audit-export';
import { AuditKeys } from './audit-keys';
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

  @RequirePermission('audit:read')
  @Get('checkpoint')
  checkpoint(@CurrentScope() scope: Scope) {
    return this.checkpoints.checkpoint(scope.organizationId);
  }

  /**
   * Streams the matching events, oldest first, at the pace the client reads them, so that memory stays flat for
   * any size (the console lets the browser download this to disk). A client that goes away stops the reading; a
   * failure half-way cuts the connection, so that the download fails rather than ending short as if complete.
   */
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
        chunk += csv ? `${csvLine(event)}\r\n` : `${JSON.stringify(event)}\n`;
        if (chunk.length >= EXPORT_CHUNK_CHARS) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    }
    try {
      await pipeline(Readable.from(chunks()), res);
    } catch (error) {
      // The answer has begun: no problem document can follow. pipeline destroyed the socket (so the client sees a
      // broken download) and returned the generator (no further batch is read); a client leaving is no fault.
      if ((error as { code?: unknown }).code !== 'ERR_STREAM_PREMATURE_CLOSE') this.logger.error(`audit export stopped: ${String(error)}`);
    }
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
