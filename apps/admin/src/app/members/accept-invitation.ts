import { Component, inject, input } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';
import type { Role, SessionView } from '@keyring/contracts';
import { Api } from '../core/api';
import { Session } from '../core/session';
import { errorText } from '../shared/forms';
import { Submission } from '../shared/submission';

/** What `POST /invitations/accept` answers. */
interface AcceptedInvitation {
  user: { id: string; email: string };
  organization: { id: string; name: string };
  role: Role;
}

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
  private readonly session = inject(Session);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly errorText = errorText;
  readonly token = input<string>();
  protected readonly form = inject(FormBuilder).nonNullable.group({ password: ['', Validators.required] });
  protected readonly submission = new Submission(this.form);

  submit(): Promise<void> {
    return this.submission.run(async () => {
      const { password } = this.form.getRawValue();
      const joined = await this.api.post<AcceptedInvitation>('/invitations/accept', { token: this.token(), password });
      const dashboard = ['/orgs', joined.organization.id, 'dashboard'];
      try {
        // The password was just checked: signing in with it spares a second form. An account with two-factor
        // sign-in still needs its code, so that case goes to the sign-in page, which says why.
        this.session.signedIn(await this.api.post<SessionView>('/auth/login', { email: joined.user.email, password }));
        this.snackBar.open(`Welcome to ${joined.organization.name}: you joined as ${joined.role}.`, undefined, { duration: 6000 });
        await this.router.navigate(dashboard);
      } catch {
        await this.router.navigate(['/login'], {
          queryParams: { returnUrl: this.router.serializeUrl(this.router.createUrlTree(dashboard)), joined: joined.organization.name },
        });
      }
    });
  }
}
