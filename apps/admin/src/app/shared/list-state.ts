import { Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';

export type LoadState = 'loading' | 'ready' | 'empty' | 'error';

/** The loading, empty and error states every list shows in the same way; the list itself is the content. */
@Component({
  selector: 'kr-list-state',
  imports: [MatButtonModule, MatIconModule, MatProgressBarModule],
  template: `
    @switch (state()) {
      @case ('loading') {
        <mat-progress-bar mode="indeterminate" aria-label="Loading" />
      }
      @case ('error') {
        <div class="state error" role="alert">
          <mat-icon aria-hidden="true">error_outline</mat-icon>
          <span>{{ error() }}</span>
          <button mat-button type="button" (click)="retry.emit()">Try again</button>
        </div>
      }
      @case ('empty') {
        <div class="state empty" role="status">
          <mat-icon aria-hidden="true">inbox</mat-icon>
          <span>{{ empty() }}</span>
          <ng-content select="[empty-action]" />
        </div>
      }
      @default {
        <ng-content />
      }
    }
  `,
  styles: `
    .state { display: flex; align-items: center; gap: 12px; padding: 24px 8px; color: var(--mat-sys-on-surface-variant); }
    .error { color: var(--mat-sys-error); }
  `,
})
export class ListState {
  readonly state = input.required<LoadState>();
  readonly empty = input('Nothing here yet.');
  readonly error = input<string | null>(null);
  readonly retry = output<void>();
}
