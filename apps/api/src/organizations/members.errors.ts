import { DomainError } from '../common/problem/domain-error';

export enum MembersErrorCode {
  MemberNotFound = 'member-not-found',
  LastOwner = 'last-owner',
  AlreadyMember = 'already-member',
  InvitationInvalid = 'invitation-invalid',
  InvitationNotFound = 'invitation-not-found',
  InvitationLimit = 'invitation-limit',
}

const STATUS: Record<MembersErrorCode, number> = {
  [MembersErrorCode.MemberNotFound]: 404,
  [MembersErrorCode.LastOwner]: 409,
  [MembersErrorCode.AlreadyMember]: 409,
  [MembersErrorCode.InvitationInvalid]: 404,
  [MembersErrorCode.InvitationNotFound]: 404,
  [MembersErrorCode.InvitationLimit]: 429,
};

export class MembersError extends DomainError<MembersErrorCode> {
  get status(): number {
    return STATUS[this.code];
  }
}
