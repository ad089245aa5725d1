import { DomainError } from '../common/problem/domain-error';

export enum AccessErrorCode {
  NotSignedIn = 'not-signed-in',
  CsrfTokenInvalid = 'csrf-token-invalid',
  RoleForbidden = 'role-forbidden',
  OrganizationNotFound = 'organization-not-found',
  NoAccessRule = 'no-access-rule',
  NoScope = 'no-scope',
}

const STATUS: Record<AccessErrorCode, number> = {
  [AccessErrorCode.NotSignedIn]: 401,
  [AccessErrorCode.CsrfTokenInvalid]: 403,
  [AccessErrorCode.RoleForbidden]: 403,
  // Another organization's resources do not exist for the caller: never a 403 that would confirm them.
  [AccessErrorCode.OrganizationNotFound]: 404,
  [AccessErrorCode.NoAccessRule]: 403,
  [AccessErrorCode.NoScope]: 403,
};

export class AccessError extends DomainError<AccessErrorCode> {
  get status(): number {
    return STATUS[this.code];
  }
}
