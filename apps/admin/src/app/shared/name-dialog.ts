import { Component, inject } from '@angular/core';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { errorText, NAME_VALIDATORS } from './forms';
import { Submission } from './submission';

export interface NameDialogData {
  title: string;
  label: string;
  value?: string;
  submitLabel: string;
  /** Saves the name; its errors are shown in the dialog, which closes with the result on success. */
  save(name: string): Promise<unknown>;
}

/** A dialog with one name field: create or rename a tenant. */
@Component({
  selector: 'kr-name-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule],
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <h2 mat-dialog-title>{{ data.title }}</h2>
      <mat-dialog-content>
        <mat-form-field class="full">
          <mat-label>{{ data.label }}</mat-label>
          <input matInput formControlName="name" cdkFocusInitial autocomplete="off" />
          <mat-error>{{ errorText(form, 'name') }}</mat-error>
        </mat-form-field>
        @if (submission.message()) {
          <p class="form-error" role="alert">{{ submission.message() }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="submission.busy()">{{ data.submitLabel }}</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: '.full { width: 100%; }',
})
export class NameDialog {
  protected readonly data = inject<NameDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject(MatDialogRef);
  protected readonly errorText = errorText;
  protected readonly form = inject(FormBuilder).nonNullable.group({ name: [this.data.value ?? '', NAME_VALIDATORS] });

  protected readonly submission = new Submission(this.form);

  submit(): Promise<void> {
    return this.submission.run(async () => this.ref.close(await this.data.save(this.form.getRawValue().name)));
  }
}
