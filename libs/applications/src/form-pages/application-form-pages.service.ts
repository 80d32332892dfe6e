import { Injectable } from '@nestjs/common';
import { type ResidentAccount, type ResidentPrincipal, ResidentRepository, SensitiveFormFields } from '@madoguchi/identity';
import type { MunicipalityId } from '@madoguchi/kernel';
import { type LocalizedProcedure, ProcedureRegistry, ProcedureTextsService, type TextLanguage } from '@madoguchi/procedures';
import type { CompiledProcedure, FormProblem, ProcedureDefinition } from '@madoguchi/workflow';
import { ApplicationAccessService } from '../application-access.service';
import { type ApplicationEntity, ApplicationError } from '@madoguchi/engine';
import { ApplicationSignatureService } from '../application-signature.service';
import { type AttachmentPolicy, DEFAULT_ATTACHMENT_POLICY } from '../attachments/attachment-policy';
import { type AttachmentDto, AttachmentsService } from '../attachments/attachments.service';
import type { ApplicationDto, ApplicationSummaryDto } from '../dto/application.dto';

/** What a form page needs to know of the procedure: its schema and its texts in the page language. */
export interface FormPagesProcedure {
  code: string;
  version: number;
  identity: ProcedureDefinition['identity'];
  category: ProcedureDefinition['category'];
  schema: Record<string, unknown>;
  /** Sensitive paths (dotted, `*` for array items): shown masked, kept when left blank. */
  sensitivePaths: string[];
  attachments: AttachmentPolicy;
  texts: LocalizedProcedure;
}

export interface ApplicationFormState {
  /** Masked: sensitive answers never leave the service in clear. */
  application: ApplicationDto;
  procedure: FormPagesProcedure;
  attachments: AttachmentDto[];
  /** The resident's files from earlier applications not attached to this one (ワンスオンリー). */
  reusable: AttachmentDto[];
  /** Whether the card signature covers the answers as they are now (always false without `myNumberCardSignature`). */
  signedAsIs: boolean;
  /** What the whole form still lacks (the check-answers page lists them); empty when it can be submitted. */
  problems: FormProblem[];
}

/**
 * The application form in the browser (apps/portal `/apply`, `/applications/:id/form/…`):
 * the same access checks, draft saving, validation, attachments, idempotent
 * creation and submission as the JSON API, composed for pages that save one
 * section at a time. It adds no rule of its own but one: a section's answers
 * are saved only when that section is valid (the schema's validator, its
 * problems kept to the section's fields), so a resumed draft never holds
 * half-typed values.
 */
@Injectable()
export class ApplicationFormPagesService {
  constructor(
    private readonly access: ApplicationAccessService,
    private readonly attachmentsService: AttachmentsService,
    private readonly signatures: ApplicationSignatureService,
    private readonly registry: ProcedureRegistry,
    private readonly texts: ProcedureTextsService,
    private readonly sensitive: SensitiveFormFields,
    private readonly residents: ResidentRepository,
  ) {}

  /** The procedure's newest version, and the resident's drafts of it to continue. */
  async startPage(resident: ResidentPrincipal, code: string, language: TextLanguage): Promise<{ procedure: FormPagesProcedure; drafts: ApplicationSummaryDto[] }> {
    const compiled = await this.registry.latest(resident.municipalityId, code);
    const drafts = (await this.access.listMine(resident)).filter((summary) => summary.procedureCode === compiled.definition.code && summary.state === 'draft' && summary.channel === 'online');
    return { procedure: formPagesProcedure(compiled, this.texts, language), drafts };
  }

  /**
   * A new draft; the form token is its Idempotency-Key, so a double click
   * starts one draft. Where the form asks for the applicant's name
   * (`applicantName`, `applicantKana`), the name the resident registered
   * with is filled in (they can change it like any answer).
   */
  async start(resident: ResidentPrincipal, code: string, formToken: string): Promise<ApplicationDto> {
    const compiled = await this.registry.latest(resident.municipalityId, code);
    const account = await this.residents.findById(resident.municipalityId, resident.id);
    return this.access.create(resident, code, prefilledName(compiled.definition.form.schema, account), formToken);
  }

  async state(resident: ResidentPrincipal, id: string, language: TextLanguage): Promise<ApplicationFormState> {
    const entity = await this.access.residentCase(resident, id);
    const application = await this.access.getMine(resident, id);
    const compiled = await this.registry.get(resident.municipalityId, entity.procedureCode, entity.procedureVersion);
    const procedure = formPagesProcedure(compiled, this.texts, language);
    const attachments = await this.attachmentsService.listForApplication(resident, id);
    const attached = new Set(attachments.map((file) => file.id));
    const reusable = (await this.attachmentsService.listMine(resident)).filter((file) => !attached.has(file.id));
    const signedAsIs = procedure.identity === 'myNumberCardSignature' && (await this.signatures.isSignedAsIs(entity));
    const problems = compiled.validateForm(this.sensitive.open(resident.municipalityId, id, entity.formData));
    return { application, procedure, attachments, reusable, signedAsIs, problems };
  }

  /**
   * Saves one section: `answers` holds the section's top-level `keys` (an
   * absent key clears it). The whole form is validated by the procedure's
   * schema and only the section's problems count; with any, nothing is
   * saved and APPLICATION_FORM_INVALID lists them. A sensitive answer left
   * blank keeps the stored value (it is never shown back to be re-typed).
   */
  async savePage(resident: ResidentPrincipal, id: string, revision: number, answers: Record<string, unknown>, keys: string[]): Promise<ApplicationDto> {
    const entity = await this.access.residentCase(resident, id);
    if (entity.phase !== 'draft') throw ApplicationError.notDraft();
    const compiled = await this.registry.get(resident.municipalityId, entity.procedureCode, entity.procedureVersion);
    const form = mergeSection(this.sensitive, compiled, entity, answers, keys);
    return this.access.updateForm(resident, id, form, revision);
  }

  /** Submits once: the form token rendered with the check-answers page is the Idempotency-Key. */
  submit(resident: ResidentPrincipal, id: string, revision: number, formToken: string): Promise<ApplicationDto> {
    return this.access.submit(resident, id, revision, formToken);
  }

  /** A plain multipart upload; `fileName` percent-encoded as the JSON route's X-File-Name. */
  uploadAttachment(resident: ResidentPrincipal, id: string, fileName: string, bytes: Buffer): Promise<AttachmentDto> {
    return this.attachmentsService.upload(resident, id, fileName, bytes);
  }

  /** Attaches again a file from an earlier application (ワンスオンリー). */
  reuseAttachment(resident: ResidentPrincipal, id: string, attachmentId: string): Promise<AttachmentDto> {
    return this.attachmentsService.reuse(resident, id, attachmentId);
  }

  removeAttachment(resident: ResidentPrincipal, id: string, attachmentId: string): Promise<void> {
    return this.attachmentsService.remove(resident, id, attachmentId);
  }
}

/** The procedure as a form page needs it, its texts in `language`. */
export function formPagesProcedure(compiled: CompiledProcedure, texts: ProcedureTextsService, language: TextLanguage): FormPagesProcedure {
  const definition = compiled.definition;
  return {
    code: definition.code,
    version: definition.version,
    identity: definition.identity,
    category: definition.category,
    schema: definition.form.schema,
    sensitivePaths: compiled.sensitivePaths,
    attachments: definition.attachments ?? DEFAULT_ATTACHMENT_POLICY,
    texts: texts.localize(definition, language),
  };
}

/**
 * The whole form with one section's answers in place (`keys`: the section's
 * top-level keys; an absent key clears it), a blank sensitive answer keeping
 * its stored value. Validated by the procedure's schema with only the
 * section's problems counting: any → APPLICATION_FORM_INVALID listing them.
 * Answers the form to save, still masked.
 */
export function mergeSection(
  sensitive: SensitiveFormFields,
  compiled: CompiledProcedure,
  entity: ApplicationEntity,
  answers: Record<string, unknown>,
  keys: string[],
): Record<string, unknown> {
  const municipalityId = entity.municipalityId as MunicipalityId;
  const masked = sensitive.mask(municipalityId, entity.id, entity.formData);
  const merged: Record<string, unknown> = { ...masked };
  for (const key of keys) {
    if (answers[key] === undefined) delete merged[key];
    else merged[key] = answers[key];
  }
  const form = keepBlankSensitive(merged, masked, compiled.sensitivePaths);
  const opened = sensitive.open(municipalityId, entity.id, sensitive.keepMasked(municipalityId, entity.id, entity.formData, form));
  const problems = compiled.validateForm(opened).filter((problem) => keys.some((key) => problem.field === key || problem.field.startsWith(`${key}.`)));
  if (problems.length > 0) throw ApplicationError.formInvalid(problems);
  return form;
}

/** Puts the stored (masked) value back wherever a sensitive answer came back blank. */
export function keepBlankSensitive(form: Record<string, unknown>, masked: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
  const fill = (node: unknown, stored: unknown, path: string[]): unknown => {
    if (path.length === 0) return (node === undefined || node === '') && typeof stored === 'string' ? stored : node;
    const [head, ...rest] = path;
    if (head === '*') {
      if (!Array.isArray(node)) return node;
      return node.map((item, index) => fill(item, Array.isArray(stored) ? stored[index] : undefined, rest));
    }
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return node;
    const record = node as Record<string, unknown>;
    const storedChild = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>)[head] : undefined;
    const value = fill(record[head], storedChild, rest);
    return value === undefined ? record : { ...record, [head]: value };
  };
  let result = form;
  for (const path of paths) result = fill(result, masked, path.split('.')) as Record<string, unknown>;
  return result;
}

/** The registered name for a form's applicant-name fields, where the schema has them. */
function prefilledName(schema: unknown, account: Pick<ResidentAccount, 'name' | 'nameKana'> | null): Record<string, unknown> {
  const properties = ((schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {}) as Record<string, { type?: string } | undefined>;
  const answers: Record<string, unknown> = {};
  if (account?.name && properties.applicantName?.type === 'string') answers.applicantName = account.name;
  if (account?.nameKana && properties.applicantKana?.type === 'string') answers.applicantKana = account.nameKana;
  return answers;
}
