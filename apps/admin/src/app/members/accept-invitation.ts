import { DatePipe } from '@angular/common';
import { Component, inject, input, resource } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';
import type { InvitationPreview, Role, SessionView } from '@keyring/contracts';
import { Api } from '../core/api';
import { Session } from '../core/session';
import { errorText } from '../shared/forms';
import { ListState } from '../shared/list-state';
import { loaded } from '../shared/loaded';
import { Submission } from '../shared/submission';
import { ROLE_DESCRIPTIONS } from './role-descriptions';

/** What `POST /invitations/accept` answers. */
interface AcceptedInvitation {
  user: { id: string; email: string };
  organization: { id: string; name: string };
  role: Role;
}

/** The link of an invitation: a new account chooses a password, an existing one confirms with theirs. */
@Component({
  selector: 'kr-accept-invitation',
  imports: [DatePipe, ReactiveFormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule, ListState],
  template: `
    <mat-card appearance="outlined" class="narrow">
      <mat-card-header><mat-card-title><h1>Join {{ loaded(invitation)?.organizationName ?? 'an organization' }} on Keyring</h1></mat-card-title></mat-card-header>
      <mat-card-content>
        <kr-list-state [of]="invitation" [isEmpty]="never" [back]="{ label: 'Go to the sign-in page', link: '/login' }">
          @if (loaded(invitation); as invited) {
            <p data-testid="invitation-details">
              {{ invited.invitedBy ?? 'An owner' }} invites <strong>{{ invited.email }}</strong> to join <strong>{{ invited.organizationName }}</strong> as
              <strong>{{ invited.role }}</strong>: {{ roleDescriptions[invited.role] }} This link works until {{ invited.expiresAt | date: 'medium' }}.
            </p>
          }
        </kr-list-state>
        @if (loaded(invitation)) {
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
        }
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
  protected readonly loaded = loaded;
  protected readonly roleDescriptions = ROLE_DESCRIPTIONS;
  protected readonly never = () => false;
  /** What the link is for, before anyone types a password; an unusable link says so at once. */
  protected readonly invitation = resource({
    // Without a token the API's refusal says what is missing, rather than a page that waits for ever.
    params: () => this.token() ?? '',
    loader: ({ params }) => this.api.post<InvitationPreview>('/invitations/preview', { token: params }),
  });
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
