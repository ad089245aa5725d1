import { Injectable } from '@nestjs/common';
import type { Scope } from '../access/scope';
import { Envelope } from '../crypto/envelope';
import { SecretVersionsRepository } from './secret-versions.repository';
import { TenantsRepository } from './tenants.repository';
import { widgetSecretBinding } from './widget-secrets';
import { WidgetsRepository, type TokenPolicy } from './widgets.repository';

/** What the tenant API needs to sign and verify for one widget, its secrets decrypted. */
export interface SigningMaterial {
  id: string;
  tenantId: string;
  widgetArchived: boolean;
  tenantArchived: boolean;
  tokenPolicy: TokenPolicy;
  /** The active version first, then the previous one (tokens issued just before a rotation still verify). */
  versions: { version: number; state: 'active' | 'previous'; secret: string }[];
}

/**
 * Custody's one door for the tenant API: it reads custody's tables and opens the envelope so that the tenant API
 * does neither. An API key's scope (its organization and tenant) bounds what it can get.
 */
@Injectable()
export class WidgetSigningSource {
  constructor(
    private readonly widgets: WidgetsRepository,
    private readonly tenants: TenantsRepository,
    private readonly versions: SecretVersionsRepository,
    private readonly envelope: Envelope,
  ) {}

  async signingMaterial(scope: Scope, widgetId: string): Promise<SigningMaterial | null> {
    const widget = await this.widgets.find(scope, widgetId);
    const tenant = widget && (await this.tenants.find(scope, widget.tenantId));
    if (!widget || !tenant) return null;
    const stored = await this.versions.findActiveAndPrevious(scope, widgetId);
    return {
      id: widget.id,
      tenantId: widget.tenantId,
      widgetArchived: widget.archivedAt !== null,
      tenantArchived: tenant.archivedAt !== null,
      tokenPolicy: widget.tokenPolicy,
      versions: await Promise.all(
        stored.map(async ({ version, state, ciphertext }) => ({
          version,
          state: state as 'active' | 'previous',
          secret: await this.envelope.decrypt(ciphertext!, widgetSecretBinding(scope.organizationId, widgetId, version)),
        })),
      ),
    };
  }
}
