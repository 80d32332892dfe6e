import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '@madoguchi/config';
import { APP_CONFIG, PeriodicJobs } from '@madoguchi/kernel';
import { AuditCheckpointStore } from './audit-checkpoint.store';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/**
 * The tamper-evident audit log. Import it where something must be recorded;
 * only AuditService is exported. No controller: the HTTP endpoint lives with
 * its access rule in the layer that owns access.
 *
 * Registers the `audit-checkpoint` job: every AUDIT_CHECKPOINT_INTERVAL_SECONDS
 * the worker anchors each municipality's chain head in a signed file outside
 * PostgreSQL (AuditCheckpointStore).
 */
@Module({
  providers: [AuditRepository, AuditService, AuditCheckpointStore],
  exports: [AuditService],
})
export class AuditModule implements OnModuleInit {
  constructor(
    private readonly jobs: PeriodicJobs,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register({
      name: 'audit-checkpoint',
      idleMs: this.config.auditCheckpoints.intervalSeconds * 1000,
      // Never "busy": one pass per interval is the point.
      run: async () => (await this.audit.checkpointAll()) && 0,
    });
  }
}
