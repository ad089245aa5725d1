import { OmitType, PartialType } from '@nestjs/mapped-types';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { NOT_BLANK_PATTERN, WIDGET_SEARCH_MIN_LENGTH, WIDGET_STATUS_FILTERS, type WidgetStatusFilter } from '@keyring/contracts';
import { USER_HASH_CLAIMS, type UserHashClaims } from '@keyring/signing';
import { IsUserIdentifier } from '../common/validation/user-identifier';
import { PageQueryDto } from '../common/validation/page-query.dto';
import { IsWidgetSecret } from './secret-rules';
import { QueryBoolean } from '../common/validation/query-boolean';


export class CreateTenantDto {
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK_PATTERN, { message: 'name must not be blank' })
  name!: string;
}

export class UpdateTenantDto extends CreateTenantDto {}

export class ListQueryDto extends PageQueryDto {
  /** Part of the name, any case. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class ListWidgetsQueryDto extends PageQueryDto {
  /** Part of the widget's name, its tenant's name or its Huggy widget uuid, any case and accents. */
  @IsOptional()
  @IsString()
  @MinLength(WIDGET_SEARCH_MIN_LENGTH, { message: `q must be at least ${WIDGET_SEARCH_MIN_LENGTH} characters to search widgets` })
  @MaxLength(200)
  q?: string;

  @IsOptional()
  @IsUUID('all', { message: 'tenantId must be a tenant id (UUID)' })
  tenantId?: string;

  @IsOptional()
  @IsIn(WIDGET_STATUS_FILTERS, { message: `status must be one of ${WIDGET_STATUS_FILTERS.join(', ')}` })
  status?: WidgetStatusFilter;

  /** For status=unused: no userHash issued for this many days (30 unless given). */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'unusedDays must be a whole number of days' })
  @Min(1)
  @Max(3650)
  unusedDays?: number;

  /** true lists archived widgets instead of live ones. */
  @QueryBoolean('archived')
  archived?: boolean;
}

export class TokenPolicyDto {
  @IsIn(USER_HASH_CLAIMS, { message: `claims must be one of ${USER_HASH_CLAIMS.join(', ')}` })
  claims!: UserHashClaims;

  /** Required with `jti+iat+exp`, refused otherwise. */
  @ValidateIf((policy: TokenPolicyDto) => policy.claims === 'jti+iat+exp' || policy.ttlSeconds !== undefined)
  @IsInt({ message: 'ttlSeconds must be a whole number of seconds (required with jti+iat+exp)' })
  @Min(1)
  @Max(31_536_000)
  ttlSeconds?: number;
}

export class CreateWidgetDto {
  @IsUUID('all', { message: 'tenantId must be a tenant id (UUID)' })
  tenantId!: string;

  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK_PATTERN, { message: 'name must not be blank' })
  name!: string;

  @IsOptional()
  @IsUUID('all', { message: 'huggyWidgetUuid must be the widget UUID from the Huggy panel' })
  huggyWidgetUuid?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[0-9]{1,20}$/, { message: 'huggyCompanyId must be the numeric company id from the Huggy panel' })
  huggyCompanyId?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => TokenPolicyDto)
  tokenPolicy?: TokenPolicyDto;

  /** The widget's current secret from the Huggy panel, to store as version 1. */
  @IsOptional()
  @IsWidgetSecret()
  secret?: string;
}

/** Every field of a widget but its tenant and its secret (which changes by rotation), each optional. */
export class UpdateWidgetDto extends PartialType(OmitType(CreateWidgetDto, ['tenantId', 'secret'] as const)) {}

export class RotateSecretDto {
  @IsWidgetSecret()
  secret!: string;

  /** The version the caller believes is active (0 for none); a mismatch means someone rotated meanwhile. */
  @IsOptional()
  @IsInt({ message: 'expectedActiveVersion must be a whole number' })
  @Min(0)
  expectedActiveVersion?: number;
}

export class RevealSecretDto {
  @IsString()
  @Length(1, 1024)
  password!: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class TestUserHashDto {
  @IsUserIdentifier()
  userIdentifier!: string;
}

export class UpdateSettingsDto {
  @IsInt({ message: 'rotationMaxAgeDays must be a whole number of days' })
  @Min(1)
  @Max(3650)
  rotationMaxAgeDays!: number;
}
