import { Component, effect, inject, input, resource } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { OrganizationSettings } from '@keyring/contracts';
import { AuditStreams } from '../audit-streams/audit-streams';
import { Api } from '../core/api';
import { Session } from '../core/session';
import { errorText } from '../shared/forms';
import { ListState } from '../shared/list-state';
import { loaded } from '../shared/loaded';
import { Submission } from '../shared/submission';

/** The organization's settings: the rotation policy, which the dashboard's "needs attention" follows, and audit streaming. */
@Component({
  selector: 'kr-settings',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, ListState, AuditStreams],
  template: `
    <div class="page-header"><h1>Settings</h1></div>
    <h2>Rotation policy</h2>
    <p class="muted">A widget whose active secret is older than this is listed under “Needs attention” on the dashboard until it is rotated.</p>
    <kr-list-state [of]="settings" [isEmpty]="never">
      @if (loaded(settings)) {
        <form class="toolbar-row" [formGroup]="form" (ngSubmit)="save()" novalidate>
          <mat-form-field class="days">
            <mat-label>Rotate every secret within (days)</mat-label>
            <input matInput type="number" min="1" max="3650" formControlName="rotationMaxAgeDays" [readonly]="!canManage()" />
            <mat-error>{{ errorText(form, 'rotationMaxAgeDays', { min: 'At least 1 day.', max: 'At most 3650 days.' }) }}</mat-error>
            @if (!canManage()) {
              <mat-hint>Only an owner can change it.</mat-hint>
            }
          </mat-form-field>
          @if (canManage()) {
            <button mat-flat-button type="submit" [disabled]="saving.busy()">Save</button>
          }
        </form>
        @if (saving.message()) {
          <p class="form-error" role="alert">{{ saving.message() }}</p>
        }
      }
    </kr-list-state>
    @if (canReadAudit()) {
      <kr-audit-streams [orgId]="orgId()" />
    }
  `,
  styles: '.days { width: 300px; max-width: 100%; }', // room for the whole label
})
export class Settings {
  private readonly api = inject(Api);
  private readonly snackBar = inject(MatSnackBar);
  private readonly session = inject(Session);
  protected readonly loaded = loaded;
  protected readonly errorText = errorText;
  protected readonly never = () => false;
  readonly orgId = input.required<string>();
  protected readonly canManage = () => this.session.can('settings:manage');
  /** Audit streams are shown to those who may read the audit log they carry. */
  protected readonly canReadAudit = () => this.session.can('audit:read');
  protected readonly form = inject(FormBuilder).nonNullable.group({ rotationMaxAgeDays: [90, [Validators.required, Validators.min(1), Validators.max(3650)]] });
  protected readonly saving = new Submission(this.form);
  protected readonly settings = resource({ params: () => this.orgId(), loader: ({ params }) => this.api.get<OrganizationSettings>(`/orgs/${params}/settings`) });

  constructor() {
    effect(() => {
      const current = loaded(this.settings);
      if (current) this.form.reset(current);
    });
  }

  protected save(): Promise<void> {
    return this.saving.run(async () => {
      const saved = await this.api.patch<OrganizationSettings>(`/orgs/${this.orgId()}/settings`, this.form.getRawValue());
      this.settings.set(saved);
      this.snackBar.open(`Secrets are now due for rotation after ${saved.rotationMaxAgeDays} days.`, undefined, { duration: 4000 });
    });
  }
}
