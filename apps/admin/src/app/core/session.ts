import { HttpErrorResponse } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import { roleAllows, type Membership, type Permission, type SessionView } from '@keyring/contracts';
import { Api } from './api';

const LAST_ORGANIZATION = 'keyring.organization';

/** Who is signed in, their organizations, the one being worked in, and what their role there allows. */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly api = inject(Api);
  private readonly view = signal<SessionView | null>(null);
  private readonly organizationId = signal<string | null>(localStorage.getItem(LAST_ORGANIZATION));

  readonly user = computed(() => this.view()?.user ?? null);
  readonly csrfToken = computed(() => this.view()?.csrfToken ?? null);
  readonly memberships = computed(() => this.view()?.memberships ?? []);
  readonly membership = computed<Membership | null>(() => {
    const memberships = this.memberships();
    return memberships.find((m) => m.organizationId === this.organizationId()) ?? memberships[0] ?? null;
  });

  /** Loads the session from the cookie; false when there is none. */
  async load(): Promise<boolean> {
    if (this.view()) return true;
    try {
      this.view.set(await this.api.get<SessionView>('/auth/me'));
      return true;
    } catch (error) {
      if (error instanceof HttpErrorResponse && error.status === 401) return false;
      throw error;
    }
  }

  async refresh(): Promise<void> {
    this.view.set(await this.api.get<SessionView>('/auth/me'));
  }

  signedIn(view: SessionView): void {
    this.view.set(view);
  }

  clear(): void {
    this.view.set(null);
  }

  selectOrganization(organizationId: string): void {
    this.organizationId.set(organizationId);
    localStorage.setItem(LAST_ORGANIZATION, organizationId);
  }

  can(permission: Permission): boolean {
    const membership = this.membership();
    return membership !== null && roleAllows(membership.role, permission);
  }
}
