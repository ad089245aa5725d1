import { Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatMenuModule } from '@angular/material/menu';
import { MatSelectModule } from '@angular/material/select';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { Api } from '../core/api';
import { Session } from '../core/session';

/** The signed-in frame: organization switcher, navigation of the current organization, and the user's menu. */
@Component({
  selector: 'kr-shell',
  imports: [MatButtonModule, MatIconModule, MatListModule, MatMenuModule, MatSelectModule, MatSidenavModule, MatToolbarModule, RouterLink, RouterLinkActive, RouterOutlet],
  template: `
    <mat-toolbar class="app-toolbar">
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
      <button mat-button [matMenuTriggerFor]="userMenu" aria-label="Account">
        <mat-icon>account_circle</mat-icon>
        {{ session.user()?.email }}
      </button>
      <mat-menu #userMenu="matMenu">
        <a mat-menu-item routerLink="/profile"><mat-icon>manage_accounts</mat-icon>Profile and security</a>
        <button mat-menu-item type="button" (click)="signOut()"><mat-icon>logout</mat-icon>Sign out</button>
      </mat-menu>
    </mat-toolbar>
    <mat-sidenav-container class="frame">
      <mat-sidenav mode="side" opened class="nav">
        @if (base(); as base) {
          <mat-nav-list aria-label="Sections">
            <a mat-list-item [routerLink]="[base, 'dashboard']" routerLinkActive="active" ariaCurrentWhenActive="page"><mat-icon matListItemIcon>space_dashboard</mat-icon>Dashboard</a>
            <a mat-list-item [routerLink]="[base, 'tenants']" routerLinkActive="active" ariaCurrentWhenActive="page"><mat-icon matListItemIcon>business</mat-icon>Tenants</a>
            <a mat-list-item [routerLink]="[base, 'widgets']" routerLinkActive="active" ariaCurrentWhenActive="page"><mat-icon matListItemIcon>chat</mat-icon>Widgets</a>
            <a mat-list-item [routerLink]="[base, 'api-keys']" routerLinkActive="active" ariaCurrentWhenActive="page"><mat-icon matListItemIcon>key</mat-icon>API keys</a>
            <a mat-list-item [routerLink]="[base, 'members']" routerLinkActive="active" ariaCurrentWhenActive="page"><mat-icon matListItemIcon>group</mat-icon>Members</a>
            @if (session.can('audit:read')) {
              <a mat-list-item [routerLink]="[base, 'audit']" routerLinkActive="active" ariaCurrentWhenActive="page"><mat-icon matListItemIcon>fact_check</mat-icon>Audit log</a>
            }
          </mat-nav-list>
        }
      </mat-sidenav>
      <mat-sidenav-content>
        <main class="app-content">
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
    .app-content { padding: 24px 32px; max-width: 1280px; }
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
