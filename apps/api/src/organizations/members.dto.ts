import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { ROLES, type Role } from '@keyring/contracts';
import { PageQueryDto } from '../common/validation/page-query.dto';

const ROLE_MESSAGE = `role must be one of ${ROLES.join(', ')}`;

export class InviteMemberDto {
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @IsIn(ROLES, { message: ROLE_MESSAGE })
  role!: Role;

  /** Limit the member to these tenants; omit or null for every tenant. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true, message: 'tenantIds must hold tenant ids (UUIDs)' })
  tenantIds?: string[] | null;
}

export class UpdateMemberDto {
  @IsOptional()
  @IsIn(ROLES, { message: ROLE_MESSAGE })
  role?: Role;

  /** null lifts the limit; an array limits the member to those tenants. */
  @ValidateIf((dto: UpdateMemberDto) => dto.tenantIds !== null && dto.tenantIds !== undefined)
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true, message: 'tenantIds must hold tenant ids (UUIDs)' })
  tenantIds?: string[] | null;
}

export class InvitationTokenDto {
  @IsString()
  @Length(1, 512)
  token!: string;
}

export class AcceptInvitationDto extends InvitationTokenDto {
  @IsString()
  @Length(1, 1024)
  password!: string;
}


export class ListMembersQueryDto extends PageQueryDto {
  /** Only the members limited to some tenants, this one among them (the client page's list). */
  @IsOptional()
  @IsUUID('all', { message: 'tenantId must be a tenant id (UUID)' })
  tenantId?: string;
}
