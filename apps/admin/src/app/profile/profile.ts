import { Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSnackBar } from '@angular/material/snack-bar';
import { toDataURL } from 'qrcode';
import { Api } from '../core/api';
import { problemOf } from '../core/problem';
import { Session } from '../core/session';
import { CopyButton } from '../shared/copy-button';
import { downloadText } from '../shared/download';
import { errorText, showFieldErrors } from '../shared/forms';

/** The signed-in user's security: two-factor sign-in (QR code, recovery codes) and password. */
@Component({
  selector: 'kr-profile',
  imports: [ReactiveFormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatIconModule, MatInputModule, CopyButton],
  template: `
    <div class="page-header"><h1>Profile and security</h1></div>
    <p>Signed in as <strong>{{ session.user()?.email }}</strong>.</p>

    <mat-card appearance="outlined">
      <mat-card-header><mat-card-title><h2>Two-factor sign-in</h2></mat-card-title></mat-card-header>
      <mat-card-content>
        @if (recoveryCodes(); as codes) {
          <div class="note-box" role="status">
            <p>Two-factor sign-in is on. Keep these recovery codes somewhere safe: each works once if you lose your phone, and they are not shown again.</p>
            <pre class="mono codes" data-testid="recovery-codes">{{ codes.join('\n') }}</pre>
            <div class="toolbar-row">
              <button mat-stroked-button type="button" (click)="downloadCodes(codes)"><mat-icon>download</mat-icon>Download as a text file</button>
              <kr-copy-button [value]="codes.join('\n')" label="Copy the recovery codes" secret />
            </div>
          </div>
        } @else if (session.user()?.totpEnabled) {
          <p>Two-factor sign-in is <strong>on</strong>.</p>
          <form class="toolbar-row" [formGroup]="disableForm" (ngSubmit)="disable()" novalidate>
            <mat-form-field><mat-label>Password</mat-label><input matInput type="password" formControlName="password" autocomplete="current-password" /><mat-error>{{ errorText(disableForm, 'password') }}</mat-error></mat-form-field>
            <mat-form-field><mat-label>Code or recovery code</mat-label><input matInput formControlName="code" autocomplete="one-time-code" /><mat-error>{{ errorText(disableForm, 'code') }}</mat-error></mat-form-field>
            <button mat-stroked-button type="submit">Turn off</button>
          </form>
        } @else if (enrolment(); as enrolment) {
          <p>Scan this code with your authenticator app, then enter the 6-digit code it shows.</p>
          <img [src]="enrolment.qr" width="200" height="200" alt="QR code to add Keyring to an authenticator app" />
          <p class="muted">Or enter this key by hand: <span class="mono">{{ enrolment.secret }}</span></p>
          <form class="toolbar-row" [formGroup]="confirmForm" (ngSubmit)="confirm()" novalidate>
            <mat-form-field><mat-label>6-digit code</mat-label><input matInput formControlName="code" autocomplete="one-time-code" inputmode="numeric" /><mat-error>{{ errorText(confirmForm, 'code', { pattern: 'Six digits.' }) }}</mat-error></mat-form-field>
            <button mat-flat-button type="submit">Turn on</button>
          </form>
        } @else {
          <p>Two-factor sign-in is <strong>off</strong>. Turn it on so that a stolen password is not enough to reach your clients' secrets.</p>
          <button mat-flat-button type="button" (click)="enrol()">Set up two-factor sign-in</button>
        }
        @if (totpMessage()) {
          <p class="form-error" role="alert">{{ totpMessage() }}</p>
        }
      </mat-card-content>
    </mat-card>

    <mat-card appearance="outlined" class="spaced">
      <mat-card-header><mat-card-title><h2>Password</h2></mat-card-title></mat-card-header>
      <mat-card-content>
        <form class="stack" [formGroup]="passwordForm" (ngSubmit)="changePassword()" novalidate>
          <mat-form-field><mat-label>Current password</mat-label><input matInput type="password" formControlName="currentPassword" autocomplete="current-password" /><mat-error>{{ errorText(passwordForm, 'currentPassword') }}</mat-error></mat-form-field>
          <mat-form-field><mat-label>New password</mat-label><input matInput type="password" formControlName="newPassword" autocomplete="new-password" /><mat-hint>At least 12 characters. Your other sessions will be signed out.</mat-hint><mat-error>{{ errorText(passwordForm, 'newPassword', { minlength: 'At least 12 characters.' }) }}</mat-error></mat-form-field>
          @if (passwordMessage()) {
            <p class="form-error" role="alert">{{ passwordMessage() }}</p>
          }
          <button mat-flat-button type="submit">Change password</button>
        </form>
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .spaced { margin-top: 16px; }
    .stack { max-width: 420px; }
    .codes { background: var(--mat-sys-surface-container); padding: 12px; border-radius: 4px; columns: 2; }
  `,
})
export class Profile {
  private readonly api = inject(Api);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(Session);
  protected readonly errorText = errorText;
  protected readonly enrolment = signal<{ secret: string; qr: string } | null>(null);
  protected readonly recoveryCodes = signal<string[] | null>(null);

  protected downloadCodes(codes: string[]): void {
    const heading = `Keyring recovery codes for ${this.session.user()?.email} (each works once)`;
    downloadText('keyring-recovery-codes.txt', [heading, '', ...codes, ''].join('\n'), 'text/plain');
  }
  protected readonly totpMessage = signal<string | null>(null);
  protected readonly passwordMessage = signal<string | null>(null);
  private readonly fb = inject(FormBuilder).nonNullable;
  protected readonly confirmForm = this.fb.group({ code: ['', [Validators.required, Validators.pattern(/^\d{6}$/)]] });
  protected readonly disableForm = this.fb.group({ password: ['', Validators.required], code: ['', Validators.required] });
  protected readonly passwordForm = this.fb.group({ currentPassword: ['', Validators.required], newPassword: ['', [Validators.required, Validators.minLength(12)]] });

  async enrol(): Promise<void> {
    await this.totpCall(async () => {
      const { otpauthUrl, secret } = await this.api.post<{ otpauthUrl: string; secret: string }>('/auth/totp/enrol');
      this.enrolment.set({ secret, qr: await toDataURL(otpauthUrl, { width: 200, margin: 1 }) });
    });
  }

  async confirm(): Promise<void> {
    if (this.confirmForm.invalid) return this.confirmForm.markAllAsTouched();
    await this.totpCall(async () => {
      const { recoveryCodes } = await this.api.post<{ recoveryCodes: string[] }>('/auth/totp/confirm', this.confirmForm.getRawValue());
      this.enrolment.set(null);
      this.recoveryCodes.set(recoveryCodes);
      await this.session.refresh();
    }, this.confirmForm);
  }

  async disable(): Promise<void> {
    if (this.disableForm.invalid) return this.disableForm.markAllAsTouched();
    await this.totpCall(async () => {
      await this.api.post('/auth/totp/disable', this.disableForm.getRawValue());
      this.disableForm.reset();
      await this.session.refresh();
      this.snackBar.open('Two-factor sign-in is off.', undefined, { duration: 4000 });
    }, this.disableForm);
  }

  async changePassword(): Promise<void> {
    if (this.passwordForm.invalid) return this.passwordForm.markAllAsTouched();
    this.passwordMessage.set(null);
    try {
      await this.api.post('/auth/password', this.passwordForm.getRawValue());
      this.passwordForm.reset();
      this.snackBar.open('Password changed; your other sessions were signed out.', undefined, { duration: 5000 });
    } catch (error) {
      this.passwordMessage.set(showFieldErrors(this.passwordForm, problemOf(error)));
    }
  }

  private async totpCall(call: () => Promise<void>, form?: typeof this.confirmForm | typeof this.disableForm): Promise<void> {
    this.totpMessage.set(null);
    try {
      await call();
    } catch (error) {
      const problem = problemOf(error);
      this.totpMessage.set(form ? showFieldErrors(form, problem) : problem.message);
    }
  }
}
