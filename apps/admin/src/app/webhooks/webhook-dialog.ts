import { Component, inject } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { WEBHOOK_EVENT_TYPES, type Webhook, type WebhookEventType, type WebhookWithSecret } from '@keyring/contracts';
import { Api } from '../core/api';
import { errorText } from '../shared/forms';
import { Submission } from '../shared/submission';

/** What each event type means, beside its checkbox. */
const EVENT_WORDS: Record<WebhookEventType, string> = {
  'secret.rotated': 'a widget secret was rotated',
  'secret.rolled_back': 'a rotation was rolled back',
  'secret.revealed': 'a secret was revealed',
  'secret.destroyed': 'a secret version was destroyed',
  'secret.rotation_due': 'a secret is past the rotation policy',
  'api_key.created': 'an API key was created',
  'api_key.revoked': 'an API key was revoked',
  'api_key.expiring': 'an API key expires within 7 days',
  'member.added': 'a member joined',
  'member.removed': 'a member was removed',
  'tenant.archived': 'a tenant was archived',
  'audit.checkpoint': 'the audit log signed a checkpoint',
};

/**
 * Creates a webhook (its secret is then shown by the page, once) or changes one: URL, description and events.
 * Closes with the API's answer.
 */
@Component({
  selector: 'kr-webhook-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatCheckboxModule, MatDialogModule, MatFormFieldModule, MatInputModule],
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <h2 mat-dialog-title>{{ data.webhook ? 'Edit webhook' : 'New webhook' }}</h2>
      <mat-dialog-content class="stack">
        <mat-form-field>
          <mat-label>Endpoint URL</mat-label>
          <input matInput formControlName="url" type="url" autocomplete="off" placeholder="https://hooks.example.com/keyring" />
          <mat-hint>Keyring POSTs signed JSON events here. Internal addresses are refused in production.</mat-hint>
          <mat-error>{{ error('url') }}</mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>Description (optional)</mat-label>
          <input matInput formControlName="description" autocomplete="off" />
          <mat-error>{{ error('description') }}</mat-error>
        </mat-form-field>
        <fieldset formGroupName="events">
          <legend>Events</legend>
          @for (type of types; track type) {
            <mat-checkbox [formControlName]="type"><span class="mono">{{ type }}</span> <span class="muted">— {{ words[type] }}</span></mat-checkbox>
          }
        </fieldset>
        @if (noEvent()) {
          <p class="form-error" role="alert">Choose at least one event.</p>
        }
        @if (submission.message()) {
          <p class="form-error" role="alert">{{ submission.message() }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="submission.busy()">{{ data.webhook ? 'Save' : 'Create webhook' }}</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .stack { display: flex; flex-direction: column; gap: 8px; }
    fieldset { border: 1px solid var(--mat-sys-outline-variant); border-radius: 4px; display: flex; flex-direction: column; }
  `,
})
export class WebhookDialog {
  protected readonly data = inject<{ orgId: string; webhook?: Webhook }>(MAT_DIALOG_DATA);
  private readonly api = inject(Api);
  private readonly dialogRef = inject<MatDialogRef<WebhookDialog, Webhook | WebhookWithSecret>>(MatDialogRef);
  private readonly builder = inject(FormBuilder).nonNullable;
  protected readonly types = WEBHOOK_EVENT_TYPES;
  protected readonly words = EVENT_WORDS;
  protected readonly form = this.builder.group({
    url: [this.data.webhook?.url ?? '', Validators.required],
    description: [this.data.webhook?.description ?? ''],
    events: this.builder.group(Object.fromEntries(WEBHOOK_EVENT_TYPES.map((type) => [type, this.data.webhook?.events.includes(type) ?? false])) as Record<WebhookEventType, boolean>),
  });
  protected readonly submission = new Submission(this.form);

  protected error(field: string): string {
    return errorText(this.form, field);
  }

  protected noEvent(): boolean {
    return this.form.touched && this.chosen().length === 0;
  }

  private chosen(): WebhookEventType[] {
    const events = this.form.controls.events.getRawValue();
    return WEBHOOK_EVENT_TYPES.filter((type) => events[type]);
  }

  submit(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.chosen().length === 0) return Promise.resolve();
    const { url, description } = this.form.getRawValue();
    const body = { url: url.trim(), description: description.trim(), events: this.chosen() };
    const path = `/orgs/${this.data.orgId}/webhooks`;
    return this.submission.run(async () => {
      const saved = this.data.webhook ? await this.api.patch<Webhook>(`${path}/${this.data.webhook.id}`, body) : await this.api.post<WebhookWithSecret>(path, body);
      this.dialogRef.close(saved);
    });
  }
}
