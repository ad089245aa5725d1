import { Global, Module } from '@nestjs/common';
import { AuditWriter } from './audit-writer.service';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/** Global: every feature writes audit events in its own transactions. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditWriter, AuditRepository, AuditService],
  exports: [AuditWriter],
})
export class AuditModule {}
