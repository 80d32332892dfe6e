import { Module } from '@nestjs/common';
import { BookingsModule } from '@madoguchi/bookings';
import { ProceduresModule } from '@madoguchi/procedures';
import { EvaluationController } from './evaluation/evaluation.controller';
import { EvaluationRepository } from './evaluation/evaluation.repository';
import { EvaluationService } from './evaluation/evaluation.service';
import { OpenDataController } from './opendata/opendata.controller';
import { OpenDataRepository } from './opendata/opendata.repository';
import { OpenDataService } from './opendata/opendata.service';

/**
 * What managers report: the survey-style evaluation, open data and the annual
 * report. Reads other libraries' tables only through read-only aggregate
 * queries; never changes an application, a payment or a procedure.
 */
@Module({
  imports: [ProceduresModule, BookingsModule],
  controllers: [EvaluationController, OpenDataController],
  providers: [EvaluationRepository, EvaluationService, OpenDataRepository, OpenDataService],
  exports: [EvaluationService, OpenDataService],
})
export class ReportingModule {}
