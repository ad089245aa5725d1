import { Injectable } from '@nestjs/common';
import { huggyDataSnippet, huggyLoginSnippet, huggyLogoutSnippet, secretFingerprint, signUserHash } from '@keyring/signing';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../access/principal';
import type { RequestContext } from '../access/request-context';
import { AuditWriter } from '../audit/audit-writer.service';
import { ChangeFeed } from '../changes/change-feed';
import { Envelope } from '../crypto/envelope';
import { Reauthentication } from '../identity/reauthentication';
import { CustodyError, CustodyErrorCode, widgetNotFound } from './custody.errors';
import { SecretVersionsRepository, type SecretVersionView, type StoredSecret } from './secret-versions.repository';
import { inScope, tenantScope } from './tenant-scope';
import { widgetSecretBinding } from './widget-secrets';
import { WidgetsRepository, type WidgetView } from './widgets.repository';

const versionNotFound = () => new CustodyError(CustodyErrorCode.VersionNotFound, 'No such secret version for this widget.');

/** The life of a widget's secret: rotate, roll back, destroy, reveal, and use it for a test token. */
@Injectable()
export class SecretVersionsService {
  constructor(
    private readonly db: DataSource,
    private readonly widgets: WidgetsRepository,
    private readonly versions: SecretVersionsRepository,
    private readonly envelope: Envelope,
    private readonly reauthentication: Reauthentication,
    private readonly audit: AuditWriter,
    private readonly changes: ChangeFeed,
  ) {}

  async list(organizationId: string, widgetId: string, principal: Principal): Promise<{ items: SecretVersionView[] }> {
    await this.visibleWidget(organizationId, widgetId, principal);
    return { items: await this.versions.list(widgetId) };
  }

  /** Stores `secret` as the new active version, in the caller's transaction with the widget row locked. */
  async store(
    manager: EntityManager,
    widget: WidgetView,
    organizationId: string,
    secret: string,
    createdBy: string | null,
  ): Promise<{ version: number; fingerprint: string }> {
    const version = await this.versions.nextVersion(manager, widget.id);
    const fingerprint = await secretFingerprint(widget.id, secret);
    await this.versions.insertActive(manager, {
      organizationId,
      widgetId: widget.id,
      version,
      ciphertext: await this.envelope.encrypt(secret, widgetSecretBinding(organizationId, widget.id, version)),
      masterKeyId: this.envelope.activeKeyId,
      fingerprint,
      createdBy,
    });
    return { version, fingerprint };
  }

  async rotate(
    organizationId: string,
    widgetId: string,
    secret: string,
    expectedActiveVersion: number | undefined,
    principal: Principal,
    context: RequestContext,
  ): Promise<SecretVersionView> {
    const { version } = await this.db.transaction(async (manager) => {
      const widget = await this.lockLiveWidget(manager, organizationId, widgetId, principal);
      const activeVersion = widget.activeSecret?.version ?? 0;
      if (expectedActiveVersion !== undefined && expectedActiveVersion !== activeVersion) {
        throw new CustodyError(
          CustodyErrorCode.StaleActiveVersion,
          `The active version is now ${activeVersion}, not ${expectedActiveVersion}: someone rotated meanwhile. Reload and check before rotating again.`,
          { activeVersion },
        );
      }
      const stored = await this.store(manager, widget, organizationId, secret, principal.userId);
      await this.changes.publish(manager, { kind: 'widget', id: widgetId });
      await this.audit.record(manager, context, {
        organizationId,
        action: 'secret.rotated',
        target: { type: 'widget', id: widgetId },
        tenantId: widget.tenantId,
        details: { version: stored.version, fingerprint: stored.fingerprint, previousVersion: widget.activeSecret?.version ?? null },
      });
      return stored;
    });
    return this.versionView(widgetId, version);
  }

  /** Rollback: re-activates the previous version, for when the wrong key was pasted. */
  async activate(organizationId: string, widgetId: string, version: number, principal: Principal, context: RequestContext): Promise<SecretVersionView> {
    await this.db.transaction(async (manager) => {
      const widget = await this.lockLiveWidget(manager, organizationId, widgetId, principal);
      const target = await this.versions.find(widgetId, version, manager);
      if (!target) throw versionNotFound();
      if (target.state !== 'previous' || !widget.activeSecret) {
        throw new CustodyError(
          CustodyErrorCode.NotRollbackTarget,
          `Only the previous version can be re-activated; version ${version} is ${target.state}.`,
        );
      }
      await this.versions.swapActiveAndPrevious(manager, widgetId, widget.activeSecret.version, version);
      await this.changes.publish(manager, { kind: 'widget', id: widgetId });
      await this.audit.record(manager, context, {
        organizationId,
        action: 'secret.rolled_back',
        target: { type: 'widget', id: widgetId },
        tenantId: widget.tenantId,
        details: { version, fingerprint: target.fingerprint, replacedVersion: widget.activeSecret.version },
      });
    });
    return this.versionView(widgetId, version);
  }

  async destroy(organizationId: string, widgetId: string, version: number, principal: Principal, context: RequestContext): Promise<SecretVersionView> {
    await this.db.transaction(async (manager) => {
      const widget = await this.lockLiveWidget(manager, organizationId, widgetId, principal, { allowArchived: true });
      const target = await this.versions.find(widgetId, version, manager);
      if (!target) throw versionNotFound();
      if (target.state === 'active') {
        throw new CustodyError(CustodyErrorCode.ActiveVersionNotDestroyable, 'The active version cannot be destroyed: rotate to a new secret first.');
      }
      if (target.state === 'destroyed') {
        throw new CustodyError(CustodyErrorCode.VersionDestroyed, `Version ${version} is already destroyed.`);
      }
      await this.versions.destroy(manager, widgetId, version);
      await this.changes.publish(manager, { kind: 'widget', id: widgetId });
      await this.audit.record(manager, context, {
        organizationId,
        action: 'secret.destroyed',
        target: { type: 'widget', id: widgetId },
        tenantId: widget.tenantId,
        details: { version, fingerprint: target.fingerprint, stateBefore: target.state },
      });
    });
    return this.versionView(widgetId, version);
  }

  /** The plaintext, for an admin who gave their password again; audited in the same transaction. */
  async reveal(
    organizationId: string,
    widgetId: string,
    version: number,
    password: string,
    reason: string | undefined,
    principal: Principal,
    context: RequestContext,
  ): Promise<{ version: number; fingerprint: string; secret: string }> {
    // Existence first: a widget out of the caller's reach is a 404 whatever the password.
    const widget = await this.visibleWidget(organizationId, widgetId, principal);
    await this.reauthentication.checkPassword(principal.userId, password, {
      purpose: 'secret-reveal',
      context,
      refusal: () => new CustodyError(CustodyErrorCode.WrongPassword, 'The password is not correct; the secret was not revealed.'),
    });
    return this.db.transaction(async (manager) => {
      const stored = await this.versions.find(widgetId, version, manager);
      if (!stored) throw versionNotFound();
      const secret = await this.open(organizationId, widgetId, stored);
      await this.audit.record(manager, context, {
        organizationId,
        action: 'secret.revealed',
        target: { type: 'widget', id: widgetId },
        tenantId: widget.tenantId,
        details: { version, fingerprint: stored.fingerprint, reason: reason?.trim() || null },
      });
      return { version, fingerprint: stored.fingerprint, secret };
    });
  }

  /** A real token from the active secret, with the snippets filled in, to try a widget end to end. */
  async testUserHash(organizationId: string, widgetId: string, userIdentifier: string, principal: Principal, context: RequestContext) {
    const widget = await this.visibleWidget(organizationId, widgetId, principal);
    const active = await this.versions.findActive(widgetId);
    if (!active) {
      throw new CustodyError(CustodyErrorCode.NoActiveSecret, 'This widget has no secret yet: paste the one from the Huggy panel first.');
    }
    const secret = await this.open(organizationId, widgetId, active);
    const userHash = await signUserHash(secret, userIdentifier, {
      claims: widget.tokenPolicy.claims,
      ttlSeconds: widget.tokenPolicy.ttlSeconds ?? undefined,
    });
    await this.db.transaction((manager) =>
      this.audit.record(manager, context, {
        organizationId,
        action: 'user_hash.tested',
        target: { type: 'widget', id: widgetId },
        tenantId: widget.tenantId,
        details: { keyVersion: active.version, userIdentifier },
      }),
    );
    const identity = { userIdentifier, userHash };
    return {
      userIdentifier,
      userHash,
      keyVersion: active.version,
      snippets: {
        huggyData: huggyDataSnippet(identity),
        huggyLogin: huggyLoginSnippet(identity),
        huggyLogout: huggyLogoutSnippet({ widgetUuid: widget.huggyWidgetUuid ?? '<widget uuid>', companyId: widget.huggyCompanyId ?? '<company id>' }),
      },
    };
  }

  private async open(organizationId: string, widgetId: string, stored: StoredSecret): Promise<string> {
    if (stored.ciphertext === null) {
      throw new CustodyError(CustodyErrorCode.VersionDestroyed, `Version ${stored.version} was destroyed; its secret is gone.`);
    }
    return this.envelope.decrypt(stored.ciphertext, widgetSecretBinding(organizationId, widgetId, stored.version));
  }

  private async visibleWidget(organizationId: string, widgetId: string, principal: Principal): Promise<WidgetView> {
    const widget = await this.widgets.find(organizationId, widgetId);
    if (!widget || !inScope(tenantScope(principal), widget.tenantId)) throw widgetNotFound();
    return widget;
  }

  private async lockLiveWidget(
    manager: EntityManager,
    organizationId: string,
    widgetId: string,
    principal: Principal,
    options: { allowArchived?: boolean } = {},
  ): Promise<WidgetView> {
    const widget = await this.widgets.lock(manager, organizationId, widgetId);
    if (!widget || !inScope(tenantScope(principal), widget.tenantId)) throw widgetNotFound();
    if (widget.archivedAt && !options.allowArchived) {
      throw new CustodyError(CustodyErrorCode.WidgetArchived, 'This widget is archived; its secret can no longer change.');
    }
    return widget;
  }

  private async versionView(widgetId: string, version: number): Promise<SecretVersionView> {
    return (await this.versions.list(widgetId)).find((view) => view.version === version)!;
  }
}
