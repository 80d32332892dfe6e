import { Inject, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { backoffMs, Clock, type DeliveryCounts, type DeliveryOutcome, type DeliveryPolicy } from '@madoguchi/kernel';
import type { AddressInfo } from 'node:net';
import { PAYMENT_SETTINGS, type PaymentSettings } from '../payment-settings';
import { signatureHeader } from '../provider/webhook-signature';
import { type SimDelivery, SimRepository } from './sim.repository';
import { SimulatedProviderFaults } from './simulated-provider.service';

export const SIM_WEBHOOK_PATH = '/api/v1/payments/webhooks/simulated';

export interface SimDeliveryOptions extends DeliveryPolicy {
  timeoutMs: number;
}

export const DEFAULT_SIM_DELIVERY_OPTIONS: SimDeliveryOptions = {
  batchSize: 20,
  leaseMs: 30_000,
  maxAttempts: 12,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60 * 60_000,
  timeoutMs: 10_000,
};

export type SimDeliveryResult = DeliveryCounts<'dropped'>;

/**
 * The simulated provider's webhook sender: real HTTP POSTs to the merchant's
 * endpoint from a durable queue, signed when sent, retried with exponential
 * backoff on anything but 2xx, at least once. Faults (duplicates, reordering,
 * drops, holding) come from SIMULATED_PROVIDER_FAULTS or from tests.
 */
@Injectable()
export class SimulatedWebhookSender {
  private readonly logger = new Logger('SimulatedProvider');
  options: SimDeliveryOptions = DEFAULT_SIM_DELIVERY_OPTIONS;

  constructor(
    private readonly repository: SimRepository,
    private readonly clock: Clock,
    private readonly faults: SimulatedProviderFaults,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(PAYMENT_SETTINGS) private readonly settings: PaymentSettings,
  ) {}

  /**
   * Sends what is due: different payments' webhooks at once, each payment's
   * in the order they were queued (newest first with the `reorder` fault).
   * `parallel` sends the whole batch at once, a payment's too.
   */
  async deliverDue(options: { parallel?: boolean } = {}): Promise<SimDeliveryResult> {
    if (this.faults.hold) return { delivered: 0, retried: 0, dead: 0, dropped: 0 };
    const url = this.targetUrl();
    return this.repository.deliverDue(this.clock, this.options, {
      arrange: (due) => (this.faults.reorder ? due.reverse() : due),
      lane: (delivery) => (options.parallel ? delivery.id : `${delivery.municipalityId}:${delivery.paymentId}`),
      deliver: (delivery) => this.deliver(delivery, url),
      failed: (delivery, error, dead) =>
        this.logger.warn({ msg: 'webhook delivery failed', eventType: delivery.eventType, attempts: delivery.attempts, error, dead }),
    });
  }

  backoff(attempt: number): number {
    return backoffMs(this.options, attempt);
  }

  /**
   * The configured URL; else the address this process listens on (the
   * simulator lives inside the service); else PUBLIC_BASE_URL.
   */
  targetUrl(): string {
    if (this.settings.simulatedWebhookUrl) return this.settings.simulatedWebhookUrl;
    const server = this.adapterHost.httpAdapter?.getHttpServer() as { address?: () => AddressInfo | string | null } | undefined;
    const address = server?.address?.();
    if (address && typeof address === 'object') {
      const host = ['0.0.0.0', '::', ''].includes(address.address) ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${host}:${address.port}${SIM_WEBHOOK_PATH}`;
    }
    return `${this.settings.publicBaseUrl}${SIM_WEBHOOK_PATH}`;
  }

  private async deliver(delivery: SimDelivery, url: string): Promise<DeliveryOutcome<'last_response_status', 'dropped'>> {
    if (this.faults.dropRate > 0 && (this.faults.dropRate >= 1 || Math.random() < this.faults.dropRate)) {
      return { kind: 'ended', status: 'dropped', error: 'dropped (fault injection)' };
    }
    const columns = { last_response_status: null as number | null };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'madoguchi-simulated-provider/1',
          'x-municipality-id': delivery.municipalityId,
          'x-sim-signature': signatureHeader(this.settings.webhookSecret, Math.floor(this.clock.now().getTime() / 1000), delivery.body),
        },
        body: delivery.body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      columns.last_response_status = response.status;
      await response.arrayBuffer();
      return response.ok ? { kind: 'delivered', columns } : { kind: 'failed', error: `HTTP ${response.status}`, columns };
    } catch (failure) {
      return { kind: 'failed', error: failure instanceof Error ? failure.message : String(failure), columns };
    }
  }
}
