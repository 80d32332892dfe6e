import { Module, type OnModuleInit } from '@nestjs/common';
import { PeriodicJobs, OutboxHandlerRegistry } from '@madoguchi/kernel';
import { ProceduresModule } from '@madoguchi/procedures';
import { EngineModule, ResidentApplicationDrafts } from '@madoguchi/engine';
import { CounterModule } from '@madoguchi/counter';
import { ApplicationsService } from './applications.service';
import { ApplicationAccessService } from './application-access.service';
import { DraftExpiryJob } from './draft-expiry.job';
import { ApplicationSignatureService } from './application-signature.service';
import { IdentityModule, IndividualNumberService, MyNumberSigningTargets } from '@madoguchi/identity';
import { ResidentApplicationsController, ResidentAttachmentsController, StaffApplicationsController } from './applications.controller';
import { AttachmentsService } from './attachments/attachments.service';
import { SignedContentHook } from './signed-content.hook';
import { AttachmentRepository } from './attachments/attachment.repository';
import { AuditModule, AuditService, type AuditRecordInput } from '@madoguchi/audit';
import { CounterEntryController, ResidentHandoverController } from './counter-entry/counter-entry.controller';
import { CounterEntryRepository } from './counter-entry/counter-entry.repository';
import { CounterEntryService } from './counter-entry/counter-entry.service';
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

/**
 * The resident's and the staff's case features on top of the engine
 * (libs/engine): applying, the work queue, case work, assisted entry at the
 * counter, attachments and signatures.
 */
@Module({
  imports: [EngineModule, ProceduresModule, AuditModule, IdentityModule, CounterModule],
  controllers: [ResidentApplicationsController, StaffApplicationsController, ResidentAttachmentsController, CaseWorkController, CounterEntryController, ResidentHandoverController],
  providers: [AttachmentsService, AttachmentRepository, DraftExpiryJob, ApplicationSignatureService, ApplicationAccessService, ApplicationsService,
    // The signed record stays signed: checked on the engine's transaction for every path into review and approval.
    SignedContentHook,
    // Case work: the hooks and the idle-release job register themselves on module init.
    CaseWorkRepository, ClaimsService, CaseFileService, ClaimsHook, ClaimIdleReleaseJob, CaseNotesService, SubmissionDiffsService, SubmissionSnapshotsHook,
    // Assisted entry at the counter and the QR handover.
    CounterEntryRepository, CounterEntryService, HandoverService,
    // Work queue and the due-date clock (the hook registers itself on module init).
    WorkQueueRepository, WorkQueueService, DueDateHook,
    // The form in the browser (apps/portal): the same services, a section at a time.
    ApplicationFormPagesService, CounterFormPagesService],
  exports: [ApplicationFormPagesService, CounterFormPagesService, HandoverService, AttachmentsService, CaseFileService, ClaimsService, CaseNotesService, SubmissionDiffsService, ApplicationAccessService, DraftExpiryJob, ClaimIdleReleaseJob, ApplicationsService, EngineModule],
})
export class ApplicationsModule implements OnModuleInit {
  constructor(
    private readonly jobs: PeriodicJobs,
    private readonly drafts: ResidentApplicationDrafts,
    private readonly handlers: OutboxHandlerRegistry,
    private readonly audit: AuditService,
    private readonly draftExpiry: DraftExpiryJob,
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
    // A step library (a facility booking applying with its hold) starts applications through the engine's port.
    this.drafts.use({
      create: async (resident, procedureCode, formData) => this.access.create(resident, procedureCode, formData),
      submit: async (resident, id, revision) => this.access.submit(resident, id, revision),
      discard: async (resident, id) => {
        await this.access.discard(resident, id);
      },
      summary: async (resident, id) => this.access.getMine(resident, id),
    });
    this.handlers.register('audit.record', async (message) => {
      await this.audit.record(message.municipalityId, message.payload as unknown as AuditRecordInput);
    });
    this.jobs.register({ name: 'draft-expiry', idleMs: 60 * 60_000, run: () => this.draftExpiry.run() });
  }
}
