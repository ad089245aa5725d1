import { DatePipe } from '@angular/common';
import { Component, effect, inject, input, resource } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { Router } from '@angular/router';
import type { Page, Webhook, WebhookDelivery, WebhookDeliveryStatus, WebhookWithSecret } from '@keyring/contracts';
import { Api } from '../core/api';
import { Session } from '../core/session';
import { runAction } from '../shared/actions';
import { confirm } from '../shared/confirm-dialog';
import { CursorPager, pagedResource } from '../shared/cursor-pager';
import { ListState } from '../shared/list-state';
import { loaded } from '../shared/loaded';
import { Pager } from '../shared/pager';
import { WebhookDialog } from './webhook-dialog';
import { WebhookSecretDialog } from './webhook-secret-dialog';

/** While a delivery is pending, the log is read again this often. */
const POLL_MS = 2_000;

/** One webhook: what it sends where, its actions, and its delivery log (status, attempts, response, latency). */
@Component({
  selector: 'kr-webhook-page',
  imports: [DatePipe, MatButtonModule, MatIconModule, MatTableModule, ListState, Pager],
  templateUrl: './webhook-page.html',
  styles: `
    .url { word-break: break-all; font-size: 1.25rem; }
    .actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 16px 0; }
    .log-header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
  `,
})
export class WebhookPage {
  protected readonly loaded = loaded;
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  protected readonly session = inject(Session);
  readonly orgId = input.required<string>();
  readonly webhookId = input.required<string>();
  protected readonly columns = ['event', 'status', 'attempts', 'response', 'latency', 'actions'];
  private readonly statusWords: Record<WebhookDeliveryStatus, string> = { pending: 'Pending', succeeded: 'Delivered', failed: 'Failed' };
  protected readonly pager = new CursorPager();
  protected readonly never = () => false;
  private readonly path = () => `/orgs/${this.orgId()}/webhooks/${this.webhookId()}`;

  protected readonly webhook = resource({ params: () => this.path(), loader: ({ params }) => this.api.get<Webhook>(params) });
  protected readonly deliveries = pagedResource(this.pager, this.path, (path, page) => this.api.get<Page<WebhookDelivery>>(`${path}/deliveries`, page));

  constructor() {
    // Pending deliveries change on their own: follow them until none is left.
    effect((onCleanup) => {
      if (!loaded(this.deliveries)?.items.some((delivery) => delivery.status === 'pending')) return;
      const timer = setTimeout(() => this.deliveries.reload(), POLL_MS);
      onCleanup(() => clearTimeout(timer));
    });
  }

  protected statusText(delivery: WebhookDelivery): string {
    return this.statusWords[delivery.status];
  }

  protected async sendTest(hook: Webhook): Promise<void> {
    if (await runAction(this.snackBar, () => this.api.post(`${this.path()}/test`), `A test event is on its way to ${new URL(hook.url).host}.`)) this.deliveries.reload();
  }

  protected async redeliver(delivery: WebhookDelivery): Promise<void> {
    if (await runAction(this.snackBar, () => this.api.post(`${this.path()}/deliveries/${delivery.id}/redeliver`), 'Sent again.')) this.deliveries.reload();
  }

  protected edit(hook: Webhook): void {
    this.dialog
      .open(WebhookDialog, { data: { orgId: this.orgId(), webhook: hook }, disableClose: true })
      .afterClosed()
      .subscribe((saved?: Webhook) => saved && this.webhook.set(saved));
  }

  protected async toggle(hook: Webhook): Promise<void> {
    let saved: Webhook | undefined;
    const done = hook.enabled ? 'Turned off: nothing is sent until it is turned on again.' : 'Turned on.';
    if (await runAction(this.snackBar, async () => (saved = await this.api.patch<Webhook>(this.path(), { enabled: !hook.enabled })), done)) this.webhook.set(saved);
  }

  protected async rotateSecret(hook: Webhook): Promise<void> {
    const confirmed = await confirm(this.dialog, {
      title: 'Rotate the signing secret?',
      message: `A new secret is shown once. Events to ${hook.url} carry signatures by both the old and the new secret for 24 hours; update the receiver within that time.`,
      confirmLabel: 'Rotate',
    });
    if (!confirmed) return;
    let rotated: WebhookWithSecret | undefined;
    if (!(await runAction(this.snackBar, async () => (rotated = await this.api.post<WebhookWithSecret>(`${this.path()}/rotate-secret`)), 'Secret rotated.'))) return;
    this.webhook.set(rotated!.webhook);
    this.dialog.open(WebhookSecretDialog, { data: { secret: rotated!.secret, rotated: true }, disableClose: true });
  }

  protected async remove(hook: Webhook): Promise<void> {
    const confirmed = await confirm(this.dialog, {
      title: 'Delete this webhook?',
      message: `Nothing more is sent to ${hook.url}, and its delivery log goes with it.`,
      confirmLabel: 'Delete',
      danger: true,
    });
    if (!confirmed) return;
    if (await runAction(this.snackBar, () => this.api.delete(this.path()), 'Webhook deleted.')) await this.router.navigate(['/orgs', this.orgId(), 'webhooks']);
  }
}
