import { Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { CopyButton } from '../shared/copy-button';

/** A webhook's signing secret, shown this once (after creating the webhook or rotating its secret). */
@Component({
  selector: 'kr-webhook-secret-dialog',
  imports: [MatButtonModule, MatDialogModule, CopyButton],
  template: `
    <h2 mat-dialog-title>{{ data.rotated ? 'New signing secret' : 'Webhook created' }}</h2>
    <mat-dialog-content>
      <p class="warning-box" role="alert">
        <strong>Copy this signing secret now.</strong> Keyring keeps it encrypted and will never show it again. The receiver verifies
        each event's <span class="mono">webhook-signature</span> with it (Standard Webhooks).
        @if (data.rotated) {
          The previous secret keeps signing too for 24 hours, so the receiver can switch over.
        }
      </p>
      <div class="key-row"><span class="mono key" data-testid="webhook-secret">{{ data.secret }}</span><kr-copy-button [value]="data.secret" secret label="Copy the signing secret" /></div>
    </mat-dialog-content>
    <mat-dialog-actions align="end"><button mat-flat-button type="button" [mat-dialog-close]="true">I have stored the secret</button></mat-dialog-actions>
  `,
  styles: `
    .key-row { display: flex; align-items: center; gap: 8px; }
    .key { flex: 1; padding: 8px; background: var(--mat-sys-surface-container); border-radius: 4px; word-break: break-all; }
  `,
})
export class WebhookSecretDialog {
  protected readonly data = inject<{ secret: string; rotated: boolean }>(MAT_DIALOG_DATA);
}
