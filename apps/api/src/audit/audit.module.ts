import { Global, Module } from '@nestjs/common';
import { AuditCheckpoints } from './audit-checkpoints.service';
import { AuditFeed } from './audit-feed';
import { AuditKeys } from './audit-keys';
import { AuditWriter } from './audit-writer.service';
import { AuditController, AuditKeySetController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { ChainStateRepository } from './chain-state.repository';

/** Global: every feature writes audit events in its own transactions; offboarding reads who revealed what. */
@Global()
@Module({
  controllers: [AuditController, AuditKeySetController],
  providers: [AuditKeys, AuditWriter, AuditRepository, ChainStateRepository, AuditService, AuditCheckpoints, AuditFeed],
  exports: [AuditWriter, AuditService, AuditFeed],
})
export class AuditModule {}
