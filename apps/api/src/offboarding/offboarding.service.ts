import { Injectable } from '@nestjs/common';
import type { ExposedSecretVersion, FormerMember, OffboardingReport, OffboardingRotationRequest } from '@keyring/contracts';
import { DataSource } from 'typeorm';
import type { RequestContext } from '../access/request-context';
import { visibleTenantIds, type Scope } from '../access/scope';
import { AuditService } from '../audit/audit.service';
import { AuditWriter } from '../audit/audit-writer.service';
import { iso, isoOrNull } from '../common/http/iso';
import { SecretVersionsService } from '../custody/secret-versions.service';
import { WidgetsService } from '../custody/widgets.service';
import { Accounts } from '../identity/accounts.service';
import { Memberships } from '../organizations/memberships.service';
import { toApiKey } from '../tenant-api/api-key.mapper';
import { ApiKeysService } from '../tenant-api/api-keys.service';
import { personNotFound } from './offboarding.errors';

const FORMER_MEMBERS = 200;

/**
 * When someone leaves: every secret version they saw (revealed, or pasted themselves) and every API key they created
 * that still works, within the reader's tenants; and one action that queues the widgets whose seen version is still
 * in use for rotation. Works by user id, so that it still answers once their membership is gone: the audit log
 * remembers them.
 */
@Injectable()
export class OffboardingService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly auditWriter: AuditWriter,
    private readonly accounts: Accounts,
    private readonly memberships: Memberships,
    private readonly secrets: SecretVersionsService,
    private readonly widgets: WidgetsService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async formerMembers(scope: Scope): Promise<{ items: FormerMember[] }> {
    const rows = await this.audit.formerMembers(scope.organizationId, FORMER_MEMBERS);
    return { items: rows.map((row) => ({ userId: row.userId, email: row.email, removedAt: iso(row.removedAt) })) };
  }

  async report(scope: Scope, userId: string): Promise<OffboardingReport> {
    const membership = await this.memberships.find(scope.organizationId, userId);
    if (!membership && !(await this.audit.knowsPerson(scope.organizationId, userId))) throw personNotFound();
    const [account, reveals, keys] = await Promise.all([
      this.accounts.findById(userId),
      this.audit.revealsBy(scope, userId),
      this.apiKeys.workingCreatedBy(scope, userId),
    ]);
    const secretVersions = (await this.secrets.exposedTo(scope, userId, reveals)).map(
      (seen): ExposedSecretVersion => ({
        widgetId: seen.widgetId,
        widgetName: seen.widgetName,
        tenantId: seen.tenantId,
        tenantName: seen.tenantName,
        version: seen.version,
        fingerprint: seen.fingerprint,
        how: seen.how,
        at: iso(seen.at),
        times: seen.times,
        state: seen.state,
        stillInUse: seen.state === 'active' || seen.state === 'previous',
        widgetArchived: seen.widgetArchived,
        rotationRequestedAt: isoOrNull(seen.rotationRequestedAt),
      }),
    );
    return {
      user: { id: userId, email: account?.email ?? null },
      membership: membership && { role: membership.role, tenantIds: visibleTenantIds(scope, membership.tenantIds) },
      secretVersions,
      apiKeys: keys.map(toApiKey),
      widgetsToQueue: toQueue(secretVersions).length,
    };
  }

  /**
   * Queues for rotation every live widget whose version the person saw is still in use (it signs, or still
   * verifies as the previous one), within the caller's tenants; those queued already are left as they are. One
   * event per widget queued and one for the request, in the same transaction.
   */
  async requestRotation(scope: Scope, userId: string, context: RequestContext): Promise<OffboardingRotationRequest> {
    const report = await this.report(scope, userId);
    const person = { id: userId, email: report.user.email };
    return this.db.transaction(async (manager) => {
      const queued = await this.widgets.requestRotation(manager, scope, toQueue(report.secretVersions), person, context);
      // Nothing left to queue changes nothing, and is not audited.
      if (queued.length > 0) {
        await this.auditWriter.record(manager, context, {
          organizationId: scope.organizationId,
          action: 'member.offboarding_rotation_requested',
          target: { type: 'user', id: userId },
          details: { email: person.email, widgetsQueued: queued.length },
        });
      }
      return { queued: queued.map((widget) => ({ widgetId: widget.id, widgetName: widget.name, tenantName: widget.tenantName })) };
    });
  }
}

/** The widgets a rotation would protect: live, with a seen version still in use, not queued yet. */
function toQueue(versions: ExposedSecretVersion[]): string[] {
  return [...new Set(versions.filter((seen) => seen.stillInUse && !seen.widgetArchived && !seen.rotationRequestedAt).map((seen) => seen.widgetId))];
}
