import { Component, inject } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';
import type { SessionView } from '@keyring/contracts';
import { Api } from '../core/api';
import { Session } from '../core/session';
import { errorText } from '../shared/forms';
import { Submission } from '../shared/submission';

/** First run: the setup token printed by the server, the owner's account and the agency's organization. */
@Component({
  selector: 'kr-setup',
  imports: [ReactiveFormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule],
  template: `
    <mat-card appearance="outlined" class="narrow">
      <mat-card-header>
        <mat-card-title><h1>Set up Keyring</h1></mat-card-title>
        <mat-card-subtitle>Create the owner account and your agency's organization.</mat-card-subtitle>
      </mat-card-header>
      <mat-card-content>
        <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
          <mat-form-field appearance="outline">
            <mat-label>Setup token</mat-label>
            <input matInput formControlName="setupToken" autocomplete="off" />
            <mat-hint>Printed in the server's log at first start, or the KEYRING_SETUP_TOKEN you set.</mat-hint>
            <mat-error>{{ error('setupToken') }}</mat-error>
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Organization name</mat-label>
            <input matInput formControlName="organizationName" autocomplete="organization" />
            <mat-error>{{ error('organizationName') }}</mat-error>
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Your email</mat-label>
            <input matInput type="email" formControlName="email" autocomplete="email" />
            <mat-error>{{ error('email') }}</mat-error>
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Password</mat-label>
            <input matInput type="password" formControlName="password" autocomplete="new-password" />
            <mat-hint>At least 12 characters; not your email.</mat-hint>
            <mat-error>{{ error('password') }}</mat-error>
          </mat-form-field>
          @if (submission.message()) {
            <p class="form-error" role="alert">{{ submission.message() }}</p>
          }
          <button mat-flat-button type="submit" [disabled]="submission.busy()">Create owner and organization</button>
        </form>
      </mat-card-content>
    </mat-card>
  `,
})
export class Setup {
  private readonly api = inject(Api);
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    setupToken: ['', Validators.required],
    organizationName: ['', Validators.required],
    email: ['', [Validators.required, Validators.email]],
    password: ['', [Validators.required, Validators.minLength(12)]],
  });

  protected error(field: string): string {
    return errorText(this.form, field, { email: 'Enter an email address.', minlength: 'At least 12 characters.' });
  }

  protected readonly submission = new Submission(this.form);

  submit(): Promise<void> {
    return this.submission.run(async () => {
      const { email, password } = this.form.getRawValue();
      const setup = await this.api.post<{ organization: { id: string } }>('/setup', this.form.getRawValue());
      this.session.signedIn(await this.api.post<SessionView>('/auth/login', { email, password }));
      await this.router.navigate(['/orgs', setup.organization.id, 'dashboard']);
    });
  }
}
