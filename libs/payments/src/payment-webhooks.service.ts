import { Inject, Injectable } from '@nestjs/common';
import { Clock, type MunicipalityId } from '@madoguchi/kernel';
import { DataSource } from 'typeorm';
import { PaymentError } from './payment.errors';
import { PaymentRepository } from './payment.repository';
import { type ApplyOutcome, PaymentSettlementService } from './payment-settlement.service';
import { PAYMENT_PROVIDER, type PaymentProvider } from './provider/payment-provider';

export interface WebhookAck {
  received: true;
  outcome: ApplyOutcome | 'duplicate';
}

/**
 * Webhooks from the provider: genuine (signature and timestamp window,
 * checked by the provider's adapter on the raw body), deduplicated by event
 * id, applied in any order (by the provider's version, never regressing a
 * final state). The receipt (with its outcome), the payment change and the
 * application's transition commit together, under the payment's row lock: a
 * retried or duplicated delivery waits for the first, finds its news already
 * applied and its receipt written, and changes nothing.
 */
@Injectable()
export class PaymentWebhooksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: PaymentRepository,
    private readonly settlement: PaymentSettlementService,
    private readonly clock: Clock,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
  ) {}

  async receive(
    providerName: string,
    municipalityId: MunicipalityId,
    request: { headers: Record<string, string | string[] | undefined>; rawBody: Buffer | undefined },
  ): Promise<WebhookAck> {
    if (providerName !== this.provider.name) throw PaymentError.unknownProvider(providerName);
    if (!request.rawBody) throw PaymentError.webhookMalformed();
    const event = this.provider.parseWebhook({ headers: request.headers, rawBody: request.rawBody, now: this.clock.now() });
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      // The payment's row lock serialises deliveries about one payment, duplicates included.
      const payment = await this.payments.findByProviderId(manager, municipalityId, this.provider.name, event.payment.id, { lock: true });
      // Nothing is recorded, so the provider's retry is processed.
      if (!payment) throw PaymentError.webhookUnknownPayment(event.payment.id);
      // A duplicate changes nothing here: what it says is not newer than what the first delivery applied.
      const outcome = await this.settlement.apply(manager, payment, event.payment, { source: 'webhook', providerEventId: event.id });
      const fresh = await this.payments.insertReceipt(manager, municipalityId, {
        provider: this.provider.name,
        eventId: event.id,
        eventType: event.type,
        providerPaymentId: event.payment.id,
        outcome,
        at: now,
      });
      return { received: true, outcome: fresh ? outcome : 'duplicate' };
    });
  }
}
