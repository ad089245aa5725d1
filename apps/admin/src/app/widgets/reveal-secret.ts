import { Component, inject, OnDestroy, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import type { RevealedSecret } from '@keyring/contracts';
import { Api } from '../core/api';
import { problemOf } from '../core/problem';
import { CopyButton } from '../shared/copy-button';

export const REVEAL_SECONDS = 30;

export interface RevealData {
  orgId: string;
  widgetId: string;
  version: number;
}

/** Password again, then the secret: masked until asked, copyable, and forgotten after 30 seconds. */
@Component({
  selector: 'kr-reveal-secret',
  imports: [FormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatIconModule, MatInputModule, CopyButton],
  template: `
    <h2 mat-dialog-title>Reveal secret version {{ data.version }}</h2>
    <mat-dialog-content>
      @if (revealed(); as revealed) {
        <p class="muted">Fingerprint {{ revealed.fingerprint }}. Hidden again in <span data-testid="reveal-countdown">{{ secondsLeft() }}</span> s.</p>
        <div class="secret-row">
          <span class="mono secret" data-testid="revealed-secret">{{ shown() ? revealed.secret : mask(revealed.secret) }}</span>
          <button mat-icon-button type="button" [attr.aria-label]="shown() ? 'Hide the secret' : 'Show the secret'" (click)="shown.set(!shown())">
            <mat-icon>{{ shown() ? 'visibility_off' : 'visibility' }}</mat-icon>
          </button>
          <kr-copy-button [value]="revealed.secret" label="Copy the secret" secret />
        </div>
      } @else {
        <form (ngSubmit)="reveal()" id="reveal-form">
          <p>Revealing a secret is recorded in the audit log. Enter your password to continue.</p>
          <mat-form-field class="full">
            <mat-label>Your password</mat-label>
            <input matInput type="password" name="password" [ngModel]="password()" (ngModelChange)="password.set($event)" autocomplete="current-password" required />
          </mat-form-field>
          <mat-form-field class="full">
            <mat-label>Reason (optional, kept in the audit log)</mat-label>
            <input matInput name="reason" [ngModel]="reason()" (ngModelChange)="reason.set($event)" maxlength="500" />
          </mat-form-field>
          @if (message()) {
            <p class="form-error" role="alert">{{ message() }}</p>
          }
        </form>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Close</button>
      @if (!revealed()) {
        <button mat-flat-button type="submit" form="reveal-form" [disabled]="busy() || !password()">Reveal</button>
      }
    </mat-dialog-actions>
  `,
  styles: `
    .full { width: 100%; }
    .secret-row { display: flex; align-items: center; gap: 8px; }
    .secret { flex: 1; padding: 8px; background: var(--mat-sys-surface-container); border-radius: 4px; }
  `,
})
export class RevealSecret implements OnDestroy {
  protected readonly data = inject<RevealData>(MAT_DIALOG_DATA);
  private readonly api = inject(Api);
  protected readonly password = signal('');
  protected readonly reason = signal('');
  protected readonly busy = signal(false);
  protected readonly message = signal<string | null>(null);
  protected readonly revealed = signal<RevealedSecret | null>(null);
  protected readonly shown = signal(false);
  protected readonly secondsLeft = signal(REVEAL_SECONDS);
  private timer?: ReturnType<typeof setInterval>;

  async reveal(): Promise<void> {
    this.busy.set(true);
    this.message.set(null);
    try {
      const revealed = await this.api.post<RevealedSecret>(`/orgs/${this.data.orgId}/widgets/${this.data.widgetId}/secret-versions/${this.data.version}/reveal`, {
        password: this.password(),
        ...(this.reason() && { reason: this.reason() }),
      });
      this.password.set('');
      this.revealed.set(revealed);
      this.startCountdown();
    } catch (error) {
      this.message.set(problemOf(error).message);
    } finally {
      this.busy.set(false);
    }
  }

  protected mask(secret: string): string {
    return '•'.repeat(Math.min(secret.length, 32));
  }

  private startCountdown(): void {
    this.secondsLeft.set(REVEAL_SECONDS);
    this.timer = setInterval(() => {
      this.secondsLeft.update((seconds) => seconds - 1);
      if (this.secondsLeft() <= 0) this.forget();
    }, 1000);
  }

  /** Drops the secret from the page (the dialog goes back to asking for the password). */
  private forget(): void {
    clearInterval(this.timer);
    this.revealed.set(null);
    this.shown.set(false);
  }

  ngOnDestroy(): void {
    this.forget();
  }
}
