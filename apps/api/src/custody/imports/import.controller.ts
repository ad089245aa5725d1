import { Body, Controller, Get, HttpCode, Logger, Post, Query, Res } from '@nestjs/common';
import type { ImportReport } from '@keyring/contracts';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import { Context, CurrentPrincipal, CurrentScope, RequirePermission } from '../../access/access.decorators';
import type { Principal } from '../../access/principal';
import type { RequestContext } from '../../access/request-context';
import type { Scope } from '../../access/scope';
import { sendDownload } from '../../common/http/stream-download';
import { IMPORT_BODY_LIMIT_BYTES, IMPORT_FIELDS, IMPORT_MAX_ROWS } from './import-input';
import { ImportQueryDto } from './import.dto';
import { ImportService } from './import.service';

@Controller('orgs/:orgId/imports')
export class ImportController {
  private readonly logger = new Logger('ImportController');

  constructor(private readonly imports: ImportService) {}

  /**
   * A CSV (Content-Type: text/csv, a header line then one widget a line) or JSON `{ rows: [...] }`. With
   * `?dryRun=true`, what each row would do; without, the import itself: all rows, or none when any has an error (422).
   */
  @RequirePermission('imports:run')
  @Post()
  @HttpCode(200)
  @ApiConsumes('text/csv', 'application/json')
  @ApiBody({
    description: `CSV (a header naming the columns ${IMPORT_FIELDS.join(', ')}, then one widget a line) or JSON rows; at most ${IMPORT_MAX_ROWS} rows and ${IMPORT_BODY_LIMIT_BYTES / 1024 / 1024} MB. Query \`dryRun=true\` checks without changing anything.`,
    schema: {
      oneOf: [
        { type: 'string', description: 'text/csv' },
        { type: 'object', required: ['rows'], properties: { rows: { type: 'array', maxItems: IMPORT_MAX_ROWS, items: { $ref: '#/components/schemas/ImportRow' } } } },
      ],
    },
  })
  run(
    @CurrentScope() scope: Scope,
    @Body() body: unknown,
    @Query() query: ImportQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ): Promise<ImportReport> {
    return this.imports.run(scope, body, query.dryRun ?? false, principal, context);
  }

  /**
   * The scope's live widgets in the import's columns, the secret column empty: edit it and import it back. Streamed
   * a page at a time at the pace the client reads it (see sendDownload).
   */
  @RequirePermission('widgets:read')
  @Get('inventory.csv')
  async inventory(@CurrentScope() scope: Scope, @Res() res: Response): Promise<void> {
    res.status(200);
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="keyring-inventory.csv"');
    const lines = (records: string[][], header = false) => stringify(records, { header, columns: [...IMPORT_FIELDS], cast: { string: formulaSafe }, record_delimiter: 'windows' });
    const pages = this.imports.inventory(scope);
    async function* csv(): AsyncGenerator<string> {
      yield lines([], true);
      for await (const page of pages) yield lines(page.map((row) => [row.tenant, row.widget, row.huggyWidgetUuid ?? '', row.huggyCompanyId ?? '', '']));
    }
    await sendDownload(res, csv(), (message) => this.logger.error(`inventory export: ${message}`));
  }
}

/** A leading `'` on text a spreadsheet would run as a formula; the import takes it off again. */
function formulaSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
