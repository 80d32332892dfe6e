import { Inject, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Clock } from '@madoguchi/kernel';
import type { AddressInfo } from 'node:net';
import { PAYMENT_SETTINGS, type PaymentSettings } from '../payment-settings';
import { signatureHeader } from '../provider/webhook-signature';
import { type SimDelivery, SimRepository } from './sim.repository';
import { SimulatedProviderFaults } from './simulated-provider.service';

export const SIM_WEBHOOK_PATH = '/api/v1/payments/webhooks/simulated';

export interface SimDeliveryOptions {
  batchSize: number;
  leaseMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
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

export interface SimDeliveryResult {
  delivered: number;
  retried: number;
  dead: number;
  dropped: number;
}

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
    const result: SimDeliveryResult = { delivered: 0, retried: 0, dead: 0, dropped: 0 };
    if (this.faults.hold) return result;
    const now = this.clock.now();
    const due = await this.repository.leaseDeliveries(now, new Date(now.getTime() + this.options.leaseMs), this.options.batchSize);
    if (this.faults.reorder) due.reverse();
    const url = this.targetUrl();
    const lanes = new Map<string, SimDelivery[]>();
    for (const delivery of due) {
      const lane = options.parallel ? delivery.id : `${delivery.merchantId}:${delivery.paymentId}`;
      lanes.set(lane, [...(lanes.get(lane) ?? []), delivery]);
    }
    await Promise.all(
      [...lanes.values()].map(async (lane) => {
        for (const delivery of lane) result[await this.deliver(delivery, url)] += 1;
      }),
    );
    return result;
  }

  backoff(attempt: number): number {
    return Math.min(this.options.backoffBaseMs * 2 ** Math.max(0, attempt - 1), this.options.backoffMaxMs);
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

  private async deliver(delivery: SimDelivery, url: string): Promise<keyof SimDeliveryResult> {
    const started = this.clock.now();
    if (this.faults.dropRate > 0 && (this.faults.dropRate >= 1 || Math.random() < this.faults.dropRate)) {
      await this.repository.settleDelivery(delivery.merchantId, delivery.id, { status: 'dropped', responseStatus: null, error: 'dropped (fault injection)', retryAt: null, at: started });
      return 'dropped';
    }
    let responseStatus: number | null = null;
    let error: string;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'madoguchi-simulated-provider/1',
          'x-municipality-id': delivery.merchantId,
          'x-sim-signature': signatureHeader(this.settings.webhookSecret, Math.floor(this.clock.now().getTime() / 1000), delivery.body),
        },
        body: delivery.body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      responseStatus = response.status;
      await response.arrayBuffer();
      if (response.ok) {
        await this.repository.settleDelivery(delivery.merchantId, delivery.id, { status: 'delivered', responseStatus, error: null, retryAt: null, at: this.clock.now() });
        return 'delivered';
      }
      error = `HTTP ${response.status}`;
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    }
    const dead = delivery.attempts >= this.options.maxAttempts;
    const retryAt = dead ? null : new Date(this.clock.now().getTime() + this.backoff(delivery.attempts));
    await this.repository.settleDelivery(delivery.merchantId, delivery.id, { status: dead ? 'dead' : 'pending', responseStatus, error, retryAt, at: this.clock.now() });
    this.logger.warn({ msg: 'webhook delivery failed', eventType: delivery.eventType, attempts: delivery.attempts, responseStatus, dead });
    return dead ? 'dead' : 'retried';
  }
}
