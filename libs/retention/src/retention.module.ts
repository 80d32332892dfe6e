import { Module, type OnModuleInit } from '@nestjs/common';
import { PeriodicJobs } from '@madoguchi/kernel';
import { AccessLogController } from './access-log/access-log.controller';
import { AccessLogRepository } from './access-log/access-log.repository';
import { AccessLogService } from './access-log/access-log.service';
import { ShortRetentionRepository } from './short-retention.repository';
import { ShortRetentionSweep } from './short-retention.sweep';

@Module({
  controllers: [AccessLogController],
  providers: [ShortRetentionRepository, ShortRetentionSweep, AccessLogRepository, AccessLogService],
  exports: [ShortRetentionSweep, AccessLogService],
})
export class RetentionModule implements OnModuleInit {
  constructor(
    private readonly jobs: PeriodicJobs,
    private readonly sweep: ShortRetentionSweep,
  ) {}

  onModuleInit(): void {
    this.jobs.register({
      name: 'short-retention-sweep',
      idleMs: 10 * 60_000,
      run: async () => Object.values(await this.sweep.run()).reduce((sum, n) => sum + n, 0),
    });
  }
}
