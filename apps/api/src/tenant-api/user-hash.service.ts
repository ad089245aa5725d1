import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { UserHashError, verifyUserHash, type SignUserHashOptions } from '@keyring/signing';
import { fastUserHashSigner } from '@keyring/signing/node';
import { ChangeFeed } from '../changes/change-feed';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';
import { andThen, type MaybePromise } from '../common/maybe-promise';
import { LiveCache } from '../changes/live-cache';
import { apiKeyScope } from '../access/scope';
import { WidgetSigningSource, type SigningMaterial } from '../custody/widget-signing.service';
import { ApiKeysRepository, type ApiKeyPrincipal } from './api-keys.repository';
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
export class UserHashService implements OnApplicationBootstrap {
  private readonly logger = new Logger('TenantApi');
  readonly cache: LiveCache<SigningState>;
  /**
   * Tenants whose widgets were loaded into the cache all at once ('warm'), or are being loaded: the first miss of
   * a tenant loads all its widgets in one go; later misses (a new, evicted or changed widget) load that widget alone.
   */
  private readonly tenants = new Map<string, Promise<void> | 'warm'>();
  private warmingAll: Promise<void> | null = null;
  /** Set once the start-up warm began: the feed's first 'all' (its first connection) is that warm's, not a reconnect. */
  private started = false;

  constructor(
    private readonly custody: WidgetSigningSource,
    private readonly apiKeys: ApiKeysRepository,
    private readonly limiter: RateLimiter,
    private readonly usage: UsageRecorder,
    private readonly metrics: Metrics,
    private readonly changes: ChangeFeed,
    @Inject(KEYRING_CONFIG) private readonly config: KeyringConfig,
  ) {
    // Archiving or unarchiving a tenant drops its widgets, here and on every other instance.
    this.cache = new LiveCache(changes, 'widget', config.tenantCacheEntries, { tenant: (widget) => widget.tenantId });
    // After a reconnect the cache is empty: warmed again in bulk (once the feed is live, just after it says 'all').
    // After a change of a tenant, its next miss warms it again.
    changes.subscribe((change) => {
      if (change === 'all') {
        this.tenants.clear();
        if (this.started) setImmediate(() => void this.warmKeyedTenants());
      } else if (change.kind === 'tenant') this.tenants.delete(change.id);
    });
  }

  /** The instance starts listening warm: a restart or a deploy does not meet its first traffic with an empty cache. */
  async onApplicationBootstrap(): Promise<void> {
    this.started = true;
    await this.warmKeyedTenants();
  }

  /**
   * Every widget of each tenant that has a working API key, tenant by tenant (one query each), those whose keys were
   * used last first, until the cache is full. A failure is logged, not thrown: misses then load as usual.
   */
  private warmKeyedTenants(): Promise<void> {
    if (!this.changes.live) return Promise.resolve();
    this.warmingAll ??= (async () => {
      const started = performance.now();
      let tenants = 0;
      for (const { organizationId, tenantId } of await this.apiKeys.tenantsWithWorkingKeys()) {
        if (this.cache.size >= this.config.tenantCacheEntries || !this.changes.live) break;
        if (this.tenants.has(tenantId)) continue;
        await this.warmTenant(organizationId, tenantId);
        tenants += 1;
      }
      this.logger.log(`Warmed the signing cache: ${this.cache.size} widget(s) of ${tenants} tenant(s) in ${Math.round(performance.now() - started)} ms`);
    })()
      .catch((error: unknown) => this.logger.warn(`The signing cache was not warmed (misses load as usual): ${(error as Error).message}`))
      .finally(() => (this.warmingAll = null));
    return this.warmingAll;
  }

  /** All of a tenant's widgets into the cache in one go; its misses meanwhile wait for it. */
  private warmTenant(organizationId: string, tenantId: string): Promise<void> {
    const warming = this.cache.preload(async () => {
      const materials = await this.custody.tenantSigningMaterial(apiKeyScope(organizationId, tenantId), tenantId);
      return materials.map((material): [string, SigningState] => [material.id, toSigningState(organizationId, material)]);
    });
    this.tenants.set(tenantId, warming);
    // 'warm' unless a change of the tenant came meanwhile (then its next miss warms it again).
    return warming.finally(() => {
      if (this.tenants.get(tenantId) === warming) this.tenants.set(tenantId, 'warm');
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
      this.cache.get(widgetId, () => this.load(key, widgetId)),
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
  private async load(key: ApiKeyPrincipal, widgetId: string): Promise<SigningState | null> {
    const tenant = this.tenants.get(key.tenantId);
    if (tenant !== 'warm') {
      if (tenant) await tenant.catch(() => undefined);
      else await this.warmTenant(key.organizationId, key.tenantId);
      const warmed = this.cache.peek(widgetId);
      if (warmed) return warmed;
    }
    return this.loadOne(key, widgetId);
  }

  /** Within the key's scope: a widget of another tenant is not found, and so not cached for it. */
  private async loadOne(key: ApiKeyPrincipal, widgetId: string): Promise<SigningState | null> {
    const material = await this.custody.signingMaterial(apiKeyScope(key.organizationId, key.tenantId), widgetId);
    return material && toSigningState(key.organizationId, material);
  }
}

function toSigningState(organizationId: string, { tokenPolicy, versions, ...widget }: SigningMaterial): SigningState {
  return {
    ...widget,
    organizationId,
    signOptions: { claims: tokenPolicy.claims, ttlSeconds: tokenPolicy.ttlSeconds ?? undefined },
    versions: versions.map((version) => ({ ...version, sign: fastUserHashSigner(version.secret) })),
  };
}
