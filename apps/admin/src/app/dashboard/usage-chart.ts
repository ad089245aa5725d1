import { Component, effect, ElementRef, input, OnDestroy, viewChild } from '@angular/core';
import type { UsagePoint } from '@keyring/contracts';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

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

/** userHashes issued (and verified) per day, drawn by Chart.js. */
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
  private chart?: Chart;

  constructor() {
    effect(() => {
      const series = dailySeries(this.items(), this.from(), this.to());
      this.chart?.destroy();
      this.chart = new Chart(this.canvas().nativeElement, {
        type: 'bar',
        data: {
          labels: series.labels,
          datasets: [
            { label: 'Issued', data: series.issued, backgroundColor: '#1565c0' },
            { label: 'Verified', data: series.verified, backgroundColor: '#90caf9' },
          ],
        },
        options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
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
