import { DatePipe } from '@angular/common';
import { Component, computed, inject, input, signal, viewChild } from '@angular/core';
import { FormBuilder, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { ROLES, type Invitation, type Member, type Page, type Role, type TenantRef } from '@keyring/contracts';
import { Api } from '../core/api';
import { Session } from '../core/session';
import { confirm } from '../shared/confirm-dialog';
import { runAction } from '../shared/actions';
import { CursorPager, pagedResource } from '../shared/cursor-pager';
import { errorText } from '../shared/forms';
import { ListState } from '../shared/list-state';
import { Pager } from '../shared/pager';
import { Submission } from '../shared/submission';
import { TenantsPicker } from '../tenants/tenants-picker';
import { FormerMembers } from './former-members';
import { MemberTenantsDialog, type MemberTenantsData } from './member-tenants-dialog';
import { InvitationLink, invitationUrl } from './invitation-link';
import { PendingInvitations } from './pending-invitations';
import { ROLE_DESCRIPTIONS } from './role-descriptions';
import { loaded } from '../shared/loaded';

/** Who works in this organization, with which role, on which tenants. Owners manage it. */
@Component({
  selector: 'kr-members',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    MatTableModule,
    FormerMembers,
    InvitationLink,
    ListState,
    Pager,
    PendingInvitations,
    TenantsPicker,
  ],
  template: `
    <div class="page-header"><h1>Members</h1></div>
    @if (manage()) {
      <form class="toolbar-row invite" [formGroup]="invite" (ngSubmit)="sendInvitation()" novalidate aria-label="Invite a member">
        <mat-form-field>
          <mat-label>Email to invite</mat-label>
          <input matInput type="email" formControlName="email" autocomplete="off" />
          <mat-error>{{ errorText(invite, 'email', { email: 'Enter an email address.' }) }}</mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>Role</mat-label>
          <mat-select formControlName="role">
            @for (role of roles; track role) {
              <mat-option [value]="role">{{ role }}</mat-option>
            }
          </mat-select>
          <mat-hint data-testid="role-description">{{ roleDescriptions[invite.controls.role.value] }}</mat-hint>
        </mat-form-field>
        <kr-tenants-picker class="tenants" formControlName="tenants" [orgId]="orgId()" />
        <button mat-flat-button type="submit" [disabled]="inviting.busy()">Invite</button>
      </form>
      @if (inviting.message()) {
        <p class="form-error" role="alert">{{ inviting.message() }}</p>
      }
      @if (invitation(); as sent) {
        <kr-invitation-link headline="Invitation created." [email]="sent.invitation.email" [expiresAt]="sent.invitation.expiresAt" [link]="sent.link" />
      }
    }
    <h2>Members</h2>
    <kr-list-state [of]="members" empty="No members.">
      <table mat-table [dataSource]="loaded(members)?.items ?? []">
        <ng-container matColumnDef="email">
          <th mat-header-cell *matHeaderCellDef>Email</th>
          <td mat-cell *matCellDef="let member">{{ member.email }}</td>
        </ng-container>
        <ng-container matColumnDef="role">
          <th mat-header-cell *matHeaderCellDef>Role</th>
          <td mat-cell *matCellDef="let member">
            @if (manage()) {
              <mat-select [value]="member.role" (valueChange)="update(member, { role: $event })" [attr.aria-label]="'Role of ' + member.email">
                @for (role of roles; track role) {
                  <mat-option [value]="role">{{ role }}</mat-option>
                }
              </mat-select>
            } @else {
              {{ member.role }}
            }
          </td>
        </ng-container>
        <ng-container matColumnDef="tenants">
          <th mat-header-cell *matHeaderCellDef>Tenants</th>
          <td mat-cell *matCellDef="let member">
            {{ member.tenants === null ? 'All tenants' : tenantList(member.tenants) }}
            @if (manage()) {
              <button mat-icon-button type="button" [attr.aria-label]="'Change the tenants of ' + member.email" (click)="editTenants(member)"><mat-icon>edit</mat-icon></button>
            }
          </td>
        </ng-container>
        <ng-container matColumnDef="since">
          <th mat-header-cell *matHeaderCellDef>Member since</th>
          <td mat-cell *matCellDef="let member">{{ member.createdAt | date: 'mediumDate' }}</td>
        </ng-container>
        <ng-container matColumnDef="actions">
          <th mat-header-cell *matHeaderCellDef><span class="cdk-visually-hidden">Actions</span></th>
          <td mat-cell *matCellDef="let member">
            @if (session.can('audit:read')) {
              <a mat-button [routerLink]="['/orgs', orgId(), 'members', member.userId, 'offboarding']" [attr.aria-label]="'Offboarding report of ' + member.email">Offboarding report</a>
            }
            @if (manage() && member.userId !== session.user()?.id) {
              <button mat-button type="button" [attr.aria-label]="'Remove ' + member.email" (click)="remove(member)">Remove</button>
            }
          </td>
        </ng-container>
        <tr mat-header-row *matHeaderRowDef="columns"></tr>
        <tr mat-row *matRowDef="let row; columns: columns"></tr>
      </table>
      <kr-pager [pager]="pager" />
    </kr-list-state>
    @if (manage()) {
      <kr-pending-invitations [orgId]="orgId()" />
    }
    @if (session.can('audit:read')) {
      <kr-former-members [orgId]="orgId()" />
    }
  `,
  styles: '.invite .tenants { min-width: 260px; flex: 1; }',
})
export class Members {
  protected readonly loaded = loaded;
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(Session);
  protected readonly errorText = errorText;
  readonly orgId = input.required<string>();
  protected readonly roles = ROLES;
  protected readonly roleDescriptions = ROLE_DESCRIPTIONS;
  /** To reset the form's submitted state too, so that the emptied field does not show "Required." at once. */
  private readonly inviteForm = viewChild(FormGroupDirective);
  private readonly pending = viewChild(PendingInvitations);
  protected readonly columns = ['email', 'role', 'tenants', 'since', 'actions'];
  protected readonly manage = computed(() => this.session.can('members:manage'));
  protected readonly invitation = signal<{ invitation: Invitation; link: string } | null>(null);
  protected readonly pager = new CursorPager();
  protected readonly invite = inject(FormBuilder).nonNullable.group({
    email: ['', [Validators.required, Validators.email]],
    role: ['operator' as Role, Validators.required],
    tenants: [[] as TenantRef[]],
  });
  protected readonly members = pagedResource(this.pager, this.orgId, (orgId, page) => this.api.get<Page<Member>>(`/orgs/${orgId}/members`, page));

  protected tenantList(tenants: TenantRef[]): string {
    return tenants.map((tenant) => tenant.name).join(', ');
  }

  protected readonly inviting = new Submission(this.invite);

  protected sendInvitation(): Promise<void> {
    return this.inviting.run(async () => {
      const { email, role, tenants } = this.invite.getRawValue();
      const tenantIds = tenants.length ? tenants.map((tenant) => tenant.id) : null;
      const sent = await this.api.post<{ invitation: Invitation; token: string }>(`/orgs/${this.orgId()}/members/invitations`, { email, role, tenantIds });
      this.invitation.set({ invitation: sent.invitation, link: invitationUrl(sent.token) });
      this.pending()?.reload();
      this.inviteForm()?.resetForm({ email: '', role, tenants: [] });
    });
  }

  protected editTenants(member: Member): void {
    this.dialog
      .open(MemberTenantsDialog, { data: { orgId: this.orgId(), member } satisfies MemberTenantsData })
      .afterClosed()
      .subscribe((updated?: Member) => {
        if (!updated) return;
        this.snackBar.open(`${member.email} updated.`, undefined, { duration: 4000 });
        this.members.reload();
      });
  }

  protected async update(member: Member, change: { role?: Role }): Promise<void> {
    await runAction(this.snackBar, () => this.api.patch(`/orgs/${this.orgId()}/members/${member.userId}`, change), `${member.email} updated.`);
    this.members.reload();
  }

  protected async remove(member: Member): Promise<void> {
    const confirmed = await confirm(this.dialog, { title: `Remove ${member.email}?`, message: 'They lose access to this organization at once.', confirmLabel: 'Remove', danger: true });
    if (!confirmed) return;
    await runAction(this.snackBar, () => this.api.delete(`/orgs/${this.orgId()}/members/${member.userId}`), `${member.email} removed.`);
    this.members.reload();
  }
}
