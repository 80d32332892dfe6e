import { Module, type OnModuleInit } from '@nestjs/common';
import { PeriodicJobs } from '@madoguchi/kernel';
import { ShortRetentionRepository } from './short-retention.repository';
import { ShortRetentionSweep } from './short-retention.sweep';

@Module({
  providers: [ShortRetentionRepository, ShortRetentionSweep],
  exports: [ShortRetentionSweep],
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
