import { IsIn, IsString, Length } from 'class-validator';
import { AUDIT_STREAM_KINDS, type AuditStreamKind } from '@keyring/contracts';

export class CreateAuditStreamDto {
  @IsIn(AUDIT_STREAM_KINDS, { message: `kind must be one of ${AUDIT_STREAM_KINDS.join(', ')}` })
  kind!: AuditStreamKind;

  /** tcp://host:port or tls://host:port for syslog, https://… for https; checked further by parseStreamTarget. */
  @IsString({ message: 'url must be a string' })
  @Length(1, 2000, { message: 'url must be 1 to 2000 characters' })
  url!: string;
}
