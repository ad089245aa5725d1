import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDate, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { API_KEY_SCOPES, NOT_BLANK_PATTERN, type ApiKeyScope } from '@keyring/contracts';
import { PageQueryDto } from '../common/validation/page-query.dto';
import { ValidatesWith } from '../common/validation/validates-with';
import { QueryBoolean } from '../common/validation/query-boolean';

export class CreateApiKeyDto {
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK_PATTERN, { message: 'name must not be blank' })
  name!: string;

  @IsUUID('all', { message: 'tenantId must be a tenant id (UUID)' })
  tenantId!: string;

  @IsArray({ message: `scopes must be a list of ${API_KEY_SCOPES.join(', ')}` })
  @ArrayMinSize(1, { message: 'scopes must name at least one scope' })
  @IsIn(API_KEY_SCOPES, { each: true, message: `scopes must be a list of ${API_KEY_SCOPES.join(', ')}` })
  scopes!: ApiKeyScope[];

  /** Limit the key to these widgets of the tenant; omit for all of them. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true, message: 'widgetIds must hold widget ids (UUIDs)' })
  widgetIds?: string[];

  // A key born expired would be shown once and never work. (Above IsDate: a date that is not one gets IsDate's message.)
  @ValidatesWith('isInTheFuture', (value) => (value instanceof Date && value.getTime() > Date.now() ? null : 'expiresAt must be in the future'))
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'expiresAt must be an ISO 8601 date-time' })
  expiresAt?: Date;
}

export class ListApiKeysQueryDto extends PageQueryDto {
  /** Only this tenant's keys (the client page's list). */
  @IsOptional()
  @IsUUID('all', { message: 'tenantId must be a tenant id (UUID)' })
  tenantId?: string;

  /** true: only live keys that expire within 7 days (the dashboard's "needs attention"). */
  @QueryBoolean('expiring')
  expiring?: boolean;
}
