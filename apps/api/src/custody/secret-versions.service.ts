import { Injectable } from '@nestjs/common';
import { huggyDataSnippet, huggyLoginSnippet, huggyLogoutSnippet, secretFingerprint, signUserHash } from '@keyring/signing';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../access/principal';
import type { RequestContext } from '../access/request-context';
import type { Scope } from '../access/scope';
import { AuditWriter } from '../audit/audit-writer.service';
import { ChangeFeed } from '../changes/change-feed';
import { Envelope } from '../crypto/envelope';
import { Reauthentication } from '../identity/reauthentication';
import { CustodyError, CustodyErrorCode, widgetNotFound } from './custody.errors';
import { SecretVersionsRepository, type ExposedVersion, type RevealedVersion, type SecretVersionView, type StoredSecret } from './secret-versions.repository';
import { widgetSecretBinding } from './widget-secrets';
import { WidgetsRepository, type LockedWidget, type WidgetView } from './widgets.repository';

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

  async list(scope: Scope, widgetId: string): Promise<{ items: SecretVersionView[] }> {
    if (!(await this.widgets.find(scope, widgetId))) throw widgetNotFound();
    return { items: await this.versions.list(scope, widgetId) };
  }

  /** The versions `userId` revealed (`reveals`, from the audit log) or stored, within the scope: their offboarding report. */
  exposedTo(scope: Scope, userId: string, reveals: readonly RevealedVersion[]): Promise<ExposedVersion[]> {
    return this.versions.exposedTo(scope, userId, reveals);
  }

  /** Stores `secret` as the new active version, in the caller's transaction with the widget row locked. */
  async store(manager: EntityManager, scope: Scope, widget: WidgetView, secret: string, createdBy: string | null): Promise<{ version: number; fingerprint: string }> {
    const version = await this.versions.nextVersion(manager, scope, widget.id);
    const fingerprint = await secretFingerprint(widget.id, secret);
    await this.versions.insertActive(manager, scope, {
      widgetId: widget.id,
      version,
      ciphertext: await this.envelope.encrypt(secret, widgetSecretBinding(scope.organizationId, widget.id, version)),
      masterKeyId: this.envelope.activeKeyId,
      fingerprint,
      createdBy,
    });
    return { version, fingerprint };
  }

  async rotate(
    scope: Scope,
    widgetId: string,
    secret: string,
    expectedActiveVersion: number | undefined,
    principal: Principal,
    context: RequestContext,
  ): Promise<SecretVersionView> {
    const { version } = await this.db.transaction(async (manager) => {
      const widget = await this.lockLiveWidget(manager, scope, widgetId, 'rotated');
      const activeVersion = widget.activeSecret?.version ?? 0;
      if (expectedActiveVersion !== undefined && expectedActiveVersion !== activeVersion) {
        throw new CustodyError(
          CustodyErrorCode.StaleActiveVersion,
          `The active version is now ${activeVersion}, not ${expectedActiveVersion}: someone rotated meanwhile. Reload and check before rotating again.`,
          { activeVersion },
        );
      }
      const stored = await this.store(manager, scope, widget, secret, principal.userId);
      await this.changes.publish(manager, { kind: 'widget', id: widgetId });
      await this.audit.record(manager, context, {
        organizationId: scope.organizationId,
        action: 'secret.rotated',
        target: { type: 'widget', id: widgetId },
        tenantId: widget.tenantId,
        details: {
          version: stored.version,
          fingerprint: stored.fingerprint,
          previousVersion: widget.activeSecret?.version ?? null,
          // The new secret answers an offboarding's request (the widget leaves "rotation requested").
          ...(widget.rotationRequestedAt && { rotationRequestCleared: true }),
        },
      });
      return stored;
    });
    return this.versionView(scope, widgetId, version);
  }

  /** Rollback: re-activates the previous version, for when the wrong key was pasted. */
  async activate(scope: Scope, widgetId: string, version: number, context: RequestContext): Promise<SecretVersionView> {
    await this.db.transaction(async (manager) => {
      const widget = await this.lockLiveWidget(manager, scope, widgetId, 'rolled back');
      const target = await this.versions.find(scope, widgetId, version, manager);
      if (!target) throw versionNotFound();
      if (target.state !== 'previous' || !widget.activeSecret) {
        throw new CustodyError(
          CustodyErrorCode.NotRollbackTarget,
          `Only the previous version can be re-activated; version ${version} is ${target.state}.`,
        );
      }
      await this.versions.swapActiveAndPrevious(manager, scope, widgetId, widget.activeSecret.version, version);
      await this.changes.publish(manager, { kind: 'widget', id: widgetId });
      await this.audit.record(manager, context, {
        organizationId: scope.organizationId,
        action: 'secret.rolled_back',
        target: { type: 'widget', id: widgetId },
        tenantId: widget.tenantId,
        details: { version, fingerprint: target.fingerprint, replacedVersion: widget.activeSecret.version },
      });
    });
    return this.versionView(scope, widgetId, version);
  }

  /** Allowed on an archived widget too: erasing old secrets is how one cleans up after a client leaves. */
  async destroy(scope: Scope, widgetId: string, version: number, context: RequestContext): Promise<SecretVersionView> {
    await this.db.transaction(async (manager) => {
      const widget = await this.widgets.lock(manager, scope, widgetId);
      if (!widget) throw widgetNotFound();
      const target = await this.versions.find(scope, widgetId, version, manager);
      if (!target) throw versionNotFound();
      if (target.state === 'active') {
        throw new CustodyError(CustodyErrorCode.ActiveVersionNotDestroyable, 'The active version cannot be destroyed: rotate to a new secret first.');
      }
      if (target.state === 'destroyed') {
        throw new CustodyError(CustodyErrorCode.VersionDestroyed, `Version ${version} is already destroyed.`);
      }
      await this.versions.destroy(manager, scope, widgetId, version);
      await this.changes.publish(manager, { kind: 'widget', id: widgetId });
      await this.audit.record(manager, context, {
        organizationId: scope.organizationId,
        action: 'secret.destroyed',
        target: { type: 'widget', id: widgetId },
        tenantId: widget.tenantId,
        details: { version, fingerprint: target.fingerprint, stateBefore: target.state },
      });
    });
    return this.versionView(scope, widgetId, version);
  }

  /** The plaintext, for an admin who gave their password again; audited in the same transaction. */
  async reveal(
    scope: Scope,
    widgetId: string,
    version: number,
    password: string,
    reason: string | undefined,
    principal: Principal,
    context: RequestContext,
  ): Promise<{ version: number; fingerprint: string; secret: string }> {
    // Existence first: a widget out of the caller's reach is a 404 whatever the password.
    if (!(await this.widgets.find(scope, widgetId))) throw widgetNotFound();
    await this.reauthentication.checkPassword(principal.userId, password, {
      purpose: 'secret-reveal',
      context,
      refusal: () => new CustodyError(CustodyErrorCode.WrongPassword, 'The password is not correct; the secret was not revealed.'),
    });
    return this.db.transaction(async (manager) => {
      const widget = await this.lockLiveWidget(manager, scope, widgetId, 'revealed');
      const stored = await this.versions.find(scope, widgetId, version, manager);
      if (!stored) throw versionNotFound();
      const secret = await this.open(scope, widgetId, stored);
      await this.audit.record(manager, context, {
        organizationId: scope.organizationId,
        action: 'secret.revealed',
        target: { type: 'widget', id: widgetId },
        tenantId: widget.tenantId,
        details: { version, fingerprint: stored.fingerprint, reason: reason?.trim() || null },
      });
      return { version, fingerprint: stored.fingerprint, secret };
    });
  }

  /** A real token from the active secret, with the snippets filled in, to try a widget end to end. */
  async testUserHash(scope: Scope, widgetId: string, userIdentifier: string, context: RequestContext) {
    const { widget, active, userHash } = await this.db.transaction(async (manager) => {
      const widget = await this.lockLiveWidget(manager, scope, widgetId, 'test-signed');
      const active = await this.versions.findActive(scope, widgetId, manager);
      if (!active) {
        throw new CustodyError(CustodyErrorCode.NoActiveSecret, 'This widget has no secret yet: paste the one from the Huggy panel first.');
      }
      const userHash = await signUserHash(await this.open(scope, widgetId, active), userIdentifier, {
        claims: widget.tokenPolicy.claims,
        ttlSeconds: widget.tokenPolicy.ttlSeconds ?? undefined,
      });
      await this.audit.record(manager, context, {
        organizationId: scope.organizationId,
        action: 'user_hash.tested',
        target: { type: 'widget', id: widgetId },
        tenantId: widget.tenantId,
        details: { keyVersion: active.version, userIdentifier },
      });
      return { widget, active, userHash };
    });
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

  private async open(scope: Scope, widgetId: string, stored: StoredSecret): Promise<string> {
    if (stored.ciphertext === null) {
      throw new CustodyError(CustodyErrorCode.VersionDestroyed, `Version ${stored.version} was destroyed; its secret is gone.`);
    }
    return this.envelope.decrypt(stored.ciphertext, widgetSecretBinding(scope.organizationId, widgetId, stored.version));
  }

  /** The widget locked, refused when it or its tenant is archived: `action` says what it then cannot be. */
  private async lockLiveWidget(manager: EntityManager, scope: Scope, widgetId: string, action: string): Promise<LockedWidget> {
    return liveWidget(await this.widgets.lock(manager, scope, widgetId), action);
  }

  private async versionView(scope: Scope, widgetId: string, version: number): Promise<SecretVersionView> {
    return (await this.versions.list(scope, widgetId)).find((view) => view.version === version)!;
  }
}

/** `widget` if it exists and neither it nor its tenant is archived. */
export function liveWidget(widget: LockedWidget | null, action: string): LockedWidget {
  if (!widget) throw widgetNotFound();
  if (widget.archivedAt) throw new CustodyError(CustodyErrorCode.WidgetArchived, `This widget is archived; it cannot be ${action}.`);
  if (widget.tenantArchived) throw new CustodyError(CustodyErrorCode.TenantArchived, `This widget's tenant is archived; the widget cannot be ${action}. Unarchive the tenant first.`);
  return widget;
}
