import { CaseAccess, QUEUE_ROLES, requireRole, staffReadDetails, ApplicationRepository, ApplicationError, type ApplicationEntity, ApplicationWorkflowService, IdempotencyService } from '@madoguchi/engine';
import { Injectable } from '@nestjs/common';
import { AuditActions, AuditService } from '@madoguchi/audit';
import { type ResidentPrincipal, type StaffPrincipal, StaffRepository, SensitiveFormFields, type JpkiReverification } from '@madoguchi/identity';
import { ProcedureRegistry, ProceduresService } from '@madoguchi/procedures';
import type { ProcedureDefinition, WorkflowActor } from '@madoguchi/workflow';
import type { ApplicationDto, ApplicationSummaryDto, StaffEventDto, TimelineEntryDto } from './dto/application.dto';
import { toApplicationDto, toSummary, toTimeline } from './application.mapper';
import { ApplicationsService } from './applications.service';
import { ApplicationSignatureService } from './application-signature.service';
import { type AttachmentDto, AttachmentsService } from './attachments/attachments.service';
import { formatWareki, isoDateIn } from '@madoguchi/kernel';
import type { ReceiptDto } from './dto/application.dto';
import type { WorkQueuePageDto, WorkQueueQuery } from './work-queue/work-queue.dto';
import { WorkQueueService } from './work-queue/work-queue.service';

const REVIEW_ROLES = ['clerk', 'reviewer'] as const;

/**
 * Who may see and change which application. Residents reach only their own
 * (anything else is "not found", so existence is not confirmed); staff reach
 * only applications of procedures their departments own, and every staff
 * read of an application's personal data is audited.
 */
@Injectable()
export class ApplicationAccessService {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly repository: ApplicationRepository,
    private readonly workflow: ApplicationWorkflowService,
    private readonly registry: ProcedureRegistry,
    private readonly procedures: ProceduresService,
    private readonly audit: AuditService,
    private readonly signatures: ApplicationSignatureService,
    private readonly idempotency: IdempotencyService,
    private readonly attachments: AttachmentsService,
    private readonly sensitive: SensitiveFormFields,
    private readonly workQueue: WorkQueueService,
    private readonly staffAccounts: StaffRepository,
    private readonly cases: CaseAccess,
  ) {}

  // Residents

  create(resident: ResidentPrincipal, procedureCode: string, formData: Record<string, unknown> | undefined, idempotencyKey?: string): Promise<ApplicationDto> {
    return this.idempotency.run(resident.municipalityId, resident.id, idempotencyKey, { op: 'create', procedureCode, formData }, async (manager) => {
      const draft = await this.applications.createDraft(
        resident.municipalityId,
        { procedureCode, channel: 'online', applicantId: resident.id, formData: formData ?? {}, actor: residentActor(resident) },
        manager,
      );
      return this.dto(draft);
    });
  }

  async listMine(resident: ResidentPrincipal): Promise<ApplicationSummaryDto[]> {
    return (await this.repository.listByApplicant(resident.municipalityId, resident.id)).map(toSummary);
  }

  async getMine(resident: ResidentPrincipal, id: string): Promise<ApplicationDto> {
    return this.dto(await this.ownedBy(resident, id));
  }

  async timeline(resident: ResidentPrincipal, id: string): Promise<TimelineEntryDto[]> {
    await this.ownedBy(resident, id);
    return toTimeline(await this.repository.events(resident.municipalityId, id));
  }

  async updateForm(resident: ResidentPrincipal, id: string, formData: Record<string, unknown>, revision: number): Promise<ApplicationDto> {
    await this.ownedBy(resident, id);
    await this.applications.updateDraft(resident.municipalityId, id, formData, revision);
    return this.getMine(resident, id);
  }

  async submit(resident: ResidentPrincipal, id: string, revision?: number, idempotencyKey?: string): Promise<ApplicationDto> {
    await this.ownedBy(resident, id);
    return this.idempotency.run(resident.municipalityId, resident.id, idempotencyKey, { op: 'submit', id, revision: revision ?? null }, async (manager) => {
      await this.applications.submit(resident.municipalityId, id, residentActor(resident), revision, { manager });
      // Read through the submit's transaction: the stored response is what it committed.
      return this.dto((await this.repository.find(resident.municipalityId, id, manager))!);
    });
  }

  /** After a return for correction: changes only the fields staff flagged. */
  async correct(resident: ResidentPrincipal, id: string, changes: Record<string, unknown>, revision: number): Promise<ApplicationDto> {
    await this.ownedBy(resident, id);
    await this.applications.correct(resident.municipalityId, id, changes, revision, residentActor(resident));
    return this.getMine(resident, id);
  }

  async discard(resident: ResidentPrincipal, id: string, revision?: number): Promise<ApplicationDto> {
    // Staff finish or discard a draft at the counter (see updateDraft).
    if ((await this.ownedBy(resident, id)).channel === 'counter') throw ApplicationError.atCounter();
    await this.workflow.transition(resident.municipalityId, id, { type: 'resident.discard', actor: residentActor(resident), expectedRevision: revision });
    return this.getMine(resident, id);
  }

  /** 受付票 as data: what the resident keeps as proof of submission. */
  async receipt(resident: ResidentPrincipal, id: string): Promise<ReceiptDto> {
    const application = await this.ownedBy(resident, id);
    if (!application.submittedAt || !application.referenceNumber) throw ApplicationError.notSubmitted();
    const compiled = await this.registry.get(resident.municipalityId, application.procedureCode, application.procedureVersion);
    const submittedOn = isoDateIn(application.submittedAt, 'Asia/Tokyo');
    const fee = (application.snapshot.context as { fee?: { amount: number | null } }).fee?.amount ?? null;
    return {
      referenceNumber: application.referenceNumber,
      procedure: { code: compiled.definition.code, version: compiled.definition.version, name: compiled.definition.name },
      channel: application.channel,
      submittedAt: application.submittedAt.toISOString(),
      submittedOnWareki: formatWareki(submittedOn),
      fee,
      standardProcessingDays: compiled.definition.standardProcessingDays ?? null,
      dueOn: application.dueOn,
      status: toSummary(application).status,
    };
  }

  async residentEvent(resident: ResidentPrincipal, id: string, type: 'resident.withdraw' | 'resident.resubmit', payload: Record<string, unknown>, revision?: number): Promise<ApplicationDto> {
    await this.ownedBy(resident, id);
    await this.workflow.transition(resident.municipalityId, id, { type, payload, actor: residentActor(resident), expectedRevision: revision });
    return this.getMine(resident, id);
  }

  async signingContent(resident: ResidentPrincipal, id: string): Promise<{ content: Record<string, unknown>; contentHash: string }> {
    return this.signatures.contentOf(await this.ownedBy(resident, id));
  }

  /**
   * Refuses before a card is asked to sign what could not be stored (the
   * same rule as `sign`): someone else's, or neither a draft nor a case
   * returned for correction.
   */
  async assertSignable(resident: ResidentPrincipal, id: string): Promise<void> {
    const application = await this.ownedBy(resident, id);
    if (application.phase !== 'draft' && application.state !== 'returned') throw ApplicationError.notDraft();
  }

  async sign(resident: ResidentPrincipal, id: string, signature: string, certificateChain: string[]): Promise<{ contentHash: string; basic4: unknown }> {
    const application = await this.ownedBy(resident, id);
    // A returned case is signed again over its corrected content before it may be resubmitted.
    if (application.phase !== 'draft' && application.state !== 'returned') throw ApplicationError.notDraft();
    return this.signatures.sign(application, signature, certificateChain);
  }

  // Staff

  async staffAttachment(staff: StaffPrincipal, id: string, attachmentId: string): Promise<{ meta: { fileName: string; contentType: string }; data: Buffer }> {
    requireRole(staff, QUEUE_ROLES);
    const application = await this.inDepartment(staff, id);
    return this.attachments.staffDownload(staff, application, attachmentId);
  }

  /** The files attached to a case of the staff member's departments (metadata only; reading one is audited). */
  async staffAttachments(staff: StaffPrincipal, id: string): Promise<AttachmentDto[]> {
    return this.attachments.staffList(await this.staffCase(staff, id));
  }

  /** The individual number a form holds, for reviewers and approvers of the department; audited first. */
  async staffRevealIndividualNumber(staff: StaffPrincipal, id: string, purpose: string): Promise<{ individualNumber: string }> {
    requireRole(staff, ['reviewer', 'approver']);
    const application = await this.inDepartment(staff, id);
    const opened = this.sensitive.open(staff.municipalityId, id, application.formData);
    if (typeof opened.individualNumber !== 'string') throw ApplicationError.noIndividualNumber();
    await this.audit.record(staff.municipalityId, {
      actor: { kind: 'staff', id: staff.id },
      action: AuditActions.IndividualNumberDecrypted,
      target: { type: 'application', id },
      details: { purpose, ...staffReadDetails(application, 'individualNumber') },
    });
    return { individualNumber: opened.individualNumber };
  }

  /** Whether the staff member's departments handle a submitted application of the resident. */
  async hasCaseOf(staff: StaffPrincipal, residentId: string): Promise<boolean> {
    const codes = await this.departmentProcedures(staff);
    return this.repository.hasSubmittedApplication(staff.municipalityId, residentId, codes);
  }

  async staffReverifySignature(staff: StaffPrincipal, id: string): Promise<JpkiReverification> {
    requireRole(staff, QUEUE_ROLES);
    const application = await this.inDepartment(staff, id);
    // The result carries the applicant's 基本4情報: a read of personal data.
    await this.audit.record(staff.municipalityId, {
      actor: { kind: 'staff', id: staff.id },
      action: AuditActions.ApplicationRead,
      target: { type: 'application', id },
      details: { fields: ['signature.basic4'], ...staffReadDetails(application, 'signature') },
    });
    return this.signatures.reverify(application);
  }

  /** The work queue of the caller's departments (`staff.departments`, against `applications.department`). */
  async queue(staff: StaffPrincipal, query: WorkQueueQuery): Promise<WorkQueuePageDto> {
    requireRole(staff, QUEUE_ROLES);
    return this.workQueue.page(staff, query);
  }

  /**
   * The office's queue page in one call: a page of the queue, the open cases
   * per state, the departments' procedures (the procedure filter), the
   * colleagues cases can be handed to, and the names of whoever holds a
   * listed case.
   */
  async queueBoard(staff: StaffPrincipal, query: WorkQueueQuery): Promise<QueueBoard> {
    requireRole(staff, QUEUE_ROLES);
    const [page, stateCounts, definitions, accounts] = await Promise.all([
      this.workQueue.page(staff, query),
      this.workQueue.stateCounts(staff),
      this.procedures.latestDefinitions(staff.municipalityId),
      this.staffAccounts.list(staff.municipalityId),
    ]);
    const holders = new Set(page.items.map((item) => item.claimedBy).filter((id): id is string => id !== null));
    return {
      page,
      stateCounts,
      procedures: definitions.filter((definition) => staff.departments.includes(definition.department)).map((definition) => ({ code: definition.code, name: definition.name })),
      colleagues: accounts
        .filter((account) => account.active && staff.departments.some((department) => this.mayWorkIn(account, department)))
        .map((account) => ({ id: account.id, name: account.displayName })),
      staffNames: Object.fromEntries(accounts.filter((account) => holders.has(account.id)).map((account) => [account.id, account.displayName])),
    };
  }

  /** The events of a case of the staff member's departments, oldest first. */
  async staffTimeline(staff: StaffPrincipal, id: string): Promise<TimelineEntryDto[]> {
    await this.staffCase(staff, id);
    return toTimeline(await this.repository.events(staff.municipalityId, id));
  }

  /** The definition a case was submitted under (its form and sections). */
  async procedureOf(application: { municipalityId: string; procedureCode: string; procedureVersion: number }): Promise<ProcedureDefinition> {
    return (await this.registry.get(application.municipalityId as never, application.procedureCode, application.procedureVersion)).definition;
  }

  async staffGet(staff: StaffPrincipal, id: string): Promise<ApplicationDto> {
    requireRole(staff, QUEUE_ROLES);
    const application = await this.inDepartment(staff, id);
    await this.audit.record(staff.municipalityId, {
      actor: { kind: 'staff', id: staff.id },
      action: AuditActions.ApplicationRead,
      target: { type: 'application', id },
      details: { fields: Object.keys(application.formData), ...staffReadDetails(application, 'application') },
    });
    return this.dto(application);
  }

  async staffEvent(staff: StaffPrincipal, id: string, event: StaffEventDto): Promise<ApplicationDto> {
    requireRole(staff, REVIEW_ROLES);
    await this.inDepartment(staff, id);
    const actor: WorkflowActor = { kind: 'staff', id: staff.id, ...(staff.approvalLevel ? { level: staff.approvalLevel } : {}) };
    await this.workflow.transition(staff.municipalityId, id, { type: event.type, payload: event.payload ?? {}, actor, expectedRevision: event.revision });
    return this.dto(await this.applications.get(staff.municipalityId, id));
  }

  // Case work (claims, notes, resubmission diffs in ./case-work) asks the same questions.

  /** The resident's own application, else 404 (existence is not confirmed). */
  residentCase(resident: ResidentPrincipal, id: string): Promise<ApplicationEntity> {
    return this.cases.residentCase(resident, id);
  }

  /** A submitted application of the staff member's departments: the role first (403), then the department (404). */
  staffCase(staff: StaffPrincipal, id: string, roles: readonly string[] = QUEUE_ROLES): Promise<ApplicationEntity> {
    return this.cases.staffCase(staff, id, roles);
  }

  mayWorkIn(account: { roles: readonly string[]; departments: readonly string[] }, department: string): boolean {
    return this.cases.mayWorkIn(account, department);
  }

  private ownedBy(resident: ResidentPrincipal, id: string): Promise<ApplicationEntity> {
    return this.cases.residentCase(resident, id);
  }

  private inDepartment(staff: StaffPrincipal, id: string): Promise<ApplicationEntity> {
    return this.cases.staffCase(staff, id, staff.roles);
  }

  private async departmentProcedures(staff: StaffPrincipal): Promise<string[]> {
    return (await this.procedures.latestDefinitions(staff.municipalityId))
      .filter((definition) => staff.departments.includes(definition.department))
      .map((definition) => definition.code);
  }

  private async dto(application: ApplicationEntity): Promise<ApplicationDto> {
    const compiled = await this.registry.get(application.municipalityId as never, application.procedureCode, application.procedureVersion);
    return toApplicationDto(application, compiled, this.sensitive.mask(application.municipalityId, application.id, application.formData));
  }
}

export interface QueueBoard {
  page: WorkQueuePageDto;
  stateCounts: Record<string, number>;
  procedures: Array<{ code: string; name: { ja: string; en: string } }>;
  colleagues: Array<{ id: string; name: string }>;
  staffNames: Record<string, string>;
}

function residentActor(resident: ResidentPrincipal): WorkflowActor {
  return { kind: 'resident', id: resident.id };
}

