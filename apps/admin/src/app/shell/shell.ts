import { BreakpointObserver } from '@angular/cdk/layout';
import { Component, computed, inject, viewChild } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatMenuModule } from '@angular/material/menu';
import { MatSelectModule } from '@angular/material/select';
import { MatSidenav, MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';
import { Api } from '../core/api';
import { Session } from '../core/session';

/** The signed-in frame: organization switcher, navigation of the current organization, and the user's menu. */
@Component({
  selector: 'kr-shell',
  imports: [MatButtonModule, MatIconModule, MatListModule, MatMenuModule, MatSelectModule, MatSidenavModule, MatToolbarModule, RouterLink, RouterLinkActive, RouterOutlet],
  template: `
    <a class="skip-link" href="#main" (click)="skipToContent($event)">Skip to content</a>
    <mat-toolbar class="app-toolbar">
      @if (compact()) {
        <button mat-icon-button type="button" aria-label="Menu" [attr.aria-expanded]="nav.opened" aria-controls="sections" (click)="nav.toggle()"><mat-icon>menu</mat-icon></button>
      }
      <a class="brand" routerLink="/">Keyring</a>
      @if (session.memberships().length > 0) {
        <mat-select class="org-switcher" aria-label="Organization" [value]="session.membership()?.organizationId" (valueChange)="switchTo($event)">
          @for (membership of session.memberships(); track membership.organizationId) {
            <mat-option [value]="membership.organizationId">{{ membership.organizationName }}</mat-option>
          }
        </mat-select>
        <span class="role">{{ session.membership()?.role }}</span>
      }
      <span class="spacer"></span>
      <button mat-button [matMenuTriggerFor]="userMenu" [attr.aria-label]="'Account ' + (session.user()?.email ?? '')">
        <mat-icon>account_circle</mat-icon>
        <span class="email">{{ session.user()?.email }}</span>
      </button>
      <mat-menu #userMenu="matMenu">
        <a mat-menu-item routerLink="/profile"><mat-icon>manage_accounts</mat-icon>Profile and security</a>
        <button mat-menu-item type="button" (click)="signOut()"><mat-icon>logout</mat-icon>Sign out</button>
      </mat-menu>
    </mat-toolbar>
    <mat-sidenav-container class="frame">
      <mat-sidenav #nav id="sections" class="nav" [mode]="compact() ? 'over' : 'side'" [opened]="!compact()">
        @if (base(); as base) {
          <mat-nav-list aria-label="Sections">
            <a mat-list-item [routerLink]="[base, 'dashboard']" routerLinkActive="active" ariaCurrentWhenActive="page"><mat-icon matListItemIcon>space_dashboard</mat-icon>Dashboard</a>
            <a mat-list-item [routerLink]="[base, 'tenants']" routerLinkActive="active" ariaCurrentWhenActive="page"><mat-icon matListItemIcon>business</mat-icon>Tenants</a>
            <a mat-list-item [routerLink]="[base, 'widgets']" routerLinkActive="active" ariaCurrentWhenActive="page"><mat-icon matListItemIcon>chat</mat-icon>Widgets</a>
            <a mat-list-item [routerLink]="[base, 'imports']" routerLinkActive="active" ariaCurrentWhenActive="page"><mat-icon matListItemIcon>upload_file</mat-icon>Import</a>
            <a mat-list-item [routerLink]="[base, 'api-keys']" routerLinkActive="active" ariaCurrentWhenActive="page"><mat-icon matListItemIcon>key</mat-icon>API keys</a>
            <a mat-list-item [routerLink]="[base, 'members']" routerLinkActive="active" ariaCurrentWhenActive="page"><mat-icon matListItemIcon>group</mat-icon>Members</a>
            @if (session.can('webhooks:read')) {
              <a mat-list-item [routerLink]="[base, 'webhooks']" routerLinkActive="active" ariaCurrentWhenActive="page"><mat-icon matListItemIcon>webhook</mat-icon>Webhooks</a>
            }
            <a mat-list-item [routerLink]="[base, 'settings']" routerLinkActive="active" ariaCurrentWhenActive="page"><mat-icon matListItemIcon>tune</mat-icon>Settings</a>
            @if (session.can('audit:read')) {
              <a mat-list-item [routerLink]="[base, 'audit']" routerLinkActive="active" ariaCurrentWhenActive="page"><mat-icon matListItemIcon>fact_check</mat-icon>Audit log</a>
            }
          </mat-nav-list>
        }
      </mat-sidenav>
      <mat-sidenav-content>
        <main class="app-content" id="main" tabindex="-1">
          <router-outlet />
        </main>
      </mat-sidenav-content>
    </mat-sidenav-container>
  `,
  styles: `
    :host { display: flex; flex-direction: column; height: 100%; }
    .app-toolbar { background: var(--mat-sys-primary); color: var(--mat-sys-on-primary); gap: 16px; }
    .brand { color: inherit; text-decoration: none; font-weight: 600; }
    .org-switcher { width: 220px; background: var(--mat-sys-surface); border-radius: 4px; padding: 4px 8px; font: var(--mat-sys-body-medium); }
    .role { font: var(--mat-sys-label-medium); opacity: 0.85; text-transform: capitalize; }
    .spacer { flex: 1; }
    .app-toolbar button { color: inherit; }
    .frame { flex: 1; }
    .app-content { padding: 24px 32px; max-width: 1280px; outline: none; }
    .skip-link { position: absolute; left: 8px; top: -48px; z-index: 1000; padding: 8px 16px; border-radius: 4px; background: var(--mat-sys-surface); color: var(--mat-sys-primary); }
    .skip-link:focus { top: 8px; }
    .app-toolbar :focus-visible { outline-color: var(--mat-sys-on-primary); }
    @media (max-width: 959.98px) {
      .app-toolbar { gap: 8px; padding: 0 4px; }
      .org-switcher { width: auto; flex: 1; min-width: 0; }
      .role, .email { display: none; }
      .spacer { display: none; }
      .app-content { padding: 16px 12px; }
    }
    .nav { width: 200px; border-right: 1px solid var(--mat-sys-outline-variant); }
    .active { background: var(--mat-sys-secondary-container); }
  `,
})
export class Shell {
  protected readonly session = inject(Session);
  private readonly api = inject(Api);
  private readonly router = inject(Router);
  protected readonly base = computed(() => {
    const membership = this.session.membership();
    return membership ? `/orgs/${membership.organizationId}` : null;
  });

  /** Below about 960 px the navigation is a drawer behind the menu button, closed after each navigation. */
  protected readonly compact = toSignal(inject(BreakpointObserver).observe('(max-width: 959.98px)').pipe(map((state) => state.matches)), { initialValue: false });
  private readonly drawer = viewChild.required(MatSidenav);

  constructor() {
    this.router.events.pipe(filter((event) => event instanceof NavigationEnd), takeUntilDestroyed()).subscribe(() => {
      if (this.compact()) void this.drawer().close();
    });
  }

  /** The skip link moves focus rather than the URL (an anchor would be resolved against <base href>). */
  protected skipToContent(event: Event): void {
    event.preventDefault();
    document.getElementById('main')?.focus();
  }

  protected switchTo(organizationId: string): void {
    this.session.selectOrganization(organizationId);
    void this.router.navigate(['/orgs', organizationId, 'dashboard']);
  }

  protected async signOut(): Promise<void> {
    await this.api.post('/auth/logout').catch(() => undefined);
    this.session.clear();
    await this.router.navigate(['/login']);
  }
}
