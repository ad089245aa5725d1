import { Component, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import type { Page, Webhook, WebhookWithSecret } from '@keyring/contracts';
import { Api } from '../core/api';
import { Session } from '../core/session';
import { CursorPager, pagedResource } from '../shared/cursor-pager';
import { ListState } from '../shared/list-state';
import { loaded } from '../shared/loaded';
import { Pager } from '../shared/pager';
import { WebhookDialog } from './webhook-dialog';
import { WebhookSecretDialog } from './webhook-secret-dialog';

/** The organization's webhook endpoints; each one's page has its delivery log and actions. */
@Component({
  selector: 'kr-webhooks',
  imports: [MatButtonModule, MatIconModule, MatTableModule, RouterLink, ListState, Pager],
  template: `
    <div class="page-header">
      <h1>Webhooks</h1>
      @if (session.can('webhooks:manage')) {
        <button mat-flat-button type="button" (click)="create()"><mat-icon>add</mat-icon>New webhook</button>
      }
    </div>
    <p class="muted">Keyring POSTs signed events (Standard Webhooks) to these endpoints as they happen, and retries for 24 hours until they answer 2xx.</p>
    <kr-list-state [of]="webhooks" empty="No webhooks yet: add one to hear of rotations, reveals, expiring keys and more as they happen.">
      <table mat-table [dataSource]="loaded(webhooks)?.items ?? []" data-testid="webhooks">
        <ng-container matColumnDef="endpoint">
          <th mat-header-cell *matHeaderCellDef>Endpoint</th>
          <td mat-cell *matCellDef="let hook">
            <a class="mono url" [routerLink]="[hook.id]">{{ hook.url }}</a>
            @if (hook.description) {
              <br /><span class="muted">{{ hook.description }}</span>
            }
          </td>
        </ng-container>
        <ng-container matColumnDef="events">
          <th mat-header-cell *matHeaderCellDef>Events</th>
          <td mat-cell *matCellDef="let hook">{{ hook.events.join(', ') }}</td>
        </ng-container>
        <ng-container matColumnDef="status">
          <th mat-header-cell *matHeaderCellDef>Status</th>
          <td mat-cell *matCellDef="let hook">
            @if (hook.enabled) {
              <span class="chip ok">On</span>
            } @else {
              <span class="chip bad" [title]="hook.disabledReason ?? ''">Off</span>
            }
          </td>
        </ng-container>
        <tr mat-header-row *matHeaderRowDef="columns"></tr>
        <tr mat-row *matRowDef="let row; columns: columns"></tr>
      </table>
      <kr-pager [pager]="pager" />
    </kr-list-state>
  `,
  styles: `
    .url { word-break: break-all; }
  `,
})
export class Webhooks {
  protected readonly loaded = loaded;
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  protected readonly session = inject(Session);
  readonly orgId = input.required<string>();
  protected readonly columns = ['endpoint', 'events', 'status'];
  protected readonly pager = new CursorPager();
  protected readonly webhooks = pagedResource(this.pager, this.orgId, (orgId, page) => this.api.get<Page<Webhook>>(`/orgs/${orgId}/webhooks`, page));

  /** The form, then the secret (shown once), then the new webhook's page. */
  protected create(): void {
    this.dialog
      .open(WebhookDialog, { data: { orgId: this.orgId() }, disableClose: true })
      .afterClosed()
      .subscribe((created?: WebhookWithSecret) => {
        if (!created) return;
        this.dialog
          .open(WebhookSecretDialog, { data: { secret: created.secret, rotated: false }, disableClose: true })
          .afterClosed()
          .subscribe(() => void this.router.navigate(['/orgs', this.orgId(), 'webhooks', created.webhook.id]));
      });
  }
}
