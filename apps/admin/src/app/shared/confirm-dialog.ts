import { Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { firstValueFrom } from 'rxjs';

export interface ConfirmOptions {
  title: string;
  message: string;
  confirmLabel: string;
  /** For what cannot be undone: the user types this word to enable the button. */
  typeToConfirm?: string;
  danger?: boolean;
}

@Component({
  selector: 'kr-confirm-dialog',
  imports: [FormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule],
  template: `
    <h2 mat-dialog-title>{{ data.title }}</h2>
    <mat-dialog-content>
      <p>{{ data.message }}</p>
      @if (data.typeToConfirm) {
        <mat-form-field appearance="outline" class="full">
          <mat-label>Type {{ data.typeToConfirm }} to confirm</mat-label>
          <input matInput [ngModel]="typed()" (ngModelChange)="typed.set($event)" autocomplete="off" />
        </mat-form-field>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="false">Cancel</button>
      <button mat-flat-button type="button" [class.danger]="data.danger" [disabled]="data.typeToConfirm && typed() !== data.typeToConfirm" [mat-dialog-close]="true">
        {{ data.confirmLabel }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .full { width: 100%; }
    .danger { --mat-button-filled-container-color: var(--mat-sys-error); --mat-button-filled-label-text-color: var(--mat-sys-on-error); }
  `,
})
export class ConfirmDialog {
  protected readonly data = inject<ConfirmOptions>(MAT_DIALOG_DATA);
  protected readonly typed = signal('');
}

/** Asks, and resolves true only when the user confirmed. */
export function confirm(dialog: MatDialog, options: ConfirmOptions): Promise<boolean> {
  return firstValueFrom(dialog.open(ConfirmDialog, { data: options, width: '440px' }).afterClosed()).then((answer) => answer === true);
}
