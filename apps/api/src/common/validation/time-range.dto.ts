import { IsDateString, IsOptional } from 'class-validator';

/** `from` (inclusive) and `to` (exclusive) of a query over time. */
export class TimeRangeDto {
  @IsOptional()
  @IsDateString({}, { message: 'from must be an ISO 8601 date-time' })
  from?: string;

  @IsOptional()
  @IsDateString({}, { message: 'to must be an ISO 8601 date-time' })
  to?: string;
}
