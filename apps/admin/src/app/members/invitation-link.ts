import { DatePipe } from '@angular/common';
import { Component, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { CopyButton } from '../shared/copy-button';

/** An invitation link to send, shown once (after inviting, or after asking for a new link): news, not a problem. */
@Component({
  selector: 'kr-invitation-link',
  imports: [DatePipe, MatIconModule, CopyButton],
  template: `
    <div class="note-box" role="status" data-testid="invitation-link">
      <mat-icon aria-hidden="true" inline>check_circle</mat-icon> {{ headline() }}
      Send this link to {{ email() }} (valid until {{ expiresAt() | date: 'medium' }}, shown only now):
      <div class="toolbar-row"><span class="mono">{{ link() }}</span><kr-copy-button [value]="link()" label="Copy the invitation link" /></div>
    </div>
  `,
})
export class InvitationLink {
  readonly headline = input.required<string>();
  readonly email = input.required<string>();
  readonly expiresAt = input.required<string>();
  readonly link = input.required<string>();
}

/** The console's page for an invitation token. */
export function invitationUrl(token: string): string {
  return `${location.origin}/invitations/accept?token=${encodeURIComponent(token)}`;
}
