import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RequestContext } from '../access/request-context';
import { AuditWriter } from '../audit/audit-writer.service';
import { Memberships } from './memberships.service';

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly db: DataSource,
    private readonly memberships: Memberships,
    private readonly audit: AuditWriter,
  ) {}

  async create(name: string, ownerId: string, context: RequestContext): Promise<{ id: string; name: string }> {
    return this.db.transaction(async (manager) => {
      const organization = await this.memberships.createOrganization(manager, name, ownerId);
      await this.audit.record(manager, context, {
        organizationId: organization.id,
        action: 'organization.created',
        target: { type: 'organization', id: organization.id },
        details: { name },
      });
      return organization;
    });
  }
}
