import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import { type OutboxMessage, WorkflowError, WorkflowErrorCode } from '@madoguchi/workflow';
import { ApplicationRepository } from './application.repository';
import { ApplicationWorkflowService } from './application-workflow.service';

/** The outbox topic of a procedure's issue step (the `issuing` state's effect). */
export const DOCUMENT_ISSUE_TOPIC = 'document.issue';

/**
 * PLACEHOLDER until libs/documents exists (the documents issue replaces this
 * handler, and its registration in ApplicationsModule, with one that renders
 * and stores the signed PDF). Without any handler, applications would wait
 * in `issuing` forever; this one completes the step with no document, saying
 * so in the event payload (`placeholder: true`) so those cases can be found
 * and issued for real later.
 */
@Injectable()
export class DocumentIssuePlaceholder {
  constructor(
    private readonly applications: ApplicationRepository,
    private readonly workflow: ApplicationWorkflowService,
  ) {}

  /** Idempotent: a redelivery, or one for an application that already left `issuing`, does nothing. */
  async handle(message: OutboxMessage): Promise<void> {
    const { applicationId } = message.payload as { applicationId: string };
    const municipalityId: MunicipalityId = message.municipalityId;
    const application = await this.applications.find(municipalityId, applicationId);
    if (application?.state !== 'issuing') return;
    try {
      // No expected revision: any later change that keeps the case in
      // `issuing` must not strand it; the machine refuses the event elsewhere.
      await this.workflow.transition(municipalityId, applicationId, {
        type: 'document.issued',
        actor: { kind: 'system', id: 'document-issue-placeholder' },
        payload: { placeholder: true },
      });
    } catch (error) {
      // A concurrent delivery moved it on between the read and the lock.
      if (error instanceof WorkflowError && error.code === WorkflowErrorCode.EventNotAllowed) return;
      throw error;
    }
  }
}
