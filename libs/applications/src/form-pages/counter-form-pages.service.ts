import { Injectable } from '@nestjs/common';
import { type StaffPrincipal, SensitiveFormFields } from '@madoguchi/identity';
import { ProcedureRegistry, ProceduresService, ProcedureTextsService, type TextLanguage } from '@madoguchi/procedures';
import type { FormProblem } from '@madoguchi/workflow';
import { ApplicationError, ApplicationRepository } from '@madoguchi/engine';
import { CounterEntryService, requireCounterRole } from '../counter-entry/counter-entry.service';
import type { CounterApplicationDto, IdentityCheckDto, IdentityCheckInputDto } from '../counter-entry/dto/counter-entry.dto';
import { HandoverService } from '../counter-entry/handover.service';
import { type FormPagesProcedure, formPagesProcedure, mergeSection } from './application-form-pages.service';

export interface CounterFormState {
  /** Masked, with who entered it and the identity checks. */
  application: CounterApplicationDto;
  procedure: FormPagesProcedure;
  /** What the whole form still lacks; empty when it can be submitted. */
  problems: FormProblem[];
}

/**
 * The counter's form in the browser (apps/office `/office/counter/entry`):
 * the portal's schema-driven form pages, worked by staff for a resident at
 * the desk (書かない窓口). Every call goes through CounterEntryService or
 * HandoverService, the services of the JSON routes under /staff/counter
 * (roles, departments, identity checks, idempotent create and submit), with
 * the one rule of the portal's form pages: a section is saved only when it
 * is valid.
 */
@Injectable()
export class CounterFormPagesService {
  constructor(
    private readonly entries: CounterEntryService,
    private readonly handovers: HandoverService,
    private readonly repository: ApplicationRepository,
    private readonly registry: ProcedureRegistry,
    private readonly procedures: ProceduresService,
    private readonly texts: ProcedureTextsService,
    private readonly sensitive: SensitiveFormFields,
  ) {}

  /** The procedures a walk-in resident can apply for at this staff member's desk: their departments', open at the counter today. */
  async walkInProcedures(staff: StaffPrincipal, language: TextLanguage): Promise<Array<{ code: string; name: string }>> {
    requireCounterRole(staff);
    const today = this.procedures.today(staff.municipalityId);
    const definitions = await this.procedures.latestDefinitions(staff.municipalityId);
    return definitions
      .filter((definition) => staff.departments.includes(definition.department))
      .filter((definition) => Boolean(definition.channels.counter?.openedOn && definition.channels.counter.openedOn <= today))
      .map((definition) => ({ code: definition.code, name: this.texts.localize(definition, language).name }))
      .sort((a, b) => a.code.localeCompare(b.code));
  }

  /** A new counter application for a walk-in resident; the form token is its Idempotency-Key. */
  startWalkIn(staff: StaffPrincipal, procedureCode: string, formToken: string): Promise<CounterApplicationDto> {
    return this.entries.create(staff, { procedureCode }, formToken);
  }

  /** Opens a resident's draft by its handover code (single use). */
  openHandover(staff: StaffPrincipal, code: string): Promise<CounterApplicationDto> {
    return this.handovers.open(staff, code);
  }

  /** The application as the pages show it; a read of personal data, audited by CounterEntryService.get. */
  async state(staff: StaffPrincipal, id: string, language: TextLanguage): Promise<CounterFormState> {
    const application = await this.entries.get(staff, id);
    const entity = await this.repository.find(staff.municipalityId, id);
    if (!entity) throw ApplicationError.notFound(id);
    const compiled = await this.registry.get(staff.municipalityId, entity.procedureCode, entity.procedureVersion);
    const problems = entity.phase === 'draft' ? compiled.validateForm(this.sensitive.open(staff.municipalityId, id, entity.formData)) : [];
    return { application, procedure: formPagesProcedure(compiled, this.texts, language), problems };
  }

  /** Saves one section (see ApplicationFormPagesService.savePage). */
  async savePage(staff: StaffPrincipal, id: string, revision: number, answers: Record<string, unknown>, keys: string[]): Promise<CounterApplicationDto> {
    await this.entries.get(staff, id);
    const entity = await this.repository.find(staff.municipalityId, id);
    if (!entity) throw ApplicationError.notFound(id);
    if (entity.phase !== 'draft') throw ApplicationError.notDraft();
    const compiled = await this.registry.get(staff.municipalityId, entity.procedureCode, entity.procedureVersion);
    return this.entries.updateForm(staff, id, mergeSection(this.sensitive, compiled, entity, answers, keys), revision);
  }

  confirmIdentity(staff: StaffPrincipal, id: string, input: IdentityCheckInputDto): Promise<IdentityCheckDto> {
    return this.entries.confirmIdentity(staff, id, input);
  }

  /** Submits once: the form token rendered with the check page is the Idempotency-Key. */
  submit(staff: StaffPrincipal, id: string, revision: number, formToken: string): Promise<CounterApplicationDto> {
    return this.entries.submit(staff, id, revision, formToken);
  }
}
