import type { DataSource } from 'typeorm';
import type { AuditWriter } from '../audit/audit-writer.service';
import type { Envelope } from '../crypto/envelope';
import { rewrapSecrets, type RewrapOptions, type RewrapProgress } from '../custody/rewrap';
import { rewrapWebhookSecrets } from '../webhooks/webhook-secrets-rewrap';

/**
 * `keyring rewrap`: 0 when every secret version and TOTP secret is on the active master key; 1, naming how many are
 * not and why, when some are left behind (the old key must stay configured until a later run moves them).
 */
export async function rewrapCommand(
  dataSource: DataSource,
  envelope: Envelope,
  audit: AuditWriter,
  print: (line: string) => void,
  options: RewrapOptions = {},
): Promise<number> {
  const result = await rewrapSecrets(dataSource, envelope, audit, { onProgress: progressBar(), ...options });
  // Webhooks' signing secrets are under the master key too (webhooks/ is above custody/, hence here).
  const webhookSecrets = await dataSource.transaction((manager) => rewrapWebhookSecrets(manager, envelope));
  print(
    `\nRe-wrapped ${result.done} secret version(s), ${result.totpSecrets} two-factor secret(s) and ${webhookSecrets} webhook signing secret(s) onto master key "${envelope.activeKeyId}".`,
  );
  if (result.remaining === 0) return 0;
  print(
    `NOT DONE: ${result.remaining} encrypted value(s) are still under an older master key (${result.stoppedBecause}). ` +
      'Keep the old key configured and run `npm run keyring -- rewrap` again.',
  );
  return 1;
}

/** One line that fills up on a terminal; a line per batch otherwise (logs, CI). */
function progressBar(): (progress: RewrapProgress) => void {
  const width = 30;
  return ({ done, total }) => {
    const ratio = total === 0 ? 1 : done / total;
    const filled = Math.round(ratio * width);
    const line = `Re-wrapping [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} (${Math.floor(ratio * 100)}%)`;
    process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
  };
}
