import { Module } from '@nestjs/common';
import { EngineModule } from '@madoguchi/engine';
import { AuditModule } from '@madoguchi/audit';
import { IdentityModule } from '@madoguchi/identity';
import { ProceduresModule } from '@madoguchi/procedures';
import { ApprovalContent } from './approval-content';
import { ApprovalDecisionsService } from './approval-decisions.service';
import { ApprovalRoundHook } from './approval-round.hook';
import { ApprovalRepository } from './approval.repository';
import { ApprovalsController, ResidentDecisionsController } from './approvals.controller';
import { DelegationsService } from './delegations.service';
import { ResidentDecisionsService } from './resident-decisions.service';

/**
 * E-approval (電子決裁): approval routes, decisions with a hash chain,
 * delegation (代決), separation of duties and grant decisions. Owns the
 * approval step of every procedure; never writes an application row itself
 * (transitions go through the engine).
 */
@Module({
  imports: [EngineModule, ProceduresModule, AuditModule, IdentityModule],
  controllers: [ApprovalsController, ResidentDecisionsController],
  providers: [ApprovalRepository, ApprovalContent, ApprovalDecisionsService, DelegationsService, ResidentDecisionsService, ApprovalRoundHook],
  exports: [ApprovalDecisionsService, DelegationsService],
})
export class ApprovalsModule {}
