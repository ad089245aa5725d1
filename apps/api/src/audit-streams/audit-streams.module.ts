import { Module } from '@nestjs/common';
import { AuditStreamWorker } from './audit-stream-worker';
import { AuditStreamsController } from './audit-streams.controller';
import { AuditStreamsRepository } from './audit-streams.repository';
import { AuditStreamsService } from './audit-streams.service';
import { StreamLeasesRepository } from './stream-leases.repository';

/** Copies of each organization's audit log sent to receivers outside Keyring (syslog over TCP/TLS, NDJSON over HTTPS). */
@Module({
  controllers: [AuditStreamsController],
  providers: [AuditStreamsRepository, AuditStreamsService, StreamLeasesRepository, AuditStreamWorker],
})
export class AuditStreamsModule {}
