import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MembershipLookup } from '../access/access-lookups';
import { MembershipDirectory } from '../identity/membership-directory';
import { MembershipsRepository, type MembershipView } from './memberships.repository';

/** Organizations' door for the layers that need memberships: the access guard, the session view, first-run setup. */
@Injectable()
export class Memberships implements MembershipLookup, MembershipDirectory {
  constructor(private readonly memberships: MembershipsRepository) {}

  find(organizationId: string, userId: string): Promise<MembershipView | null> {
    return this.memberships.find(organizationId, userId);
  }

  listForUser(userId: string): Promise<MembershipView[]> {
    return this.memberships.listForUser(userId);
  }

  /** A new organization with `ownerId` as its owner, in the caller's transaction. */
  async createOrganization(manager: EntityManager, name: string, ownerId: string): Promise<{ id: string; name: string }> {
    const [organization] = await manager.query<{ id: string; name: string }[]>('INSERT INTO organizations (name) VALUES ($1) RETURNING id, name', [name]);
    await this.memberships.insert(manager, organization.id, ownerId, 'owner', null);
    return organization;
  }
}
