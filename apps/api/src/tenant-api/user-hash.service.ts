import { Inject, Injectable } from '@nestjs/common';
import { UserHashError, verifyUserHash, type SignUserHashOptions } from '@keyring/signing';
import { fastUserHashSigner } from '@keyring/signing/node';
import { ChangeFeed } from '../changes/change-feed';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';
import { andThen, type MaybePromise } from '../common/maybe-promise';
import { LiveCache } from '../changes/live-cache';
import { apiKeyScope } from '../access/scope';
import { WidgetSigningSource, type SigningMaterial } from '../custody/widget-signing.service';
import type { ApiKeyPrincipal } from './api-keys.repository';
import { RateLimiter } from './rate-limiter';
import { noActiveSecret, tenantArchived, widgetNotFound } from './tenant-api.errors';
import { Metrics } from '../metrics/metrics';
import { UsageRecorder } from './usage-recorder';

export interface IssuedUserHash {
  userIdentifier: string;
  userHash: string;
  keyVersion: number;
}

export type VerifyResult = { valid: true; userIdentifier: string; keyVersion: number } | { valid: false; reason: string };

/** What signing for a widget needs, decrypted once and kept until the widget changes. */
interface SigningState {
  id: string;
  organizationId: string;
  tenantId: string;
  widgetArchived: boolean;
  tenantArchived: boolean;
  /** The widget's token policy as signing options, made once rather than per request. */
  signOptions: SignUserHashOptions;
  /** The active version first, then the previous one. */
  versions: { version: number; state: string; secret: string; sign: ReturnType<typeof fastUserHashSigner> }[];
}

/** The tenant API's work: sign userHashes with a widget's active secret, and check tokens against it. */
@Injectable()
export class UserHashService {
  readonly cache: LiveCache<SigningState>;
  /**
   * Tenants whose widgets were loaded into the cache all at once ('warm'), or are being loaded: the first miss of
   * a tenant loads all its widgets in one go; later misses (a new, evicted or changed widget) load that widget alone.
   */
  private readonly tenants = new Map<string, Promise<void> | 'warm'>();

  constructor(
    private readonly custody: WidgetSigningSource,
    private readonly limiter: RateLimiter,
    private readonly usage: UsageRecorder,
    private readonly metrics: Metrics,
    changes: ChangeFeed,
    @Inject(KEYRING_CONFIG) config: KeyringConfig,
  ) {
    // Archiving or unarchiving a tenant drops its widgets, here and on every other instance.
    this.cache = new LiveCache(changes, 'widget', config.tenantCacheEntries, { tenant: (widget) => widget.tenantId });
    // After a reconnect (the cache was emptied) or a change of the tenant, its next miss warms it again.
    changes.subscribe((change) => {
      if (change === 'all') this.tenants.clear();
      else if (change.kind === 'tenant') this.tenants.delete(change.id);
    });
  }

  issue(key: ApiKeyPrincipal, widgetId: string, userIdentifiers: string[]): MaybePromise<IssuedUserHash[]> {
    return andThen(this.limiter.take(key.id, userIdentifiers.length), () =>
      andThen(this.signingState(key, widgetId), (widget) => this.sign(key, widget, userIdentifiers)),
    );
  }

  private sign(key: ApiKeyPrincipal, widget: SigningState, userIdentifiers: string[]): IssuedUserHash[] {
    const active = widget.versions[0];
    if (active?.state !== 'active') {
      throw noActiveSecret();
    }
    const issued = userIdentifiers.map((userIdentifier) => ({
      userIdentifier,
      userHash: active.sign(userIdentifier, widget.signOptions),
      keyVersion: active.version,
    }));
    this.usage.record(key, widget.id, 'issued', issued.length);
    this.metrics.userHashesIssued(issued.length);
    return issued;
  }

  /** Valid if the active or the previous version signed it (tokens issued just before a rotation still check). */
  async verify(key: ApiKeyPrincipal, widgetId: string, userHash: string): Promise<VerifyResult> {
    await this.limiter.take(key.id, 1);
    const widget = await this.signingState(key, widgetId);
    if (widget.versions.length === 0) {
      throw noActiveSecret();
    }
    this.usage.record(key, widgetId, 'verified', 1);
    let reason = 'signature';
    for (const candidate of widget.versions) {
      try {
        const verified = await verifyUserHash(candidate.secret, userHash);
        return { valid: true, userIdentifier: verified.userIdentifier, keyVersion: candidate.version };
      } catch (error) {
        if (!(error instanceof UserHashError)) throw error;
        reason = error.code;
        // Only a signature mismatch can be another version's token; anything else is wrong whatever the key.
        if (error.code !== 'signature') break;
      }
    }
    return { valid: false, reason };
  }

  /** The widget if the key may use it: same organization and tenant, in the key's allow-list, not archived. */
  private signingState(key: ApiKeyPrincipal, widgetId: string): MaybePromise<SigningState> {
    return andThen(
      this.cache.get(widgetId, (keepAlso) => this.load(key, widgetId, keepAlso)),
      (widget) => {
        const allowed =
          widget &&
          widget.organizationId === key.organizationId &&
          widget.tenantId === key.tenantId &&
          !widget.widgetArchived &&
          (key.widgetIds === null || key.widgetIds.includes(widgetId));
        if (!allowed) throw widgetNotFound();
        // Said only to a key of the tenant itself, which knows it is theirs.
        if (widget.tenantArchived) throw tenantArchived();
        return widget;
      },
    );
  }

  /** The first miss of a tenant loads all its widgets (others missing meanwhile wait for it); later ones, one widget. */
  private async load(key: ApiKeyPrincipal, widgetId: string, keepAlso: (entries: Iterable<[string, SigningState]>) => void): Promise<SigningState | null> {
    const tenant = this.tenants.get(key.tenantId);
    if (tenant === 'warm') return this.loadOne(key, widgetId);
    if (tenant) {
      await tenant.catch(() => undefined);
      return this.cache.peek(widgetId) ?? this.loadOne(key, widgetId);
    }
    let found: SigningState | undefined;
    const warming = this.custody.tenantSigningMaterial(apiKeyScope(key.organizationId, key.tenantId), key.tenantId).then((materials) => {
      const states = materials.map((material) => toSigningState(key, material));
      keepAlso(states.map((state) => [state.id, state]));
      found = states.find((state) => state.id === widgetId);
    });
    this.tenants.set(key.tenantId, warming);
    try {
      await warming;
    } finally {
      // Unless a change of the tenant came meanwhile (then its next miss warms it again).
      if (this.tenants.get(key.tenantId) === warming) this.tenants.set(key.tenantId, 'warm');
    }
    return found ?? this.loadOne(key, widgetId);
  }

  /** Within the key's scope: a widget of another tenant is not found, and so not cached for it. */
  private async loadOne(key: ApiKeyPrincipal, widgetId: string): Promise<SigningState | null> {
    const material = await this.custody.signingMaterial(apiKeyScope(key.organizationId, key.tenantId), widgetId);
    return material && toSigningState(key, material);
  }
}

function toSigningState(key: ApiKeyPrincipal, { tokenPolicy, versions, ...widget }: SigningMaterial): SigningState {
  return {
    ...widget,
    organizationId: key.organizationId,
    signOptions: { claims: tokenPolicy.claims, ttlSeconds: tokenPolicy.ttlSeconds ?? undefined },
    versions: versions.map((version) => ({ ...version, sign: fastUserHashSigner(version.secret) })),
  };
}
