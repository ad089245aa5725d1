import { DomainError } from '../common/problem/domain-error';

export enum WebhookErrorCode {
  WebhookNotFound = 'webhook-not-found',
  DeliveryNotFound = 'webhook-delivery-not-found',
  TargetRefused = 'webhook-target-refused',
  TenantScopeForbidden = 'webhook-tenant-scope-forbidden',
}

const STATUS: Record<WebhookErrorCode, number> = {
  [WebhookErrorCode.WebhookNotFound]: 404,
  [WebhookErrorCode.DeliveryNotFound]: 404,
  [WebhookErrorCode.TargetRefused]: 400,
  [WebhookErrorCode.TenantScopeForbidden]: 403,
};

export class WebhookError extends DomainError<WebhookErrorCode> {
  get status(): number {
    return STATUS[this.code];
  }
}

export const webhookNotFound = () => new WebhookError(WebhookErrorCode.WebhookNotFound, 'No such webhook.');
export const deliveryNotFound = () => new WebhookError(WebhookErrorCode.DeliveryNotFound, 'No such delivery of this webhook.');

/** The URL's problem as a field error of `url`, like the validation errors of the other fields. */
export const targetRefused = (message: string) =>
  new WebhookError(WebhookErrorCode.TargetRefused, message, { errors: [{ field: 'url', message }] });

/** A webhook carries the events of every tenant: a member limited to some tenants can neither read nor set one. */
export const tenantScopeForbidden = () =>
  new WebhookError(WebhookErrorCode.TenantScopeForbidden, 'You are limited to some tenants, and webhooks carry the events of every tenant, so they are not yours to see or change.');
