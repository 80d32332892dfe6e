import { Inject, Injectable } from '@nestjs/common';
import { Clock, type MunicipalityId } from '@madoguchi/kernel';
import { DataSource, type EntityManager } from 'typeorm';
import { PaymentError } from './payment.errors';
import { PaymentRepository, type WebhookReceipt } from './payment.repository';
import { type Applied, type ApplyOutcome, type NewsOrigin, PaymentSettlementService } from './payment-settlement.service';
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
 *
 * News that needs no lock takes none: stale news (only its receipt is
 * written) and news that only moves an open payment along (one
 * compare-and-set statement with its event and receipt, see
 * PaymentSettlementService.applyUnlocked).
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
    const now = this.clock.now();
    const event = this.provider.parseWebhook({ headers: request.headers, rawBody: request.rawBody, now });
    const news = event.payment;
    const receipt = { provider: this.provider.name, eventId: event.id, eventType: event.type, providerPaymentId: news.id, at: now };
    const origin: NewsOrigin = { source: 'webhook', providerEventId: event.id, receipt };
    // News that makes a payment succeeded, or carries refunds (applied even
    // when stale), needs the lock unless stale, and is nearly always fresh:
    // reading first would only add a statement.
    if (news.status !== 'succeeded' && news.refunds.length === 0) {
      const manager = this.payments.manager;
      const known = await this.payments.findByProviderId(manager, municipalityId, this.provider.name, news.id);
      // Nothing is recorded, so the provider's retry is processed.
      if (!known) throw PaymentError.webhookUnknownPayment(news.id);
      // Provider versions only grow: news no newer than this read is stale under the lock too.
      if (news.version <= known.providerVersion) return this.ack(manager, municipalityId, receipt, { outcome: 'stale', receipted: null });
      const applied = await this.settlement.applyUnlocked(manager, known, news, origin);
      if (applied) return this.ack(manager, municipalityId, receipt, applied);
    }
    return this.dataSource.transaction(async (manager) => {
      // The payment's row lock serialises deliveries about one payment, duplicates included.
      const payment = await this.payments.findByProviderId(manager, municipalityId, this.provider.name, news.id, { lock: true });
      // Nothing is recorded, so the provider's retry is processed.
      if (!payment) throw PaymentError.webhookUnknownPayment(news.id);
      // A duplicate changes nothing here: what it says is not newer than what the first delivery applied.
      return this.ack(manager, municipalityId, receipt, await this.settlement.apply(manager, payment, news, origin));
    });
  }

  /** The receipt recorded with the payment's change, or else on its own; a duplicate when it was there already. */
  private async ack(manager: EntityManager, municipalityId: MunicipalityId, receipt: Omit<WebhookReceipt, 'outcome'>, applied: Applied): Promise<WebhookAck> {
    const fresh = applied.receipted ?? (await this.payments.insertReceipt(manager, municipalityId, { ...receipt, outcome: applied.outcome }));
    return { received: true, outcome: fresh ? applied.outcome : 'duplicate' };
  }
}
