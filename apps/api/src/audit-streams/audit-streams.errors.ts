import { DomainError } from '../common/problem/domain-error';

export enum AuditStreamsErrorCode {
  StreamNotFound = 'audit-stream-not-found',
  TenantLimited = 'audit-stream-tenant-limited',
  AlreadyStreaming = 'audit-stream-exists',
}

const STATUS: Record<AuditStreamsErrorCode, number> = {
  [AuditStreamsErrorCode.StreamNotFound]: 404,
  [AuditStreamsErrorCode.TenantLimited]: 403,
  [AuditStreamsErrorCode.AlreadyStreaming]: 409,
};

export class AuditStreamsError extends DomainError<AuditStreamsErrorCode> {
  get status(): number {
    return STATUS[this.code];
  }
}

export const streamNotFound = () => new AuditStreamsError(AuditStreamsErrorCode.StreamNotFound, 'No such audit stream.');
