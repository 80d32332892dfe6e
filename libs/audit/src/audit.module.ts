import { Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/**
 * The tamper-evident audit log. Import it where something must be recorded;
 * only AuditService is exported. No controller: the HTTP endpoint lives with
 * its access rule in the layer that owns access.
 */
@Module({
  providers: [AuditRepository, AuditService],
  exports: [AuditService],
})
export class AuditModule {}
