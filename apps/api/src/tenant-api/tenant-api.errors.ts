import { DomainError } from '../common/problem/domain-error';

export enum TenantApiErrorCode {
  ApiKeyInvalid = 'api-key-invalid',
  ApiKeyExpired = 'api-key-expired',
  ApiKeyRevoked = 'api-key-revoked',
  ScopeMissing = 'api-key-scope-missing',
  WidgetNotFound = 'widget-not-found',
  NoActiveSecret = 'no-active-secret',
  ApiKeyNotFound = 'api-key-not-found',
  RateLimited = 'rate-limited',
  TenantArchived = 'tenant-archived',
}

const STATUS: Record<TenantApiErrorCode, number> = {
  [TenantApiErrorCode.ApiKeyInvalid]: 401,
  [TenantApiErrorCode.ApiKeyExpired]: 401,
  [TenantApiErrorCode.ApiKeyRevoked]: 401,
  [TenantApiErrorCode.ScopeMissing]: 403,
  [TenantApiErrorCode.WidgetNotFound]: 404,
  [TenantApiErrorCode.NoActiveSecret]: 409,
  [TenantApiErrorCode.ApiKeyNotFound]: 404,
  [TenantApiErrorCode.RateLimited]: 429,
  [TenantApiErrorCode.TenantArchived]: 403,
};

/** One answer for every widget a key may not use, so that ids of other tenants reveal nothing. */
export const widgetNotFound = () => new TenantApiError(TenantApiErrorCode.WidgetNotFound, 'No such widget for this API key.');

/** Said to the tenant's developer, who cannot fix it: the agency has to paste the widget's secret. */
export const noActiveSecret = () => new TenantApiError(TenantApiErrorCode.NoActiveSecret, 'This widget has no secret yet; ask the agency to add it in Keyring.');

/** The agency archived the key's tenant: everything that acts for it stops until it is unarchived. */
export const tenantArchived = () =>
  new TenantApiError(TenantApiErrorCode.TenantArchived, "This API key's tenant is archived in Keyring, so it can no longer sign or verify; ask the agency.");

export class TenantApiError extends DomainError<TenantApiErrorCode> {
  get status(): number {
    return STATUS[this.code];
  }
}
