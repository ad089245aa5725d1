import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { readFile } from 'node:fs/promises';
import type { DataSource } from 'typeorm';
import type { AuditEvent } from '@keyring/contracts';
import { storedAuditEvent } from '../audit/audit-event.mapper';
import { CheckpointError, verifyCheckpoint, type CheckpointPayload } from '../audit/audit-checkpoint';
import type { AuditKeys } from '../audit/audit-keys';
import { AuditRepository } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';
import { ChainStateRepository } from '../audit/chain-state.repository';
import { CHAIN_START, ChainWalk, type ChainBreak, type LegacySeal } from '../audit/chain-walk';

type Print = (line: string) => void;

/**
 * Re-checks every event of every organization's chain (MACs, links, the legacy seal, kept checkpoints); 0 when
 * all hold, 1 when one does not (named with its event and why). Needs the database and the master keys.
 */
export async function auditVerify(dataSource: DataSource, keys: AuditKeys, print: Print): Promise<number> {
  const audit = new AuditService(new AuditRepository(dataSource), new ChainStateRepository(dataSource), keys);
  const organizations = await dataSource.query<{ id: string; name: string }[]>('SELECT id, name FROM organizations ORDER BY name, id');
  let broken = 0;
  for (const organization of organizations) {
    const { at, broken: breaks } = await audit.fullCheck(organization.id);
    if (!breaks) {
      print(`ok      ${organization.name} (${organization.id}): ${at.seq} events, chain holds`);
    } else {
      broken += 1;
      print(`BROKEN  ${organization.name} (${organization.id}): ${breaks.reason} (${at.seq} events before it hold)`);
    }
  }
  print(organizations.length === 0 ? 'No organizations yet.' : broken === 0 ? 'Every audit chain holds.' : `${broken} audit chain(s) broken.`);
  return broken === 0 ? 0 : 1;
}

export interface OfflineInput {
  /** An unfiltered NDJSON export of one organization's audit log. */
  exportFile: string;
  /** The JWKS published at /.well-known/keyring-audit-keys.json. */
  jwksFile: string;
  /** Files of checkpoints (compact JWS, one or more per file, one per line), the legacy seal among them if any. */
  checkpointFiles: string[];
}

/**
 * Verifies an export with the public keys alone (no database, no master key): every checkpoint is validly signed
 * and of one organization, the export is a whole chain (seq 1, 2, 3… each linking to the hash before it; the
 * unkeyed events, if any, reproduce the digest their seal signed) and holds each checkpoint's hash at its seq. The
 * MACs themselves need the secret audit key: only the server (GET …/verify) or `audit-verify` beside it checks them.
 */
export async function auditVerifyOffline(input: OfflineInput, print: Print): Promise<number> {
  const keys = createLocalJWKSet(JSON.parse(await readFile(input.jwksFile, 'utf8')) as JSONWebKeySet);
  const checkpoints: CheckpointPayload[] = [];
  for (const file of input.checkpointFiles) {
    for (const [line, jws] of (await readFile(file, 'utf8')).split('\n').map((text) => text.trim()).entries()) {
      if (!jws) continue;
      try {
        checkpoints.push(await verifyCheckpoint(jws, keys));
      } catch (error) {
        if (!(error instanceof CheckpointError)) throw error;
        print(`BROKEN  checkpoint ${file}:${line + 1} ${error.message}`);
        return 1;
      }
    }
  }
  const organizations = new Set(checkpoints.map((checkpoint) => checkpoint.organizationId));
  if (organizations.size !== 1) {
    print(`BROKEN  the checkpoints must be of one organization; they are of ${organizations.size}`);
    return 1;
  }
  const [organizationId] = organizations;
  const sealPayload = checkpoints.find((checkpoint) => checkpoint.legacyDigest !== undefined);
  const seal: LegacySeal | null = sealPayload?.legacyDigest ? { seq: sealPayload.seq, hash: sealPayload.hash, legacyDigest: sealPayload.legacyDigest } : null;
  const walk = new ChainWalk(CHAIN_START, { seal });
  const hashes = new Map<number, string>();
  let broken: ChainBreak | null = null;
  for (const line of (await readFile(input.exportFile, 'utf8')).split('\n')) {
    if (!line.trim()) continue;
    const event = storedAuditEvent(JSON.parse(line) as AuditEvent, organizationId);
    broken = walk.step(event);
    if (broken) break;
    hashes.set(event.seq, event.hash);
  }
  for (const checkpoint of checkpoints.sort((a, b) => a.seq - b.seq)) {
    if (broken) break;
    const hash = hashes.get(checkpoint.seq);
    if (checkpoint.seq > 0 && hash !== checkpoint.hash) {
      broken = { seq: checkpoint.seq, reason: `Event ${checkpoint.seq}, covered by the checkpoint of ${checkpoint.issuedAt}, is ${hash ? 'different' : 'missing'}.` };
    }
  }
  if (broken) {
    print(`BROKEN  ${broken.reason} (${walk.at.seq} events before it hold)`);
    return 1;
  }
  print(`ok      ${walk.at.seq} events of organization ${organizationId}: linked, and matching ${checkpoints.length} signed checkpoint(s).`);
  print('note    MACs are not checked offline (the audit key is secret): the server\'s verify checks them.');
  return 0;
}

