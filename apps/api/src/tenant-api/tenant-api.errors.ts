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
};

/** One answer for every widget a key may not use, so that ids of other tenants reveal nothing. */
export const widgetNotFound = () => new TenantApiError(TenantApiErrorCode.WidgetNotFound, 'No such widget for this API key.');

/** Said to the tenant's developer, who cannot fix it: the agency has to paste the widget's secret. */
export const noActiveSecret = () => new TenantApiError(TenantApiErrorCode.NoActiveSecret, 'This widget has no secret yet; ask the agency to add it in Keyring.');

export class TenantApiError extends DomainError<TenantApiErrorCode> {
  get status(): number {
    return STATUS[this.code];
  }
}
