import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { readFile } from 'node:fs/promises';
import type { DataSource } from 'typeorm';
import type { AuditEvent } from '@keyring/contracts';
import type { StoredAuditEvent } from '../audit/audit-chain';
import { storedAuditEvent } from '../audit/audit-event.mapper';
import { parseNdjsonLine } from '../audit/audit-export';
import { CheckpointError, verifyCheckpoint, type CheckpointPayload } from '../audit/audit-checkpoint';
import type { AuditKeys } from '../audit/audit-keys';
import { AuditRepository } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';
import { ChainStateRepository } from '../audit/chain-state.repository';
import { CHAIN_START, ChainWalk, type ChainBreak, type ChainPoint, type LegacySeal } from '../audit/chain-walk';

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
  /**
   * An unfiltered NDJSON export of one organization's audit log, or the copy an audit stream's receiver kept (the
   * same lines, with checkpoint lines `{"checkpoint": jws}` among them, starting after a checkpoint, repeats allowed).
   */
  exportFile: string;
  /** The JWKS published at /.well-known/keyring-audit-keys.json. */
  jwksFile: string;
  /** Files of checkpoints (compact JWS, one or more per file, one per line), the legacy seal among them if any. */
  checkpointFiles: string[];
}

/**
 * Verifies an export with the public keys alone (no database, no master key): every checkpoint is validly signed
 * and of one organization, the export is a whole chain (seq 1, 2, 3… each linking to the hash before it; the
 * unkeyed events, if any, reproduce the digest their seal signed) and holds each checkpoint's hash at its seq. A
 * stream's copy may start later, right after a signed checkpoint (the one it sent first), and repeat events it
 * resent after a reconnect (the same event again, nothing else). The MACs themselves need the secret audit key:
 * only the server (GET …/verify) or `audit-verify` beside it checks them.
 */
export async function auditVerifyOffline(input: OfflineInput, print: Print): Promise<number> {
  const keys = createLocalJWKSet(JSON.parse(await readFile(input.jwksFile, 'utf8')) as JSONWebKeySet);
  const signed: { where: string; jws: string }[] = [];
  for (const file of input.checkpointFiles) {
    for (const [line, jws] of (await readFile(file, 'utf8')).split('\n').map((text) => text.trim()).entries()) {
      if (jws) signed.push({ where: `${file}:${line + 1}`, jws });
    }
  }
  const lines = (await readFile(input.exportFile, 'utf8')).split('\n');
  const exported: AuditEvent[] = [];
  for (const [line, text] of lines.entries()) {
    if (!text.trim()) continue;
    const parsed = parseNdjsonLine(text);
    if ('checkpoint' in parsed) signed.push({ where: `${input.exportFile}:${line + 1}`, jws: parsed.checkpoint });
    else exported.push(parsed.event);
  }
  const checkpoints: CheckpointPayload[] = [];
  for (const { where, jws } of signed) {
    try {
      checkpoints.push(await verifyCheckpoint(jws, keys));
    } catch (error) {
      if (!(error instanceof CheckpointError)) throw error;
      print(`BROKEN  checkpoint ${where} ${error.message}`);
      return 1;
    }
  }
  const organizations = new Set(checkpoints.map((checkpoint) => checkpoint.organizationId));
  if (organizations.size !== 1) {
    print(`BROKEN  the checkpoints must be of one organization; they are of ${organizations.size}`);
    return 1;
  }
  const [organizationId] = organizations;
  const events = exported.map((event) => storedAuditEvent(event, organizationId));
  const start = startOf(events[0], checkpoints);
  if (!start) {
    print(`BROKEN  the copy starts at event ${events[0].seq}, and no signed checkpoint holds event ${events[0].seq - 1} (${events[0].prevHash}) to start from`);
    return 1;
  }
  const sealPayload = checkpoints.find((checkpoint) => checkpoint.legacyDigest !== undefined);
  const seal: LegacySeal | null = sealPayload?.legacyDigest ? { seq: sealPayload.seq, hash: sealPayload.hash, legacyDigest: sealPayload.legacyDigest } : null;
  const walk = new ChainWalk(start, { seal });
  const hashes = new Map<number, string>([[start.seq, start.hash]]);
  let broken: ChainBreak | null = null;
  for (const event of events) {
    // A stream resends what it was not sure the receiver got: the same event again is no news.
    if (event.seq <= walk.at.seq && hashes.get(event.seq) === event.hash) continue;
    broken = walk.step(event);
    if (broken) break;
    hashes.set(event.seq, event.hash);
  }
  const covered = checkpoints.filter((checkpoint) => checkpoint.seq >= start.seq).sort((a, b) => a.seq - b.seq);
  for (const checkpoint of covered) {
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
  const from = start.seq > 0 ? ` ${start.seq + 1} to ${walk.at.seq}` : ` ${walk.at.seq}`;
  print(`ok     ${from} events of organization ${organizationId}: linked, and matching ${covered.length} signed checkpoint(s).`);
  if (covered.length < checkpoints.length) print(`note    ${checkpoints.length - covered.length} checkpoint(s) are of events before this copy starts, and were not compared.`);
  print('note    MACs are not checked offline (the audit key is secret): the server\'s verify checks them.');
  return 0;
}

/** Where the walk starts: the chain's beginning, or, for a copy that starts later, the signed checkpoint just before it. */
function startOf(first: StoredAuditEvent | undefined, checkpoints: CheckpointPayload[]): ChainPoint | null {
  if (!first || first.seq === 1) return CHAIN_START;
  const checkpoint = checkpoints.find((candidate) => candidate.seq === first.seq - 1 && candidate.hash === first.prevHash);
  return checkpoint ? { seq: checkpoint.seq, hash: checkpoint.hash } : null;
}
