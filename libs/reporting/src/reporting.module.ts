import { Module } from '@nestjs/common';
import { EvaluationController } from './evaluation/evaluation.controller';
import { EvaluationRepository } from './evaluation/evaluation.repository';
import { EvaluationService } from './evaluation/evaluation.service';

/**
 * What managers report: the survey-style evaluation, open data and the annual
 * report. Reads other libraries' tables only through read-only aggregate
 * queries; never changes an application, a payment or a procedure.
 */
@Module({
  controllers: [EvaluationController],
  providers: [EvaluationRepository, EvaluationService],
  exports: [EvaluationService],
})
export class ReportingModule {}
