import { Clipboard } from '@angular/cdk/clipboard';
import { Component, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';

/** Copies `value` and says so for two seconds. */
@Component({
  selector: 'kr-copy-button',
  imports: [MatButtonModule, MatIconModule, MatTooltipModule],
  template: `
    <button mat-icon-button type="button" [attr.aria-label]="copied() ? 'Copied' : label()" [matTooltip]="copied() ? 'Copied' : label()" (click)="copy()">
      <mat-icon>{{ copied() ? 'check' : 'content_copy' }}</mat-icon>
    </button>
  `,
})
export class CopyButton {
  private readonly clipboard = inject(Clipboard);
  readonly value = input.required<string>();
  readonly label = input('Copy');
  protected readonly copied = signal(false);

  copy(): void {
    this.copied.set(this.clipboard.copy(this.value()));
    setTimeout(() => this.copied.set(false), 2000);
  }
}
