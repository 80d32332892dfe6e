import { Inject, Injectable, Logger } from '@nestjs/common';
import { type AppConfig, SHORT_RETENTION_KINDS, type ShortRetentionKind } from '@madoguchi/config';
import { APP_CONFIG, Clock } from '@madoguchi/kernel';
import { ShortRetentionRepository } from './short-retention.repository';

const DAY_MS = 24 * 60 * 60_000;

/**
 * One sweep over every kind of short-lived record (SHORT_RETENTION_DAYS):
 * deletes what outlived its period, a batch per kind per run. The worker
 * runs it every ten minutes and again at once while there is a backlog.
 */
@Injectable()
export class ShortRetentionSweep {
  private readonly logger = new Logger('Retention');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: ShortRetentionRepository,
    private readonly clock: Clock,
  ) {}

  /** Rows deleted per kind in this run. */
  async run(batch = 1000): Promise<Record<ShortRetentionKind, number>> {
    const now = this.clock.now().getTime();
    const deleted = {} as Record<ShortRetentionKind, number>;
    for (const kind of Object.keys(SHORT_RETENTION_KINDS) as ShortRetentionKind[]) {
      deleted[kind] = await this.repository.sweep(kind, new Date(now - this.config.shortRetentionDays[kind] * DAY_MS), batch);
    }
    const total = Object.values(deleted).reduce((sum, n) => sum + n, 0);
    if (total > 0) this.logger.log({ msg: 'short-lived records deleted', deleted });
    return deleted;
  }
}
