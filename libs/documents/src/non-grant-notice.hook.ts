import { Injectable } from '@nestjs/common';
import type { TransitionContext, TransitionHook, TransitionWrites } from '@madoguchi/engine';
import { ProcedureRegistry } from '@madoguchi/procedures';
import { DOCUMENT_ISSUE_TOPIC } from './document-issuer.service';

/**
 * A rejected subsidy gets its 不交付決定通知書 although the machine goes
 * straight to `rejected` (no issue step): this hook asks for it through the
 * outbox, in the rejection's own transaction, with the same payload shape
 * the engine uses for the issue step.
 */
@Injectable()
export class NonGrantNoticeHook implements TransitionHook {
  readonly name = 'documents.nonGrantNotice';

  constructor(
    private readonly registry: ProcedureRegistry,
  ) {}

  async contribute(context: TransitionContext & { revision: number; writes: TransitionWrites }): Promise<void> {
    if (!context.result.entered || context.result.to !== 'rejected') return;
    const { application } = context;
    const compiled = await this.registry.get(context.municipalityId, application.procedureCode, application.procedureVersion);
    if (!compiled.definition.grant) return;
    context.writes.outbox.push({
      topic: DOCUMENT_ISSUE_TOPIC,
      payload: { applicationId: application.id, state: 'rejected', revision: context.revision, event: context.input.type },
    });
  }

}
