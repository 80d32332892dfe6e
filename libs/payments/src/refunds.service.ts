import { Inject, Injectable, Logger } from '@nestjs/common';
import { type StaffPrincipal, staffReach } from '@madoguchi/identity';
import type { MunicipalityId } from '@madoguchi/kernel';
import { DataSource } from 'typeorm';
import type { RefundDto } from './dto/payment.dto';
import { COUNTER_PROVIDER } from './domain/payment-status';
import { PAYMENT_ACCESS } from './payment-access';
import { PaymentError } from './payment.errors';
import { toRefundDto } from './payment.mapper';
import { PaymentRepository } from './payment.repository';
import { PaymentSettlementService } from './payment-settlement.service';
import { PAYMENT_PROVIDER, type PaymentProvider, ProviderError } from './provider/payment-provider';

/**
 * Refunds: reserved in one transaction holding the payment's row lock (so
 * two refunds at once cannot together exceed the capture), then carried out
 * at the provider from the outbox, idempotently by refund id.
 */
@Injectable()
export class RefundsService {
  private readonly logger = new Logger('Payments');

  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: PaymentRepository,
    private readonly settlement: PaymentSettlementService,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
  ) {}

  /** A manager refunds part or all of a captured payment of the manager's departments; 会計課 of any department. */
  async refundByStaff(staff: StaffPrincipal, paymentId: string, input: { amount: number; reason: string }): Promise<RefundDto> {
    const reach = staffReach(staff, PAYMENT_ACCESS.refund);
    const refund = await this.dataSource.transaction(async (manager) => {
      // Another department's payment is not found, like one that does not exist.
      const payment = await this.payments.findInReach(manager, staff.municipalityId, paymentId, reach, { lock: true });
      if (!payment) throw PaymentError.notFound(paymentId);
      return this.settlement.requestRefund(manager, payment, {
        amount: input.amount,
        reason: input.reason.trim(),
        cause: null,
        actor: { kind: 'staff', id: staff.id },
        source: 'staff',
      });
    });
    // Carry it out now so the manager sees the result; the outbox message
    // stays as the safety net and finds nothing left to do.
    try {
      await this.execute(staff.municipalityId, refund.id);
    } catch (error) {
      this.logger.warn({ msg: 'refund left to the outbox', refundId: refund.id, err: (error as Error).name });
    }
    return toRefundDto((await this.payments.findRefund(this.payments.manager, staff.municipalityId, refund.id))!);
  }

  /** `payment.refund`: asks the provider for a requested refund and applies the answer. */
  async execute(municipalityId: MunicipalityId, refundId: string): Promise<void> {
    const refund = await this.payments.findRefund(this.payments.manager, municipalityId, refundId);
    // A refund of a counter payment is `payableAtCounter`, so it stops here too.
    if (!refund || refund.status !== 'requested') return;
    const payment = await this.payments.find(this.payments.manager, municipalityId, refund.paymentId);
    // Belt and braces: the provider never took this money, so it must never be asked to give it back.
    if (payment?.provider === COUNTER_PROVIDER) return;
    if (!payment?.providerPaymentId) throw new Error(`refund ${refundId}: the payment has no provider id`);
    try {
      const news = await this.provider.refund({
        municipalityId,
        providerPaymentId: payment.providerPaymentId,
        amount: refund.amount,
        idempotencyKey: refund.id,
        reason: refund.reason,
      });
      await this.dataSource.transaction(async (manager) => {
        const locked = (await this.payments.find(manager, municipalityId, payment.id, { lock: true }))!;
        await this.settlement.apply(manager, locked, news, { source: 'provider-api' });
      });
    } catch (error) {
      if (!(error instanceof ProviderError) || error.retryable) throw error;
      await this.dataSource.transaction(async (manager) => {
        const locked = (await this.payments.find(manager, municipalityId, payment.id, { lock: true }))!;
        const current = (await this.payments.findRefund(manager, municipalityId, refundId))!;
        await this.settlement.failRefund(manager, locked, current, error.code, { source: 'provider-api' });
      });
    }
  }
}
