import { CounterDeskService } from '@madoguchi/counter';
import { staffReadDetails, type ApplicationEntity, ApplicationError, ApplicationRepository, IdempotencyService } from '@madoguchi/engine';
import { Injectable } from '@nestjs/common';
import { AuditActions, AuditService } from '@madoguchi/audit';
import { IdentityError, ResidentRepository, type StaffPrincipal, SensitiveFormFields } from '@madoguchi/identity';
import { Clock, type MunicipalityId, OutboxRepository, AUDIT_RECORD_TOPIC } from '@madoguchi/kernel';
import { ProcedureRegistry } from '@madoguchi/procedures';
import { type ProcedureDefinition, type WorkflowActor } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import { ApplicationsService } from '../applications.service';
import { CounterEntryError } from './counter-entry.errors';
import { COUNTER_CHECKED_IDENTITY, toCounterApplicationDto, toIdentityCheckDto } from './counter-entry.mapper';
import { CounterEntryRepository, type IdentityDocument } from './counter-entry.repository';
import type { CounterApplicationDto, CounterEntryDto, IdentityCheckDto, IdentityCheckInputDto } from './dto/counter-entry.dto';

/** Counter work on applications: clerks at the desk and the reviewers who sit with them. */
export const COUNTER_ENTRY_ROLES = ['clerk', 'reviewer'] as const;

/** Six digits in a row (ASCII or full-width) look like a licence, passport or card number. */
const DOCUMENT_NUMBER = /[0-9０-９]{6,}/;

/**
 * 書かない窓口: staff enter an application for a resident at the counter, or
 * continue one the resident pre-filled online and handed over by QR (see
 * HandoverService). The form is validated and the fee priced exactly as
 * online; for procedures that online need a card signature, or cannot be
 * done online at all, staff record that they saw the resident's identity
 * documents instead. Staff reach only counter applications of procedures
 * their departments own; anything else is "not found".
 */
@Injectable()
export class CounterEntryService {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly repository: ApplicationRepository,
    private readonly entries: CounterEntryRepository,
    private readonly registry: ProcedureRegistry,
    private readonly residents: ResidentRepository,
    private readonly tickets: CounterDeskService,
    private readonly idempotency: IdempotencyService,
    private readonly sensitive: SensitiveFormFields,
    private readonly outbox: OutboxRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(staff: StaffPrincipal, input: CounterEntryDto, idempotencyKey?: string): Promise<CounterApplicationDto> {
    requireCounterRole(staff);
    const municipalityId = staff.municipalityId;
    if (!(await this.departmentOwns(staff, input.procedureCode))) throw CounterEntryError.procedureNotInDepartment(input.procedureCode);
    return this.idempotency.run(municipalityId, staff.id, idempotencyKey, { op: 'counter.create', ...input }, async (manager) => {
      if (input.residentId && !(await this.residents.findById(municipalityId, input.residentId))) throw CounterEntryError.residentUnknown();
      // The ticket is checked before the draft exists, so a refused ticket leaves no orphan draft behind.
      // The desk's own rules apply (clerks only, tickets of the staff member's municipality).
      if (input.ticketId) await this.tickets.get(staff, input.ticketId);
      const draft = await this.applications.createDraft(municipalityId, {
        procedureCode: input.procedureCode,
        channel: 'counter',
        applicantId: input.residentId ?? null,
        enteredBy: staff.id,
        formData: input.formData ?? {},
        actor: staffActor(staff),
      }, manager);
      if (input.ticketId) await this.tickets.linkApplication(staff, input.ticketId, draft.id, manager);
      return this.view(draft);
    });
  }

  /** A counter application as staff see it; a read of personal data, so audited. */
  async get(staff: StaffPrincipal, id: string): Promise<CounterApplicationDto> {
    requireCounterRole(staff);
    const application = await this.counterApplication(staff, id);
    await this.auditRead(staff, application, 'counter');
    return this.view(application);
  }

  async updateForm(staff: StaffPrincipal, id: string, formData: Record<string, unknown>, revision: number): Promise<CounterApplicationDto> {
    requireCounterRole(staff);
    await this.counterApplication(staff, id);
    await this.applications.updateDraft(staff.municipalityId, id, formData, revision, 'counter');
    return this.view(await this.applications.get(staff.municipalityId, id));
  }

  /**
   * Records that staff saw the resident's identity documents: who, when,
   * which kind. Only before submission, under the row lock that orders it
   * against submitting.
   */
  async confirmIdentity(staff: StaffPrincipal, id: string, input: IdentityCheckInputDto): Promise<IdentityCheckDto> {
    requireCounterRole(staff);
    const municipalityId = staff.municipalityId;
    await this.counterApplication(staff, id);
    const note = input.note?.trim() || null;
    if (note && DOCUMENT_NUMBER.test(note)) throw CounterEntryError.identityNoteHasNumber();
    const check = {
      id: randomUUID(),
      applicationId: id,
      method: input.method as IdentityDocument,
      documentsShown: input.documentsShown ?? null,
      note,
      checkedBy: staff.id,
      checkedAt: this.clock.now(),
    };
    await this.entries.transaction(async (manager) => {
      const application = await this.repository.lock(manager, municipalityId, id);
      if (!application) throw ApplicationError.notFound(id);
      if (application.phase !== 'draft') throw ApplicationError.notDraft();
      await this.entries.insertIdentityCheck(manager, municipalityId, check);
      // The note is free text: only the kind of document goes into the permanent log.
      await this.outbox.enqueue(manager, municipalityId, {
        topic: AUDIT_RECORD_TOPIC,
        applicationId: id,
        availableAt: check.checkedAt,
        payload: {
          actor: { kind: 'staff', id: staff.id },
          action: 'application.identityChecked',
          target: { type: 'application', id },
          details: { method: check.method, documentsShown: check.documentsShown },
        },
      });
    });
    return toIdentityCheckDto(check);
  }

  /** Submits as online would (form validation, server-side fee), with staff as the actor. */
  async submit(staff: StaffPrincipal, id: string, revision: number, idempotencyKey?: string): Promise<CounterApplicationDto> {
    requireCounterRole(staff);
    const municipalityId = staff.municipalityId;
    await this.counterApplication(staff, id);
    return this.idempotency.run(municipalityId, staff.id, idempotencyKey, { op: 'counter.submit', id, revision }, async (manager) => {
      await this.applications.submit(municipalityId, id, staffActor(staff), revision, {
        counter: { assertIdentity: (application, definition) => this.assertIdentityChecked(application, definition) },
        manager,
      });
      // Read through the submit's transaction: the stored response is what it committed.
      return this.view((await this.repository.find(municipalityId, id, manager))!);
    });
  }

  // Shared with HandoverService

  async departmentOwns(staff: StaffPrincipal, procedureCode: string): Promise<boolean> {
    // The newest version names the owning department, as for the work queue (ApplicationAccessService).
    const compiled = await this.registry.latest(staff.municipalityId, procedureCode);
    return staff.departments.includes(compiled.definition.department);
  }

  async auditRead(staff: StaffPrincipal, application: ApplicationEntity, via: 'counter' | 'handover'): Promise<void> {
    await this.audit.record(staff.municipalityId, {
      actor: { kind: 'staff', id: staff.id },
      action: AuditActions.ApplicationRead,
      target: { type: 'application', id: application.id },
      details: { fields: Object.keys(application.formData), via, ...staffReadDetails(application, 'application') },
    });
  }

  async view(application: ApplicationEntity): Promise<CounterApplicationDto> {
    const municipalityId = application.municipalityId as MunicipalityId;
    const compiled = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
    const checks = await this.entries.identityChecks(municipalityId, application.id);
    return toCounterApplicationDto(application, compiled, this.sensitive.mask(municipalityId, application.id, application.formData), checks);
  }

  private async counterApplication(staff: StaffPrincipal, id: string): Promise<ApplicationEntity> {
    const application = await this.repository.find(staff.municipalityId, id);
    // A resident's online draft is theirs until they hand it over: staff cannot tell it exists.
    if (!application || application.channel !== 'counter' || !(await this.departmentOwns(staff, application.procedureCode))) {
      throw ApplicationError.notFound(id);
    }
    return application;
  }

  private async assertIdentityChecked(application: ApplicationEntity, definition: ProcedureDefinition): Promise<void> {
    if (!COUNTER_CHECKED_IDENTITY.includes(definition.identity)) return;
    const checks = await this.entries.identityChecks(application.municipalityId as MunicipalityId, application.id);
    if (checks.length === 0) throw CounterEntryError.identityRequired(definition.identity);
  }
}

export function staffActor(staff: StaffPrincipal): WorkflowActor {
  return { kind: 'staff', id: staff.id };
}

/** The service-side repeat of the routes' rule. */
export function requireCounterRole(staff: StaffPrincipal): void {
  if (!staff.roles.some((role) => (COUNTER_ENTRY_ROLES as readonly string[]).includes(role))) throw IdentityError.forbidden();
}
