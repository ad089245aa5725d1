import { Injectable } from '@nestjs/common';
import { signUserHash, UserHashError, verifyUserHash } from '@keyring/signing';
import { Envelope } from '../crypto/envelope';
import { SecretVersionsRepository, type StoredSecret } from '../custody/secret-versions.repository';
import { widgetSecretBinding } from '../custody/widget-secrets';
import { WidgetsRepository, type WidgetView } from '../custody/widgets.repository';
import type { ApiKeyPrincipal } from './api-keys.repository';
import { TenantApiError, TenantApiErrorCode } from './tenant-api.errors';

export interface IssuedUserHash {
  userIdentifier: string;
  userHash: string;
  keyVersion: number;
}

export type VerifyResult =
  | { valid: true; userIdentifier: string; keyVersion: number }
  | { valid: false; reason: string };

/** The tenant API's work: sign userHashes with a widget's active secret, and check tokens against it. */
@Injectable()
export class UserHashService {
  constructor(
    private readonly widgets: WidgetsRepository,
    private readonly versions: SecretVersionsRepository,
    private readonly envelope: Envelope,
  ) {}

  async issue(key: ApiKeyPrincipal, widgetId: string, userIdentifiers: string[]): Promise<IssuedUserHash[]> {
    const widget = await this.widgetFor(key, widgetId);
    const [active] = await this.versions.findActiveAndPrevious(widgetId);
    if (active?.state !== 'active') {
      throw new TenantApiError(TenantApiErrorCode.NoActiveSecret, 'This widget has no secret yet; ask the agency to add it in Keyring.');
    }
    const secret = await this.open(key, widget, active);
    const options = { claims: widget.tokenPolicy.claims, ttlSeconds: widget.tokenPolicy.ttlSeconds ?? undefined };
    return Promise.all(
      userIdentifiers.map(async (userIdentifier) => ({
        userIdentifier,
        userHash: await signUserHash(secret, userIdentifier, options),
        keyVersion: active.version,
      })),
    );
  }

  /** Valid if the active or the previous version signed it (tokens issued just before a rotation still check). */
  async verify(key: ApiKeyPrincipal, widgetId: string, userHash: string): Promise<VerifyResult> {
    const widget = await this.widgetFor(key, widgetId);
    const candidates = await this.versions.findActiveAndPrevious(widgetId);
    if (candidates.length === 0) {
      throw new TenantApiError(TenantApiErrorCode.NoActiveSecret, 'This widget has no secret yet; ask the agency to add it in Keyring.');
    }
    let reason = 'signature';
    for (const candidate of candidates) {
      try {
        const verified = await verifyUserHash(await this.open(key, widget, candidate), userHash);
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
  private async widgetFor(key: ApiKeyPrincipal, widgetId: string): Promise<WidgetView> {
    const widget = await this.widgets.find(key.organizationId, widgetId);
    const allowed = widget && widget.tenantId === key.tenantId && !widget.archivedAt && (key.widgetIds === null || key.widgetIds.includes(widgetId));
    if (!allowed) throw new TenantApiError(TenantApiErrorCode.WidgetNotFound, 'No such widget for this API key.');
    return widget;
  }

  private open(key: ApiKeyPrincipal, widget: WidgetView, stored: StoredSecret): Promise<string> {
    return this.envelope.decrypt(stored.ciphertext!, widgetSecretBinding(key.organizationId, widget.id, stored.version));
  }
}
