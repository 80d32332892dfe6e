import { type DynamicModule, Module, type ModuleMetadata, type Type } from '@nestjs/common';
import { BookingsModule } from '@madoguchi/bookings';
import { CounterModule } from '@madoguchi/counter';
import { PaymentsModule } from '@madoguchi/payments';
import { ProceduresModule } from '@madoguchi/procedures';
import { AnnualReportController } from './annual-report/annual-report.controller';
import { AnnualReportService } from './annual-report/annual-report.service';
import { REPORT_KPI_SOURCE, type ReportKpiSource } from './annual-report/report-kpi-source';
import { EvaluationController } from './evaluation/evaluation.controller';
import { EvaluationRepository } from './evaluation/evaluation.repository';
import { EvaluationService } from './evaluation/evaluation.service';
import { OpenDataController } from './opendata/opendata.controller';
import { OpenDataRepository } from './opendata/opendata.repository';
import { OpenDataService } from './opendata/opendata.service';
import { ProcedureDraftsController } from './procedure-drafts/procedure-drafts.controller';
import { ProcedureDraftsModule } from './procedure-drafts/procedure-drafts.module';

/**
 * What managers report: the survey-style evaluation, open data and the annual
 * report, and procedure versions tried before they go live. Reads other libraries' tables only through read-only aggregate
 * queries; never changes an application or a payment; a procedure only through the
 * procedures library's publishing service.
 */
@Module({
  imports: [ProceduresModule, BookingsModule, PaymentsModule, CounterModule, ProcedureDraftsModule],
  controllers: [EvaluationController, OpenDataController, ProcedureDraftsController, AnnualReportController],
  providers: [EvaluationRepository, EvaluationService, OpenDataRepository, OpenDataService, AnnualReportService],
  exports: [EvaluationService, OpenDataService],
})
export class ReportingModule {
  /**
   * The module with its KPI figures bound: the kpi library implements
   * ReportKpiSource and uses reporting's charts, so reporting cannot import
   * it; the application names the implementation here instead.
   */
  static withKpiSource(source: { imports: NonNullable<ModuleMetadata['imports']>; useExisting: Type<ReportKpiSource> }): DynamicModule {
    return {
      module: ReportingModule,
      imports: source.imports,
      providers: [{ provide: REPORT_KPI_SOURCE, useExisting: source.useExisting }],
    };
  }
}
