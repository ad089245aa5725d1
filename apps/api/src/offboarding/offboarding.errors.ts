import { DomainError } from '../common/problem/domain-error';

export enum OffboardingErrorCode {
  PersonNotFound = 'person-not-found',
}

const STATUS: Record<OffboardingErrorCode, number> = {
  [OffboardingErrorCode.PersonNotFound]: 404,
};

export class OffboardingError extends DomainError<OffboardingErrorCode> {
  get status(): number {
    return STATUS[this.code];
  }
}

export const personNotFound = () =>
  new OffboardingError(OffboardingErrorCode.PersonNotFound, 'No member or former member of this organization has this user id.');
