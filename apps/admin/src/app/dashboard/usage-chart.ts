import { BreakpointObserver } from '@angular/cdk/layout';
import { afterRenderEffect, Component, ElementRef, inject, input, OnDestroy, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import type { UsagePoint } from '@keyring/contracts';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { map } from 'rxjs';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** One bar per day of the period, days without calls included, so that gaps show as gaps. */
export function dailySeries(items: UsagePoint[], from: Date, to: Date): { labels: string[]; issued: number[]; verified: number[] } {
  const byDay = new Map(items.map((item) => [item.bucket.slice(0, 10), item]));
  const labels: string[] = [];
  const issued: number[] = [];
  const verified: number[] = [];
  for (let day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate())); day <= to; day = new Date(day.getTime() + 86_400_000)) {
    const key = day.toISOString().slice(0, 10);
    labels.push(key.slice(5));
    issued.push(byDay.get(key)?.issued ?? 0);
    verified.push(byDay.get(key)?.verified ?? 0);
  }
  return { labels, issued, verified };
}

/**
 * The theme's colours as a canvas needs them: computed, so that the light-dark() pairs of the theme are resolved
 * for the scheme in force (Chart.js's defaults are black at 10 % for the grid: invisible on a dark surface).
 */
function themeColors(host: HTMLElement) {
  const probe = host.appendChild(document.createElement('span'));
  const read = (token: string) => {
    probe.style.color = `var(${token})`;
    return getComputedStyle(probe).color;
  };
  const colors = { text: read('--mat-sys-on-surface-variant'), grid: read('--mat-sys-outline-variant'), issued: read('--mat-sys-primary'), verified: read('--mat-sys-inverse-primary') };
  probe.remove();
  return colors;
}

/** userHashes issued (and verified) per day, drawn by Chart.js in the theme's colours, again when the scheme changes. */
@Component({
  selector: 'kr-usage-chart',
  template: `<canvas #canvas role="img" [attr.aria-label]="summary()"></canvas>`,
  styles: ':host { display: block; position: relative; height: 260px; }',
})
export class UsageChart implements OnDestroy {
  readonly items = input.required<UsagePoint[]>();
  readonly from = input.required<Date>();
  readonly to = input.required<Date>();
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly dark = toSignal(inject(BreakpointObserver).observe('(prefers-color-scheme: dark)').pipe(map((state) => state.matches)));
  private chart?: Chart;

  constructor() {
    // After rendering: the colours can be read only once the host is in the document.
    afterRenderEffect(() => {
      const series = dailySeries(this.items(), this.from(), this.to());
      this.dark(); // read the colours again when the system switches between light and dark
      const colors = themeColors(this.host.nativeElement);
      const axis = { ticks: { color: colors.text }, grid: { color: colors.grid }, border: { color: colors.grid } };
      this.chart?.destroy();
      this.chart = new Chart(this.canvas().nativeElement, {
        type: 'bar',
        data: {
          labels: series.labels,
          datasets: [
            { label: 'Issued', data: series.issued, backgroundColor: colors.issued },
            { label: 'Verified', data: series.verified, backgroundColor: colors.verified },
          ],
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { labels: { color: colors.text } } },
          scales: { x: axis, y: { ...axis, beginAtZero: true, ticks: { ...axis.ticks, precision: 0 } } },
        },
      });
    });
  }

  protected summary(): string {
    const total = this.items().reduce((sum, item) => sum + item.issued, 0);
    return `Chart of userHashes issued per day: ${total} in the period.`;
  }

  ngOnDestroy(): void {
    this.chart?.destroy();
  }
}
