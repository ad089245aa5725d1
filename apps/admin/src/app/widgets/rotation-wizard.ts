import { afterNextRender, Component, computed, ElementRef, inject, Injector, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatStepperModule } from '@angular/material/stepper';
import { secretProblem, type SecretVersion, type Widget } from '@keyring/contracts';
import { secretFingerprint } from '@keyring/signing';
import { Api } from '../core/api';
import { problemOf } from '../core/problem';

/**
 * What is wrong with a pasted secret, said before sending it (the API's own rule, from libs/contracts); it is never
 * trimmed or changed for the user.
 */
export function pastedSecretWarning(secret: string): string | null {
  return secret.length === 0 ? null : secretProblem(secret);
}

/**
 * Two ways in for a key, in three steps: where to look in Huggy, the paste (checked, never altered), and the
 * fingerprint to compare before activating. Without an active key it imports the widget's current one (no refresh);
 * with one it rotates (refresh in Huggy, the current version kept for rollback). Active once step 3 is confirmed.
 */
@Component({
  selector: 'kr-rotation-wizard',
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatStepperModule],
  template: `
    <mat-stepper linear orientation="vertical" #stepper (selectionChange)="focusAfterRender()">
      <mat-step [label]="importing() ? 'Copy the current key from Huggy' : 'Get the new key from Huggy'" [completed]="true">
        <ol class="huggy-steps">
          <li>Open the Huggy panel and go to <strong>Settings → Channels → Widget</strong>.</li>
          <li>Open the chat of this widget{{ widget().huggyWidgetUuid ? ' (' + widget().huggyWidgetUuid + ')' : '' }}.</li>
          @if (importing()) {
            <li>Copy the key shown there. Do <strong>not</strong> click Refresh Key: the widget keeps working as it is.</li>
          } @else {
            <li>Click <strong>Refresh Key</strong>, then copy the new key.</li>
          }
        </ol>
        @if (importing()) {
          <p class="muted">Keyring stores the key the widget uses today as version 1; nothing changes for its visitors.</p>
          <button mat-flat-button matStepperNext type="button">I have copied the current key</button>
        } @else {
          <p class="muted">As soon as Huggy refreshes the key, visitors signed with the old one stop being recognised: finish these steps right away.</p>
          <button mat-flat-button matStepperNext type="button">I have copied the new key</button>
        }
      </mat-step>
      <mat-step label="Paste the key" [completed]="pasteOk()">
        <mat-form-field class="full">
          <mat-label>{{ importing() ? 'Current widget key' : 'New widget key' }}</mat-label>
          <textarea matInput rows="2" class="mono" [ngModel]="secret()" (ngModelChange)="secret.set($event)" autocomplete="off" spellcheck="false" data-testid="secret-input"></textarea>
        </mat-form-field>
        @if (warning(); as warning) {
          <p class="form-error" role="alert" data-testid="secret-warning">{{ warning }}</p>
        }
        <button mat-button matStepperPrevious type="button">Back</button>
        <button mat-flat-button type="button" [disabled]="!pasteOk()" (click)="checkFingerprint(); stepper.next()">Continue</button>
      </mat-step>
      <mat-step label="Check and activate">
        <p>Fingerprint of the pasted key:</p>
        <p class="fingerprint mono" data-testid="pasted-fingerprint">{{ fingerprint() ?? '…' }}</p>
        @if (importing()) {
          <!-- No earlier version to fall back on: promise none. -->
          <p class="muted" data-testid="activation-note">Activating makes this key version {{ nextVersion() }}, the one that signs userHashes.</p>
        } @else {
          <p class="muted" data-testid="activation-note">
            Activating makes this key version {{ nextVersion() }}; version {{ widget().activeSecret?.version }} stays available for rollback and for verifying tokens issued just before.
          </p>
        }
        @if (message()) {
          <p class="form-error" role="alert">{{ message() }}</p>
        }
        <button mat-button matStepperPrevious type="button">Back</button>
        <button mat-flat-button type="button" [disabled]="busy() || !fingerprint()" (click)="activate()">Activate version {{ nextVersion() }}</button>
      </mat-step>
    </mat-stepper>
  `,
  styles: `
    .full { width: 100%; }
    .fingerprint { font-size: 1.25rem; letter-spacing: 0.05em; }
    .huggy-steps li { margin: 4px 0; }
  `,
})
export class RotationWizard {
  private readonly api = inject(Api);
  private readonly host: HTMLElement = inject(ElementRef).nativeElement;

  private readonly injector = inject(Injector);

  constructor() {
    this.focusAfterRender();
  }

  /**
   * Focus follows the wizard: into it when it opens, and to the current step after each move, instead of falling
   * to the page when the button just pressed is hidden with its step.
   */
  protected focusAfterRender(): void {
    afterNextRender(() => this.host.querySelector<HTMLElement>('.mat-step-header[aria-current="step"]')?.focus(), { injector: this.injector });
  }
  readonly orgId = input.required<string>();
  readonly widget = input.required<Widget>();
  /** The highest version ever stored (destroyed ones included), to name the next one. */
  readonly latestVersion = input(0);
  readonly activated = output<SecretVersion>();
  protected readonly secret = signal('');
  protected readonly fingerprint = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly message = signal<string | null>(null);
  protected readonly warning = computed(() => pastedSecretWarning(this.secret()));
  protected readonly pasteOk = computed(() => this.secret().length > 0 && this.warning() === null);
  protected readonly nextVersion = computed(() => this.latestVersion() + 1);
  /** No active key yet: bring in the one the widget already uses (refreshing it in Huggy would break the live widget). */
  protected readonly importing = computed(() => !this.widget().activeSecret);

  async checkFingerprint(): Promise<void> {
    this.fingerprint.set(null);
    this.fingerprint.set(await secretFingerprint(this.widget().id, this.secret()));
  }

  async activate(): Promise<void> {
    this.busy.set(true);
    this.message.set(null);
    try {
      const version = await this.api.post<SecretVersion>(`/orgs/${this.orgId()}/widgets/${this.widget().id}/secret-versions`, {
        secret: this.secret(),
        expectedActiveVersion: this.widget().activeSecret?.version ?? 0,
      });
      this.secret.set('');
      this.activated.emit(version);
    } catch (error) {
      this.message.set(problemOf(error).message);
    } finally {
      this.busy.set(false);
    }
  }
}
