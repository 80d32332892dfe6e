import { Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApplicationAccessService, SubmissionDiffsService } from '@madoguchi/applications';
import { ApplicationError, ApplicationErrorCode } from '@madoguchi/engine';
import { DocumentsService } from '@madoguchi/documents';
import { CurrentResident, ResidentOnly, type ResidentPrincipal } from '@madoguchi/identity';
import { API_PREFIX } from '@madoguchi/kernel';
import { PaymentsService } from '@madoguchi/payments';
import { ProcedureRegistry, ProceduresService, ProcedureTextsService } from '@madoguchi/procedures';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { PageContextFactory } from '../shared/page-context';
import { PageController } from '../shared/page-controller';
import { sendPage } from '../shared/page-response';
import { correctionFields, parseCorrections, toApplicationPage, toChangeRows, toListedApplication } from './application-pages.mapper';
import { ApplicationsListView } from './applications-list.view';
import { ApplicationView, WithdrawView } from './application.view';
import { CorrectView } from './correct.view';
import { PAY_METHODS, type PayMethod, PayView } from './pay.view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const single = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A malformed id is as unknown as someone else's: the same "not found" page. */
function applicationId(id: string): string {
  if (!UUID.test(id)) throw ApplicationError.notFound(id);
  return id;
}

function revisionOf(body: Record<string, unknown>): number | undefined {
  const value = Number(single(body.revision));
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * The resident's own applications as pages: the list, one application
 * (where notices and the payment return land), paying, withdrawing, and
 * correcting after a return. Every read and change goes through the same
 * services as the JSON routes, which check ownership first: another
 * resident's application is "not found" here too.
 */
@ResidentOnly()
@PageController('applications')
export class ApplicationPagesController {
  constructor(
    private readonly access: ApplicationAccessService,
    private readonly diffs: SubmissionDiffsService,
    private readonly payments: PaymentsService,
    private readonly documents: DocumentsService,
    private readonly procedures: ProceduresService,
    private readonly registry: ProcedureRegistry,
    private readonly texts: ProcedureTextsService,
    private readonly pages: PageContextFactory,
  ) {}

  @Get()
  async list(@Req() request: Request, @Res() response: Response, @CurrentResident() resident: ResidentPrincipal): Promise<void> {
    const context = this.pages.of(request);
    const applications = await this.access.listMine(resident);
    const names = await this.procedureNames(resident, context.lang);
    const listed = applications.map((application) => toListedApplication(context.lang, application, names.get(application.procedureCode)));
    sendPage(response, context.lang, renderDocument(ApplicationsListView({ context, applications: listed })));
  }

  @Get(':id')
  async show(@Req() request: Request, @Res() response: Response, @CurrentResident() resident: ResidentPrincipal, @Param('id') id: string, @Query() query: Record<string, unknown>): Promise<void> {
    const context = this.pages.of(request);
    const application = await this.access.getMine(resident, applicationId(id));
    // Reads of the same resident's own application, each checked by its service.
    const [timeline, payments, documents, procedureName] = await Promise.all([
      this.access.timeline(resident, id),
      this.payments.listForResident(resident, id),
      this.documents.listMine(resident, id),
      this.procedureName(resident, application.procedureCode, context.lang),
    ]);
    const props = toApplicationPage(context, {
      application,
      procedureName,
      timeline,
      payments,
      documents,
      // Only which payment to show comes from the address; its outcome is always ours.
      paymentParam: single(query.payment) ?? null,
      doneParam: single(query.done) ?? null,
      apiPrefix: `/${API_PREFIX}`,
    });
    sendPage(response, context.lang, renderDocument(ApplicationView(props)));
  }

  @Get(':id/pay')
  async payForm(@Req() request: Request, @Res() response: Response, @CurrentResident() resident: ResidentPrincipal, @Param('id') id: string): Promise<void> {
    const context = this.pages.of(request);
    const application = await this.access.getMine(resident, applicationId(id));
    const procedureName = await this.procedureName(resident, application.procedureCode, context.lang);
    const view = PayView({ context, application: { id, procedureName, fee: application.fee, awaitingPayment: application.state === 'awaitingPayment' }, errors: [], method: null });
    sendPage(response, context.lang, renderDocument(view));
  }

  @Post(':id/pay')
  async pay(@Req() request: Request, @Res() response: Response, @CurrentResident() resident: ResidentPrincipal, @Param('id') id: string): Promise<void> {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const method = single(body.method);
    if (!method || !(PAY_METHODS as readonly string[]).includes(method)) {
      const context = this.pages.of(request);
      const application = await this.access.getMine(resident, applicationId(id));
      const procedureName = await this.procedureName(resident, application.procedureCode, context.lang);
      const errors: FieldError[] = [{ fieldId: 'method', message: context.t('pay.methodMissing') }];
      const view = PayView({ context, application: { id, procedureName, fee: application.fee, awaitingPayment: application.state === 'awaitingPayment' }, errors, method: null });
      sendPage(response, context.lang, renderDocument(view), 400);
      return;
    }
    const payment = await this.payments.startForResident(resident, applicationId(id), method as PayMethod);
    // Card and QR apps go on to the provider's page, which comes back to the application page;
    // Pay-easy and the store slip show their numbers on our own page.
    const hosted = payment.redirectUrl && method !== 'konbini' && method !== 'payeasy';
    response.redirect(303, hosted ? payment.redirectUrl! : `/applications/${id}?payment=${payment.paymentId}`);
  }

  @Get(':id/withdraw')
  async withdrawForm(@Req() request: Request, @Res() response: Response, @CurrentResident() resident: ResidentPrincipal, @Param('id') id: string): Promise<void> {
    const context = this.pages.of(request);
    const application = await this.access.getMine(resident, applicationId(id));
    if (!application.allowedEvents.includes('resident.withdraw')) {
      response.redirect(303, `/applications/${id}`);
      return;
    }
    const [procedureName, payments] = await Promise.all([this.procedureName(resident, application.procedureCode, context.lang), this.payments.listForResident(resident, id)]);
    const paid = payments.some((payment) => payment.capturedAmount > payment.refundedAmount);
    const view = WithdrawView({ context, application: { id, procedureName, referenceNumber: application.referenceNumber, revision: application.revision, paid } });
    sendPage(response, context.lang, renderDocument(view));
  }

  @Post(':id/withdraw')
  async withdraw(@Req() request: Request, @Res() response: Response, @CurrentResident() resident: ResidentPrincipal, @Param('id') id: string): Promise<void> {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const reason = single(body.reason)?.trim().slice(0, 500);
    await this.access.residentEvent(resident, applicationId(id), 'resident.withdraw', reason ? { reason } : {}, revisionOf(body));
    response.redirect(303, `/applications/${id}?done=withdrawn`);
  }

  @Get(':id/correct')
  async correctForm(@Req() request: Request, @Res() response: Response, @CurrentResident() resident: ResidentPrincipal, @Param('id') id: string, @Query() query: Record<string, unknown>): Promise<void> {
    await this.renderCorrect(request, response, resident, applicationId(id), { saved: single(query.saved) === '1', errors: [], posted: null }, 200);
  }

  @Post(':id/correct')
  async correct(@Req() request: Request, @Res() response: Response, @CurrentResident() resident: ResidentPrincipal, @Param('id') id: string): Promise<void> {
    const context = this.pages.of(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const application = await this.access.getMine(resident, applicationId(id));
    const compiled = await this.registry.get(resident.municipalityId, application.procedureCode, application.procedureVersion);
    const { changes, errors } = parseCorrections(context, compiled.definition, application.sendBack?.fields ?? [], body);
    if (errors.length === 0) {
      try {
        await this.access.correct(resident, id, changes, revisionOf(body) ?? application.revision);
        response.redirect(303, `/applications/${id}/correct?saved=1`);
        return;
      } catch (error) {
        if (!(error instanceof ApplicationError) || error.code !== ApplicationErrorCode.FormInvalid) throw error;
        const problems = (error.details?.errors ?? []) as Array<{ field: string; message: { ja: string; en: string } }>;
        for (const problem of problems) errors.push({ fieldId: problem.field.split('.')[0], message: context.lang === 'en' ? problem.message.en : problem.message.ja });
      }
    }
    await this.renderCorrect(request, response, resident, id, { saved: false, errors, posted: body }, 422);
  }

  @Post(':id/resubmit')
  async resubmit(@Req() request: Request, @Res() response: Response, @CurrentResident() resident: ResidentPrincipal, @Param('id') id: string): Promise<void> {
    const body = (request.body ?? {}) as Record<string, unknown>;
    await this.access.residentEvent(resident, applicationId(id), 'resident.resubmit', {}, revisionOf(body));
    response.redirect(303, `/applications/${id}?done=resubmitted`);
  }

  private async renderCorrect(
    request: Request,
    response: Response,
    resident: ResidentPrincipal,
    id: string,
    state: { saved: boolean; errors: FieldError[]; posted: Record<string, unknown> | null },
    status: number,
  ): Promise<void> {
    const context = this.pages.of(request);
    const application = await this.access.getMine(resident, id);
    const [changes, compiled] = await Promise.all([
      this.diffs.residentChanges(resident, id),
      this.registry.get(resident.municipalityId, application.procedureCode, application.procedureVersion),
    ]);
    const localized = this.texts.localize(compiled.definition, context.lang);
    const fields = correctionFields(context, compiled.definition, localized, application.sendBack?.fields ?? [], application.formData, state.posted);
    const view = CorrectView({
      context,
      application: { id, procedureName: localized.name, revision: application.revision, returned: application.state === 'returned' },
      message: application.sendBack?.message ?? null,
      fields,
      errors: state.errors.filter((error) => fields.some((field) => field.name === error.fieldId)),
      changes: toChangeRows(context, changes.changes, localized),
      saved: state.saved,
      needsSignature: compiled.definition.identity === 'myNumberCardSignature',
    });
    sendPage(response, context.lang, renderDocument(view), state.errors.length > 0 ? status : 200);
  }

  private async procedureNames(resident: ResidentPrincipal, lang: 'ja' | 'ja-easy' | 'en'): Promise<Map<string, string>> {
    const summaries = await this.procedures.search(resident.municipalityId, { lang });
    return new Map(summaries.map((summary) => [summary.code, summary.text?.name ?? (lang === 'en' ? summary.name.en : summary.name.ja)]));
  }

  private async procedureName(resident: ResidentPrincipal, code: string, lang: 'ja' | 'ja-easy' | 'en'): Promise<string> {
    const detail = await this.procedures.detail(resident.municipalityId, code, lang);
    return detail.text?.name ?? (lang === 'en' ? detail.name.en : detail.name.ja);
  }
}

