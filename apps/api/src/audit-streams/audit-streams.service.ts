import { Inject, Injectable } from '@nestjs/common';
import type { AuditStream } from '@keyring/contracts';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { RequestContext } from '../access/request-context';
import type { Scope } from '../access/scope';
import { AuditFeed } from '../audit/audit-feed';
import { AuditWriter } from '../audit/audit-writer.service';
import { originOf, TargetRefused } from '../common/outbound/outbound-address';
import { validationProblem } from '../common/validation/validation.pipe';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';
import { outboundPolicy } from '../config/outbound-policy';
import { toAuditStream } from './audit-stream.mapper';
import type { CreateAuditStreamDto } from './audit-streams.dto';
import { AuditStreamsError, AuditStreamsErrorCode, streamNotFound } from './audit-streams.errors';
import { AuditStreamsRepository } from './audit-streams.repository';
import { checkStreamTarget, parseStreamTarget } from './stream-target';

/** An organization's audit streams: created (from the chain's head on), listed with their progress, deleted. */
@Injectable()
export class AuditStreamsService {
  constructor(
    private readonly db: DataSource,
    private readonly streams: AuditStreamsRepository,
    private readonly feed: AuditFeed,
    private readonly audit: AuditWriter,
    @Inject(KEYRING_CONFIG) private readonly config: KeyringConfig,
  ) {}

  async create(scope: Scope, dto: CreateAuditStreamDto, context: RequestContext): Promise<AuditStream> {
    allTenants(scope);
    const target = parseStreamTarget(dto.kind, dto.url.trim(), this.config.nodeEnv === 'production');
    if (typeof target === 'string') throw validationProblem([{ field: 'url', message: target }]);
    await checkStreamTarget(target, outboundPolicy(this.config)).catch((error: unknown) => {
      throw error instanceof TargetRefused ? validationProblem([{ field: 'url', message: error.message }]) : error;
    });
    const id = randomUUID();
    try {
      const row = await this.db.transaction(async (manager) => {
        await this.audit.record(manager, context, {
          organizationId: scope.organizationId,
          action: 'audit_stream.created',
          target: { type: 'audit_stream', id },
          details: { kind: target.kind, origin: originOf(target.url) },
        });
        // From the event just recorded on: the receiver's first message is a checkpoint at the event before it.
        const startSeq = await this.feed.checkpointBeforeNewest(manager, scope.organizationId);
        return this.streams.insert(manager, scope, { id, kind: target.kind, url: target.url, startSeq });
      });
      return toAuditStream(row, await this.feed.headSeq(scope.organizationId));
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new AuditStreamsError(AuditStreamsErrorCode.AlreadyStreaming, `The audit log already streams to ${target.url}.`);
      }
      throw error;
    }
  }

  async list(scope: Scope): Promise<{ items: AuditStream[] }> {
    allTenants(scope);
    const [rows, head] = await Promise.all([this.streams.list(scope), this.feed.headSeq(scope.organizationId)]);
    return { items: rows.map((row) => toAuditStream(row, head)) };
  }

  async get(scope: Scope, id: string): Promise<AuditStream> {
    allTenants(scope);
    const row = await this.streams.find(scope, id);
    if (!row) throw streamNotFound();
    return toAuditStream(row, await this.feed.headSeq(scope.organizationId));
  }

  async delete(scope: Scope, id: string, context: RequestContext): Promise<void> {
    allTenants(scope);
    await this.db.transaction(async (manager) => {
      const row = await this.streams.delete(manager, scope, id);
      if (!row) throw streamNotFound();
      await this.audit.record(manager, context, {
        organizationId: scope.organizationId,
        action: 'audit_stream.deleted',
        target: { type: 'audit_stream', id },
        details: { kind: row.kind, origin: originOf(row.url), deliveredSeq: row.deliveredSeq },
      });
    });
  }
}

/** A stream copies the whole organization's log, so a member limited to some tenants neither sees nor manages one. */
function allTenants(scope: Scope): void {
  if (scope.tenants !== 'all') {
    throw new AuditStreamsError(AuditStreamsErrorCode.TenantLimited, 'You are limited to some tenants, and an audit stream carries the whole organization\'s log.');
  }
}
