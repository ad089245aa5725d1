import { IntersectionType } from '@nestjs/mapped-types';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { TimeRangeDto } from '../common/validation/time-range.dto';
import { AUDIT_OUTCOMES, type AuditOutcome } from './audit-chain';
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

  @IsOptional()
  @IsIn(AUDIT_OUTCOMES, { message: `outcome must be one of ${AUDIT_OUTCOMES.join(', ')}` })
  outcome?: AuditOutcome;
}

export class AuditExportDto extends AuditFilterDto {
  @IsIn(['csv', 'ndjson'], { message: 'format must be csv or ndjson' })
  format!: 'csv' | 'ndjson';
}

export class VerifyWithCheckpointsDto {
  @IsArray({ message: 'checkpoints must be a list of checkpoints (compact JWS)' })
  @ArrayMinSize(1, { message: 'checkpoints must hold at least one checkpoint' })
  @ArrayMaxSize(100, { message: 'checkpoints must hold at most 100 checkpoints' })
  @IsString({ each: true, message: 'each checkpoint must be a compact JWS string' })
  @MaxLength(4000, { each: true, message: 'each checkpoint must be at most 4000 characters' })
  checkpoints!: string[];
}
