import { Injectable } from '@nestjs/common';
import type { ImportReport } from '@keyring/contracts';
import { secretFingerprint } from '@keyring/signing';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../../access/principal';
import type { RequestContext } from '../../access/request-context';
import type { Scope } from '../../access/scope';
import { AuditWriter, type AuditRecord } from '../../audit/audit-writer.service';
import { ChangeFeed } from '../../changes/change-feed';
import { Envelope } from '../../crypto/envelope';
import { widgetSecretBinding } from '../widget-secrets';
import { readImportBody } from './import-input';
import { checkRows, matchRows, nameKey, namedInRows, toReport, type ImportPlan, type PlannedRow } from './import-plan';
import { ImportRepository, type InventoryRow, type NewVersion } from './import.repository';
import { ImportError, ImportErrorCode } from './import.errors';

/** Widgets read per query of the inventory export. */
const INVENTORY_PAGE = 1000;
/** Secrets encrypted at once: enough to keep the thread pool busy, few enough to keep memory flat. */
const CRYPTO_BATCH = 500;
/** What widgets get that the import does not set: the token policy of a new widget made in the console. */
const DEFAULT_TOKEN_POLICY = { claims: 'jti', ttlSeconds: null };

/**
 * Bulk import of tenants, widgets and their current secrets from a CSV or JSON rows: a dry run reports what each
 * row would do; applying does all of it in one transaction, or nothing when any row has an error (the user fixes
 * the file and imports it again, rather than tracking which half went in).
 */
@Injectable()
export class ImportService {
  constructor(
    private readonly db: DataSource,
    private readonly imports: ImportRepository,
    private readonly envelope: Envelope,
    private readonly audit: AuditWriter,
    private readonly changes: ChangeFeed,
  ) {}

  async run(scope: Scope, body: unknown, dryRun: boolean, principal: Principal, context: RequestContext): Promise<ImportReport> {
    const rows = checkRows(readImportBody(body));
    if (dryRun) return toReport(await this.plan(this.db.manager, scope, rows, false), true, false);
    return this.db.transaction(async (manager) => {
      // One import of an organization at a time: the second plans on what the first wrote.
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`import:${scope.organizationId}`]);
      const plan = await this.plan(manager, scope, rows, true);
      const report = toReport(plan, false, false);
      if (report.counts.invalidRows > 0) {
        throw new ImportError(
          ImportErrorCode.HasErrors,
          `${report.counts.invalidRows} of ${report.counts.rows} rows cannot be imported, so nothing was: fix them (the report lists each) and import again.`,
          { report },
        );
      }
      await this.apply(manager, scope, plan, principal, context);
      return toReport(plan, false, true);
    });
  }

  /** The scope's live widgets of live tenants, a page at a time. */
  async *inventory(scope: Scope): AsyncGenerator<InventoryRow[]> {
    let after: InventoryRow | undefined;
    do {
      const page = await this.imports.inventoryPage(scope, INVENTORY_PAGE, after);
      yield page;
      after = page.length === INVENTORY_PAGE ? page[page.length - 1] : undefined;
    } while (after);
  }

  private async plan(manager: EntityManager, scope: Scope, rows: PlannedRow[], lock: boolean): Promise<ImportPlan> {
    const state = await this.imports.state(manager, scope, namedInRows(rows), lock);
    return matchRows(rows, state, { canCreateTenants: scope.tenants === 'all', fingerprint: secretFingerprint });
  }

  private async apply(manager: EntityManager, scope: Scope, plan: ImportPlan, principal: Principal, context: RequestContext): Promise<void> {
    const tenants = await this.imports.insertTenants(manager, scope, plan.newTenants);
    const tenantIds = new Map(tenants.map((tenant) => [nameKey(tenant.name), tenant.id]));
    const created = plan.rows.filter((row) => row.outcome === 'create-widget');
    for (const row of created) {
      row.tenantId ??= tenantIds.get(nameKey(row.tenant!))!;
      row.widgetId = randomUUID();
    }
    const imported = plan.rows.filter((row) => row.outcome === 'import-secret');
    const [newVersions, nextVersions] = await Promise.all([this.encrypt(scope, created), this.encrypt(scope, imported)]);
    await this.imports.insertWidgets(
      manager,
      scope,
      created.map((row) => ({
        id: row.widgetId!,
        tenantId: row.tenantId!,
        name: row.widget!,
        huggyWidgetUuid: row.huggyWidgetUuid,
        huggyCompanyId: row.huggyCompanyId,
        activeVersion: row.secretVersion,
      })),
    );
    const versionOptions = { masterKeyId: this.envelope.activeKeyId, createdBy: principal.userId };
    await this.imports.insertActiveVersions(manager, scope, newVersions, { ...versionOptions, replacing: false });
    await this.imports.insertActiveVersions(manager, scope, nextVersions, { ...versionOptions, replacing: true });
    // Instances holding the old secret of a widget drop it when this commits.
    for (const row of imported) await this.changes.publish(manager, { kind: 'widget', id: row.widgetId! });
    await this.audit.recordMany(manager, context, this.auditRecords(scope, plan, tenants, created, imported));
  }

  /** The secret of each row with one, encrypted for its widget and version, with its fingerprint set on the row. */
  private async encrypt(scope: Scope, rows: PlannedRow[]): Promise<NewVersion[]> {
    const versions: NewVersion[] = [];
    const withSecret = rows.filter((row) => row.secret !== null);
    for (let start = 0; start < withSecret.length; start += CRYPTO_BATCH) {
      const batch = withSecret.slice(start, start + CRYPTO_BATCH);
      versions.push(
        ...(await Promise.all(
          batch.map(async (row) => {
            const widgetId = row.widgetId!;
            const version = row.secretVersion!;
            const [ciphertext, fingerprint] = await Promise.all([
              this.envelope.encrypt(row.secret!, widgetSecretBinding(scope.organizationId, widgetId, version)),
              secretFingerprint(widgetId, row.secret!),
            ]);
            row.fingerprint = fingerprint;
            return { widgetId, version, ciphertext, fingerprint };
          }),
        )),
      );
    }
    return versions;
  }

  /** One event per thing created (tenant, widget with its first secret, secret version), then the import's own. */
  private auditRecords(scope: Scope, plan: ImportPlan, tenants: { id: string; name: string }[], created: PlannedRow[], imported: PlannedRow[]): AuditRecord[] {
    const organizationId = scope.organizationId;
    const report = toReport(plan, false, true);
    return [
      ...tenants.map((tenant): AuditRecord => ({ organizationId, action: 'tenant.created', target: { type: 'tenant', id: tenant.id }, tenantId: tenant.id, details: { name: tenant.name, source: 'import' } })),
      ...created.map(
        (row): AuditRecord => ({
          organizationId,
          action: 'widget.created',
          target: { type: 'widget', id: row.widgetId! },
          tenantId: row.tenantId,
          details: {
            name: row.widget,
            huggyWidgetUuid: row.huggyWidgetUuid,
            huggyCompanyId: row.huggyCompanyId,
            tokenPolicy: DEFAULT_TOKEN_POLICY,
            initialSecret: row.secretVersion === null ? null : { version: row.secretVersion, fingerprint: row.fingerprint },
            source: 'import',
          },
        }),
      ),
      ...imported.map(
        (row): AuditRecord => ({
          organizationId,
          action: 'secret.rotated',
          target: { type: 'widget', id: row.widgetId! },
          tenantId: row.tenantId,
          details: { version: row.secretVersion, fingerprint: row.fingerprint, previousVersion: row.previousVersion, source: 'import' },
        }),
      ),
      ...(report.counts.tenantsCreated + report.counts.widgetsCreated + report.counts.secretsImported > 0
        ? [{ organizationId, action: 'import.applied' as const, target: { type: 'organization', id: organizationId }, details: { ...report.counts } }]
        : []),
    ];
  }
}
