import { DomainError } from '../common/problem/domain-error';

export enum CustodyErrorCode {
  TenantNotFound = 'tenant-not-found',
  TenantNameTaken = 'tenant-name-taken',
  TenantArchived = 'tenant-archived',
  TenantScopeForbidden = 'tenant-scope-forbidden',
  WidgetNotFound = 'widget-not-found',
  WidgetArchived = 'widget-archived',
  WidgetNameTaken = 'widget-name-taken',
  VersionNotFound = 'secret-version-not-found',
  StaleActiveVersion = 'stale-active-version',
  NotRollbackTarget = 'not-rollback-target',
  ActiveVersionNotDestroyable = 'active-version-not-destroyable',
  VersionDestroyed = 'secret-version-destroyed',
  NoActiveSecret = 'no-active-secret',
  WrongPassword = 'wrong-password',
}

const STATUS: Record<CustodyErrorCode, number> = {
  [CustodyErrorCode.TenantNotFound]: 404,
  [CustodyErrorCode.TenantNameTaken]: 409,
  [CustodyErrorCode.TenantArchived]: 409,
  [CustodyErrorCode.TenantScopeForbidden]: 403,
  [CustodyErrorCode.WidgetNotFound]: 404,
  [CustodyErrorCode.WidgetArchived]: 409,
  [CustodyErrorCode.WidgetNameTaken]: 409,
  [CustodyErrorCode.VersionNotFound]: 404,
  [CustodyErrorCode.StaleActiveVersion]: 409,
  [CustodyErrorCode.NotRollbackTarget]: 409,
  [CustodyErrorCode.ActiveVersionNotDestroyable]: 409,
  [CustodyErrorCode.VersionDestroyed]: 409,
  [CustodyErrorCode.NoActiveSecret]: 409,
  [CustodyErrorCode.WrongPassword]: 403,
};

export class CustodyError extends DomainError<CustodyErrorCode> {
  get status(): number {
    return STATUS[this.code];
  }
}

export const tenantNotFound = () => new CustodyError(CustodyErrorCode.TenantNotFound, 'No such tenant.');
export const widgetNotFound = () => new CustodyError(CustodyErrorCode.WidgetNotFound, 'No such widget.');
