import { Inject, Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import { PAYMENT_METHODS, PAYMENT_STATUSES } from '../domain/payment-status';
import { PaymentError } from '../payment.errors';
import { PAYMENT_SETTINGS, type PaymentSettings } from '../payment-settings';
import {
  type CreateProviderPayment,
  type PaymentProvider,
  ProviderError,
  type ProviderPayment,
  type ProviderRefundRequest,
  type ProviderWebhookEvent,
  type StartProviderPayment,
} from '../provider/payment-provider';
import { SIGNATURE_HEADER, verifyWebhookSignature } from '../provider/webhook-signature';
import { SimError, type SimPaymentView, SimulatedProviderService, type SimWebhookEvent } from './simulated-provider.service';

/**
 * Our adapter for the simulated provider: maps its wire format onto the
 * provider-neutral ProviderPayment. The simulator runs in-process, so calls
 * are method calls rather than HTTP, but they cross the same boundary (its
 * JSON views, its errors) that a real provider's client would.
 */
@Injectable()
export class SimulatedPaymentProvider implements PaymentProvider {
  readonly name = 'simulated';

  constructor(
    private readonly simulator: SimulatedProviderService,
    @Inject(PAYMENT_SETTINGS) private readonly settings: PaymentSettings,
  ) {}

  createPayment(input: CreateProviderPayment): Promise<ProviderPayment> {
    return this.call(() =>
      this.simulator.create(input.municipalityId, {
        idempotencyKey: input.idempotencyKey,
        amount: input.amount,
        orderReference: input.orderReference,
        description: input.description,
        expiresAt: input.expiresAt,
        metadata: input.metadata,
      }),
    );
  }

  startPayment(input: StartProviderPayment): Promise<ProviderPayment> {
    return this.call(() => this.simulator.start(input.municipalityId, input.providerPaymentId, input.method, input.returnUrl));
  }

  getStatus(municipalityId: MunicipalityId, providerPaymentId: string): Promise<ProviderPayment> {
    return this.call(() => this.simulator.get(municipalityId, providerPaymentId));
  }

  cancelPayment(municipalityId: MunicipalityId, providerPaymentId: string): Promise<ProviderPayment> {
    return this.call(() => this.simulator.cancel(municipalityId, providerPaymentId));
  }

  refund(input: ProviderRefundRequest): Promise<ProviderPayment> {
    return this.call(() => this.simulator.refund(input.municipalityId, input.providerPaymentId, { amount: input.amount, idempotencyKey: input.idempotencyKey }));
  }

  parseWebhook(input: { headers: Record<string, string | string[] | undefined>; rawBody: Buffer; now: Date }): ProviderWebhookEvent {
    const header = input.headers[SIGNATURE_HEADER];
    const verdict = verifyWebhookSignature(Array.isArray(header) ? header[0] : header, input.rawBody, this.settings.webhookSecret, input.now);
    if (!verdict.ok) {
      throw verdict.problem === 'stale' ? PaymentError.webhookTimestampOutOfRange() : PaymentError.webhookSignatureInvalid(verdict.problem);
    }
    let event: SimWebhookEvent;
    try {
      event = JSON.parse(input.rawBody.toString('utf8')) as SimWebhookEvent;
    } catch {
      throw PaymentError.webhookMalformed();
    }
    if (typeof event?.id !== 'string' || typeof event.type !== 'string' || !isView(event.data?.object)) throw PaymentError.webhookMalformed();
    return { id: event.id, type: event.type, payment: toProviderPayment(event.data.object) };
  }

  private async call(work: () => Promise<SimPaymentView>): Promise<ProviderPayment> {
    try {
      return toProviderPayment(await work());
    } catch (error) {
      if (error instanceof SimError) throw new ProviderError(error.code, error.message, error.httpStatus >= 500);
      throw new ProviderError('unavailable', error instanceof Error ? error.message : String(error), true);
    }
  }
}

function isView(value: unknown): value is SimPaymentView {
  const view = value as SimPaymentView | undefined;
  return (
    typeof view === 'object' &&
    view !== null &&
    typeof view.id === 'string' &&
    PAYMENT_STATUSES.includes(view.status) &&
    Number.isInteger(view.version) &&
    Number.isInteger(view.amount) &&
    Number.isInteger(view.captured_amount) &&
    (view.method === null || PAYMENT_METHODS.includes(view.method)) &&
    Array.isArray(view.refunds)
  );
}

export function toProviderPayment(view: SimPaymentView): ProviderPayment {
  return {
    id: view.id,
    status: view.status,
    version: view.version,
    amount: view.amount,
    capturedAmount: view.captured_amount,
    method: view.method,
    redirectUrl: view.next_action?.url ?? null,
    konbini: view.konbini ? { paymentNumber: view.konbini.payment_number, deadline: new Date(view.konbini.deadline) } : null,
    payeasy: view.payeasy
      ? {
          collectorNumber: view.payeasy.collector_number,
          customerNumber: view.payeasy.customer_number,
          confirmationNumber: view.payeasy.confirmation_number,
          deadline: new Date(view.payeasy.deadline),
        }
      : null,
    failureCode: view.failure_code,
    refunds: view.refunds.map((refund) => ({ id: refund.id, reference: refund.reference ?? null, amount: refund.amount, status: refund.status })),
  };
}
