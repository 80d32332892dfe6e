import { Injectable, Logger } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import { asMunicipalityId, Clock, isoDateIn } from '@madoguchi/kernel';
import { KpiRepository } from '../register/kpi.repository';
import { monthsBetween } from '../register/kpi.types';
import { DashboardService } from './dashboard.service';

/**
 * Stores every measured KPI at each month end, so its history no longer
 * depends on the catalog or the rollups as they are later. For each active
 * measured KPI it takes every finished month after the last snapshot (from
 * the baseline month when there is none), so months missed while nothing
 * ran are caught up on the next run. Idempotent: a snapshot is unique per
 * (municipality, KPI, month) and an existing one is never replaced, so
 * concurrent workers and reruns store each month once.
 */
@Injectable()
export class KpiSnapshotJob {
  private readonly logger = new Logger('KpiSnapshots');

  constructor(
    private readonly kpis: KpiRepository,
    private readonly dashboard: DashboardService,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
  ) {}

  /** Returns the number of snapshots this run stored. */
  async run(): Promise<number> {
    let stored = 0;
    for (const settings of this.directory.all()) {
      const municipalityId = asMunicipalityId(settings.id);
      const today = isoDateIn(this.clock.now(), settings.timeZone);
      const currentMonth = today.slice(0, 7) + '-01';
      for (const kpi of await this.kpis.list(municipalityId, { activeOnly: true }, 'primary')) {
        if (kpi.source !== 'measured' || !kpi.measure) continue;
        const last = await this.kpis.lastSnapshotMonth(municipalityId, kpi.code);
        const months = monthsBetween(last ?? kpi.baseline.date, today).filter((month) => month < currentMonth && (!last || month > last));
        for (const month of months) {
          const { value, details } = await this.dashboard.measure(municipalityId, kpi, month, today, 'primary');
          if (await this.kpis.insertSnapshot(municipalityId, { kpiCode: kpi.code, month, measure: kpi.measure, value, details }, this.clock.now())) stored += 1;
        }
      }
    }
    if (stored > 0) this.logger.log({ msg: 'kpi snapshots stored', count: stored });
    return stored;
  }
}
