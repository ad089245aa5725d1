import type { MatDialog } from '@angular/material/dialog';
import type { MatSnackBar } from '@angular/material/snack-bar';
import type { Tenant, TenantSummary } from '@keyring/contracts';
import type { Api } from '../core/api';
import { runAction } from '../shared/actions';
import { confirm } from '../shared/confirm-dialog';
import { problemOf } from '../core/problem';

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** What archiving stops, in words, from the tenant's summary. */
export function archiveConsequences(summary: TenantSummary): string {
  const widgets = `${plural(summary.widgets, 'widget stops', 'widgets stop')} signing userHashes (${summary.widgetsWithSecret} with a secret)`;
  const keys = `${plural(summary.activeApiKeys, 'API key stops', 'API keys stop')} signing and verifying`;
  const members =
    summary.membersLimitedHere === 0
      ? 'no member is limited to it'
      : `${plural(summary.membersLimitedHere, 'member limited to it loses', 'members limited to it lose')} it` +
        (summary.membersOnlyHere ? `, ${summary.membersOnlyHere} of them left with no tenant at all` : '');
  return `On every Keyring instance within a second: ${widgets}; ${keys}; ${members}. Unarchiving brings back exactly what was active. The history stays in the audit log.`;
}

/**
 * Archives or unarchives a tenant after saying what it stops (or brings back); true when it changed. The tenants
 * list and the client page both ask this way.
 */
export async function setTenantArchived(tools: { api: Api; dialog: MatDialog; snackBar: MatSnackBar }, orgId: string, tenant: Tenant, archive: boolean): Promise<boolean> {
  const { api, dialog, snackBar } = tools;
  let summary: TenantSummary;
  try {
    summary = await api.get<TenantSummary>(`/orgs/${orgId}/tenants/${tenant.id}/summary`);
  } catch (error) {
    snackBar.open(problemOf(error).message, 'Close');
    return false;
  }
  const confirmed = await confirm(dialog, {
    title: `${archive ? 'Archive' : 'Unarchive'} ${tenant.name}?`,
    message: archive
      ? archiveConsequences(summary)
      : `Its ${plural(summary.widgets, 'widget', 'widgets')} and ${plural(summary.activeApiKeys, 'API key', 'API keys')} work again, exactly as before the archive.`,
    confirmLabel: archive ? 'Archive' : 'Unarchive',
    danger: archive,
  });
  if (!confirmed) return false;
  const action = archive ? 'archive' : 'unarchive';
  return runAction(snackBar, () => api.post(`/orgs/${orgId}/tenants/${tenant.id}/${action}`), `${tenant.name} ${action}d.`);
}
