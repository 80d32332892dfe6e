import { Get, Param, ParseIntPipe, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApplicationError } from '@madoguchi/engine';
import { ApplicationFormPagesService, AttachmentError, type ApplicationFormState, HandoverService, MAX_UPLOAD_BYTES } from '@madoguchi/applications';
import { CurrentResident, ResidentOnly, type ResidentPrincipal } from '@madoguchi/identity';
import { RequestError } from '@madoguchi/kernel';
import { applyListAction, type FieldError, rawFromAnswers, type RawValues, readSection, renderDocument } from '@madoguchi/ui';
import type { FormProblem } from '@madoguchi/workflow';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { type PageContext, PageContextFactory } from '../shared/page-context';
import { PageController } from '../shared/page-controller';
import { sendPage } from '../shared/page-response';
import { NotFoundView } from '../shared/portal-page';
import { ApplyStartView, AttachmentsView, FormSectionView, type FormProcedure } from './application-form.view';
import { maskedByName, toCheckSections, toFieldErrors, toFormProcedure, toMissing } from './apply.page-mapper';
import type { UploadRequest } from './attachment-upload.middleware';
import { CheckAnswersView, ConfirmationView, HandoverView } from './check-answers.view';
import { PostalCodeDirectory } from '../postal-code/postal-code-directory';
import { POSTAL_LOOKUP_PATH } from '../postal-code/postal-code.page.controller';


const uuid = new ParseUUIDPipe();
type Body = Record<string, string | string[] | undefined>;
/** The parsed form (PageFormBodyMiddleware or the upload middleware): read as it is, not through the JSON API's DTO validation. */
const formBody = (request: Request): Body => (request.body && typeof request.body === 'object' ? (request.body as Body) : {});
const single = (value: unknown) => (typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '');

/** A fresh random form token per render: the Idempotency-Key of the create or submit it posts. */
const formToken = () => randomBytes(18).toString('base64url');

function sizeLabel(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * Applying in the browser (issue 11, pages item 5): start, a page per
 * section, attachments, check your answers with the declaration and the card
 * signature, send once, confirmation. Every handler makes one call to
 * ApplicationFormPagesService (the JSON API's access checks, validator,
 * draft saving and idempotent submit) and renders.
 */
@ResidentOnly()
@PageController()
export class ApplyPageController {
  constructor(
    private readonly forms: ApplicationFormPagesService,
    private readonly handovers: HandoverService,
    private readonly pages: PageContextFactory,
    private readonly postalCodes: PostalCodeDirectory,
  ) {}

  @Get('apply/:code')
  async start(@CurrentResident() resident: ResidentPrincipal, @Req() request: Request, @Res() response: Response, @Param('code') code: string): Promise<void> {
    const context = this.pages.of(request);
    const found = await this.orNotFound(context, response, () => this.forms.startPage(resident, code, context.lang));
    if (!found) return;
    const procedure = toFormProcedure(found.procedure);
    const drafts = found.drafts.map((draft) => ({ id: draft.id, updatedOn: draft.updatedAt.slice(0, 10) }));
    sendPage(response, context.lang, renderDocument(ApplyStartView({ context, procedure, drafts, formToken: formToken() })));
  }

  @Post('apply/:code')
  async create(@CurrentResident() resident: ResidentPrincipal, @Req() request: Request, @Res() response: Response, @Param('code') code: string): Promise<void> {
    const body = formBody(request);
    const draft = await this.forms.start(resident, code, single(body._token) || formToken());
    response.redirect(303, `/applications/${draft.id}/form/1`);
  }

  @Get('applications/:id/form/:number')
  async section(
    @CurrentResident() resident: ResidentPrincipal,
    @Req() request: Request,
    @Res() response: Response,
    @Param('id', uuid) id: string,
    @Param('number', ParseIntPipe) number: number,
  ): Promise<void> {
    const context = this.pages.of(request);
    const state = await this.forms.state(resident, id, context.lang);
    if (this.leaveIfNotDraft(state, response)) return;
    const procedure = toFormProcedure(state.procedure);
    const section = procedure.sections[number - 1];
    if (!section) return sendPage(response, context.lang, renderDocument(NotFoundView({ context })), 404);
    const values = rawFromAnswers(procedure.schema, section, state.application.formData);
    this.renderSection(context, response, state, procedure, number, values, [], 200);
  }

  @Post('applications/:id/form/:number')
  async saveSection(
    @CurrentResident() resident: ResidentPrincipal,
    @Req() request: Request,
    @Res() response: Response,
    @Param('id', uuid) id: string,
    @Param('number', ParseIntPipe) number: number,
  ): Promise<void> {
    const context = this.pages.of(request);
    const body = formBody(request);
    const action = single(body._action) || 'save';
    const listChange = action === 'save' ? null : applyListAction(body, action);
    if (listChange) {
      // Add or remove a row: shown again with the rows changed, saved with the next "save and continue".
      const state = await this.forms.state(resident, id, context.lang);
      if (this.leaveIfNotDraft(state, response)) return;
      return this.renderSection(context, response, state, toFormProcedure(state.procedure), number, listChange, [], 200);
    }
    const state = await this.forms.state(resident, id, context.lang);
    if (this.leaveIfNotDraft(state, response)) return;
    const procedure = toFormProcedure(state.procedure);
    const section = procedure.sections[number - 1];
    if (!section) return sendPage(response, context.lang, renderDocument(NotFoundView({ context })), 404);
    try {
      await this.forms.savePage(resident, id, Number(single(body._revision)) || 0, readSection(procedure.schema, section, body), section.keys);
    } catch (error) {
      const problems = formProblems(error);
      if (!problems) throw error;
      return this.renderSection(context, response, state, procedure, number, body, toFieldErrors(context, procedure, problems), 400);
    }
    const next = number < procedure.sections.length ? `/applications/${id}/form/${number + 1}` : `/applications/${id}/attachments`;
    response.redirect(303, next);
  }

  @Get('applications/:id/attachments')
  async attachments(@CurrentResident() resident: ResidentPrincipal, @Req() request: Request, @Res() response: Response, @Param('id', uuid) id: string): Promise<void> {
    const context = this.pages.of(request);
    const state = await this.forms.state(resident, id, context.lang);
    if (this.leaveIfNotDraft(state, response)) return;
    this.renderAttachments(context, response, state, null, 200);
  }

  @Post('applications/:id/attachments')
  async changeAttachments(@CurrentResident() resident: ResidentPrincipal, @Req() request: UploadRequest, @Res() response: Response, @Param('id', uuid) id: string): Promise<void> {
    const context = this.pages.of(request);
    const body = formBody(request);
    const action = single(body._action);
    const [verb, target] = [action.split(':')[0], action.slice(action.indexOf(':') + 1)];
    try {
      if (request.uploadError) throw request.uploadError === 'tooLarge' ? AttachmentError.tooLarge(MAX_UPLOAD_BYTES) : AttachmentError.empty();
      if (verb === 'remove') await this.forms.removeAttachment(resident, id, target);
      else if (verb === 'reuse') await this.forms.reuseAttachment(resident, id, target);
      else {
        if (!request.file || request.file.size === 0) {
          const state = await this.forms.state(resident, id, context.lang);
          return this.renderAttachments(context, response, state, { fieldId: 'file', message: context.t('apply.fileMissing') }, 400);
        }
        await this.forms.uploadAttachment(resident, id, encodeURIComponent(request.file.originalname), request.file.buffer);
      }
    } catch (error) {
      if (!(error instanceof AttachmentError) || error.httpStatus === 404) throw error;
      const state = await this.forms.state(resident, id, context.lang);
      const message = context.lang === 'en' ? error.userMessage.en : error.userMessage.ja;
      return this.renderAttachments(context, response, state, { fieldId: 'file', message }, error.httpStatus);
    }
    response.redirect(303, `/applications/${id}/attachments`);
  }

  @Get('applications/:id/check')
  async check(@CurrentResident() resident: ResidentPrincipal, @Req() request: Request, @Res() response: Response, @Param('id', uuid) id: string): Promise<void> {
    const context = this.pages.of(request);
    const state = await this.forms.state(resident, id, context.lang);
    if (this.leaveIfNotDraft(state, response)) return;
    this.renderCheck(context, response, state, [], 200);
  }

  @Post('applications/:id/check')
  async submit(@CurrentResident() resident: ResidentPrincipal, @Req() request: Request, @Res() response: Response, @Param('id', uuid) id: string): Promise<void> {
    const context = this.pages.of(request);
    const body = formBody(request);
    const token = single(body._token);
    if (single(body.declaration) !== 'agreed' || !token) {
      const state = await this.forms.state(resident, id, context.lang);
      if (this.leaveIfNotDraft(state, response)) return;
      return this.renderCheck(context, response, state, [{ fieldId: 'declaration', message: context.t('apply.declarationMissing') }], 400);
    }
    try {
      await this.forms.submit(resident, id, Number(single(body._revision)) || 0, token);
    } catch (error) {
      if (!(error instanceof RequestError) || error.httpStatus === 404) throw error;
      const state = await this.forms.state(resident, id, context.lang);
      // Sent already (another tab, back and send again with a new token): the confirmation, not an error.
      if (this.leaveIfNotDraft(state, response)) return;
      const errors: FieldError[] =
        error.code === 'APPLICATION_SIGNATURE_REQUIRED'
          ? [{ fieldId: 'signature', message: context.t('apply.signFirst') }]
          : error.code === 'APPLICATION_FORM_INVALID'
            ? toMissing(context, id, toFormProcedure(state.procedure), formProblems(error) ?? []).map((item) => ({ fieldId: 'missing', message: item.message }))
            : [];
      if (errors.length === 0) throw error;
      return this.renderCheck(context, response, state, errors, error.httpStatus);
    }
    response.redirect(303, `/applications/${id}/submitted`);
  }

  /** A code to continue the draft at the counter (書かない窓口): shown in this answer, see HandoverView. */
  @Post('applications/:id/handover')
  async handover(@CurrentResident() resident: ResidentPrincipal, @Req() request: Request, @Res() response: Response, @Param('id', uuid) id: string): Promise<void> {
    const context = this.pages.of(request);
    const state = await this.forms.state(resident, id, context.lang);
    if (this.leaveIfNotDraft(state, response)) return;
    const handover = await this.handovers.request(resident, id);
    const qrDataUrl = `data:image/svg+xml;base64,${Buffer.from(handover.qrSvg).toString('base64')}`;
    const html = renderDocument(HandoverView({ context, applicationId: id, procedureName: state.procedure.texts.name, code: handover.code, expiresAt: handover.expiresAt, qrDataUrl }));
    sendPage(response, context.lang, html);
  }

  @Get('applications/:id/submitted')
  async submitted(@CurrentResident() resident: ResidentPrincipal, @Req() request: Request, @Res() response: Response, @Param('id', uuid) id: string): Promise<void> {
    const context = this.pages.of(request);
    const state = await this.forms.state(resident, id, context.lang);
    const application = state.application;
    if (!application.referenceNumber) return void response.redirect(303, `/applications/${id}/check`);
    sendPage(
      response,
      context.lang,
      renderDocument(
        ConfirmationView({
          context,
          applicationId: id,
          procedureName: state.procedure.texts.name,
          referenceNumber: application.referenceNumber,
          dueOn: application.dueOn,
          fee: application.fee,
          awaitingPayment: application.state === 'awaitingPayment',
        }),
      ),
    );
  }

  /** A case past its draft (or at the counter) is not edited here: the confirmation, or the application page. */
  private leaveIfNotDraft(state: ApplicationFormState, response: Response): boolean {
    const application = state.application;
    // A draft handed over to the counter is finished there: the resident follows it on its application page.
    if (application.state === 'draft' && application.channel !== 'counter') return false;
    // A case returned for correction is changed (and signed again) on its correction page.
    const next = application.state === 'returned' ? `/applications/${application.id}/correct` : application.referenceNumber ? `/applications/${application.id}/submitted` : `/applications/${application.id}`;
    response.redirect(303, next);
    return true;
  }

  private renderSection(context: PageContext, response: Response, state: ApplicationFormState, procedure: FormProcedure, number: number, values: RawValues, errors: FieldError[], status: number): void {
    const section = procedure.sections[number - 1];
    if (!section) return sendPage(response, context.lang, renderDocument(NotFoundView({ context })), 404);
    const id = state.application.id;
    const html = renderDocument(
      FormSectionView({
        context,
        applicationId: id,
        revision: state.application.revision,
        procedure,
        section,
        values,
        masked: maskedByName(state.application.formData, state.procedure.sensitivePaths),
        errors,
        backHref: number > 1 ? `/applications/${id}/form/${number - 1}` : `/apply/${procedure.code}`,
        postalLookup: this.postalCodes.available ? POSTAL_LOOKUP_PATH : null,
      }),
    );
    sendPage(response, context.lang, html, status);
  }

  private renderAttachments(context: PageContext, response: Response, state: ApplicationFormState, error: FieldError | null, status: number): void {
    const policy = state.procedure.attachments;
    const item = (file: { id: string; fileName: string; sizeBytes: number }) => ({ id: file.id, fileName: file.fileName, sizeLabel: sizeLabel(file.sizeBytes) });
    const procedure = toFormProcedure(state.procedure);
    const html = renderDocument(
      AttachmentsView({
        context,
        applicationId: state.application.id,
        procedureName: procedure.name,
        procedureCode: procedure.code,
        attached: state.attachments.map(item),
        reusable: state.reusable.map(item),
        typesLabel: policy.types.map((type) => type.toUpperCase()).join(', '),
        accept: policy.types.map((type) => ({ pdf: '.pdf,application/pdf', jpeg: '.jpg,.jpeg,image/jpeg', png: '.png,image/png' })[type]).join(','),
        maxMb: Math.round((policy.maxBytes / (1024 * 1024)) * 10) / 10,
        error,
        backHref: `/applications/${state.application.id}/form/${procedure.sections.length}`,
      }),
    );
    sendPage(response, context.lang, html, status);
  }

  private renderCheck(context: PageContext, response: Response, state: ApplicationFormState, errors: FieldError[], status: number): void {
    const procedure = toFormProcedure(state.procedure);
    const id = state.application.id;
    const html = renderDocument(
      CheckAnswersView({
        context,
        applicationId: id,
        procedureName: procedure.name,
        procedureCode: procedure.code,
        revision: state.application.revision,
        sections: toCheckSections(context, id, procedure, state.application.formData),
        attachments: state.attachments.map((file) => file.fileName),
        missing: toMissing(context, id, procedure, state.problems),
        needsSignature: procedure.needsSignature,
        signed: state.signedAsIs,
        formToken: formToken(),
        errors,
      }),
    );
    sendPage(response, context.lang, html, status);
  }

  private async orNotFound<T>(context: PageContext, response: Response, run: () => Promise<T>): Promise<T | null> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof RequestError && error.httpStatus === 404) {
        sendPage(response, context.lang, renderDocument(NotFoundView({ context })), 404);
        return null;
      }
      throw error;
    }
  }
}

function formProblems(error: unknown): FormProblem[] | null {
  if (!(error instanceof ApplicationError) || error.code !== 'APPLICATION_FORM_INVALID') return null;
  return ((error.details as { errors?: FormProblem[] } | undefined)?.errors ?? []) as FormProblem[];
}
