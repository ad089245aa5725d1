import { HttpErrorResponse } from '@angular/common/http';
import { Component, computed, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import type { ImportOutcome, ImportReport, ImportRowReport, WidgetPage } from '@keyring/contracts';
import { Api } from '../core/api';
import { Session } from '../core/session';
import { downloadFrom } from '../shared/download';
import { Submission } from '../shared/submission';

/** Rows of the outcome table drawn at once: a 10,000-row report is summed up by its counts and errors. */
const ROWS_SHOWN = 100;

export const OUTCOME_LABELS: Record<ImportOutcome, string> = {
  'create-widget': 'Create widget',
  'import-secret': 'Import secret',
  unchanged: 'Unchanged',
  error: 'Error',
};

const ROW_FILTERS: { value: string; label: string; keep: (row: ImportRowReport) => boolean }[] = [
  { value: 'changes', label: 'Rows that change something', keep: (row) => row.outcome === 'create-widget' || row.outcome === 'import-secret' },
  { value: 'errors', label: 'Rows with errors', keep: (row) => row.outcome === 'error' },
  { value: 'unchanged', label: 'Unchanged rows', keep: (row) => row.outcome === 'unchanged' },
  { value: 'all', label: 'Every row', keep: () => true },
];

/**
 * Bulk import of tenants, widgets and their current secrets from a CSV, and the inventory export in the same
 * columns. Checking (a dry run) comes first; Apply is offered only for a file without errors, and imports all of it.
 */
@Component({
  selector: 'kr-import-page',
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatProgressBarModule, MatSelectModule, MatTableModule, RouterLink],
  templateUrl: './import-page.html',
  styles: `
    .source { display: flex; flex-direction: column; gap: 8px; max-width: 720px; }
    .source textarea { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
    .file-input { position: absolute; width: 1px; height: 1px; opacity: 0; }
    .counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 16px; }
    .scroll { overflow-x: auto; }
    .actions { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 16px 0; }
  `,
})
export class ImportPage {
  private readonly api = inject(Api);
  protected readonly session = inject(Session);
  readonly orgId = input.required<string>();
  protected readonly csv = signal('');
  protected readonly fileName = signal<string | null>(null);
  protected readonly report = signal<ImportReport | null>(null);
  protected readonly submission = new Submission();
  protected readonly exporting = new Submission();
  protected readonly rowFilters = ROW_FILTERS;
  protected readonly rowFilter = signal('changes');
  protected readonly errorColumns = ['row', 'field', 'message'];
  protected readonly rowColumns = ['row', 'tenant', 'widget', 'outcome'];
  protected readonly shownRows = computed(() => {
    const keep = ROW_FILTERS.find((filter) => filter.value === this.rowFilter())!.keep;
    return (this.report()?.rows ?? []).filter(keep);
  });
  protected readonly rowsShown = ROWS_SHOWN;
  protected readonly lineCount = computed(() => this.csv().split('\n').filter((line) => line.trim()).length);
  /** Apply only what a dry run found clean and not already in Keyring. */
  protected readonly canApply = computed(() => {
    const report = this.report();
    return !!report && report.dryRun && report.counts.invalidRows === 0 && report.counts.unchanged < report.counts.rows;
  });

  protected outcomeLabel(row: ImportRowReport): string {
    return OUTCOME_LABELS[row.outcome];
  }

  protected async pick(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    if (!file) return;
    this.csv.set(await file.text());
    this.fileName.set(file.name);
    this.report.set(null);
    input.value = '';
  }

  protected edit(text: string): void {
    this.csv.set(text);
    this.fileName.set(null);
    this.report.set(null);
  }

  protected check(): Promise<void> {
    return this.send(true);
  }

  protected async apply(): Promise<void> {
    await this.send(false);
    // The file holds secrets: once they are in Keyring, the page keeps no copy.
    if (this.report()?.applied) {
      this.csv.set('');
      this.fileName.set(null);
    }
  }

  /**
   * The browser downloads the inventory itself, straight to disk, whatever its size. A failed download only says
   * "Failed" in the browser's bar, so one widget is read first under the same permission: a refusal shows here.
   */
  protected exportInventory(): Promise<void> {
    return this.exporting.run(async () => {
      await this.api.get<WidgetPage>(`/orgs/${this.orgId()}/widgets`, { limit: 1 });
      downloadFrom(this.api.url(`/orgs/${this.orgId()}/imports/inventory.csv`));
    });
  }

  private send(dryRun: boolean): Promise<void> {
    return this.submission.run(async () => {
      try {
        const report = await this.api.postText<ImportReport>(`/orgs/${this.orgId()}/imports`, this.csv(), 'text/csv', { dryRun });
        this.report.set(report);
        this.rowFilter.set(report.counts.unchanged === report.counts.rows ? 'all' : 'changes');
      } catch (error) {
        // A refused apply (422) reports every row's problem: shown as a dry run's would be.
        const report = error instanceof HttpErrorResponse ? (error.error as { report?: ImportReport } | null)?.report : undefined;
        if (report) {
          this.report.set(report);
          this.rowFilter.set('errors');
        }
        throw error;
      }
    });
  }
}
