import { Component, inject } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { UUID_PATTERN, type Widget } from '@keyring/contracts';
import { Api } from '../core/api';
import { errorText, NAME_VALIDATORS } from '../shared/forms';
import { Submission } from '../shared/submission';
import { TenantPicker } from '../tenants/tenant-picker';

export interface WidgetFormData {
  orgId: string;
  /** The tenant chosen at first (the one the list is filtered by), if any. */
  tenantId?: string;
  /** Editing this widget; creating one when absent. */
  widget?: Widget;
}

/** Wide enough for a Huggy widget UUID (36 characters) to show whole; dialogs take the whole width on a phone. */
export const WIDGET_DIALOG_WIDTH = '520px';

/** Create or edit a widget: its tenant (at creation only), name and the ids from the Huggy panel. */
@Component({
  selector: 'kr-widget-form-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, TenantPicker],
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate class="stack">
      <h2 mat-dialog-title>{{ data.widget ? 'Edit ' + data.widget.name : 'New widget' }}</h2>
      <mat-dialog-content class="stack">
        @if (!data.widget) {
          <kr-tenant-picker formControlName="tenantId" [orgId]="data.orgId" />
          @if (form.controls.tenantId.touched && form.controls.tenantId.invalid) {
            <p class="form-error" role="alert">Choose the tenant from the list.</p>
          }
        }
        <mat-form-field>
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" autocomplete="off" />
          <mat-hint>How your team recognises it, e.g. the client's site.</mat-hint>
          <mat-error>{{ error('name') }}</mat-error>
        </mat-form-field>
        <mat-form-field class="id-field">
          <mat-label>Huggy widget UUID (optional)</mat-label>
          <input matInput formControlName="huggyWidgetUuid" autocomplete="off" spellcheck="false" />
          <mat-hint>Fills in the Huggy.init snippet.</mat-hint>
          <mat-error>{{ error('huggyWidgetUuid') }}</mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>Huggy company id (optional)</mat-label>
          <input matInput formControlName="huggyCompanyId" autocomplete="off" inputmode="numeric" />
          <mat-error>{{ error('huggyCompanyId') }}</mat-error>
        </mat-form-field>
        @if (submission.message()) {
          <p class="form-error" role="alert">{{ submission.message() }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="submission.busy()">{{ data.widget ? 'Save' : 'Create widget' }}</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: '.stack { display: flex; flex-direction: column; gap: 8px; }',
})
export class WidgetFormDialog {
  protected readonly data = inject<WidgetFormData>(MAT_DIALOG_DATA);
  private readonly api = inject(Api);
  private readonly ref = inject(MatDialogRef);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    tenantId: [this.data.widget?.tenantId ?? this.data.tenantId ?? '', Validators.required],
    name: [this.data.widget?.name ?? '', NAME_VALIDATORS],
    huggyWidgetUuid: [this.data.widget?.huggyWidgetUuid ?? '', Validators.pattern(UUID_PATTERN)],
    huggyCompanyId: [this.data.widget?.huggyCompanyId ?? '', Validators.pattern(/^[0-9]{1,20}$/)],
  });

  protected error(field: string): string {
    return errorText(this.form, field, {
      pattern: field === 'huggyWidgetUuid' ? 'The widget UUID from the Huggy panel.' : 'Digits only.',
    });
  }

  protected readonly submission = new Submission(this.form);

  submit(): Promise<void> {
    return this.submission.run(async () => {
      const { tenantId, name, huggyWidgetUuid, huggyCompanyId } = this.form.getRawValue();
      const fields = { name, huggyWidgetUuid: huggyWidgetUuid || undefined, huggyCompanyId: huggyCompanyId || undefined };
      const base = `/orgs/${this.data.orgId}/widgets`;
      this.ref.close(this.data.widget ? await this.api.patch<Widget>(`${base}/${this.data.widget.id}`, fields) : await this.api.post<Widget>(base, { tenantId, ...fields }));
    });
  }
}
