import { ForbiddenException, Get, NotFoundException, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApplicationAccessService, CaseFileService, CaseNotesService, ClaimsService } from '@madoguchi/applications';
import { CurrentStaff, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { DocumentsService } from '@madoguchi/documents';
import { CounterPaymentsService } from '@madoguchi/payments';
import { ProcedureTextsService } from '@madoguchi/procedures';
import { DomainError } from '@madoguchi/kernel';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { sendPage } from '../../../portal/src/shared/page-response';
import { OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { type ActionDraft, CASE_ACTIONS, type CaseAction, CaseView, type CaseNotice } from './case.view';
import { DECIDING_ROLES, DOCUMENT_ACTIONS, type DocumentAction, type DocumentDraft, RevealedView } from './case-records.view';

const uuid = new ParseUUIDPipe();
const text = (value: unknown, max: number): string => (typeof value === 'string' ? value.slice(0, max) : '');
const list = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string').slice(0, 200);

function isAction(value: string): value is CaseAction {
  return (CASE_ACTIONS as readonly string[]).includes(value);
}

/**
 * /office/applications/:id: the case page, and its forms (claim, release,
 * assign, note, the review actions). Each form posts, the page answers with
 * a 303 back to the case and a notice of what happened (post/redirect/get);
 * an action goes through a confirmation page first. Only the events the
 * engine allows now are offered, and the engine checks again on commit.
 */
@StaffOnly('clerk', 'reviewer', 'approver')
@OfficePageController('applications')
export class CasePageController {
  constructor(
    private readonly cases: CaseFileService,
    private readonly access: ApplicationAccessService,
    private readonly claims: ClaimsService,
    private readonly notes: CaseNotesService,
    private readonly texts: ProcedureTextsService,
    private readonly documents: DocumentsService,
    private readonly payments: CounterPaymentsService,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get(':id')
  async page(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const notice = text(request.query.done, 40);
    const action = text(request.query.action, 40);
    await this.render(request, response, staff, id, {
      notice: notice ? ({ kind: notice, name: text(request.query.name, 100) } as CaseNotice) : null,
      draft: isAction(action) ? { action, step: 'form', values: {}, errors: [] } : null,
    });
  }

  @Post(':id/claim')
  async claim(@Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    await this.claims.claim(staff, id);
    response.redirect(303, `/office/applications/${id}?done=claimed`);
  }

  @Post(':id/release')
  async release(@Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    await this.claims.release(staff, id);
    response.redirect(303, `/office/applications/${id}?done=released`);
  }

  @Post(':id/assign')
  async assign(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const assignee = text((request.body as Record<string, unknown>)?.assignee, 36);
    const claim = await this.claims.assign(staff, id, assignee);
    response.redirect(303, `/office/applications/${id}?done=assigned&name=${encodeURIComponent(claim.claimedBy?.name ?? '')}`);
  }

  @Post(':id/notes')
  async note(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const body = text((request.body as Record<string, unknown>)?.body, 2000).trim();
    if (!body) {
      const context = await this.pages.of(request);
      return this.render(request, response, staff, id, { noteError: context.t('office.case.noteMissing') }, 400);
    }
    await this.notes.add(staff, id, body);
    response.redirect(303, `/office/applications/${id}?done=noteAdded#notes`);
  }

  /** An action: the form's values are checked, then shown for confirmation; `commit` sends the event. */
  @Post(':id/actions/:action')
  async act(
    @Req() request: Request,
    @Res() response: Response,
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', uuid) id: string,
    @Param('action') action: string,
  ): Promise<void> {
    if (!isAction(action)) throw new NotFoundException();
    const context = await this.pages.of(request);
    const { t } = context;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { amount: text(body.amount, 12).trim(), reason: text(body.reason, 2000).trim(), message: text(body.message, 2000).trim(), fields: list(body.fields) };
    const errors: FieldError[] = [];
    if (action === 'staff.assessFee' && !/^[0-9]{1,9}$/.test(values.amount)) errors.push({ fieldId: 'amount', message: t('office.case.amountInvalid') });
    if (action === 'staff.reject' && !values.reason) errors.push({ fieldId: 'reason', message: t('office.case.reasonMissing') });
    if (action === 'staff.sendBack' && values.fields.length === 0) errors.push({ fieldId: 'fields', message: t('office.case.fieldsMissing') });
    if (action === 'staff.sendBack' && !values.message) errors.push({ fieldId: 'message', message: t('office.case.messageMissing') });
    const revision = Number(text(body.revision, 12)) || undefined;
    if (errors.length > 0 || body.commit !== '1') {
      const draft: ActionDraft = { action, step: errors.length > 0 ? 'form' : 'confirm', values, errors, revision };
      return this.render(request, response, staff, id, { draft }, errors.length > 0 ? 400 : 200);
    }
    const payload =
      action === 'staff.assessFee'
        ? { amount: Number(values.amount) }
        : action === 'staff.reject'
          ? { reason: values.reason }
          : action === 'staff.sendBack'
            ? { fields: values.fields, message: values.message }
            : {};
    try {
      await this.access.staffEvent(staff, id, { type: action, payload, revision });
    } catch (error) {
      if (!(error instanceof DomainError) || (error as DomainError & { httpStatus: number }).httpStatus === 404) throw error;
      const message = context.lang === 'en' ? error.userMessage.en : error.userMessage.ja;
      const draft: ActionDraft = { action, step: 'form', values, errors: [{ fieldId: 'action-form', message }], revision };
      return this.render(request, response, staff, id, { draft }, (error as DomainError & { httpStatus: number }).httpStatus);
    }
    response.redirect(303, `/office/applications/${id}?done=${encodeURIComponent(action)}`);
  }

  /**
   * The individual number in clear, for a reason (audited by the service of
   * `POST /staff/applications/:id/individual-number/reveal`). The number is
   * the answer to this POST, shown once and never cached: no redirect, so it
   * never travels in a URL.
   */
  @Post(':id/individual-number/reveal')
  async reveal(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const context = await this.pages.of(request);
    const purpose = text((request.body as Record<string, unknown>)?.purpose, 400).trim();
    if (purpose.length < 2 || purpose.length > 200) {
      return this.render(request, response, staff, id, { revealError: context.t('office.records.revealMissing') }, 400);
    }
    const { individualNumber } = await this.access.staffRevealIndividualNumber(staff, id, purpose);
    const application = await this.access.staffCase(staff, id);
    sendPage(response, context.lang, renderDocument(RevealedView({ context, application, individualNumber, purpose })));
  }

  /** Revoke or reissue a document (DocumentsService, as `POST /staff/documents/:id/revoke|reissue`): reason, confirmation, then 303 back. */
  @Post(':id/documents/:documentId/:action')
  async document(
    @Req() request: Request,
    @Res() response: Response,
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', uuid) id: string,
    @Param('documentId', uuid) documentId: string,
    @Param('action') action: string,
  ): Promise<void> {
    if (!(DOCUMENT_ACTIONS as readonly string[]).includes(action)) throw new NotFoundException();
    // The service refuses other roles on commit; the form and its confirmation are not offered to them either.
    if (!staff.roles.some((role) => DECIDING_ROLES.includes(role))) throw new ForbiddenException();
    const context = await this.pages.of(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const reason = text(body.reason, 600).trim();
    const draft: DocumentDraft = { documentId, action: action as DocumentAction, step: 'form', reason, error: null };
    if (!reason || reason.length > 500) {
      return this.render(request, response, staff, id, { documentDraft: { ...draft, error: context.t('office.records.documentReasonMissing') } }, 400);
    }
    // Another case's document is "not found" here as in the service.
    const listed = await this.documents.staffList(staff, id);
    if (!listed.some((document) => document.id === documentId)) throw new NotFoundException();
    if (body.commit !== '1') return this.render(request, response, staff, id, { documentDraft: { ...draft, step: 'confirm' } });
    try {
      const result = action === 'revoke' ? await this.documents.revoke(staff, documentId, reason) : await this.documents.reissue(staff, documentId, reason);
      response.redirect(303, `/office/applications/${id}?done=${action === 'revoke' ? 'revoked' : 'reissued'}&name=${encodeURIComponent(result.serial)}#documents-title`);
    } catch (error) {
      if (!(error instanceof DomainError) || [403, 404].includes((error as DomainError & { httpStatus: number }).httpStatus)) throw error;
      const message = context.lang === 'en' ? error.userMessage.en : error.userMessage.ja;
      return this.render(request, response, staff, id, { documentDraft: { ...draft, error: message } }, (error as DomainError & { httpStatus: number }).httpStatus);
    }
  }

  private async render(
    request: Request,
    response: Response,
    staff: StaffPrincipal,
    id: string,
    state: { notice?: CaseNotice | null; draft?: ActionDraft | null; noteError?: string; revealError?: string; documentDraft?: DocumentDraft },
    status = 200,
  ): Promise<void> {
    const context = await this.pages.of(request);
    const file = await this.cases.open(staff, id);
    const [documents, payments] = await Promise.all([this.documents.staffList(staff, id), this.payments.caseLedger(staff, id)]);
    const texts = this.texts.localize(file.definition, context.lang);
    const html = renderDocument(
      CaseView({
        context,
        file,
        texts,
        staffId: staff.id,
        notice: state.notice ?? null,
        draft: state.draft ?? null,
        noteError: state.noteError ?? null,
        records: { documents, payments },
        revealError: state.revealError ?? null,
        documentDraft: state.documentDraft ?? null,
      }),
    );
    sendPage(response, context.lang, html, status);
  }
}
