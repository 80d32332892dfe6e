import { Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { CurrentStaff, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { DomainError } from '@madoguchi/kernel';
import { CounterPaymentsService } from '@madoguchi/payments';
import { renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { sendPage } from '../../../portal/src/shared/page-response';
import { OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { PayoutDoneView, PayoutsView } from './desk-refunds.view';

const uuid = new ParseUUIDPipe();

/**
 * /office/counter/refunds: refunds of fees taken at the counter, waiting to
 * be handed back in cash (CounterPaymentsService, the service of
 * `POST /staff/payments/:id/refunds/:refundId/paid`): the desk's
 * departments, 会計課 all. List → confirmation → result; the confirmation
 * carries an idempotency key, so a resent commit answers the same result
 * and never pays out twice.
 */
@StaffOnly('clerk', 'reviewer', 'accountant')
@OfficePageController('counter/refunds')
export class DeskRefundsPageController {
  constructor(
    private readonly payments: CounterPaymentsService,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get()
  async list(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const waiting = await this.payments.payoutsWaiting(staff);
    sendPage(response, context.lang, renderDocument(PayoutsView({ context, waiting, confirm: null, error: null })));
  }

  @Post(':paymentId/:refundId')
  async payOut(
    @Req() request: Request,
    @Res() response: Response,
    @CurrentStaff() staff: StaffPrincipal,
    @Param('paymentId', uuid) paymentId: string,
    @Param('refundId', uuid) refundId: string,
  ): Promise<void> {
    const context = await this.pages.of(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const waiting = await this.payments.payoutsWaiting(staff);
    const entry = waiting.find((item) => item.refund.id === refundId && item.refund.paymentId === paymentId) ?? null;
    if (body.commit !== '1') {
      if (!entry) return this.refused(response, context, waiting, context.t('office.payouts.empty'), 404);
      const confirm = { paymentId, refundId, idempotencyKey: randomUUID(), entry };
      return sendPage(response, context.lang, renderDocument(PayoutsView({ context, waiting, confirm, error: null })));
    }
    const key = typeof body.idempotencyKey === 'string' && /^[0-9a-f-]{36}$/i.test(body.idempotencyKey) ? body.idempotencyKey : randomUUID();
    try {
      const refund = await this.payments.payOutRefund(staff, paymentId, refundId, key);
      const done = { referenceNumber: entry?.referenceNumber ?? null, receiptNumber: entry?.receiptNumber ?? null, amount: refund.amount, paidOutAt: refund.paidOutAt ?? new Date().toISOString() };
      sendPage(response, context.lang, renderDocument(PayoutDoneView({ context, done })));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const status = (error as DomainError & { httpStatus: number }).httpStatus;
      this.refused(response, context, await this.payments.payoutsWaiting(staff), context.lang === 'en' ? error.userMessage.en : error.userMessage.ja, status);
    }
  }

  private refused(response: Response, context: Awaited<ReturnType<OfficeContextFactory['of']>>, waiting: Awaited<ReturnType<CounterPaymentsService['payoutsWaiting']>>, error: string, status: number): void {
    sendPage(response, context.lang, renderDocument(PayoutsView({ context, waiting, confirm: null, error })), status);
  }
}
