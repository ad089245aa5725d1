import { DatePipe, DecimalPipe } from '@angular/common';
import { Component, effect, inject, input, resource, viewChild } from '@angular/core';
import { FormBuilder, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { AuditStream, AuditStreamKind } from '@keyring/contracts';
import { Api } from '../core/api';
import { Session } from '../core/session';
import { runAction } from '../shared/actions';
import { confirm } from '../shared/confirm-dialog';
import { errorText } from '../shared/forms';
import { ListState } from '../shared/list-state';
import { loaded } from '../shared/loaded';
import { Submission } from '../shared/submission';

/** How often the list reads the streams' progress again while it is shown. */
const STATUS_POLL_MS = 5000;

const PLACEHOLDERS: Record<AuditStreamKind, string> = { syslog: 'tcp://siem.example:514', https: 'https://siem.example/ingest' };

/** Copies of the audit log sent to a SIEM as they are written: each stream's progress, and adding or removing one. */
@Component({
  selector: 'kr-audit-streams',
  imports: [DatePipe, DecimalPipe, ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, ListState],
  templateUrl: './audit-streams.html',
  styles: `
    .streams { list-style: none; margin: 0; padding: 0; }
    .stream { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 16px; padding: 12px 4px; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .target { flex: 1 1 260px; min-width: 0; }
    .url { overflow-wrap: anywhere; }
    .stream .error { flex-basis: 100%; margin: 0; color: var(--mat-sys-error); overflow-wrap: anywhere; }
    .kind { width: 130px; }
    .address { flex: 1 1 260px; }
  `,
})
export class AuditStreams {
  protected readonly loaded = loaded;
  protected readonly errorText = errorText;
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(Session);
  readonly orgId = input.required<string>();
  protected readonly placeholders = PLACEHOLDERS;
  protected readonly form = inject(FormBuilder).nonNullable.group({
    kind: ['syslog' as AuditStreamKind, Validators.required],
    url: ['', Validators.required],
  });
  protected readonly adding = new Submission(this.form);
  /** Reset through the directive too, so that the emptied field is not shown as an error of the submitted form. */
  private readonly addForm = viewChild(FormGroupDirective);
  protected readonly streams = resource({
    params: () => this.orgId(),
    loader: ({ params }) => this.api.get<{ items: AuditStream[] }>(`/orgs/${params}/audit-streams`),
  });

  constructor() {
    // The progress moves on its own (the server sends in the background): read it again while the list is shown.
    effect((onCleanup) => {
      if (!loaded(this.streams)?.items.length) return;
      const timer = setTimeout(() => this.streams.reload(), STATUS_POLL_MS);
      onCleanup(() => clearTimeout(timer));
    });
  }

  protected add(): Promise<void> {
    return this.adding.run(async () => {
      const stream = await this.api.post<AuditStream>(`/orgs/${this.orgId()}/audit-streams`, this.form.getRawValue());
      this.addForm()?.resetForm({ kind: this.form.getRawValue().kind, url: '' });
      this.streams.reload();
      this.snackBar.open(`Streaming the audit log to ${stream.url} from event ${stream.startSeq + 1} on.`, undefined, { duration: 4000 });
    });
  }

  protected async remove(stream: AuditStream): Promise<void> {
    const confirmed = await confirm(this.dialog, {
      title: `Stop streaming to ${stream.url}?`,
      message: 'Events written from now on are no longer sent there. What it received stays with it.',
      confirmLabel: 'Stop streaming',
      danger: true,
    });
    if (!confirmed) return;
    await runAction(this.snackBar, () => this.api.delete(`/orgs/${this.orgId()}/audit-streams/${stream.id}`), `No longer streaming to ${stream.url}.`);
    this.streams.reload();
  }
}
