import { Component, input } from '@angular/core';
import { CopyButton } from '../shared/copy-button';

/** A titled block of code with a copy button. */
@Component({
  selector: 'kr-snippet',
  imports: [CopyButton],
  template: `
    <div class="snippet">
      <div class="head"><span>{{ title() }}</span><kr-copy-button [value]="code()" [label]="'Copy ' + title()" /></div>
      <!-- Focusable, so that a keyboard can scroll a long line sideways; named by its title. -->
      <pre class="mono" tabindex="0" role="region" [attr.aria-label]="title()"><code>{{ code() }}</code></pre>
    </div>
  `,
  styles: `
    .snippet { border: 1px solid var(--mat-sys-outline-variant); border-radius: 6px; margin-bottom: 12px; overflow: hidden; }
    .head { display: flex; justify-content: space-between; align-items: center; padding: 0 4px 0 12px; background: var(--mat-sys-surface-container); font: var(--mat-sys-label-large); }
    pre { margin: 0; padding: 12px; overflow-x: auto; white-space: pre; word-break: normal; }
  `,
})
export class SnippetBlock {
  readonly title = input.required<string>();
  readonly code = input.required<string>();
}
