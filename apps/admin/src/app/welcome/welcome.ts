import { Component, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { ServerStatusService } from './server-status';

@Component({
  selector: 'kr-welcome',
  imports: [MatCardModule, MatIconModule],
  template: `
    <mat-card appearance="outlined">
      <mat-card-header>
        <mat-card-title>Keyring</mat-card-title>
        <mat-card-subtitle>Custody of Huggy Chat widget secrets</mat-card-subtitle>
      </mat-card-header>
      <mat-card-content>
        <p>
          Keyring keeps the secret key of each Huggy Chat widget encrypted, signs the <code>userHash</code> your
          clients' backends need, rotates keys in one guided step and records who touched what.
        </p>
        <p class="status" [class.ready]="status() === 'ready'" data-testid="server-status" role="status">
          @switch (status()) {
            @case ('ready') { Server ready: database connected, migrations applied. }
            @case ('not-ready') { The server is not ready: its database is unreachable or not migrated. }
            @default { Checking the server… }
          }
        </p>
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .status { font-weight: 500; color: var(--mat-sys-error); }
    .status.ready { color: var(--mat-sys-primary); }
  `,
})
export class Welcome {
  protected readonly status = toSignal(inject(ServerStatusService).readiness(), { initialValue: 'checking' as const });
}
