import { Module } from '@nestjs/common';
import { ProceduresModule } from '@madoguchi/procedures';
import { ProcedureDraftRepository } from './procedure-draft.repository';
import { ProcedureDraftsService } from './procedure-drafts.service';

/**
 * Procedure drafts without their JSON routes: what the office's pages import
 * (ReportingModule adds the API controller), so an office-only process does
 * not serve /api routes and both callers share one service.
 */
@Module({
  imports: [ProceduresModule],
  providers: [ProcedureDraftRepository, ProcedureDraftsService],
  exports: [ProcedureDraftsService],
})
export class ProcedureDraftsModule {}
