import { QueryBoolean } from '../../common/validation/query-boolean';

export class ImportQueryDto {
  /** true: check every row and report what it would do, changing nothing. */
  @QueryBoolean('dryRun')
  dryRun?: boolean;
}
