import { DomainError } from '../common/problem/domain-error';

export enum AuditErrorCode {
  CheckpointInvalid = 'audit-checkpoint-invalid',
  CheckpointOfAnotherOrganization = 'audit-checkpoint-of-another-organization',
  CheckpointNeedsWholeOrganization = 'audit-checkpoint-needs-whole-organization',
}

const STATUS: Record<AuditErrorCode, number> = {
  [AuditErrorCode.CheckpointInvalid]: 400,
  [AuditErrorCode.CheckpointOfAnotherOrganization]: 400,
  [AuditErrorCode.CheckpointNeedsWholeOrganization]: 403,
};

export class AuditError extends DomainError<AuditErrorCode> {
  get status(): number {
    return STATUS[this.code];
  }
}
