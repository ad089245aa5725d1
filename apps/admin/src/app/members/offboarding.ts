import { DatePipe } from '@angular/common';
import { Component, inject, input, resource, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import type { OffboardingReport, OffboardingRotationRequest } from '@keyring/contracts';
import { Api } from '../core/api';
import { problemOf } from '../core/problem';
import { Session } from '../core/session';
import { confirm } from '../shared/confirm-dialog';
import { ListState } from '../shared/list-state';
import { loaded } from '../shared/loaded';

/**
 * When someone leaves (or has left): the secret versions they saw and the API keys they created that still work,
 * and one button that queues the widgets concerned for rotation. By user id, so it works after their removal too.
 */
@Component({
  selector: 'kr-offboarding',
  imports: [DatePipe, MatButtonModule, MatIconModule, MatTableModule, RouterLink, ListState],
  templateUrl: './offboarding.html',
  styles: `
    .lead { font: var(--mat-sys-title-medium); }
    .action { margin: 16px 0; }
    .keys { list-style: none; margin: 0; padding: 0; }
    .keys li { display: flex; flex-wrap: wrap; gap: 4px 12px; padding: 8px 0; border-bottom: 1px solid var(--mat-sys-outline-variant); }
  `,
})
export class Offboarding {
  protected readonly loaded = loaded;
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(Session);
  readonly orgId = input.required<string>();
  readonly userId = input.required<string>();
  protected readonly versionColumns = ['widget', 'version', 'how', 'state'];
  protected readonly queueing = signal(false);
  protected readonly report = resource({
    params: () => ({ orgId: this.orgId(), userId: this.userId() }),
    loader: ({ params }) => this.api.get<OffboardingReport>(`/orgs/${params.orgId}/members/${params.userId}/offboarding`),
  });

  protected async queue(count: number): Promise<void> {
    const confirmed = await confirm(this.dialog, {
      title: `Queue ${count} ${count === 1 ? 'widget' : 'widgets'} for rotation?`,
      message: 'Each shows “rotation requested” on the dashboard and in the widget lists until a new secret is stored. Rotating in Huggy ends the old key at once: plan it with the client.',
      confirmLabel: 'Queue for rotation',
    });
    if (!confirmed) return;
    this.queueing.set(true);
    try {
      const result = await this.api.post<OffboardingRotationRequest>(`/orgs/${this.orgId()}/members/${this.userId()}/offboarding/rotation-requests`);
      const queued = result.queued.length;
      this.snackBar.open(`${queued} ${queued === 1 ? 'widget' : 'widgets'} queued for rotation.`, undefined, { duration: 4000 });
      this.report.reload();
    } catch (error) {
      this.snackBar.open(problemOf(error).message, 'Close');
    } finally {
      this.queueing.set(false);
    }
  }

  /** The report is a single value: never "empty". */
  protected readonly never = () => false;
}
