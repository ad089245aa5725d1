import { DomainError } from '../../common/problem/domain-error';

export enum ImportErrorCode {
  TooManyRows = 'import-too-many-rows',
  MalformedCsv = 'import-malformed-csv',
  BadColumns = 'import-bad-columns',
  BadBody = 'import-bad-body',
  NoRows = 'import-no-rows',
  HasErrors = 'import-has-errors',
}

const STATUS: Record<ImportErrorCode, number> = {
  [ImportErrorCode.TooManyRows]: 413,
  [ImportErrorCode.MalformedCsv]: 400,
  [ImportErrorCode.BadColumns]: 400,
  [ImportErrorCode.BadBody]: 400,
  [ImportErrorCode.NoRows]: 400,
  [ImportErrorCode.HasErrors]: 422,
};

/** What stops an import as a whole (a row's own problems are issues in the report, not errors). */
export class ImportError extends DomainError<ImportErrorCode> {
  get status(): number {
    return STATUS[this.code];
  }
}
