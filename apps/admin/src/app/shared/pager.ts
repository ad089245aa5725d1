import { Component, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { CursorPager } from './cursor-pager';

/** Previous / next under a list. */
@Component({
  selector: 'kr-pager',
  imports: [MatButtonModule],
  template: `
    <nav class="pager" aria-label="Pages">
      <span class="muted">Page {{ pager().page() }}</span>
      <button mat-button type="button" [disabled]="!pager().hasPrevious()" (click)="pager().back()">{{ previousLabel() }}</button>
      <button mat-button type="button" [disabled]="!pager().next()" (click)="pager().forward()">{{ nextLabel() }}</button>
    </nav>
  `,
})
export class Pager {
  readonly pager = input.required<CursorPager>();
  readonly previousLabel = input('Previous');
  readonly nextLabel = input('Next');
}
