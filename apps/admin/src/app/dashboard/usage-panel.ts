import { Component, inject, input, resource } from '@angular/core';
import type { Usage } from '@keyring/contracts';
import { Api } from '../core/api';
import { ListState } from '../shared/list-state';
import { loaded } from '../shared/loaded';
import { UsageChart } from './usage-chart';

const DAYS = 30;

/** userHashes issued per day over the last 30 days: the organization's (dashboard) or one tenant's (client page). */
@Component({
  selector: 'kr-usage-panel',
  imports: [ListState, UsageChart],
  template: `
    <h2>userHashes issued per day, last {{ days }} days</h2>
    <kr-list-state [of]="usage" [isEmpty]="never">
      @if (loaded(usage); as data) {
        <kr-usage-chart [items]="data.items" [from]="period.from" [to]="period.to" />
        <p class="muted" data-testid="issued-total">{{ total(data) }} {{ total(data) === 1 ? 'userHash' : 'userHashes' }} issued in the period.</p>
      }
    </kr-list-state>
  `,
})
export class UsagePanel {
  protected readonly loaded = loaded;
  private readonly api = inject(Api);
  readonly orgId = input.required<string>();
  readonly tenantId = input<string>();
  protected readonly days = DAYS;
  protected readonly period = { from: new Date(Date.now() - (DAYS - 1) * 86_400_000), to: new Date() };
  protected readonly usage = resource({
    params: () => ({ orgId: this.orgId(), tenantId: this.tenantId() }),
    loader: ({ params }) =>
      this.api.get<Usage>(`/orgs/${params.orgId}/usage`, {
        from: startOfDay(this.period.from).toISOString(),
        to: new Date(Date.now() + 60_000).toISOString(),
        granularity: 'day',
        tenantId: params.tenantId,
      }),
  });

  protected total(usage: Usage): number {
    return usage.items.reduce((sum, item) => sum + item.issued, 0);
  }

  /** The chart shows empty days too: it is never "empty". */
  protected readonly never = () => false;
}

function startOfDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}
