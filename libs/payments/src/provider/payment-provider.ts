import type { MunicipalityId } from '@madoguchi/kernel';
import type { PaymentMethod, PaymentStatus } from '../domain/payment-status';

/**
 * What any payment provider must offer, in the provider-neutral vocabulary of
 * domain/payment-status.ts. An adapter maps its provider's statuses, ids and
 * webhooks onto these; nothing outside the adapter knows which provider runs.
 *
 * Every call that changes money takes an idempotency key, so a retried call
 * (outbox redelivery, crash between call and commit) never pays or refunds
 * twice. Calls are made outside database transactions; the answer is applied
 * afterwards like any other news from the provider (by version).
 */
export interface PaymentProvider {
  readonly name: string;
  /** Registers the amount due before the resident chooses how to pay. */
  createPayment(input: CreateProviderPayment): Promise<ProviderPayment>;
  /** The resident chose a method: where to send them, or the numbers to pay with. */
  startPayment(input: StartProviderPayment): Promise<ProviderPayment>;
  getStatus(municipalityId: MunicipalityId, providerPaymentId: string): Promise<ProviderPayment>;
  /** Cancels a payment not yet captured; answers the payment as it is (it may have succeeded meanwhile). */
  cancelPayment(municipalityId: MunicipalityId, providerPaymentId: string): Promise<ProviderPayment>;
  refund(input: ProviderRefundRequest): Promise<ProviderPayment>;
  /** Verifies and parses a webhook exactly as received; throws PaymentError when it is not genuine. */
  parseWebhook(input: { headers: Record<string, string | string[] | undefined>; rawBody: Buffer; now: Date }): ProviderWebhookEvent;
}

export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');

export interface CreateProviderPayment {
  municipalityId: MunicipalityId;
  /** Our payment id. */
  idempotencyKey: string;
  amount: number;
  /** 受付番号, shown on slips and statements. */
  orderReference: string;
  description: string;
  /** The application's payment deadline: a slip or a page must not outlive it. */
  expiresAt: Date;
  metadata: Record<string, string>;
}

export interface StartProviderPayment {
  municipalityId: MunicipalityId;
  providerPaymentId: string;
  method: PaymentMethod;
  /** Where the hosted page sends the resident back. */
  returnUrl: string;
}

export interface ProviderRefundRequest {
  municipalityId: MunicipalityId;
  providerPaymentId: string;
  amount: number;
  /** Our refund id. */
  idempotencyKey: string;
  reason: string;
}

export interface ProviderRefund {
  id: string;
  /** The idempotency key we gave: our refund id, or null for a refund made at the provider. */
  reference: string | null;
  amount: number;
  status: 'succeeded' | 'failed';
}

/** A payment as the provider sees it at one version. */
export interface ProviderPayment {
  id: string;
  status: PaymentStatus;
  /** Increases with every change at the provider: the order of news. */
  version: number;
  amount: number;
  capturedAmount: number;
  method: PaymentMethod | null;
  redirectUrl: string | null;
  konbini: { paymentNumber: string; deadline: Date } | null;
  payeasy: { collectorNumber: string; customerNumber: string; confirmationNumber: string; deadline: Date } | null;
  failureCode: string | null;
  refunds: ProviderRefund[];
}

export interface ProviderWebhookEvent {
  id: string;
  type: string;
  payment: ProviderPayment;
}

/** A provider call that failed; `retryable` false means asking again will not help. */
export class ProviderError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
