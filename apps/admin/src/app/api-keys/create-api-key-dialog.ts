import { Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { ApiKey, ApiKeyScope, TenantRef } from '@keyring/contracts';
import { Api } from '../core/api';
import { CopyButton } from '../shared/copy-button';
import { errorText, NAME_VALIDATORS } from '../shared/forms';
import { Submission } from '../shared/submission';
import { TenantPicker } from '../tenants/tenant-picker';

export interface CreateApiKeyData {
  orgId: string;
  /** The tenant of the client page the dialog was opened from: fixed, not chosen. */
  tenant?: TenantRef;
}

/** Name, tenant, scopes and expiry; then the key, shown this once. */
@Component({
  selector: 'kr-create-api-key-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatCheckboxModule, MatDialogModule, MatFormFieldModule, MatInputModule, MatSelectModule, CopyButton, TenantPicker],
  template: `
    @if (created(); as created) {
      <h2 mat-dialog-title>API key created</h2>
      <mat-dialog-content>
        <p class="warning-box" role="alert"><strong>Copy this key now.</strong> Keyring keeps only a hash of it: it will never be shown again. Store it in the client's backend as a secret (e.g. KEYRING_API_KEY).</p>
        <div class="key-row"><span class="mono key" data-testid="new-api-key">{{ created.key }}</span><kr-copy-button [value]="created.key" secret label="Copy the API key" /></div>
      </mat-dialog-content>
      <mat-dialog-actions align="end"><button mat-flat-button type="button" [mat-dialog-close]="true">I have stored the key</button></mat-dialog-actions>
    } @else {
      <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
        <h2 mat-dialog-title>New API key</h2>
        <mat-dialog-content class="stack">
          <mat-form-field>
            <mat-label>Name</mat-label>
            <input matInput formControlName="name" autocomplete="off" />
            <mat-hint>Where it will be used, e.g. "Client X production backend".</mat-hint>
            <mat-error>{{ error('name') }}</mat-error>
          </mat-form-field>
          @if (data.tenant; as tenant) {
            <p>For <strong>{{ tenant.name }}</strong>: it signs for this tenant's widgets only.</p>
          } @else {
            <!-- No tenant chosen in advance: a key made for the wrong client would sign for its widgets. -->
            <kr-tenant-picker formControlName="tenantId" [orgId]="data.orgId" />
            @if (form.controls.tenantId.touched && form.controls.tenantId.invalid) {
              <p class="form-error" role="alert">Choose the tenant from the list.</p>
            }
          }
          <fieldset>
            <legend>Scopes</legend>
            <mat-checkbox formControlName="issue">Issue userHashes (user-hash:issue)</mat-checkbox>
            <mat-checkbox formControlName="verify">Verify userHashes (user-hash:verify)</mat-checkbox>
          </fieldset>
          <mat-form-field>
            <mat-label>Expires on (optional)</mat-label>
            <input matInput type="date" formControlName="expiresOn" />
            <mat-error>{{ error('expiresAt') }}</mat-error>
          </mat-form-field>
          @if (submission.message()) {
            <p class="form-error" role="alert">{{ submission.message() }}</p>
          }
        </mat-dialog-content>
        <mat-dialog-actions align="end">
          <button mat-button type="button" mat-dialog-close>Cancel</button>
          <button mat-flat-button type="submit" [disabled]="submission.busy()">Create key</button>
        </mat-dialog-actions>
      </form>
    }
  `,
  styles: `
    .stack { display: flex; flex-direction: column; gap: 8px; }
    fieldset { border: 1px solid var(--mat-sys-outline-variant); border-radius: 4px; display: flex; flex-direction: column; }
    .key-row { display: flex; align-items: center; gap: 8px; }
    .key { flex: 1; padding: 8px; background: var(--mat-sys-surface-container); border-radius: 4px; }
  `,
})
export class CreateApiKeyDialog {
  protected readonly data = inject<CreateApiKeyData>(MAT_DIALOG_DATA);
  private readonly api = inject(Api);
  protected readonly created = signal<{ apiKey: ApiKey; key: string } | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    name: ['', NAME_VALIDATORS],
    tenantId: [this.data.tenant?.id ?? '', Validators.required],
    issue: [true],
    verify: [false],
    expiresOn: [''],
  });

  protected error(field: string): string {
    return errorText(this.form, field);
  }

  protected readonly submission = new Submission(this.form);

  submit(): Promise<void> {
    const { name, tenantId, issue, verify, expiresOn } = this.form.getRawValue();
    const scopes: ApiKeyScope[] = [...(issue ? ['user-hash:issue' as const] : []), ...(verify ? ['user-hash:verify' as const] : [])];
    // The API says "scopes must name at least one scope" too; the form says it in its own words.
    const expiresAt = expiresOn ? new Date(`${expiresOn}T23:59:59`).toISOString() : undefined;
    return this.submission.run(async () => this.created.set(await this.api.post(`/orgs/${this.data.orgId}/api-keys`, { name, tenantId, scopes, ...(expiresAt && { expiresAt }) })));
  }
}
