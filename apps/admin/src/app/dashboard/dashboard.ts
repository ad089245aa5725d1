import { DatePipe } from '@angular/common';
import { Component, inject, input, resource } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { RouterLink } from '@angular/router';
import type { ApiKey, OrganizationOverview, Page, Widget } from '@keyring/contracts';
import { Api } from '../core/api';
import { Session } from '../core/session';
import { ListState } from '../shared/list-state';
import { RecentActivity } from './recent-activity';
import { UsagePanel } from './usage-panel';
import { loaded } from '../shared/loaded';

type AttentionReason = 'rotation-requested' | 'no-secret' | 'overdue';
const REASON_ICONS: Record<AttentionReason, string> = { 'rotation-requested': 'person_remove', 'no-secret': 'key_off', overdue: 'schedule' };

@Component({
  selector: 'kr-dashboard',
  imports: [DatePipe, MatCardModule, MatIconModule, MatListModule, RouterLink, ListState, RecentActivity, UsagePanel],
  template: `
    <div class="page-header"><h1>Dashboard</h1></div>
    <kr-list-state [of]="overview" [isEmpty]="never">
      @if (loaded(overview); as counts) {
        <section class="counts" aria-label="Counts">
          <mat-card appearance="outlined"><mat-card-content><div class="count" data-testid="count-tenants">{{ counts.tenants }}</div>tenants</mat-card-content></mat-card>
          <mat-card appearance="outlined"><mat-card-content><a class="count" data-testid="count-widgets" [routerLink]="['/orgs', orgId(), 'widgets']">{{ counts.widgets }}</a>widgets</mat-card-content></mat-card>
          <mat-card appearance="outlined"><mat-card-content><a class="count" [routerLink]="['/orgs', orgId(), 'widgets']" [queryParams]="{ status: 'no-secret' }">{{ counts.widgetsWithoutSecret }}</a>without a secret</mat-card-content></mat-card>
          <mat-card appearance="outlined"><mat-card-content><a class="count" [routerLink]="['/orgs', orgId(), 'widgets']" [queryParams]="{ status: 'stale' }">{{ counts.widgetsOverdue }}</a>secrets older than {{ counts.rotationMaxAgeDays }} days</mat-card-content></mat-card>
          <mat-card appearance="outlined"><mat-card-content><a class="count" data-testid="count-rotation-requested" [routerLink]="['/orgs', orgId(), 'widgets']" [queryParams]="{ status: 'rotation-requested' }">{{ counts.widgetsRotationRequested }}</a>rotations requested</mat-card-content></mat-card>
          <mat-card appearance="outlined"><mat-card-content><div class="count">{{ counts.activeApiKeys }}</div>active API keys</mat-card-content></mat-card>
          <mat-card appearance="outlined"><mat-card-content><a class="count" data-testid="count-expiring-keys" [routerLink]="['/orgs', orgId(), 'api-keys']">{{ counts.apiKeysExpiringSoon }}</a>API keys expiring within 7 days</mat-card-content></mat-card>
        </section>
      }
    </kr-list-state>

    <kr-usage-panel [orgId]="orgId()" />

    <div class="columns">
      <section>
        <h2>Needs attention</h2>
        <kr-list-state [of]="attention" empty="Every widget has a secret within the rotation policy.">
          <mat-nav-list>
            @for (widget of loaded(attention)?.items; track widget.id) {
              <a mat-list-item [routerLink]="['/orgs', orgId(), 'widgets', widget.id]">
                <mat-icon matListItemIcon>{{ reasonIcons[widget.reason] }}</mat-icon>
                <span matListItemTitle>{{ widget.name }} <span class="muted">({{ widget.tenantName }})</span></span>
                <span matListItemLine>
                  @switch (widget.reason) {
                    @case ('rotation-requested') {
                      Rotation requested {{ widget.rotationRequestedAt | date: 'mediumDate' }} (offboarding)
                    }
                    @case ('no-secret') {
                      No secret yet
                    }
                    @default {
                      Secret activated {{ widget.activeSecret?.activatedAt | date: 'mediumDate' }}
                    }
                  }
                </span>
              </a>
            }
          </mat-nav-list>
        </kr-list-state>
        <!-- The same reminders the webhooks send (api_key.expiring): keys to replace before they stop working. -->
        <kr-list-state [of]="expiringKeys" empty="No API key expires within 7 days.">
          <mat-nav-list data-testid="expiring-keys">
            @for (key of loaded(expiringKeys)?.items; track key.id) {
              <a mat-list-item [routerLink]="['/orgs', orgId(), 'api-keys']">
                <mat-icon matListItemIcon>key</mat-icon>
                <span matListItemTitle>{{ key.name }}</span>
                <span matListItemLine>API key expires {{ key.expiresAt | date: 'mediumDate' }}</span>
              </a>
            }
          </mat-nav-list>
        </kr-list-state>
      </section>
      @if (session.can('audit:read')) {
        <section>
          <h2>Recent activity</h2>
          <kr-recent-activity [orgId]="orgId()" />
        </section>
      }
    </div>
  `,
  styles: `
    .counts { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
    .count { display: block; text-decoration: none; font: var(--mat-sys-display-small); color: var(--mat-sys-primary); }
    .columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 24px; }
  `,
})
export class Dashboard {
  protected readonly loaded = loaded;
  private readonly api = inject(Api);
  protected readonly session = inject(Session);
  readonly orgId = input.required<string>();
  protected readonly reasonIcons = REASON_ICONS;

  protected readonly overview = resource({ params: () => this.orgId(), loader: ({ params }) => this.api.get<OrganizationOverview>(`/orgs/${params}/overview`) });
  protected readonly attention = resource({
    params: () => this.orgId(),
    loader: ({ params }) => this.api.get<{ items: (Widget & { reason: AttentionReason })[] }>(`/orgs/${params}/widgets/needs-attention`, { limit: 10 }),
  });
  protected readonly expiringKeys = resource({
    params: () => this.orgId(),
    loader: ({ params }) => this.api.get<Page<ApiKey>>(`/orgs/${params}/api-keys`, { expiring: true, limit: 10 }),
  });
  /** The counts are never "empty". */
  protected readonly never = () => false;
}

