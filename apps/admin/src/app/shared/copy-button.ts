import { Clipboard } from '@angular/cdk/clipboard';
import { booleanAttribute, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';

/** How long a copied secret may stay on the clipboard. */
export const SECRET_CLIPBOARD_MS = 60_000;

/**
 * Copies `value` and says so for two seconds. A `secret` is taken off the clipboard after a minute if the clipboard
 * still holds it (or if the browser will not say what it holds), so that it is not pasted somewhere by mistake later.
 */
@Component({
  selector: 'kr-copy-button',
  imports: [MatButtonModule, MatIconModule, MatTooltipModule],
  template: `
    <button mat-icon-button type="button" [attr.aria-label]="copied() ? copiedText() : label()" [matTooltip]="copied() ? copiedText() : label()" (click)="copy()">
      <mat-icon>{{ copied() ? 'check' : 'content_copy' }}</mat-icon>
    </button>
  `,
})
export class CopyButton {
  private readonly clipboard = inject(Clipboard);
  readonly value = input.required<string>();
  readonly label = input('Copy');
  readonly secret = input(false, { transform: booleanAttribute });
  protected readonly copied = signal(false);
  protected readonly copiedText = computed(() => (this.secret() ? 'Copied; cleared from the clipboard in a minute' : 'Copied'));

  copy(): void {
    const value = this.value();
    this.copied.set(this.clipboard.copy(value));
    setTimeout(() => this.copied.set(false), 2000);
    if (this.secret()) setTimeout(() => void clearClipboardIfHolding(value), SECRET_CLIPBOARD_MS);
  }
}

export async function clearClipboardIfHolding(value: string): Promise<void> {
  const held = await navigator.clipboard?.readText().catch(() => value);
  if (held === value) await navigator.clipboard.writeText('').catch(() => undefined);
}
