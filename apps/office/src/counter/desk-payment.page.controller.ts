import { Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApplicationAccessService } from '@madoguchi/applications';
import { CurrentStaff, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { DomainError } from '@madoguchi/kernel';
import { CounterPaymentsService } from '@madoguchi/payments';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { sendPage } from '../../../portal/src/shared/page-response';
import { OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { DESK_PAYMENT_METHODS, type DeskPaymentForm, type DeskPaymentMethod, DeskPaymentView, DeskReceiptView } from './desk-payment.view';

const uuid = new ParseUUIDPipe();
const text = (value: unknown, max: number): string => (typeof value === 'string' ? value.trim().slice(0, max) : '');

/**
 * /office/counter/payments/:applicationId: the fee taken at the desk
 * (窓口収納), on CounterPaymentsService.record, the service of
 * `POST /staff/applications/:id/payments/counter`. Form → confirmation →
 * receipt. The receipt is the answer to the committing POST rather than a
 * redirect: the form carries an idempotency key made when the form was
 * shown, so sending it again (reload, double click) answers the same
 * receipt and never records a second payment.
 */
@StaffOnly('clerk', 'reviewer')
@OfficePageController('counter/payments')
export class DeskPaymentPageController {
  constructor(
    private readonly payments: CounterPaymentsService,
    private readonly access: ApplicationAccessService,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get(':id')
  async page(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const context = await this.pages.of(request);
    const application = await this.access.staffGet(staff, id);
    const form: DeskPaymentForm = { method: '', amountReceived: '', revision: application.revision, idempotencyKey: randomUUID() };
    sendPage(response, context.lang, renderDocument(DeskPaymentView({ context, application, form, step: 'form', errors: [] })));
  }

  @Post(':id')
  async take(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const context = await this.pages.of(request);
    const { t } = context;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const key = text(body.idempotencyKey, 36);
    const form: DeskPaymentForm = {
      method: text(body.method, 20),
      amountReceived: text(body.amountReceived, 12).replace(/[,，円¥]/g, ''),
      revision: Number(text(body.revision, 12)) || 0,
      idempotencyKey: /^[0-9a-f-]{36}$/i.test(key) ? key : randomUUID(),
    };
    const errors: FieldError[] = [];
    if (!(DESK_PAYMENT_METHODS as readonly string[]).includes(form.method)) errors.push({ fieldId: 'method', message: t('counterPay.methodMissing') });
    if (!/^[0-9]{1,8}$/.test(form.amountReceived)) errors.push({ fieldId: 'amountReceived', message: t('counterPay.receivedInvalid') });
    if (errors.length > 0 || body.commit !== '1') {
      const application = await this.access.staffGet(staff, id);
      const step = errors.length > 0 ? 'form' : 'confirm';
      return sendPage(response, context.lang, renderDocument(DeskPaymentView({ context, application, form, step, errors })), errors.length > 0 ? 400 : 200);
    }
    try {
      const receipt = await this.payments.record(
        staff,
        id,
        { method: form.method as DeskPaymentMethod, amountReceived: Number(form.amountReceived), revision: form.revision || undefined },
        form.idempotencyKey,
      );
      sendPage(response, context.lang, renderDocument(DeskReceiptView({ context, receipt })));
    } catch (error) {
      if (!(error instanceof DomainError) || (error as DomainError & { httpStatus: number }).httpStatus === 404) throw error;
      const message = context.lang === 'en' ? error.userMessage.en : error.userMessage.ja;
      const application = await this.access.staffGet(staff, id);
      // A new key: the refused attempt is settled, the corrected one is a new request.
      const retry = { ...form, revision: application.revision, idempotencyKey: randomUUID() };
      sendPage(
        response,
        context.lang,
        renderDocument(DeskPaymentView({ context, application, form: retry, step: 'form', errors: [{ fieldId: 'amountReceived', message }] })),
        (error as DomainError & { httpStatus: number }).httpStatus,
      );
    }
  }
}
