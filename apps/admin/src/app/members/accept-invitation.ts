import { Component, inject, input } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';
import { Api } from '../core/api';
import { errorText } from '../shared/forms';
import { Submission } from '../shared/submission';

/** The link of an invitation: a new account chooses a password, an existing one confirms with theirs. */
@Component({
  selector: 'kr-accept-invitation',
  imports: [ReactiveFormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule],
  template: `
    <mat-card appearance="outlined" class="narrow">
      <mat-card-header><mat-card-title><h1>Join an organization on Keyring</h1></mat-card-title></mat-card-header>
      <mat-card-content>
        <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
          <p>New to Keyring? Choose a password (12 characters or more). Already have an account? Enter your password.</p>
          <mat-form-field>
            <mat-label>Password</mat-label>
            <input matInput type="password" formControlName="password" autocomplete="new-password" />
            <mat-error>{{ errorText(form, 'password') }}</mat-error>
          </mat-form-field>
          @if (submission.message()) {
            <p class="form-error" role="alert">{{ submission.message() }}</p>
          }
          <button mat-flat-button type="submit" [disabled]="submission.busy() || !token()">Join</button>
        </form>
      </mat-card-content>
    </mat-card>
  `,
})
export class AcceptInvitation {
  private readonly api = inject(Api);
  private readonly router = inject(Router);
  protected readonly errorText = errorText;
  readonly token = input<string>();
  protected readonly form = inject(FormBuilder).nonNullable.group({ password: ['', Validators.required] });
  protected readonly submission = new Submission(this.form);

  submit(): Promise<void> {
    return this.submission.run(async () => {
      await this.api.post('/invitations/accept', { token: this.token(), password: this.form.getRawValue().password });
      await this.router.navigate(['/login']);
    });
  }
}
