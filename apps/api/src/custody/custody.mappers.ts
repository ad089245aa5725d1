import type { SecretVersion, Tenant, Widget } from '@keyring/contracts';
import { iso, isoOrNull } from '../common/http/iso';
import type { SecretVersionView } from './secret-versions.repository';
import type { TenantView } from './tenants.repository';
import type { WidgetView } from './widgets.repository';

// One mapper per resource, from the repository's row to the libs/contracts type: a field added on one side only
// fails the type check here, before the OpenAPI test.

export function toTenant(tenant: TenantView): Tenant {
  return {
    id: tenant.id,
    name: tenant.name,
    widgetCount: tenant.widgetCount,
    createdAt: iso(tenant.createdAt),
    updatedAt: iso(tenant.updatedAt),
    archivedAt: isoOrNull(tenant.archivedAt),
  };
}

export function toWidget(widget: WidgetView): Widget {
  return {
    id: widget.id,
    tenantId: widget.tenantId,
    tenantName: widget.tenantName,
    name: widget.name,
    huggyWidgetUuid: widget.huggyWidgetUuid,
    huggyCompanyId: widget.huggyCompanyId,
    tokenPolicy: { claims: widget.tokenPolicy.claims, ttlSeconds: widget.tokenPolicy.ttlSeconds },
    activeSecret: widget.activeSecret && {
      version: widget.activeSecret.version,
      fingerprint: widget.activeSecret.fingerprint,
      activatedAt: iso(widget.activeSecret.activatedAt),
    },
    rotationRequestedAt: isoOrNull(widget.rotationRequestedAt),
    createdAt: iso(widget.createdAt),
    updatedAt: iso(widget.updatedAt),
    archivedAt: isoOrNull(widget.archivedAt),
  };
}

export function toSecretVersion(version: SecretVersionView): SecretVersion {
  return {
    version: version.version,
    state: version.state,
    fingerprint: version.fingerprint,
    createdAt: iso(version.createdAt),
    createdBy: version.createdBy,
    activatedAt: isoOrNull(version.activatedAt),
    retiredAt: isoOrNull(version.retiredAt),
    destroyedAt: isoOrNull(version.destroyedAt),
  };
}
