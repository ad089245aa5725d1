import { hasControlCharacter, secretProblem, UUID_PATTERN, type ImportField, type ImportIssue, type ImportOutcome, type ImportReport } from '@keyring/contracts';
import type { InputRow } from './import-input';

const NAME_MAX = 200;
const COMPANY_ID = /^[0-9]{1,20}$/;

/** What Keyring holds that the rows name: read by ImportRepository.state, under locks when applying. */
export interface ImportState {
  /** The scope's tenants named by a row (live or archived). */
  tenants: { id: string; name: string; archived: boolean }[];
  /** Live widgets with a Huggy widget uuid a row gives (in any tenant), or in a named tenant with a name a row gives. */
  widgets: ExistingWidget[];
}

/** A widget as the plan sees it. One of a tenant the caller is not given has only its uuid: all that is said is "taken". */
export type ExistingWidget = ScopedWidget | { id: string; tenantId: string; huggyWidgetUuid: string | null; inScope: false };

export interface ScopedWidget {
  id: string;
  tenantId: string;
  tenantName: string;
  name: string;
  huggyWidgetUuid: string | null;
  huggyCompanyId: string | null;
  activeVersion: number | null;
  activeFingerprint: string | null;
  /** The highest version number the widget has had (0 for none). */
  lastVersion: number;
  inScope: true;
}

/** A row, checked and matched: what it is to do, and the values to do it with (the secret never leaves the server). */
export interface PlannedRow {
  row: number;
  tenant: string | null;
  widget: string | null;
  huggyWidgetUuid: string | null;
  huggyCompanyId: string | null;
  secret: string | null;
  issues: ImportIssue[];
  outcome: ImportOutcome;
  /** The existing tenant, or null when the row's tenant is created by the import. */
  tenantId: string | null;
  widgetId: string | null;
  secretVersion: number | null;
  /** For `import-secret`: the version it replaces as active. */
  previousVersion: number | null;
  fingerprint: string | null;
}

export interface ImportPlan {
  rows: PlannedRow[];
  /** The tenants to create, by name as first written. */
  newTenants: string[];
}

/** A row with no issue so far: its tenant and widget names are there. */
type OpenRow = PlannedRow & { tenant: string; widget: string };

/** The rows without an issue (yet), in order. */
const open = (rows: PlannedRow[]): OpenRow[] => rows.filter((row): row is OpenRow => row.issues.length === 0 && row.tenant !== null && row.widget !== null);

/** Names compare as the unique indexes do: trimmed, any case. */
export const nameKey = (name: string) => name.toLowerCase();

/** The rows' names, uuids and tenants: what ImportRepository.state is to read. */
export function namedInRows(rows: PlannedRow[]): { tenantNames: string[]; widgetNames: string[]; uuids: string[] } {
  const valid = open(rows);
  return {
    tenantNames: [...new Set(valid.map((row) => nameKey(row.tenant)))],
    widgetNames: [...new Set(valid.map((row) => nameKey(row.widget)))],
    uuids: [...new Set(valid.flatMap((row) => (row.huggyWidgetUuid ? [row.huggyWidgetUuid.toLowerCase()] : [])))],
  };
}

/** Each row's fields checked on their own, then against the other rows of the file. */
export function checkRows(input: InputRow[]): PlannedRow[] {
  const rows = input.map(checkFields);
  findDuplicates(rows);
  return rows;
}

function checkFields(input: InputRow): PlannedRow {
  const issues: ImportIssue[] = [];
  const issue = (field: ImportField | null, message: string) => issues.push({ row: input.row, field, message });
  // A row of the wrong shape gets that one issue, not one per field it seems to lack.
  if (input.problem) {
    issue(null, input.problem);
    return planned(input.row, { tenant: null, widget: null, huggyWidgetUuid: null, huggyCompanyId: null, secret: null }, issues);
  }
  const { values } = input;
  const name = (field: 'tenant' | 'widget') => {
    const value = values[field];
    if (value === undefined) return void issue(field, `${field} is required`);
    if (typeof value !== 'string') return void issue(field, `${field} must be text`);
    const trimmed = value.trim();
    if (!trimmed) return void issue(field, `${field} is required`);
    if (trimmed.length > NAME_MAX) return void issue(field, `${field} must have at most ${NAME_MAX} characters`);
    if (hasControlCharacter(trimmed)) return void issue(field, `${field} must not contain control characters`);
    return trimmed;
  };
  const identifier = (field: 'huggyWidgetUuid' | 'huggyCompanyId', pattern: RegExp, message: string) => {
    const raw = values[field];
    if (raw === undefined) return null;
    const value = typeof raw === 'number' && field === 'huggyCompanyId' ? String(raw) : raw;
    if (typeof value !== 'string' || !pattern.test(value.trim())) return void issue(field, message);
    return value.trim();
  };
  const tenant = name('tenant') ?? null;
  const widget = name('widget') ?? null;
  const huggyWidgetUuid = identifier('huggyWidgetUuid', UUID_PATTERN, 'huggyWidgetUuid must be the widget UUID from the Huggy panel') ?? null;
  const huggyCompanyId = identifier('huggyCompanyId', COMPANY_ID, 'huggyCompanyId must be the numeric company id from the Huggy panel') ?? null;
  let secret: string | null = null;
  if (values.secret !== undefined) {
    const problem = secretProblem(values.secret);
    if (problem) issue('secret', problem);
    else secret = values.secret as string;
  }
  return planned(input.row, { tenant, widget, huggyWidgetUuid, huggyCompanyId, secret }, issues);
}

function planned(row: number, fields: Pick<PlannedRow, 'tenant' | 'widget' | 'huggyWidgetUuid' | 'huggyCompanyId' | 'secret'>, issues: ImportIssue[]): PlannedRow {
  return { row, ...fields, issues, outcome: 'error', tenantId: null, widgetId: null, secretVersion: null, previousVersion: null, fingerprint: null };
}

/**
 * A second row for one widget (same tenant and uuid, or same tenant and name). One Huggy widget given to two tenants
 * is found when matching: rows that name existing widgets may share a uuid that Keyring already has twice.
 */
function findDuplicates(rows: PlannedRow[]): void {
  const byWidget = new Map<string, PlannedRow>();
  const byName = new Map<string, PlannedRow>();
  for (const row of open(rows)) {
    const tenant = nameKey(row.tenant);
    const widgetKey = row.huggyWidgetUuid ? `${tenant}\u0000${row.huggyWidgetUuid.toLowerCase()}` : null;
    const nameKeyed = `${tenant}\u0000${nameKey(row.widget)}`;
    const sameWidget = widgetKey ? byWidget.get(widgetKey) : undefined;
    const sameName = byName.get(nameKeyed);
    if (sameWidget) row.issues.push({ row: row.row, field: 'huggyWidgetUuid', message: `duplicate of row ${sameWidget.row}: the same tenant and Huggy widget uuid` });
    else if (sameName) row.issues.push({ row: row.row, field: 'widget', message: `duplicate of row ${sameName.row}: tenant "${row.tenant}" can have one widget named "${row.widget}"` });
    else {
      if (widgetKey) byWidget.set(widgetKey, row);
      byName.set(nameKeyed, row);
    }
  }
}

/**
 * Matches the checked rows with what Keyring holds and decides each one's outcome (or its issue). Idempotent on
 * (tenant, Huggy widget uuid): a row whose widget exists with the same secret (compared by fingerprint) is unchanged.
 * A row without a uuid can only match a widget of its tenant with the same name and no uuid either (what the
 * inventory export writes for one).
 */
export async function matchRows(
  rows: PlannedRow[],
  state: ImportState,
  options: { canCreateTenants: boolean; fingerprint: (widgetId: string, secret: string) => Promise<string> },
): Promise<ImportPlan> {
  const tenants = new Map<string, ImportState['tenants'][number]>();
  for (const tenant of state.tenants) {
    const key = nameKey(tenant.name);
    if (!tenants.get(key) || tenants.get(key)!.archived) tenants.set(key, tenant);
  }
  const byUuid = groupBy(state.widgets, (widget) => widget.huggyWidgetUuid?.toLowerCase() ?? null);
  const scoped = state.widgets.filter((widget): widget is ScopedWidget => widget.inScope);
  const byName = groupBy(scoped, (widget) => `${widget.tenantId}\u0000${nameKey(widget.name)}`);
  /** The first row creating a widget with each uuid: another tenant's row cannot create it too. */
  const creating = new Map<string, PlannedRow>();
  for (const row of open(rows)) {
    const issue = (field: ImportField, message: string) => row.issues.push({ row: row.row, field, message });
    const tenant = tenants.get(nameKey(row.tenant));
    if (tenant?.archived) {
      issue('tenant', `tenant "${tenant.name}" is archived: unarchive it first`);
      continue;
    }
    if (!tenant && !options.canCreateTenants) {
      issue('tenant', `no tenant named "${row.tenant}" among yours: you are limited to some tenants and cannot create new ones`);
      continue;
    }
    row.tenantId = tenant?.id ?? null;
    const uuid = row.huggyWidgetUuid?.toLowerCase() ?? null;
    const withUuid = uuid ? (byUuid.get(uuid) ?? []) : [];
    const sameName = tenant ? (byName.get(`${tenant.id}\u0000${nameKey(row.widget)}`) ?? []) : [];
    // Widgets of the row's tenant are in the scope (the tenant was found in it).
    const matches = uuid ? withUuid.filter((widget): widget is ScopedWidget => widget.inScope && widget.tenantId === tenant?.id) : sameName.filter((widget) => widget.huggyWidgetUuid === null);
    if (matches.length === 1) await planExisting(row, matches[0], issue, options.fingerprint);
    else if (matches.length > 1) issue('huggyWidgetUuid', `tenant "${row.tenant}" has ${matches.length} widgets with this Huggy widget uuid: archive the extra ones first`);
    else {
      planNew(row, withUuid[0], sameName[0], creating.get(uuid ?? ''), issue);
      if (uuid && row.outcome === 'create-widget') creating.set(uuid, row);
    }
  }
  // The tenants of the rows that can be imported, by name as first written.
  const newTenants = new Map<string, string>();
  for (const row of open(rows)) {
    if (row.tenantId === null && !newTenants.has(nameKey(row.tenant))) newTenants.set(nameKey(row.tenant), row.tenant);
  }
  return { rows, newTenants: [...newTenants.values()] };
}

async function planExisting(
  row: PlannedRow,
  widget: ScopedWidget,
  issue: (field: ImportField, message: string) => void,
  fingerprint: (widgetId: string, secret: string) => Promise<string>,
): Promise<void> {
  row.widgetId = widget.id;
  if (widget.name !== row.widget) {
    return issue('widget', `this Huggy widget is "${widget.name}" in Keyring: write that name here, or rename the widget in Keyring first`);
  }
  if (row.huggyCompanyId !== null && row.huggyCompanyId !== widget.huggyCompanyId) {
    return issue('huggyCompanyId', `Keyring has ${widget.huggyCompanyId === null ? 'no company id' : `company id ${widget.huggyCompanyId}`} for this widget: change it on the widget's page first, or leave the cell empty`);
  }
  const given = row.secret === null ? null : await fingerprint(widget.id, row.secret);
  if (given === null || given === widget.activeFingerprint) {
    row.outcome = 'unchanged';
    row.fingerprint = widget.activeFingerprint;
  } else {
    row.outcome = 'import-secret';
    row.secretVersion = widget.lastVersion + 1;
    row.previousVersion = widget.activeVersion;
  }
}

/**
 * A row that matched no widget: `user` holds its Huggy widget uuid elsewhere, `named` has its name in its tenant,
 * `creator` is an earlier row creating a widget with its uuid.
 */
function planNew(
  row: PlannedRow,
  user: ExistingWidget | undefined,
  named: ScopedWidget | undefined,
  creator: PlannedRow | undefined,
  issue: (field: ImportField, message: string) => void,
): void {
  if (!row.huggyWidgetUuid) {
    return issue(
      'huggyWidgetUuid',
      named
        ? `the widget "${named.name}" of this tenant has Huggy widget uuid ${named.huggyWidgetUuid}: give it in this row`
        : 'huggyWidgetUuid is required to create a widget: it identifies the widget from one import to the next',
    );
  }
  if (user) {
    return issue(
      'huggyWidgetUuid',
      user.inScope ? `this Huggy widget uuid is already used by widget "${user.name}" of tenant "${user.tenantName}"` : 'this Huggy widget uuid is already used by another widget',
    );
  }
  if (creator) {
    return issue('huggyWidgetUuid', `row ${creator.row} gives this Huggy widget uuid to tenant "${creator.tenant}": a Huggy widget belongs to one tenant`);
  }
  if (named) {
    return issue(
      'widget',
      `tenant "${row.tenant}" already has a widget named "${named.name}" (${named.huggyWidgetUuid ? `Huggy widget uuid ${named.huggyWidgetUuid}` : 'without a Huggy widget uuid'})`,
    );
  }
  row.outcome = 'create-widget';
  row.secretVersion = row.secret === null ? null : 1;
}

function groupBy<T>(items: T[], keyOf: (item: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === null) continue;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** The report of a plan (dry run, refused apply) or of an applied import: counts, new tenants, issues, outcomes. */
export function toReport(plan: ImportPlan, dryRun: boolean, applied: boolean): ImportReport {
  const count = (outcome: ImportOutcome) => plan.rows.filter((row) => row.outcome === outcome).length;
  const newTenants = new Set(plan.newTenants.map(nameKey));
  return {
    dryRun,
    applied,
    counts: {
      rows: plan.rows.length,
      invalidRows: plan.rows.filter((row) => row.issues.length > 0).length,
      tenantsCreated: plan.newTenants.length,
      widgetsCreated: count('create-widget'),
      secretsImported: plan.rows.filter((row) => row.outcome === 'import-secret' || (row.outcome === 'create-widget' && row.secret !== null)).length,
      unchanged: count('unchanged'),
    },
    newTenants: plan.newTenants,
    errors: plan.rows.flatMap((row) => row.issues),
    rows: plan.rows.map((row) => ({
      row: row.row,
      tenant: row.tenant,
      widget: row.widget,
      huggyWidgetUuid: row.huggyWidgetUuid,
      outcome: row.issues.length > 0 ? 'error' : row.outcome,
      newTenant: row.issues.length === 0 && row.tenant !== null && newTenants.has(nameKey(row.tenant)),
      widgetId: row.issues.length > 0 ? null : row.widgetId,
      secretVersion: row.issues.length > 0 ? null : row.secretVersion,
      fingerprint: row.issues.length > 0 ? null : row.fingerprint,
    })),
  };
}
