import { IsDateString, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '../organizations/members.dto';

export class AuditFilterDto extends PageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  actorId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  targetType?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  targetId?: string;

  @IsOptional()
  @IsUUID('all', { message: 'tenantId must be a tenant id (UUID)' })
  tenantId?: string;

  @IsOptional()
  @IsDateString({}, { message: 'from must be an ISO 8601 date-time' })
  from?: string;

  @IsOptional()
  @IsDateString({}, { message: 'to must be an ISO 8601 date-time' })
  to?: string;
}

export class AuditExportDto extends AuditFilterDto {
  @IsIn(['csv', 'ndjson'], { message: 'format must be csv or ndjson' })
  format!: 'csv' | 'ndjson';
}
