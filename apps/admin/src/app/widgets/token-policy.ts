import { Component, computed, effect, inject, input, output } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { UserHashClaims, Widget } from '@keyring/contracts';
import { Api } from '../core/api';
import { errorText } from '../shared/forms';
import { Submission } from '../shared/submission';

/** Each choice of claims in a userHash, and what it asks of the client's backend. */
export const TOKEN_POLICIES: { claims: UserHashClaims; label: string; backend: string }[] = [
  { claims: 'jti', label: 'jti (a unique id)', backend: 'Nothing to change: a userHash can be stored and reused for the visitor.' },
  {
    claims: 'jti+iat',
    label: 'jti + iat (and the time of issue)',
    backend: 'The client’s backend should ask Keyring for a fresh userHash at each sign-in or page load rather than store one.',
  },
  {
    claims: 'jti+iat+exp',
    label: 'jti + iat + exp (and an expiry)',
    backend: 'The client’s backend must ask Keyring for a new userHash before the previous one expires (at each page load is simplest): a stored one stops working after the lifetime set here.',
  },
];

/** The claims of the userHashes Keyring signs for one widget. */
@Component({
  selector: 'kr-token-policy',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule],
  template: `
    <form class="toolbar-row" [formGroup]="form" (ngSubmit)="save()" novalidate aria-label="Token policy">
      <mat-form-field class="claims">
        <mat-label>Claims in each userHash</mat-label>
        <mat-select formControlName="claims">
          @for (policy of policies; track policy.claims) {
            <mat-option [value]="policy.claims">{{ policy.label }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      @if (claims() === 'jti+iat+exp') {
        <mat-form-field>
          <mat-label>Lifetime (seconds)</mat-label>
          <input matInput type="number" min="1" formControlName="ttlSeconds" />
          <mat-error>{{ errorText(form, 'ttlSeconds', { min: 'At least 1 second.', max: 'At most a year.' }) }}</mat-error>
        </mat-form-field>
      }
      @if (editable()) {
        <button mat-stroked-button type="submit" [disabled]="saving.busy() || form.pristine">Save the policy</button>
      }
    </form>
    <p class="note-box" data-testid="token-policy-backend">{{ backend() }}</p>
    @if (saving.message()) {
      <p class="form-error" role="alert">{{ saving.message() }}</p>
    }
  `,
  styles: '.claims { min-width: min(340px, 100%); }',
})
export class TokenPolicy {
  private readonly api = inject(Api);
  protected readonly errorText = errorText;
  protected readonly policies = TOKEN_POLICIES;
  readonly orgId = input.required<string>();
  readonly widget = input.required<Widget>();
  readonly editable = input(false);
  readonly saved = output<Widget>();
  protected readonly form = inject(FormBuilder).nonNullable.group({
    claims: ['jti' as UserHashClaims, Validators.required],
    ttlSeconds: [3600, [Validators.required, Validators.min(1), Validators.max(31_536_000)]],
  });
  protected readonly saving = new Submission(this.form);
  protected readonly claims = toSignal(this.form.controls.claims.valueChanges, { initialValue: this.form.controls.claims.value });
  protected readonly backend = computed(() => TOKEN_POLICIES.find((policy) => policy.claims === this.claims())?.backend);

  constructor() {
    effect(() => {
      const { claims, ttlSeconds } = this.widget().tokenPolicy;
      this.form.reset({ claims, ttlSeconds: ttlSeconds ?? 3600 });
      if (this.editable()) this.form.enable();
      else this.form.disable();
    });
    // The lifetime counts only with an expiry: disabled (so neither checked nor sent) otherwise.
    effect(() => {
      const ttl = this.form.controls.ttlSeconds;
      if (this.claims() === 'jti+iat+exp' && this.editable()) ttl.enable({ emitEvent: false });
      else ttl.disable({ emitEvent: false });
    });
  }

  protected save(): Promise<void> {
    return this.saving.run(async () => {
      const tokenPolicy = this.form.value;
      this.saved.emit(await this.api.patch<Widget>(`/orgs/${this.orgId()}/widgets/${this.widget().id}`, { tokenPolicy }));
      this.form.markAsPristine();
    });
  }
}
