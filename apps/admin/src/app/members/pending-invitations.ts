import { DatePipe } from '@angular/common';
import { Component, inject, input, resource, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { Invitation, PendingInvitation } from '@keyring/contracts';
import { Api } from '../core/api';
import { runAction } from '../shared/actions';
import { confirm } from '../shared/confirm-dialog';
import { ListState } from '../shared/list-state';
import { loaded } from '../shared/loaded';
import { InvitationLink, invitationUrl } from './invitation-link';

/** Invitations not yet accepted: a new link for a lost or expired one, or revoke it. Owners only. */
@Component({
  selector: 'kr-pending-invitations',
  imports: [DatePipe, MatButtonModule, InvitationLink, ListState],
  template: `
    <h2>Pending invitations</h2>
    @if (renewed(); as sent) {
      <kr-invitation-link headline="New link created; the previous one no longer works." [email]="sent.invitation.email" [expiresAt]="sent.invitation.expiresAt" [link]="sent.link" />
    }
    <kr-list-state [of]="invitations" empty="No pending invitations.">
      <ul class="pending" data-testid="pending-invitations">
        @for (invitation of loaded(invitations)?.items; track invitation.id) {
          <li>
            <span class="who"><strong>{{ invitation.email }}</strong> as {{ invitation.role }}</span>
            <span class="muted">
              {{ isExpired(invitation) ? 'Expired' : 'Valid until' }} {{ invitation.expiresAt | date: 'medium' }}{{ invitation.invitedBy ? ' · sent by ' + invitation.invitedBy : '' }}
            </span>
            <span class="actions">
              <button mat-button type="button" [attr.aria-label]="'New link for ' + invitation.email" (click)="resend(invitation)">New link</button>
              <button mat-button type="button" [attr.aria-label]="'Revoke the invitation of ' + invitation.email" (click)="revoke(invitation)">Revoke</button>
            </span>
          </li>
        }
      </ul>
    </kr-list-state>
  `,
  styles: `
    .pending { list-style: none; margin: 0; padding: 0; }
    .pending li { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 16px; padding: 8px 0; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .who { flex: 1 1 240px; }
    .actions { margin-left: auto; }
  `,
})
export class PendingInvitations {
  protected readonly loaded = loaded;
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  readonly orgId = input.required<string>();
  protected readonly renewed = signal<{ invitation: Invitation; link: string } | null>(null);
  protected readonly invitations = resource({
    params: () => this.orgId(),
    loader: ({ params }) => this.api.get<{ items: PendingInvitation[] }>(`/orgs/${params}/members/invitations`),
  });

  reload(): void {
    this.invitations.reload();
  }

  protected isExpired(invitation: PendingInvitation): boolean {
    return new Date(invitation.expiresAt).getTime() <= Date.now();
  }

  protected async resend(invitation: PendingInvitation): Promise<void> {
    await runAction(
      this.snackBar,
      async () => {
        const sent = await this.api.post<{ invitation: Invitation; token: string }>(`/orgs/${this.orgId()}/members/invitations/${invitation.id}/resend`);
        this.renewed.set({ invitation: sent.invitation, link: invitationUrl(sent.token) });
      },
      `New link for ${invitation.email} created.`,
    );
    this.reload();
  }

  protected async revoke(invitation: PendingInvitation): Promise<void> {
    const confirmed = await confirm(this.dialog, {
      title: `Revoke the invitation of ${invitation.email}?`,
      message: 'Its link stops working at once. You can invite them again later.',
      confirmLabel: 'Revoke',
      danger: true,
    });
    if (!confirmed) return;
    await runAction(this.snackBar, () => this.api.delete(`/orgs/${this.orgId()}/members/invitations/${invitation.id}`), `Invitation of ${invitation.email} revoked.`);
    this.renewed.set(null);
    this.reload();
  }
}
