import { Injectable, type OnModuleInit } from '@nestjs/common';
import { type TransitionContext, TransitionHooks } from '@madoguchi/engine';
import { ProcedureRegistry } from '@madoguchi/procedures';
import { ApprovalContent } from './approval-content';
import { openRound } from './approval-decisions.service';
import { ApprovalRepository } from './approval.repository';
import { resolveRoute } from './approval-route';

/**
 * Keeps the approval round in step with the engine: a case entering approval
 * (or sent back to its start) gets a route resolved from its answers then;
 * a case leaving approval closes its round; a subsidy rejected at review gets
 * its 不交付決定.
 */
@Injectable()
export class ApprovalRoundHook implements OnModuleInit {
  readonly name = 'approval-rounds';

  constructor(
    private readonly hooks: TransitionHooks,
    private readonly repository: ApprovalRepository,
    private readonly registry: ProcedureRegistry,
    private readonly content: ApprovalContent,
  ) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  /** Into or out of 決裁, or a rejection that may record a non-grant decision. */
  involved({ input, result }: TransitionContext): boolean {
    return result.to === 'underApproval' || result.from === 'underApproval' || (result.to === 'rejected' && input.type === 'staff.reject');
  }

  async after(context: TransitionContext & { revision: number }): Promise<void> {
    const { manager, municipalityId, application, input, result, at } = context;
    const restarted = input.type === 'approver.return' && input.payload?.to === 'clerk' && result.to === 'underApproval';
    if (result.to === 'underApproval' && (result.entered || restarted)) {
      const { definition } = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
      const route = resolveRoute(definition, this.content.answers(application));
      await openRound(this.repository, manager, municipalityId, application.id, route, definition.department, at);
      return;
    }
    if (result.from === 'underApproval' && result.to !== 'underApproval') await this.repository.closeRound(manager, municipalityId, application.id, at);
    if (result.to === 'rejected' && input.type === 'staff.reject') {
      const { definition } = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
      if (!definition.grant) return;
      const amount = this.content.answers(application)[definition.grant.amountField];
      await this.repository.insertGrantDecision(manager, municipalityId, {
        applicationId: application.id,
        decisionNumber: await this.content.decisionNumber(manager, municipalityId, definition.department, at),
        kind: 'nonGrant',
        amount: null,
        requestedAmount: typeof amount === 'number' && Number.isInteger(amount) && amount >= 0 ? amount : null,
        reason: typeof input.payload?.reason === 'string' ? input.payload.reason.trim() : '',
        decidedBy: input.actor.id,
        decidedAt: at,
        approvalHash: null,
      });
    }
  }
}
