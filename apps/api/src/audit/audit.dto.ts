import { IntersectionType } from '@nestjs/mapped-types';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { TimeRangeDto } from '../common/validation/time-range.dto';
import { PageQueryDto } from '../common/validation/page-query.dto';

export class AuditFilterDto extends IntersectionType(PageQueryDto, TimeRangeDto) {
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

}

export class AuditExportDto extends AuditFilterDto {
  @IsIn(['csv', 'ndjson'], { message: 'format must be csv or ndjson' })
  format!: 'csv' | 'ndjson';
}
