import { Module, type OnModuleInit } from '@nestjs/common';
import { IdentityModule } from '@madoguchi/identity';
import { PeriodicJobs } from '@madoguchi/kernel';
import { ProceduresModule } from '@madoguchi/procedures';
import { ApplicationChannelsRepository } from './application-channels.repository';
import { KpiChartsService } from './charts/kpi-charts.service';
import { BusinessDaysSync } from './dashboard/business-days.sync';
import { DashboardController } from './dashboard/dashboard.controller';
import { DashboardRepository } from './dashboard/dashboard.repository';
import { DashboardService } from './dashboard/dashboard.service';
import { KpiSnapshotJob } from './dashboard/kpi-snapshot.job';
import { KpiController } from './kpi.controller';
import { KpiService } from './kpi.service';
import { KpiConfigSyncService } from './register/kpi-config-sync.service';
import { KpiReportSource } from './register/kpi-report-source';
import { KpiRepository } from './register/kpi.repository';
import { KpiRegisterService } from './register/kpi-register.service';
import { KpisAdminController, KpisController } from './register/kpis.controller';

/**
 * Figures managers report against the city's targets: the public online and
 * cashless KPIs, the register of plan KPIs (entered values, monthly
 * snapshots) and the dashboard. It writes only its own tables (kpi*); it
 * reads the application rollups the database keeps and never rows of
 * residents.
 */
@Module({
  imports: [ProceduresModule, IdentityModule],
  controllers: [KpiController, KpisAdminController, KpisController, DashboardController],
  providers: [
    ApplicationChannelsRepository,
    KpiService,
    KpiRepository,
    KpiRegisterService,
    KpiConfigSyncService,
    DashboardRepository,
    DashboardService,
    KpiSnapshotJob,
    BusinessDaysSync,
    KpiChartsService,
    KpiReportSource,
  ],
  exports: [KpiConfigSyncService, BusinessDaysSync, KpiSnapshotJob, DashboardService, KpiRegisterService, KpiChartsService, KpiReportSource],
})
export class KpiModule implements OnModuleInit {
  constructor(
    private readonly jobs: PeriodicJobs,
    private readonly snapshots: KpiSnapshotJob,
  ) {}

  onModuleInit(): void {
    // Month ends come once a month; hourly is plenty, and a run that stores nothing is a handful of reads.
    this.jobs.register({ name: 'kpi-snapshots', idleMs: 60 * 60_000, run: () => this.snapshots.run() });
  }
}
