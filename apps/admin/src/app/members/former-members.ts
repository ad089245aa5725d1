import { DatePipe } from '@angular/common';
import { Component, inject, input, resource } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import type { FormerMember } from '@keyring/contracts';
import { Api } from '../core/api';
import { ListState } from '../shared/list-state';
import { loaded } from '../shared/loaded';

/** People removed from the organization: their offboarding report stays one click away (audit readers only). */
@Component({
  selector: 'kr-former-members',
  imports: [DatePipe, MatButtonModule, RouterLink, ListState],
  template: `
    <h2>Former members</h2>
    <kr-list-state [of]="former" empty="Nobody has been removed from this organization.">
      <ul class="former" data-testid="former-members">
        @for (person of loaded(former)?.items; track person.userId) {
          <li>
            <span class="who"><strong>{{ person.email }}</strong></span>
            <span class="muted">removed {{ person.removedAt | date: 'medium' }}</span>
            <a mat-button class="actions" [routerLink]="['/orgs', orgId(), 'members', person.userId, 'offboarding']" [attr.aria-label]="'Offboarding report of ' + person.email">Offboarding report</a>
          </li>
        }
      </ul>
    </kr-list-state>
  `,
  styles: `
    .former { list-style: none; margin: 0; padding: 0; }
    .former li { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 16px; padding: 8px 0; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .who { flex: 1 1 240px; }
    .actions { margin-left: auto; }
  `,
})
export class FormerMembers {
  protected readonly loaded = loaded;
  private readonly api = inject(Api);
  readonly orgId = input.required<string>();
  protected readonly former = resource({
    params: () => this.orgId(),
    loader: ({ params }) => this.api.get<{ items: FormerMember[] }>(`/orgs/${params}/members/former`),
  });
}
