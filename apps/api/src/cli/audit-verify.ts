import type { DataSource } from 'typeorm';
import { operatorScope } from '../access/scope';
import { AuditRepository } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';

/** Re-checks the hash chain of every organization; 0 when all hold, 1 when one does not (named with its event). */
export async function auditVerify(dataSource: DataSource, print: (line: string) => void): Promise<number> {
  const audit = new AuditService(new AuditRepository(dataSource));
  const organizations = await dataSource.query<{ id: string; name: string }[]>('SELECT id, name FROM organizations ORDER BY name, id');
  let broken = 0;
  for (const organization of organizations) {
    const result = await audit.verify(operatorScope(organization.id));
    if (result.valid) {
      print(`ok      ${organization.name} (${organization.id}): ${result.checkedEvents} events, chain holds`);
    } else {
      broken += 1;
      print(`BROKEN  ${organization.name} (${organization.id}): event ${result.firstBrokenSeq} does not match its hash or link (${result.checkedEvents} events before it hold)`);
    }
  }
  print(organizations.length === 0 ? 'No organizations yet.' : broken === 0 ? 'Every audit chain holds.' : `${broken} audit chain(s) broken.`);
  return broken === 0 ? 0 : 1;
}
