import { Get, Param, ParseIntPipe, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApplicationError } from '@madoguchi/engine';
import { CounterEntryError, type CounterFormState, CounterFormPagesService, IDENTITY_DOCUMENTS } from '@madoguchi/applications';
import { CurrentStaff, StaffOnly, type StaffPrincipal, StaffRepository } from '@madoguchi/identity';
import { DomainError } from '@madoguchi/kernel';
import {
  applyListAction,
  type FieldError,
  formProcedureOf,
  maskedByName,
  rawFromAnswers,
  type RawValues,
  readSection,
  renderDocument,
  type SchemaFormProblem,
  toCheckSections,
  toFieldErrors,
  toMissing,
} from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { sendPage } from '../../../portal/src/shared/page-response';
import { type OfficeContext, OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { OfficeNotFoundView } from '../shared/office-page';
import {
  CounterEntryCheckView,
  counterEntryHref,
  CounterEntryReceiptView,
  CounterEntrySectionView,
  CounterEntryStartView,
  counterFormHref,
  type IdentityDocumentKind,
  type IdentityForm,
} from './counter-entry.view';

type Body = Record<string, string | string[] | undefined>;
const formBody = (request: Request): Body => (request.body && typeof request.body === 'object' ? (request.body as Body) : {});
const single = (value: unknown) => (typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '');
const uuid = new ParseUUIDPipe();
/** A fresh random form token per render: the Idempotency-Key of the create or submit it posts. */
const formToken = () => randomBytes(18).toString('base64url');
const statusOf = (error: DomainError) => (error as DomainError & { httpStatus: number }).httpStatus;
const messageOf = (context: OfficeContext, error: DomainError) => (context.lang === 'en' ? error.userMessage.en : error.userMessage.ja);
/** A refusal to show on the page: a domain error that is neither "not found" nor the server's fault. */
const shownRefusal = (error: unknown): error is DomainError => error instanceof DomainError && statusOf(error) !== 404 && statusOf(error) < 500;

/**
 * A handover code as typed, or as a keyboard-wedge QR reader types the whole
 * QR (the office URL ending in the code): the code, for the service to
 * normalize and check.
 */
export function handoverCodeOf(input: string): string {
  const text = input.trim();
  const match = /\/counter\/handovers\/([^/?#\s]+)\s*$/.exec(text);
  return (match ? match[1] : text).slice(0, 40);
}

function formProblems(error: unknown): SchemaFormProblem[] | null {
  if (!(error instanceof ApplicationError) || error.code !== 'APPLICATION_FORM_INVALID') return null;
  return ((error.details as { errors?: SchemaFormProblem[] } | undefined)?.errors ?? []) as SchemaFormProblem[];
}

/**
 * 書かない窓口 at /office/counter/entry: staff open a resident's portal draft
 * by its handover code (typed, or read by a QR reader; the QR's own URL
 * /office/counter/handovers/:code opens this page with the code filled in),
 * or start a walk-in resident's application; then the portal's
 * schema-driven form pages, the identity check, submit (counter channel,
 * entered by this staff member) and the printable receipt. Every handler
 * makes its calls to CounterFormPagesService, which goes through the
 * services of the JSON routes under /staff/counter (roles, departments,
 * audited reads, idempotent create and submit).
 */
@StaffOnly('clerk', 'reviewer')
@OfficePageController('counter')
export class CounterEntryPageController {
  constructor(
    private readonly forms: CounterFormPagesService,
    private readonly staffAccounts: StaffRepository,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get('entry')
  async start(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    await this.renderStart(request, response, staff, { code: '', procedureCode: '', errors: [] }, 200);
  }

  /** What the handover QR holds: the start page with the code filled in (opening it is a POST, it uses the code up). */
  @Get('handovers/:code')
  async scanned(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code') code: string): Promise<void> {
    await this.renderStart(request, response, staff, { code: handoverCodeOf(code), procedureCode: '', errors: [] }, 200);
  }

  @Post('entry/handover')
  async openHandover(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const code = handoverCodeOf(single(formBody(request).code));
    if (!code) return this.renderStart(request, response, staff, { code, procedureCode: '', errors: [{ fieldId: 'code', message: context.t('counterEntry.codeMissing') }] }, 400);
    try {
      const application = await this.forms.openHandover(staff, code);
      response.redirect(303, counterEntryHref(application.id, 'check'));
    } catch (error) {
      // A code that does not open is said so on the page, "not found" included.
      if (!(error instanceof CounterEntryError) && !shownRefusal(error)) throw error;
      await this.renderStart(request, response, staff, { code, procedureCode: '', errors: [{ fieldId: 'code', message: messageOf(context, error) }] }, statusOf(error));
    }
  }

  @Post('entry')
  async startWalkIn(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const body = formBody(request);
    const procedureCode = single(body.procedureCode).trim().slice(0, 64);
    const procedures = await this.forms.walkInProcedures(staff, context.lang);
    if (!procedures.some((procedure) => procedure.code === procedureCode)) {
      return this.renderStart(request, response, staff, { code: '', procedureCode: '', errors: [{ fieldId: 'procedureCode', message: context.t('counterEntry.procedureMissing') }] }, 400);
    }
    const application = await this.forms.startWalkIn(staff, procedureCode, single(body._token) || formToken());
    response.redirect(303, counterFormHref(application.id)(1));
  }

  @Get('entry/:id/form/:number')
  async section(
    @Req() request: Request,
    @Res() response: Response,
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', uuid) id: string,
    @Param('number', ParseIntPipe) number: number,
  ): Promise<void> {
    const context = await this.pages.of(request);
    const state = await this.forms.state(staff, id, context.lang);
    if (this.leaveIfNotDraft(state, response)) return;
    const procedure = formProcedureOf(state.procedure);
    const section = procedure.sections[number - 1];
    if (!section) return sendPage(response, context.lang, renderDocument(OfficeNotFoundView({ context })), 404);
    this.renderSection(context, response, state, number, rawFromAnswers(procedure.schema, section, state.application.formData), [], 200);
  }

  @Post('entry/:id/form/:number')
  async saveSection(
    @Req() request: Request,
    @Res() response: Response,
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', uuid) id: string,
    @Param('number', ParseIntPipe) number: number,
  ): Promise<void> {
    const context = await this.pages.of(request);
    const body = formBody(request);
    const action = single(body._action) || 'save';
    const state = await this.forms.state(staff, id, context.lang);
    if (this.leaveIfNotDraft(state, response)) return;
    const procedure = formProcedureOf(state.procedure);
    const section = procedure.sections[number - 1];
    if (!section) return sendPage(response, context.lang, renderDocument(OfficeNotFoundView({ context })), 404);
    const listChange = action === 'save' ? null : applyListAction(body, action);
    // Add or remove a row: shown again with the rows changed, saved with the next "save and continue".
    if (listChange) return this.renderSection(context, response, state, number, listChange, [], 200);
    try {
      await this.forms.savePage(staff, id, Number(single(body._revision)) || 0, readSection(procedure.schema, section, body), section.keys);
    } catch (error) {
      const problems = formProblems(error);
      if (!problems) throw error;
      return this.renderSection(context, response, state, number, body, toFieldErrors(context, procedure, problems), 400);
    }
    response.redirect(303, number < procedure.sections.length ? counterFormHref(id)(number + 1) : counterEntryHref(id, 'check'));
  }

  @Get('entry/:id/check')
  async check(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const context = await this.pages.of(request);
    const state = await this.forms.state(staff, id, context.lang);
    if (this.leaveIfNotDraft(state, response)) return;
    this.renderCheck(context, response, state, { recorded: single(request.query.recorded) === '1' }, 200);
  }

  @Post('entry/:id/identity')
  async identity(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const context = await this.pages.of(request);
    const body = formBody(request);
    const form: IdentityForm = { method: single(body.method), documentsShown: single(body.documentsShown).trim(), note: single(body.note).slice(0, 200) };
    const errors: FieldError[] = [];
    if (!(IDENTITY_DOCUMENTS as readonly string[]).includes(form.method)) errors.push({ fieldId: 'method', message: context.t('counterEntry.identityMethodMissing') });
    const shown = form.documentsShown === '' ? undefined : Number(form.documentsShown.normalize('NFKC'));
    if (shown !== undefined && !(Number.isInteger(shown) && shown >= 1 && shown <= 5)) errors.push({ fieldId: 'documentsShown', message: context.t('counterEntry.documentsShownInvalid') });
    let status = 400;
    if (errors.length === 0) {
      try {
        await this.forms.confirmIdentity(staff, id, { method: form.method, documentsShown: shown, note: form.note || undefined });
        return response.redirect(303, `${counterEntryHref(id, 'check')}?recorded=1`);
      } catch (error) {
        if (!shownRefusal(error)) throw error;
        errors.push({ fieldId: 'note', message: messageOf(context, error) });
        status = statusOf(error);
      }
    }
    const state = await this.forms.state(staff, id, context.lang);
    if (this.leaveIfNotDraft(state, response)) return;
    this.renderCheck(context, response, state, { identity: form, errors }, status);
  }

  @Post('entry/:id/submit')
  async submit(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const context = await this.pages.of(request);
    const body = formBody(request);
    try {
      await this.forms.submit(staff, id, Number(single(body._revision)) || 0, single(body._token) || formToken());
    } catch (error) {
      if (!shownRefusal(error)) throw error;
      const state = await this.forms.state(staff, id, context.lang);
      // Sent already (a second tab, back and send again): the receipt, not an error.
      if (this.leaveIfNotDraft(state, response)) return;
      return this.renderCheck(context, response, state, { problem: messageOf(context, error) }, statusOf(error));
    }
    response.redirect(303, counterEntryHref(id, 'receipt'));
  }

  @Get('entry/:id/receipt')
  async receipt(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const context = await this.pages.of(request);
    const state = await this.forms.state(staff, id, context.lang);
    const application = state.application;
    if (!application.referenceNumber) return response.redirect(303, counterEntryHref(id, 'check'));
    const enteredBy = application.enteredBy ? await this.staffAccounts.findById(staff.municipalityId, application.enteredBy) : null;
    const last = application.identityChecks.at(-1);
    const html = renderDocument(
      CounterEntryReceiptView({
        context,
        applicationId: id,
        procedureName: state.procedure.texts.name,
        referenceNumber: application.referenceNumber,
        submittedAt: application.submittedAt,
        enteredBy: enteredBy?.displayName ?? '—',
        identity: last ? context.t(`counterEntry.doc.${last.method}` as never) : null,
        fee: application.fee,
        dueOn: application.dueOn,
        awaitingPayment: application.state === 'awaitingPayment',
      }),
    );
    sendPage(response, context.lang, html);
  }

  /** Past its draft the form is not edited: the receipt. */
  private leaveIfNotDraft(state: CounterFormState, response: Response): boolean {
    if (state.application.state === 'draft') return false;
    response.redirect(303, counterEntryHref(state.application.id, 'receipt'));
    return true;
  }

  private async renderStart(request: Request, response: Response, staff: StaffPrincipal, state: { code: string; procedureCode: string; errors: FieldError[] }, status: number): Promise<void> {
    const context = await this.pages.of(request);
    const procedures = await this.forms.walkInProcedures(staff, context.lang);
    sendPage(response, context.lang, renderDocument(CounterEntryStartView({ context, procedures, ...state, formToken: formToken() })), status);
  }

  private renderSection(context: OfficeContext, response: Response, state: CounterFormState, number: number, values: RawValues, errors: FieldError[], status: number): void {
    const procedure = formProcedureOf(state.procedure);
    const html = renderDocument(
      CounterEntrySectionView({
        context,
        applicationId: state.application.id,
        hasAccount: state.application.applicantId !== null,
        revision: state.application.revision,
        procedure,
        section: procedure.sections[number - 1],
        values,
        masked: maskedByName(state.application.formData, state.procedure.sensitivePaths),
        errors,
      }),
    );
    sendPage(response, context.lang, html, status);
  }

  private renderCheck(
    context: OfficeContext,
    response: Response,
    state: CounterFormState,
    extra: { recorded?: boolean; identity?: IdentityForm; errors?: FieldError[]; problem?: string },
    status: number,
  ): void {
    const procedure = formProcedureOf(state.procedure);
    const { application } = state;
    const href = counterFormHref(application.id);
    const html = renderDocument(
      CounterEntryCheckView({
        context,
        applicationId: application.id,
        hasAccount: application.applicantId !== null,
        procedureName: procedure.name,
        revision: application.revision,
        sections: toCheckSections(context, href, procedure, application.formData),
        missing: toMissing(context, href, procedure, state.problems),
        identityRequired: application.identityRequired,
        checks: application.identityChecks.map((check) => ({ method: check.method as IdentityDocumentKind, checkedAt: check.checkedAt })),
        recorded: extra.recorded ?? false,
        identity: extra.identity ?? { method: '', documentsShown: '', note: '' },
        formToken: formToken(),
        errors: extra.errors ?? [],
        problem: extra.problem ?? null,
      }),
    );
    sendPage(response, context.lang, html, status);
  }
}
