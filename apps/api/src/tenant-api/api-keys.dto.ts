import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDate, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { IsUserIdentifier, userIdentifierProblem } from '../common/validation/user-identifier';
import { ValidatesWith } from '../common/validation/validates-with';
import { API_KEY_SCOPES, type ApiKeyScope } from './api-keys.repository';

export class CreateApiKeyDto {
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'name must not be blank' })
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

  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'expiresAt must be an ISO 8601 date-time' })
  expiresAt?: Date;
}

export class UserHashRequestDto {
  @IsUserIdentifier()
  userIdentifier!: string;
}

/** The first bad identifier of a batch, by its position, so the caller can find it. */
function userIdentifierListProblem(value: unknown): string | null {
  if (!Array.isArray(value)) return null; // IsArray reports it
  for (const [index, item] of value.entries()) {
    const problem = userIdentifierProblem(item);
    if (problem) return `userIdentifiers[${index}]: ${problem}`;
  }
  return null;
}

export class UserHashBatchDto {
  @IsArray({ message: 'userIdentifiers must be a list' })
  @ArrayMinSize(1, { message: 'userIdentifiers must hold at least 1 identifier' })
  @ArrayMaxSize(1000, { message: 'userIdentifiers must hold at most 1000 identifiers' })
  @ValidatesWith('isUserIdentifierList', userIdentifierListProblem)
  userIdentifiers!: string[];
}

export class VerifyUserHashDto {
  @IsString()
  @MaxLength(8192)
  userHash!: string;
}
