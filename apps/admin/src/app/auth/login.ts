import { Component, inject, input, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';
import type { SessionView } from '@keyring/contracts';
import { Api } from '../core/api';
import { problemOf } from '../core/problem';
import { Session } from '../core/session';
import { errorText, showFieldErrors } from '../shared/forms';

/** Email and password, then — only for accounts with two-factor sign-in — the authenticator code. */
@Component({
  selector: 'kr-login',
  imports: [ReactiveFormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule],
  template: `
    <mat-card appearance="outlined" class="narrow">
      <mat-card-header>
        <mat-card-title><h1>Sign in to Keyring</h1></mat-card-title>
      </mat-card-header>
      <mat-card-content>
        @if (joined()) {
          <p class="note-box" role="status">You joined {{ joined() }}. Sign in with your two-factor code to continue.</p>
        }
        <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
          @if (!totpStep()) {
            <mat-form-field appearance="outline">
              <mat-label>Email</mat-label>
              <input matInput type="email" formControlName="email" autocomplete="username" />
              <mat-error>{{ error('email') }}</mat-error>
            </mat-form-field>
            <mat-form-field appearance="outline">
              <mat-label>Password</mat-label>
              <input matInput type="password" formControlName="password" autocomplete="current-password" />
              <mat-error>{{ error('password') }}</mat-error>
            </mat-form-field>
          } @else {
            <p>Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
            <mat-form-field appearance="outline">
              <mat-label>Authentication code</mat-label>
              <input matInput formControlName="totpCode" autocomplete="one-time-code" inputmode="numeric" />
              <mat-error>{{ error('totpCode') }}</mat-error>
            </mat-form-field>
          }
          @if (message()) {
            <p class="form-error" role="alert">{{ message() }}</p>
          }
          <button mat-flat-button type="submit" [disabled]="busy()">{{ totpStep() ? 'Verify' : 'Sign in' }}</button>
        </form>
      </mat-card-content>
    </mat-card>
  `,
})
export class Login {
  private readonly api = inject(Api);
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  readonly returnUrl = input<string>();
  /** Set by the invitation page when the new member still has to sign in (two-factor sign-in). */
  readonly joined = input<string>();
  protected readonly busy = signal(false);
  protected readonly totpStep = signal(false);
  protected readonly message = signal<string | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
    totpCode: [''],
  });

  protected error(field: string): string {
    return errorText(this.form, field, { email: 'Enter an email address.' });
  }

  async submit(): Promise<void> {
    if (this.form.invalid) return this.form.markAllAsTouched();
    this.busy.set(true);
    this.message.set(null);
    try {
      const { email, password, totpCode } = this.form.getRawValue();
      this.session.signedIn(await this.api.post<SessionView>('/auth/login', { email, password, ...(this.totpStep() && { totpCode }) }));
      const returnUrl = this.returnUrl();
      await this.router.navigateByUrl(returnUrl?.startsWith('/') && !returnUrl.startsWith('/login') ? returnUrl : '/');
    } catch (error) {
      const problem = problemOf(error);
      if (problem.type === 'urn:keyring:problem:totp-required') {
        this.totpStep.set(true);
      } else {
        this.message.set(showFieldErrors(this.form, problem));
      }
    } finally {
      this.busy.set(false);
    }
  }
}
