import { DatePipe } from '@angular/common';
import { afterNextRender, Component, computed, ElementRef, inject, Injector, input, resource, signal, viewChild } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTabsModule } from '@angular/material/tabs';
import { Router, RouterLink } from '@angular/router';
import type { SecretVersion, TestUserHash, Widget } from '@keyring/contracts';
import { Api } from '../core/api';
import { Session } from '../core/session';
import { runAction } from '../shared/actions';
import { confirm } from '../shared/confirm-dialog';
import { ListState } from '../shared/list-state';
import { Submission } from '../shared/submission';
import { backendSnippets } from './backend-snippets';
import { RevealSecret, type RevealData } from './reveal-secret';
import { RotationWizard } from './rotation-wizard';
import { SnippetBlock } from './snippet-block';
import { TokenPolicy } from './token-policy';
import { WIDGET_DIALOG_WIDTH, WidgetFormDialog } from './widget-form-dialog';
import { loaded } from '../shared/loaded';

/** One widget: its secret and history, rotation, rollback, reveal, destroy, a test userHash and the snippets. */
@Component({
  selector: 'kr-widget-page',
  imports: [
    DatePipe, FormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatIconModule, MatInputModule, MatTableModule, MatTabsModule, RouterLink,
    ListState, RotationWizard, SnippetBlock, TokenPolicy,
  ],
  template: `
    <kr-list-state [of]="widget" [isEmpty]="never" [back]="{ label: 'Back to the widgets', link: ['/orgs', orgId(), 'widgets'] }">
      @if (loaded(widget); as w) {
        <div class="page-header">
          <h1>{{ w.name }}</h1>
          <a class="muted" [routerLink]="['/orgs', orgId(), 'tenants', w.tenantId]">{{ w.tenantName }}</a>
          @if (w.archivedAt) {
            <span class="chip bad">Archived</span>
          }
          @if (session.can('widgets:write') && !w.archivedAt) {
            <button mat-stroked-button type="button" (click)="edit(w)"><mat-icon>edit</mat-icon>Edit</button>
            <button mat-stroked-button type="button" (click)="archive(w)"><mat-icon>archive</mat-icon>Archive</button>
          }
        </div>
        <p class="muted">Widget id <span class="mono">{{ w.id }}</span></p>
        @if (w.rotationRequestedAt) {
          <p class="warning-box" role="status" data-testid="widget-rotation-requested">
            Rotation requested {{ w.rotationRequestedAt | date: 'medium' }}: someone who left saw this secret. Refresh the key in the Huggy panel and
            rotate it here; the request clears when the new secret is stored.
          </p>
        }

        <mat-card appearance="outlined" class="secret-card">
          <mat-card-content>
            @if (w.activeSecret; as active) {
              <div class="secret-status" data-testid="secret-status">
                <div><span class="label">Active version</span><span class="value" data-testid="active-version">{{ active.version }}</span></div>
                <div><span class="label">Fingerprint</span><span class="value mono" data-testid="active-fingerprint">{{ active.fingerprint }}</span></div>
                <div><span class="label">Age</span><span class="value">{{ ageInDays(active.activatedAt) }} days</span></div>
                <div><span class="label">Activated</span><span class="value">{{ active.activatedAt | date: 'medium' }}</span></div>
              </div>
            } @else {
              <p data-testid="secret-status"><strong>No secret yet.</strong> Import the key the widget uses today from the Huggy panel to start issuing userHashes.</p>
            }
            @if (session.can('secrets:rotate') && !w.archivedAt) {
              @if (rotating()) {
                <kr-rotation-wizard [orgId]="orgId()" [widget]="w" [latestVersion]="latestVersion()" (activated)="rotated($event)" />
                <button mat-button type="button" (click)="closeWizard()">Cancel</button>
              } @else {
                <button mat-flat-button type="button" #rotateTrigger (click)="rotating.set(true)"><mat-icon>{{ w.activeSecret ? 'autorenew' : 'key' }}</mat-icon>{{ w.activeSecret ? 'Rotate secret' : 'Import the current key' }}</button>
              }
            }
          </mat-card-content>
        </mat-card>

        <h2>Token policy</h2>
        <kr-token-policy [orgId]="orgId()" [widget]="w" [editable]="session.can('widgets:write') && !w.archivedAt" (saved)="widget.set($event)" />

        <h2>Version history</h2>
        <kr-list-state [of]="versions" empty="No version yet.">
          <table mat-table [dataSource]="loaded(versions)?.items ?? []" data-testid="versions">
            <ng-container matColumnDef="version">
              <th mat-header-cell *matHeaderCellDef>Version</th>
              <td mat-cell *matCellDef="let v">{{ v.version }}</td>
            </ng-container>
            <ng-container matColumnDef="state">
              <th mat-header-cell *matHeaderCellDef>State</th>
              <td mat-cell *matCellDef="let v"><span class="chip" [class.ok]="v.state === 'active'" [class.bad]="v.state === 'destroyed'">{{ v.state }}</span></td>
            </ng-container>
            <ng-container matColumnDef="fingerprint">
              <th mat-header-cell *matHeaderCellDef>Fingerprint</th>
              <td mat-cell *matCellDef="let v" class="mono fingerprint">{{ v.fingerprint }}</td>
            </ng-container>
            <ng-container matColumnDef="created">
              <th mat-header-cell *matHeaderCellDef>Added</th>
              <td mat-cell *matCellDef="let v">{{ v.createdAt | date: 'medium' }}<br /><span class="muted">{{ v.createdBy?.email }}</span></td>
            </ng-container>
            <ng-container matColumnDef="actions">
              <th mat-header-cell *matHeaderCellDef><span class="cdk-visually-hidden">Actions</span></th>
              <td mat-cell *matCellDef="let v">
                @if (v.state !== 'destroyed') {
                  @if (session.can('secrets:reveal')) {
                    <button mat-button type="button" (click)="reveal(v)">Reveal</button>
                  }
                  @if (session.can('secrets:rotate') && v.state !== 'active') {
                    <button mat-button type="button" (click)="rollback(v)">Roll back to v{{ v.version }}</button>
                  }
                  @if (session.can('secrets:destroy') && v.state !== 'active') {
                    <button mat-button type="button" class="danger-text" (click)="destroy(v)">Destroy</button>
                  }
                }
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="versionColumns"></tr>
            <tr mat-row *matRowDef="let row; columns: versionColumns" [attr.data-version]="row.version"></tr>
          </table>
        </kr-list-state>

        @if (session.can('user-hash:test') && w.activeSecret) {
          <h2>Test a userHash</h2>
          <form class="toolbar-row" (ngSubmit)="test()">
            <mat-form-field class="grow">
              <mat-label>User identifier (e.g. the visitor's email)</mat-label>
              <input matInput name="userIdentifier" [ngModel]="userIdentifier()" (ngModelChange)="userIdentifier.set($event)" />
            </mat-form-field>
            <button mat-stroked-button type="submit" [disabled]="!userIdentifier()">Sign</button>
          </form>
          @if (testing.message()) {
            <p class="form-error" role="alert">{{ testing.message() }}</p>
          }
          @if (tested(); as result) {
            <p>userHash (key version {{ result.keyVersion }}):</p>
            <kr-snippet title="userHash" [code]="result.userHash" />
            <kr-snippet title="Widget snippet (huggyData)" [code]="result.snippets.huggyData" />
            <kr-snippet title="Sign in after the page loaded (Huggy.login)" [code]="result.snippets.huggyLogin" />
            <kr-snippet title="Sign out (Huggy.logout + Huggy.init)" [code]="result.snippets.huggyLogout" />
          }
        }

        <h2>Call Keyring from the client's backend</h2>
        <p class="muted">With an <a [routerLink]="['/orgs', orgId(), 'tenants', w.tenantId]">API key</a> of this tenant in <span class="mono">KEYRING_API_KEY</span>:</p>
        <mat-tab-group>
          @for (snippet of backend(); track snippet.label) {
            <mat-tab [label]="snippet.label"><kr-snippet [title]="snippet.label" [code]="snippet.code" /></mat-tab>
          }
        </mat-tab-group>
      }
    </kr-list-state>
  `,
  styles: `
    .secret-card { margin-bottom: 8px; }
    .secret-status { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; margin-bottom: 16px; }
    .label { display: block; font: var(--mat-sys-label-medium); color: var(--mat-sys-on-surface-variant); }
    .value { font: var(--mat-sys-title-medium); }
    .grow { flex: 1; min-width: 280px; }
    .danger-text { color: var(--mat-sys-error); }
  `,
})
export class WidgetPage {
  protected readonly loaded = loaded;
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  protected readonly session = inject(Session);
  readonly orgId = input.required<string>();
  readonly widgetId = input.required<string>();
  protected readonly versionColumns = ['version', 'state', 'fingerprint', 'created', 'actions'];
  protected readonly rotating = signal(false);
  private readonly rotateTrigger = viewChild<ElementRef<HTMLButtonElement>>('rotateTrigger');
  private readonly injector = inject(Injector);
  protected readonly userIdentifier = signal('');
  protected readonly tested = signal<TestUserHash | null>(null);
  protected readonly testing = new Submission();

  protected readonly widget = resource({
    params: () => ({ orgId: this.orgId(), widgetId: this.widgetId() }),
    loader: ({ params }) => this.api.get<Widget>(`/orgs/${params.orgId}/widgets/${params.widgetId}`),
  });
  protected readonly versions = resource({
    params: () => ({ orgId: this.orgId(), widgetId: this.widgetId() }),
    loader: ({ params }) => this.api.get<{ items: SecretVersion[] }>(`/orgs/${params.orgId}/widgets/${params.widgetId}/secret-versions`),
  });
  protected readonly latestVersion = computed(() => Math.max(0, ...(loaded(this.versions)?.items ?? []).map((v) => v.version)));
  protected readonly backend = computed(() => backendSnippets(location.origin, this.widgetId()));

  protected readonly never = () => false;

  protected ageInDays(activatedAt: string): number {
    return Math.floor((Date.now() - new Date(activatedAt).getTime()) / 86_400_000);
  }

  /** Closes the wizard and gives the focus back to the button that opened it. */
  protected closeWizard(): void {
    this.rotating.set(false);
    afterNextRender(() => this.rotateTrigger()?.nativeElement.focus(), { injector: this.injector });
  }

  protected rotated(version: SecretVersion): void {
    this.closeWizard();
    this.snackBar.open(`Version ${version.version} is active (fingerprint ${version.fingerprint}).`, undefined, { duration: 5000 });
    this.reload();
  }

  protected reveal(version: SecretVersion): void {
    const data: RevealData = { orgId: this.orgId(), widgetId: this.widgetId(), version: version.version };
    this.dialog.open(RevealSecret, { data, width: '520px' });
  }

  protected async rollback(version: SecretVersion): Promise<void> {
    const confirmed = await confirm(this.dialog, {
      title: `Roll back to version ${version.version}?`,
      message: `Version ${version.version} (${version.fingerprint}) becomes the active key at once. Make sure the Huggy panel has this key too.`,
      confirmLabel: `Activate version ${version.version}`,
    });
    if (confirmed) await this.act(() => this.api.post(`/orgs/${this.orgId()}/widgets/${this.widgetId()}/secret-versions/${version.version}/activate`), `Version ${version.version} is active again.`);
  }

  protected async destroy(version: SecretVersion): Promise<void> {
    const confirmed = await confirm(this.dialog, {
      title: `Destroy version ${version.version}?`,
      message: 'Its encrypted key is erased for good: it can never be revealed, rolled back to or used to verify tokens again.',
      confirmLabel: 'Destroy for good',
      typeToConfirm: 'destroy',
      danger: true,
    });
    if (confirmed) await this.act(() => this.api.delete(`/orgs/${this.orgId()}/widgets/${this.widgetId()}/secret-versions/${version.version}`), `Version ${version.version} destroyed.`);
  }

  protected edit(widget: Widget): void {
    this.dialog
      .open(WidgetFormDialog, { data: { orgId: this.orgId(), widget }, width: WIDGET_DIALOG_WIDTH })
      .afterClosed()
      .subscribe((saved?: Widget) => saved && this.widget.reload());
  }

  protected async archive(widget: Widget): Promise<void> {
    const confirmed = await confirm(this.dialog, {
      title: `Archive ${widget.name}?`,
      message: 'The tenant API stops signing for it. Its history stays in the audit log.',
      confirmLabel: 'Archive',
      danger: true,
    });
    if (confirmed) {
      await this.act(() => this.api.post(`/orgs/${this.orgId()}/widgets/${widget.id}/archive`), `${widget.name} archived.`);
      await this.router.navigate(['/orgs', this.orgId(), 'widgets']);
    }
  }

  protected async test(): Promise<void> {
    this.tested.set(null);
    await this.testing.run(async () =>
      this.tested.set(await this.api.post<TestUserHash>(`/orgs/${this.orgId()}/widgets/${this.widgetId()}/test-user-hash`, { userIdentifier: this.userIdentifier() })),
    );
  }

  private async act(call: () => Promise<unknown>, done: string): Promise<void> {
    await runAction(this.snackBar, call, done);
    this.reload();
  }

  private reload(): void {
    this.widget.reload();
    this.versions.reload();
  }
}
