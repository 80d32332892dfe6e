import { Module, type OnModuleInit } from '@nestjs/common';
import { PeriodicJobs } from '@madoguchi/kernel';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProceduresModule } from '@madoguchi/procedures';
import { ApplicationEventEntity } from './application-event.entity';
import { ApplicationEntity } from './application.entity';
import { OutboxHandlerRegistry, WorkflowModule } from '@madoguchi/workflow';
import { ApplicationTimerPoller } from './application-timer.poller';
import { ApplicationWorkflowService } from './application-workflow.service';
import { ApplicationRepository } from './application.repository';
import { ApplicationsService } from './applications.service';
import { ApplicationAccessService } from './application-access.service';
import { DraftExpiryJob } from './draft-expiry.job';
import { IdempotencyService } from './idempotency.service';
import { ApplicationSignatureService } from './application-signature.service';
import { IdentityModule, IndividualNumberService, MyNumberSigningTargets } from '@madoguchi/identity';
import { ResidentApplicationsController, ResidentAttachmentsController, StaffApplicationsController } from './applications.controller';
import { AttachmentsService } from './attachments/attachments.service';
import { SensitiveFormFields } from './sensitive-fields';
import { TransitionHooks } from './transition-hooks';
import { SignedContentHook } from './signed-content.hook';
import { AttachmentRepository } from './attachments/attachment.repository';
import { AuditModule, AuditService, type AuditRecordInput } from '@madoguchi/audit';
import { CounterEntryController, ResidentHandoverController } from './counter-entry/counter-entry.controller';
import { CounterEntryRepository } from './counter-entry/counter-entry.repository';
import { CounterEntryService } from './counter-entry/counter-entry.service';
import { CounterTicketLinks } from './counter-entry/counter-ticket-links.registry';
import { HandoverService } from './counter-entry/handover.service';
import { CaseWorkController } from './case-work/case-work.controller';
import { CaseWorkRepository } from './case-work/case-work.repository';
import { CaseFileService } from './case-work/case-file.service';
import { ClaimsService } from './case-work/claims.service';
import { ClaimsHook } from './case-work/claims.hook';
import { ClaimIdleReleaseJob } from './case-work/claim-idle-release.job';
import { CaseNotesService } from './case-work/case-notes.service';
import { SubmissionDiffsService } from './case-work/submission-diffs.service';
import { SubmissionSnapshotsHook } from './case-work/submission-snapshots.hook';
import { DueDateHook } from './work-queue/due-date.hook';
import { WorkQueueRepository } from './work-queue/work-queue.repository';
import { WorkQueueService } from './work-queue/work-queue.service';
import { ApplicationFormPagesService } from './form-pages/application-form-pages.service';
import { CounterFormPagesService } from './form-pages/counter-form-pages.service';

/** Applications and their lifecycle; owns the engine's transaction. */
@Module({
  imports: [TypeOrmModule.forFeature([ApplicationEntity, ApplicationEventEntity]), ProceduresModule, WorkflowModule, AuditModule, IdentityModule],
  controllers: [ResidentApplicationsController, StaffApplicationsController, ResidentAttachmentsController, CaseWorkController, CounterEntryController, ResidentHandoverController],
  providers: [SensitiveFormFields, AttachmentsService, AttachmentRepository, DraftExpiryJob, IdempotencyService, ApplicationSignatureService, ApplicationAccessService, ApplicationRepository, ApplicationWorkflowService, ApplicationsService, ApplicationTimerPoller, TransitionHooks,
    // The signed record stays signed: checked on the engine's transaction for every path into review and approval.
    SignedContentHook,
    // Case work: the hooks and the idle-release job register themselves on module init.
    CaseWorkRepository, ClaimsService, CaseFileService, ClaimsHook, ClaimIdleReleaseJob, CaseNotesService, SubmissionDiffsService, SubmissionSnapshotsHook,
    // Assisted entry at the counter and the QR handover.
    CounterEntryRepository, CounterEntryService, HandoverService, CounterTicketLinks,
    // Work queue and the due-date clock (the hook registers itself on module init).
    WorkQueueRepository, WorkQueueService, DueDateHook,
    // The form in the browser (apps/portal): the same services, a section at a time.
    ApplicationFormPagesService, CounterFormPagesService],
  exports: [ApplicationFormPagesService, CounterFormPagesService, HandoverService, AttachmentsService, CaseFileService, ClaimsService, CaseNotesService, SubmissionDiffsService, CounterTicketLinks, TransitionHooks, ApplicationRepository, ApplicationAccessService, SensitiveFormFields, DraftExpiryJob, ClaimIdleReleaseJob, ApplicationsService, ApplicationWorkflowService, ApplicationTimerPoller],
})
export class ApplicationsModule implements OnModuleInit {
  constructor(
    private readonly jobs: PeriodicJobs,
    private readonly timers: ApplicationTimerPoller,
    private readonly handlers: OutboxHandlerRegistry,
    private readonly audit: AuditService,
    private readonly drafts: DraftExpiryJob,
    private readonly individualNumbers: IndividualNumberService,
    private readonly access: ApplicationAccessService,
    private readonly signingTargets: MyNumberSigningTargets,
  ) {}

  onModuleInit(): void {
    this.individualNumbers.useCaseCheck((staff, residentId) => this.access.hasCaseOf(staff, residentId));
    // Signing in the browser (POST /applications/:id/sign/mynumber): the same
    // content hash as GET /applications/:id/signing-content, stored through
    // the same verification as POST /applications/:id/signature.
    this.signingTargets.register('application', {
      contentHash: async (resident, id) => {
        await this.access.assertSignable(resident, id);
        return (await this.access.signingContent(resident, id)).contentHash;
      },
      store: async (resident, id, signature, chain) => {
        await this.access.sign(resident, id, signature, chain);
      },
      // Back to the check-answers page, which sends a case that is no longer a draft on to its application page.
      returnPath: (id) => `/applications/${id}/check`,
    });
    this.handlers.register('audit.record', async (message) => {
      await this.audit.record(message.municipalityId, message.payload as unknown as AuditRecordInput);
    });
    this.jobs.register({ name: 'draft-expiry', idleMs: 60 * 60_000, run: () => this.drafts.run() });
    this.jobs.register({ name: 'timers', idleMs: 1000, run: () => this.timers.fireDue() });
  }
}
