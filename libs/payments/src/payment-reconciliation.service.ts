import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '@madoguchi/kernel';
import { PaymentRepository } from './payment.repository';
import { PAYMENT_SETTINGS, type PaymentSettings } from './payment-settings';
import { PaymentsService } from './payments.service';
import { PAYMENT_PROVIDER, type PaymentProvider } from './provider/payment-provider';
import { RefundsService } from './refunds.service';

export interface ReconcileResult {
  polled: number;
  changed: number;
  refundsRetried: number;
  failed: number;
}

/**
 * The worker's safety net for lost webhooks: payments with no news for a
 * while (PAYMENT_RECONCILE_AFTER_MINUTES) are polled at the provider and the
 * answer applied like a webhook. Refunds stuck as requested are carried out
 * again (idempotent by refund id). Any number of workers may run it: a claim
 * stamps the payment, SKIP LOCKED keeps them apart.
 */
@Injectable()
export class PaymentReconciliationService {
  private readonly logger = new Logger('Payments');

  constructor(
    private readonly payments: PaymentRepository,
    private readonly service: PaymentsService,
    private readonly refunds: RefundsService,
    private readonly clock: Clock,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(PAYMENT_SETTINGS) private readonly settings: PaymentSettings,
  ) {}

  async reconcile(options: { quietForMs?: number; limit?: number } = {}): Promise<ReconcileResult> {
    const quietForMs = options.quietForMs ?? this.settings.reconcileAfterMs;
    const limit = options.limit ?? 50;
    const now = this.clock.now();
    const since = new Date(now.getTime() - quietForMs);
    const result: ReconcileResult = { polled: 0, changed: 0, refundsRetried: 0, failed: 0 };
    const claimed = await this.payments.claimQuiet(this.payments.manager, since, now, limit);
    for (const { municipalityId, id } of claimed) {
      try {
        const payment = await this.payments.find(this.payments.manager, municipalityId, id);
        if (!payment) continue;
        // Never registered (the provider call failed): register it now.
        const registered = await this.service.register(payment);
        const synced = await this.service.sync(municipalityId, registered.id, (providerId) => this.provider.getStatus(municipalityId, providerId), {
          source: 'reconciliation',
        });
        result.polled += 1;
        if (synced?.outcome === 'advanced') result.changed += 1;
      } catch (error) {
        result.failed += 1;
        this.logger.warn({ msg: 'reconciliation of a payment failed', paymentId: id, err: (error as Error).name });
      }
    }
    for (const { municipalityId, id } of await this.payments.requestedRefundsBefore(this.payments.manager, since, limit)) {
      try {
        await this.refunds.execute(municipalityId, id);
        result.refundsRetried += 1;
      } catch (error) {
        result.failed += 1;
        this.logger.warn({ msg: 'reconciliation of a refund failed', refundId: id, err: (error as Error).name });
      }
    }
    if (result.changed > 0) this.logger.log({ msg: 'reconciled payments that had no news', ...result });
    return result;
  }
}
