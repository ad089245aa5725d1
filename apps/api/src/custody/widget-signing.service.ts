import { Injectable } from '@nestjs/common';
import type { Scope } from '../access/scope';
import { Envelope } from '../crypto/envelope';
import { SecretVersionsRepository, type StoredSecret } from './secret-versions.repository';
import { TenantsRepository, type TenantView } from './tenants.repository';
import { widgetSecretBinding } from './widget-secrets';
import { WidgetsRepository, type TokenPolicy, type WidgetView } from './widgets.repository';

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
    return this.material(scope, widget, tenant, await this.versions.findActiveAndPrevious(scope, widgetId));
  }

  /**
   * The material of every widget of `tenantId` within the scope that is not archived, in three queries however many
   * widgets: how the tenant API warms its cache for a tenant at once rather than widget by widget.
   */
  async tenantSigningMaterial(scope: Scope, tenantId: string): Promise<SigningMaterial[]> {
    const tenant = await this.tenants.find(scope, tenantId);
    if (!tenant) return [];
    const [widgets, versions] = await Promise.all([this.widgets.liveInScope(scope), this.versions.activeAndPreviousInScope(scope)]);
    const byWidget = new Map<string, StoredSecret[]>();
    for (const version of versions) byWidget.set(version.widgetId, [...(byWidget.get(version.widgetId) ?? []), version]);
    return Promise.all(
      widgets.filter((widget) => widget.tenantId === tenantId).map((widget) => this.material(scope, widget, tenant, byWidget.get(widget.id) ?? [])),
    );
  }

  private async material(scope: Scope, widget: WidgetView, tenant: TenantView, stored: StoredSecret[]): Promise<SigningMaterial> {
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
          secret: await this.envelope.decrypt(ciphertext!, widgetSecretBinding(scope.organizationId, widget.id, version)),
        })),
      ),
    };
  }
}
