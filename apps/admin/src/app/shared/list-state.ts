import { Component, computed, input } from '@angular/core';
import type { Resource, ResourceRef } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { problemOf } from '../core/problem';

export type LoadState = 'loading' | 'ready' | 'empty' | 'error';

/** What a resource shows: loading (only before the first value, so reloads do not flicker), error, empty or ready. */
export function loadState(resource: Resource<unknown>, isEmpty: (value: unknown) => boolean): LoadState {
  if (resource.error()) return 'error';
  if (!resource.hasValue()) return 'loading';
  return isEmpty(resource.value()) ? 'empty' : 'ready';
}

const hasNoItems = (value: unknown) => ((value as { items?: unknown[] } | undefined)?.items?.length ?? 0) === 0;

/**
 * The loading, empty and error states every list shows in the same way, for the resource in `of`; the list itself
 * is the content. A resource whose value has `items` is empty when there are none.
 */
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
          <span>{{ message() }}</span>
          <button mat-button type="button" (click)="of().reload()">Try again</button>
        </div>
      }
      @case ('empty') {
        <div class="state empty" role="status">
          <mat-icon aria-hidden="true">inbox</mat-icon>
          <span>{{ empty() }}</span>
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
  readonly of = input.required<ResourceRef<unknown>>();
  readonly empty = input('Nothing here yet.');
  /** Whether the loaded value counts as empty; by default, a page without items. */
  readonly isEmpty = input<(value: unknown) => boolean>(hasNoItems);
  protected readonly state = computed(() => loadState(this.of(), this.isEmpty()));
  protected readonly message = computed(() => problemOf(this.of().error()).message);
}
