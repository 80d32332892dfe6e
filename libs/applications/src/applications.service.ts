import { CaseAccess, type ApplicationEventEntity, ApplicationRepository, ApplicationError, type ApplicationEntity, ApplicationWorkflowService, type TransitionOutcome } from '@madoguchi/engine';
import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig, MunicipalityDirectory } from '@madoguchi/config';
import { APP_CONFIG, Clock, isoDateIn, type MunicipalityId } from '@madoguchi/kernel';
import { ProcedureRegistry } from '@madoguchi/procedures';
import { type Channel, type ProcedureDefinition, type WorkflowActor, WorkflowError } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { feeDueAtSubmission } from './submission-fee';
import { ApplicationSignatureService } from './application-signature.service';
import { SensitiveFormFields } from '@madoguchi/identity';

export interface CreateDraftInput {
  procedureCode: string;
  channel: Channel;
  applicantId?: string | null;
  enteredBy?: string | null;
  formData?: Record<string, unknown>;
  actor: WorkflowActor;
}

export interface SubmitOptions {
  /**
   * Submission by staff at the counter (CounterEntryService): the identity
   * the resident proved in person replaces the card-signature check.
   */
  counter?: { assertIdentity(application: ApplicationEntity, definition: ProcedureDefinition): Promise<void> };
  /** The caller's transaction (an idempotent request commits its key with the submission). */
  manager?: EntityManager;
}

/**
 * The generic application lifecycle every procedure shares. Callers (HTTP
 * controllers, the counter, the worker) check who may act before calling.
 */
@Injectable()
export class ApplicationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly applications: ApplicationRepository,
    private readonly registry: ProcedureRegistry,
    private readonly workflow: ApplicationWorkflowService,
    private readonly directory: MunicipalityDirectory,
    private readonly signatures: ApplicationSignatureService,
    private readonly sensitive: SensitiveFormFields,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cases: CaseAccess,
  ) {}

  /** Starts a draft on the newest version; it stays on that version for life. */
  async createDraft(municipalityId: MunicipalityId, input: CreateDraftInput, inTransaction?: EntityManager): Promise<ApplicationEntity> {
    const compiled = await this.registry.latest(municipalityId, input.procedureCode);
    const openedOn = compiled.definition.channels[input.channel]?.openedOn;
    const now = this.clock.now();
    const today = isoDateIn(now, this.directory.get(municipalityId)?.timeZone ?? 'Asia/Tokyo');
    if (!openedOn || openedOn > today) throw ApplicationError.channelClosed(input.channel);
    const snapshot = compiled.initialSnapshot();
    const id = randomUUID();
    const application: Omit<ApplicationEntity, 'municipalityId'> = {
      id,
      procedureCode: compiled.definition.code,
      procedureVersion: compiled.definition.version,
      referenceNumber: null,
      channel: input.channel,
      applicantId: input.applicantId ?? null,
      enteredBy: input.enteredBy ?? null,
      state: compiled.stateOf(snapshot),
      phase: 'draft',
      snapshot,
      formData: this.sensitive.seal(municipalityId, id, input.formData ?? {}, compiled.sensitivePaths),
      revision: 1,
      createdAt: now,
      updatedAt: now,
      submittedAt: null,
      closedAt: null,
      // The version's department for life, like the version itself: a later
      // version moving the procedure does not move this case between queues.
      department: compiled.definition.department,
      dueOn: null,
      duePausedAt: null,
      dueRemainingDays: null,
      claimedBy: null,
      claimedAt: null,
      claimActiveAt: null,
    };
    const write = async (manager: EntityManager): Promise<void> => {
      if (application.channel === 'online' && application.applicantId) {
        await this.applications.lockResidentQuota(manager, municipalityId, application.applicantId);
        if ((await this.applications.countOpenDrafts(manager, municipalityId, application.applicantId)) >= this.config.maxDraftsPerResident) {
          throw ApplicationError.draftLimit(this.config.maxDraftsPerResident);
        }
      }
      await this.applications.insert(manager, municipalityId, application);
      await this.applications.appendEvent(manager, municipalityId, application.id, {
        seq: 1,
        type: 'application.created',
        payload: { channel: input.channel },
        actor: input.actor,
        fromState: application.state,
        toState: application.state,
        at: now,
      });
    };
    await (inTransaction ? write(inTransaction) : this.dataSource.transaction(write));
    return { ...application, municipalityId };
  }

  /**
   * `editor`: a counter draft (entered by staff, or handed over by QR) is
   * edited only at the counter and an online draft only by its applicant, so
   * two people never edit one form; checked under the row lock.
   */
  async updateDraft(
    municipalityId: MunicipalityId,
    id: string,
    formData: Record<string, unknown>,
    expectedRevision: number,
    editor: 'applicant' | 'counter' = 'applicant',
  ): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const application = await this.applications.lock(manager, municipalityId, id);
      if (!application) throw ApplicationError.notFound(id);
      if (application.phase !== 'draft') throw ApplicationError.notDraft();
      if ((application.channel === 'counter') !== (editor === 'counter')) throw editor === 'counter' ? ApplicationError.notFound(id) : ApplicationError.atCounter();
      if (application.revision !== expectedRevision) throw WorkflowError.revisionConflict(expectedRevision, application.revision);
      const kept = this.sensitive.keepMasked(municipalityId, id, application.formData, formData);
      const compiled = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
      await this.applications.updateForm(manager, municipalityId, id, this.sensitive.seal(municipalityId, id, kept, compiled.sensitivePaths), expectedRevision, this.clock.now());
      return expectedRevision + 1;
    });
  }

  /** Validates the form, prices the fee on the server and submits. */
  async submit(municipalityId: MunicipalityId, id: string, actor: WorkflowActor, expectedRevision?: number, options: SubmitOptions = {}): Promise<TransitionOutcome> {
    const application = await this.get(municipalityId, id, options.manager);
    const compiled = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
    // A changed, submitted or discarded application is refused as such (in the
    // engine's order: revision, then state), not for its answers.
    if (expectedRevision !== undefined && expectedRevision !== application.revision) throw WorkflowError.revisionConflict(expectedRevision, application.revision);
    const accepted = compiled.allowedEvents(application.snapshot);
    if (!accepted.includes('resident.submit')) throw WorkflowError.notAllowed('resident.submit', application.state, accepted);
    // A counter draft is submitted only at the counter, an online one only
    // online; the pinned revision below makes a handover in between a 409.
    if ((application.channel === 'counter') !== Boolean(options.counter)) throw options.counter ? ApplicationError.notFound(id) : ApplicationError.atCounter();
    const answers = this.sensitive.open(municipalityId, id, application.formData);
    const problems = compiled.validateForm(answers);
    if (problems.length > 0) throw ApplicationError.formInvalid(problems);
    if (options.counter) await options.counter.assertIdentity(application, compiled.definition);
    else if (compiled.definition.identity === 'myNumberCardSignature') await this.signatures.assertSignedAsIs(application);
    const amount = feeDueAtSubmission(compiled.definition, answers);
    return this.workflow.transition(municipalityId, id, {
      type: 'resident.submit',
      payload: amount === null ? {} : { amount },
      actor,
      // Without a revision from the caller, pin the one whose form was checked.
      expectedRevision: expectedRevision ?? application.revision,
    }, options.manager);
  }

  /**
   * A resident's correction after 差戻し: only the flagged top-level fields may
   * change, the whole form must still be valid, and the change is logged.
   */
  async correct(municipalityId: MunicipalityId, id: string, changes: Record<string, unknown>, expectedRevision: number, actor: WorkflowActor): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const application = await this.applications.lock(manager, municipalityId, id);
      if (!application) throw ApplicationError.notFound(id);
      if (application.state !== 'returned') throw ApplicationError.notReturned();
      if (application.revision !== expectedRevision) throw WorkflowError.revisionConflict(expectedRevision, application.revision);
      const flagged = ((application.snapshot.context as { sendBack?: { fields: string[] } | null }).sendBack?.fields ?? []).map((field) => field.split('.')[0]);
      const notFlagged = Object.keys(changes).filter((field) => !flagged.includes(field));
      if (notFlagged.length > 0) throw ApplicationError.fieldsNotFlagged(notFlagged);
      const formData = this.sensitive.open(municipalityId, id, { ...application.formData, ...this.sensitive.keepMasked(municipalityId, id, application.formData, changes) });
      const compiled = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
      const problems = compiled.validateForm(formData);
      if (problems.length > 0) throw ApplicationError.formInvalid(problems);
      const now = this.clock.now();
      await this.applications.updateForm(manager, municipalityId, id, this.sensitive.seal(municipalityId, id, formData, compiled.sensitivePaths), expectedRevision, now);
      await this.applications.appendEvent(manager, municipalityId, id, {
        seq: expectedRevision + 1,
        type: 'application.corrected',
        payload: { fields: Object.keys(changes) },
        actor,
        fromState: application.state,
        toState: application.state,
        at: now,
      });
      return expectedRevision + 1;
    });
  }

  get(municipalityId: MunicipalityId, id: string, manager?: EntityManager): Promise<ApplicationEntity> {
    return this.cases.get(municipalityId, id, manager);
  }

  events(municipalityId: MunicipalityId, id: string): Promise<ApplicationEventEntity[]> {
    return this.cases.events(municipalityId, id);
  }
}
