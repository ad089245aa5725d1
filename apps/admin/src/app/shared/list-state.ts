import { Component, computed, input } from '@angular/core';
import type { Resource, ResourceRef } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { problemOf } from '../core/problem';

export type LoadState = 'loading' | 'ready' | 'empty' | 'error' | 'forbidden' | 'not-found';

/** What a resource shows: loading (only before the first value, so reloads do not flicker), error, empty or ready. */
export function loadState(resource: Resource<unknown>, isEmpty: (value: unknown) => boolean): LoadState {
  const error = resource.error();
  if (error) return ({ 403: 'forbidden', 404: 'not-found' } as const)[problemOf(error).status] ?? 'error';
  if (!resource.hasValue()) return 'loading';
  return isEmpty(resource.value()) ? 'empty' : 'ready';
}

const hasNoItems = (value: unknown) => ((value as { items?: unknown[] } | undefined)?.items?.length ?? 0) === 0;

/** Where a page that cannot be shown sends the user. */
export interface WayBack {
  label: string;
  link: string | readonly unknown[];
}

/**
 * The loading, empty, error, no-access and not-found states every page and list shows in the same way, for the
 * resource in `of`; the list itself is the content. A resource whose value has `items` is empty when there are none.
 * No access and not found are final: they say why in the API's words and offer a way back instead of a retry.
 */
@Component({
  selector: 'kr-list-state',
  imports: [MatButtonModule, MatIconModule, MatProgressBarModule, RouterLink],
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
      @case ('forbidden') {
        <div class="state final" role="alert" data-testid="state-forbidden">
          <mat-icon aria-hidden="true">lock</mat-icon>
          <div>
            <h2>You do not have access to this</h2>
            <p>{{ message() }}</p>
            <a mat-stroked-button [routerLink]="back().link">{{ back().label }}</a>
          </div>
        </div>
      }
      @case ('not-found') {
        <div class="state final" role="alert" data-testid="state-not-found">
          <mat-icon aria-hidden="true">search_off</mat-icon>
          <div>
            <h2>Not found</h2>
            <p>{{ message() }}</p>
            <a mat-stroked-button [routerLink]="back().link">{{ back().label }}</a>
          </div>
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
    .final { align-items: flex-start; color: var(--mat-sys-on-surface); }
    .final h2 { margin: 0 0 4px; font: var(--mat-sys-title-medium); }
    .final p { margin: 0 0 12px; }
  `,
})
export class ListState {
  readonly of = input.required<ResourceRef<unknown>>();
  readonly empty = input('Nothing here yet.');
  /** Where "no access" and "not found" lead; the organization's home by default. */
  readonly back = input<WayBack>({ label: 'Back to the dashboard', link: '/' });
  /** Whether the loaded value counts as empty; by default, a page without items. */
  readonly isEmpty = input<(value: unknown) => boolean>(hasNoItems);
  protected readonly state = computed(() => loadState(this.of(), this.isEmpty()));
  protected readonly message = computed(() => problemOf(this.of().error()).message);
}
