import { Component, inject } from '@angular/core';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import type { Member, TenantRef } from '@keyring/contracts';
import { Api } from '../core/api';
import { Submission } from '../shared/submission';
import { TenantsPicker } from '../tenants/tenants-picker';

export interface MemberTenantsData {
  orgId: string;
  member: Member;
}

/** Which tenants a member is limited to, chosen by typing (none: every tenant). Closes with the updated member. */
@Component({
  selector: 'kr-member-tenants-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, TenantsPicker],
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <h2 mat-dialog-title>Tenants of {{ data.member.email }}</h2>
      <mat-dialog-content>
        <kr-tenants-picker formControlName="tenants" [orgId]="data.orgId" label="Limited to" />
        @if (submission.message()) {
          <p class="form-error" role="alert">{{ submission.message() }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="submission.busy()">Save</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: 'mat-dialog-content { min-width: min(420px, 80vw); }',
})
export class MemberTenantsDialog {
  protected readonly data = inject<MemberTenantsData>(MAT_DIALOG_DATA);
  private readonly api = inject(Api);
  private readonly ref = inject(MatDialogRef);
  protected readonly form = inject(FormBuilder).nonNullable.group({ tenants: [this.data.member.tenants ?? ([] as TenantRef[])] });
  protected readonly submission = new Submission(this.form);

  submit(): Promise<void> {
    const tenants = this.form.getRawValue().tenants;
    return this.submission.run(async () =>
      this.ref.close(await this.api.patch<Member>(`/orgs/${this.data.orgId}/members/${this.data.member.userId}`, { tenantIds: tenants.length ? tenants.map((tenant) => tenant.id) : null })),
    );
  }
}
