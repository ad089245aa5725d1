import type { ImportField } from '@keyring/contracts';
import { CsvError, parse } from 'csv-parse/sync';
import { ImportError, ImportErrorCode } from './import.errors';

/** Rows in one import: 10,000 are imported in well under a minute (tools/bench/import.mjs). */
export const IMPORT_MAX_ROWS = 10_000;
/** The body limit of the import route: 10,000 rows of ordinary length fit several times over. */
export const IMPORT_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

/** The import route takes CSV besides JSON, and a larger body than the other routes (see the edge listener). */
export const IMPORT_BODY = {
  method: 'POST',
  path: /^\/api\/v1\/orgs\/[^/]+\/imports\/?$/,
  policy: { limitBytes: IMPORT_BODY_LIMIT_BYTES, csv: true },
};

/** The columns, in the order the inventory export writes them. */
export const IMPORT_FIELDS: readonly ImportField[] = ['tenant', 'widget', 'huggyWidgetUuid', 'huggyCompanyId', 'secret'];
const REQUIRED_COLUMNS: readonly ImportField[] = ['tenant', 'widget'];

/** A row as sent: each field's raw value (absent when empty), where it is in the file, and what is wrong with its shape. */
export interface InputRow {
  row: number;
  values: Partial<Record<ImportField, unknown>>;
  problem?: string;
}

/** `huggy_widget_uuid`, `Huggy widget UUID` and `huggyWidgetUuid` all name one column. */
const columnKey = (name: string) => name.replace(/[\s_-]/g, '').toLowerCase();
const COLUMN_BY_KEY = new Map(IMPORT_FIELDS.map((field) => [columnKey(field), field]));

/** The rows of a CSV body (a header line naming the columns, then one widget a line) or of a JSON `{ rows }`. */
export function readImportBody(body: unknown): InputRow[] {
  const rows = typeof body === 'string' ? csvRows(body) : jsonRows(body);
  if (rows.length === 0) throw new ImportError(ImportErrorCode.NoRows, 'The import holds no rows: one widget a row, under a header line naming the columns.');
  return rows;
}

function csvRows(text: string): InputRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true, to: IMPORT_MAX_ROWS + 2 }) as unknown as typeof records;
  } catch (error) {
    // The parser's own message may quote the file, and the file holds secrets: only where and what kind.
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new ImportError(ImportErrorCode.MalformedCsv, `The CSV cannot be read${line ? ` at line ${line}` : ''}: ${CSV_PROBLEMS[error.code] ?? 'it is not valid CSV'}.`);
    }
    throw error;
  }
  const [header, ...data] = records;
  if (!header) return [];
  const columns = headerColumns(header.record);
  if (data.length > IMPORT_MAX_ROWS) throw tooManyRows();
  return data.map(({ record, info }) => {
    if (record.length > columns.length) {
      return { row: info.lines, values: {}, problem: `this row has ${record.length} cells but the header ${columns.length} columns (a comma in a name? quote the cell)` };
    }
    return { row: info.lines, values: Object.fromEntries(columns.map((field, i) => [field, record[i] === undefined || record[i] === '' ? undefined : unescapeFormula(field, record[i])])) };
  });
}

const CSV_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell is never closed',
  INVALID_OPENING_QUOTE: 'a quote opens in the middle of a cell',
  CSV_INVALID_CLOSING_QUOTE: 'a quoted cell goes on after its closing quote',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a quoted cell goes on after its closing quote',
};

/** What a column name (known or not) looks like: letters, spaces, '_' or '-', at most 30. */
const COLUMN_NAME_LIKE = /^[\p{L} _-]{1,30}$/u;

function headerColumns(header: string[]): ImportField[] {
  const columns = header.map((name) => COLUMN_BY_KEY.get(columnKey(name)));
  const unknown = header.filter((_, i) => !columns[i]);
  if (unknown.length > 0) {
    // Only what reads as a column name is quoted back: a file without its header line has a row (and its secret) here.
    const named = unknown.filter((name) => COLUMN_NAME_LIKE.test(name));
    const others = unknown.length - named.length;
    const what = [
      ...(named.length > 0 ? [`Unknown column ${named.map((name) => `"${name}"`).join(', ')}`] : []),
      ...(others > 0 ? [`${others} cell(s) of the first line are not column names (is the header line missing?)`] : []),
    ];
    throw new ImportError(ImportErrorCode.BadColumns, `${what.join('; ')}: the header names the columns ${IMPORT_FIELDS.join(', ')}.`);
  }
  const found = columns as ImportField[];
  const repeated = found.filter((field, i) => found.indexOf(field) !== i);
  if (repeated.length > 0) throw new ImportError(ImportErrorCode.BadColumns, `The column ${repeated[0]} is named twice in the header.`);
  const missing = REQUIRED_COLUMNS.filter((field) => !found.includes(field));
  if (missing.length > 0) {
    throw new ImportError(ImportErrorCode.BadColumns, `The header has no ${missing.join(' or ')} column: the first line names the columns ${IMPORT_FIELDS.join(', ')}.`);
  }
  return found;
}

/**
 * The inventory export writes a `'` before text a spreadsheet would run as a formula; it goes again here, so that an
 * export imports as it was. Never in a secret: Keyring does not change a secret.
 */
function unescapeFormula(field: ImportField, value: string): string {
  return field !== 'secret' && /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

function jsonRows(body: unknown): InputRow[] {
  const rows = (body as { rows?: unknown } | null)?.rows;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray(rows) || Object.keys(body).length !== 1) {
    throw new ImportError(ImportErrorCode.BadBody, 'Send the rows as JSON { "rows": [{ "tenant", "widget", "huggyWidgetUuid", "huggyCompanyId", "secret" }, …] } or as CSV (Content-Type: text/csv).');
  }
  if (rows.length > IMPORT_MAX_ROWS) throw tooManyRows();
  return rows.map((value: unknown, i) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { row: i + 1, values: {}, problem: `each row is an object with ${IMPORT_FIELDS.join(', ')}` };
    }
    const entries = Object.entries(value as Record<string, unknown>);
    const unknown = entries.find(([key]) => !IMPORT_FIELDS.includes(key as ImportField));
    const values = Object.fromEntries(entries.filter(([, cell]) => cell !== null && cell !== '')) as InputRow['values'];
    if (unknown) return { row: i + 1, values, problem: `unknown field "${unknown[0].slice(0, 40)}": a row has ${IMPORT_FIELDS.join(', ')}` };
    return { row: i + 1, values };
  });
}

const tooManyRows = () =>
  new ImportError(ImportErrorCode.TooManyRows, `An import holds at most ${IMPORT_MAX_ROWS.toLocaleString('en')} rows: split the file and import each part.`);
