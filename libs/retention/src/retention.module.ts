import { Module, type OnModuleInit } from '@nestjs/common';
import { EngineModule } from '@madoguchi/engine';
import { AuditModule } from '@madoguchi/audit';
import { PeriodicJobs } from '@madoguchi/kernel';
import { AccessLogController } from './access-log/access-log.controller';
import { AccessLogRepository } from './access-log/access-log.repository';
import { AccessLogService } from './access-log/access-log.service';
import { AccountClosureRepository } from './procedure-retention/account-closure.repository';
import { AccountClosureService } from './procedure-retention/account-closure.service';
import { ProcedureRetentionRepository } from './procedure-retention/procedure-retention.repository';
import { ProcedureRetentionService } from './procedure-retention/procedure-retention.service';
import { AccountClosureController, LegalHoldController, RetentionAdminController } from './procedure-retention/retention.controller';
import { ShortRetentionRepository } from './short-retention.repository';
import { ShortRetentionSweep } from './short-retention.sweep';

@Module({
  imports: [EngineModule, AuditModule],
  controllers: [AccessLogController, LegalHoldController, RetentionAdminController, AccountClosureController],
  providers: [
    ShortRetentionRepository,
    ShortRetentionSweep,
    AccessLogRepository,
    AccessLogService,
    ProcedureRetentionRepository,
    ProcedureRetentionService,
    AccountClosureRepository,
    AccountClosureService,
  ],
  exports: [ShortRetentionSweep, AccessLogService, ProcedureRetentionService, AccountClosureService],
})
export class RetentionModule implements OnModuleInit {
  constructor(
    private readonly jobs: PeriodicJobs,
    private readonly sweep: ShortRetentionSweep,
    private readonly retention: ProcedureRetentionService,
  ) {}

  onModuleInit(): void {
    this.jobs.register({
      name: 'short-retention-sweep',
      idleMs: 10 * 60_000,
      run: async () => Object.values(await this.sweep.run()).reduce((sum, n) => sum + n, 0),
    });
    // Periods are years long: once an hour is plenty, and a new closing is never urgent.
    this.jobs.register({ name: 'procedure-retention', idleMs: 60 * 60_000, run: () => this.retention.run() });
  }
}
