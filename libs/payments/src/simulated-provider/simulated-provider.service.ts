import { Inject, Injectable } from '@nestjs/common';
import { Clock, type MunicipalityId } from '@madoguchi/kernel';
import { randomBytes, randomInt } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { PaymentMethod, PaymentStatus } from '../domain/payment-status';
import { PAYMENT_SETTINGS, type PaymentSettings } from '../payment-settings';
import { type SimPayment, type SimPaymentPatch, type SimRefund, SimRepository } from './sim.repository';
import { checkCard } from './test-cards';

/**
 * The simulated provider's side of the world: a payment service that takes
 * money, keeps its own ledger and tells the merchant what happened by signed
 * webhooks, later, maybe twice, maybe out of order. It shares the process and
 * the database with Madoguchi only for convenience; it reads none of our
 * tables, and we read its state only through its API (the adapter) and its
 * webhooks.
 */

export class SimError extends Error {
  constructor(
    readonly code: string,
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
    this.name = 'SimError';
  }
}

/** The wire format of the simulated provider (snake_case, like most payment APIs). */
export interface SimPaymentView {
  id: string;
  object: 'payment';
  status: PaymentStatus;
  version: number;
  amount: number;
  currency: 'JPY';
  captured_amount: number;
  refunded_amount: number;
  method: PaymentMethod | null;
  order_reference: string;
  metadata: Record<string, string>;
  next_action: { type: 'redirect'; url: string } | null;
  konbini: { payment_number: string; deadline: string } | null;
  payeasy: { collector_number: string; customer_number: string; confirmation_number: string; deadline: string } | null;
  card: { brand: string; last4: string } | null;
  failure_code: string | null;
  refunds: Array<{ id: string; amount: number; status: 'succeeded' | 'failed'; reference: string; created: string }>;
  expires_at: string;
  created: string;
  updated: string;
}

export interface SimWebhookEvent {
  id: string;
  type: string;
  created: number;
  data: { object: SimPaymentView };
}

/** Test hooks for the webhook queue; set from SIMULATED_PROVIDER_FAULTS, changeable by tests. */
export class SimulatedProviderFaults {
  duplicate = false;
  reorder = false;
  dropRate = 0;
  /** Keep deliveries queued without sending them (to release them later, e.g. reordered). */
  hold = false;
}

export type CardPageResult =
  | { result: 'succeeded' | 'failed'; payment: SimPayment }
  | { result: 'challenge'; payment: SimPayment }
  | { result: 'invalid'; problem: string; payment: SimPayment };

const QR_METHODS: readonly PaymentMethod[] = ['paypay', 'dpay', 'aupay', 'rakutenpay'];

@Injectable()
export class SimulatedProviderService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: SimRepository,
    private readonly clock: Clock,
    readonly faults: SimulatedProviderFaults,
    @Inject(PAYMENT_SETTINGS) private readonly settings: PaymentSettings,
  ) {}

  hostedPageUrl(merchantId: string, id: string): string {
    return `${this.settings.publicBaseUrl}/simulated-provider/${merchantId}/pay/${id}`;
  }

  // The merchant API (what our adapter calls)

  /** Idempotent by key: the same key answers the payment created the first time. */
  async create(
    merchantId: MunicipalityId,
    input: { idempotencyKey: string; amount: number; orderReference: string; description: string; expiresAt: Date; metadata: Record<string, string> },
  ): Promise<SimPaymentView> {
    if (!Number.isInteger(input.amount) || input.amount <= 0) throw new SimError('invalid_amount', 400, 'amount must be a positive integer (yen)');
    const now = this.clock.now();
    await this.repository.insert(this.dataSource.manager, {
      merchantId,
      id: `sp_${randomBytes(12).toString('hex')}`,
      idempotencyKey: input.idempotencyKey,
      amount: input.amount,
      status: 'created',
      version: 1,
      method: null,
      orderReference: input.orderReference,
      description: input.description,
      metadata: input.metadata,
      returnUrl: null,
      expiresAt: input.expiresAt,
      konbiniPaymentNumber: null,
      instructions: null,
      cardBrand: null,
      cardLast4: null,
      challengePending: false,
      capturedAmount: 0,
      refundedAmount: 0,
      failureCode: null,
      createdAt: now,
    });
    const payment = await this.repository.findByIdempotencyKey(this.dataSource.manager, merchantId, input.idempotencyKey);
    if (!payment) throw new SimError('internal', 500, 'payment vanished after insert');
    if (payment.amount !== input.amount) throw new SimError('idempotency_mismatch', 409, 'the idempotency key was used with another amount');
    return this.view(this.dataSource.manager, payment);
  }

  /** Chooses (or changes) the method of a payment not yet paid. */
  async start(merchantId: MunicipalityId, id: string, method: PaymentMethod, returnUrl: string): Promise<SimPaymentView> {
    return this.change(merchantId, id, async (_manager, payment, now) => {
      if (payment.status !== 'created' && payment.status !== 'started') {
        throw new SimError('payment_not_startable', 409, `payment is ${payment.status}`);
      }
      if (payment.status === 'started' && payment.method === method && payment.returnUrl === returnUrl) return null;
      const patch: SimPaymentPatch = { status: 'started', method, returnUrl, challengePending: false, konbiniPaymentNumber: null, instructions: null, at: now };
      if (method === 'konbini') patch.konbiniPaymentNumber = String(randomInt(10_000_000_000, 99_999_999_999));
      if (method === 'payeasy') {
        patch.instructions = {
          collectorNumber: '58091',
          customerNumber: `${randomInt(1_000_000, 9_999_999)}${randomInt(1_000_000, 9_999_999)}`,
          confirmationNumber: String(randomInt(100_000, 999_999)),
        };
      }
      return { patch, event: payment.status === 'created' ? 'payment.started' : 'payment.updated' };
    });
  }

  async get(merchantId: MunicipalityId, id: string): Promise<SimPaymentView> {
    const payment = await this.repository.find(this.dataSource.manager, merchantId, id);
    if (!payment) throw new SimError('not_found', 404, 'no such payment');
    return this.view(this.dataSource.manager, payment);
  }

  /** Cancels what is not captured; a final payment is answered as it is. */
  async cancel(merchantId: MunicipalityId, id: string): Promise<SimPaymentView> {
    return this.change(merchantId, id, async (_manager, payment, now) => {
      if (payment.status !== 'created' && payment.status !== 'started' && payment.status !== 'authorised') return null;
      return { patch: { status: 'cancelled', challengePending: false, at: now }, event: 'payment.cancelled' };
    });
  }

  /** Idempotent by key. Refuses more than what is left of the capture. */
  async refund(merchantId: MunicipalityId, id: string, input: { amount: number; idempotencyKey: string }): Promise<SimPaymentView> {
    return this.change(merchantId, id, async (manager, payment, now) => {
      if (await this.repository.findRefundByKey(manager, merchantId, input.idempotencyKey)) return null;
      if (payment.status !== 'succeeded') throw new SimError('payment_not_captured', 409, `payment is ${payment.status}`);
      if (!Number.isInteger(input.amount) || input.amount <= 0) throw new SimError('invalid_amount', 400, 'amount must be a positive integer (yen)');
      if (input.amount > payment.capturedAmount - payment.refundedAmount) {
        throw new SimError('amount_too_large', 422, `refund ${input.amount} exceeds the ${payment.capturedAmount - payment.refundedAmount} left`);
      }
      const refund: SimRefund = {
        id: `sr_${randomBytes(12).toString('hex')}`,
        paymentId: payment.id,
        idempotencyKey: input.idempotencyKey,
        amount: input.amount,
        status: 'succeeded',
        createdAt: now,
      };
      await this.repository.insertRefund(manager, merchantId, refund);
      await this.repository.addLedgerEntry(manager, merchantId, { paymentId: payment.id, refundId: refund.id, amount: -input.amount, at: now });
      return { patch: { refundedDelta: input.amount, at: now }, event: 'refund.succeeded' };
    });
  }

  async balance(merchantId: MunicipalityId): Promise<{ captured: number; refunded: number; balance: number }> {
    return this.repository.balance(merchantId);
  }

  // The payer's side (hosted pages, store terminals, banking)

  async findForPage(merchantId: MunicipalityId, id: string): Promise<SimPayment | null> {
    if (!/^sp_[0-9a-f]{24}$/.test(id)) return null;
    return this.repository.find(this.dataSource.manager, merchantId, id);
  }

  async payByCard(merchantId: MunicipalityId, id: string, form: { number?: string; expiry?: string; cvc?: string }): Promise<CardPageResult> {
    let outcome: CardPageResult | undefined;
    const payment = await this.changeAndGet(merchantId, id, async (manager, current, now) => {
      this.assertPayable(current, now, (method) => method === 'card');
      if (current.challengePending) throw new SimError('challenge_pending', 409, 'finish the 3-D Secure check first');
      const check = checkCard(form, now);
      if (!check.ok) {
        outcome = { result: 'invalid', problem: check.problem, payment: current };
        return null;
      }
      const card = { cardBrand: check.brand, cardLast4: check.last4 };
      if (check.outcome === 'challenge') {
        outcome = { result: 'challenge', payment: current };
        return { patch: { ...card, challengePending: true, at: now }, event: null };
      }
      if (check.outcome === 'decline') {
        outcome = { result: 'failed', payment: current };
        return { patch: { ...card, status: 'failed', failureCode: 'card_declined', at: now }, event: 'payment.failed' };
      }
      outcome = { result: 'succeeded', payment: current };
      await this.capture(manager, current, { ...card, at: now });
      return null;
    });
    return { ...outcome!, payment };
  }

  async completeChallenge(merchantId: MunicipalityId, id: string, passed: boolean): Promise<SimPayment> {
    return this.changeAndGet(merchantId, id, async (manager, current, now) => {
      this.assertPayable(current, now, (method) => method === 'card');
      if (!current.challengePending) throw new SimError('no_challenge', 409, 'no 3-D Secure check is pending');
      if (!passed) return { patch: { status: 'failed', failureCode: 'authentication_failed', challengePending: false, at: now }, event: 'payment.failed' };
      await this.capture(manager, current, { challengePending: false, at: now });
      return null;
    });
  }

  /** The resident confirmed in their QR payment app. */
  async payByApp(merchantId: MunicipalityId, id: string): Promise<SimPayment> {
    return this.changeAndGet(merchantId, id, async (manager, current, now) => {
      this.assertPayable(current, now, (method) => QR_METHODS.includes(method));
      await this.settle(manager, current, now);
      return null;
    });
  }

  /** A store terminal took the money for a slip number. */
  async payAtKonbini(merchantId: MunicipalityId, paymentNumber: string): Promise<SimPayment> {
    const found = await this.repository.findByKonbiniNumber(this.dataSource.manager, merchantId, paymentNumber);
    if (!found) throw new SimError('unknown_payment_number', 404, 'no slip with this number');
    return this.changeAndGet(merchantId, found.id, async (manager, current, now) => {
      this.assertPayable(current, now, (method) => method === 'konbini');
      if (current.konbiniPaymentNumber !== paymentNumber) throw new SimError('unknown_payment_number', 404, 'the slip was replaced');
      await this.settle(manager, current, now);
      return null;
    });
  }

  /** An ATM or online bank paid with the Pay-easy numbers. */
  async payByPayeasy(merchantId: MunicipalityId, customerNumber: string, confirmationNumber: string): Promise<SimPayment> {
    const found = await this.repository.findByPayeasyNumbers(this.dataSource.manager, merchantId, customerNumber, confirmationNumber);
    if (!found) throw new SimError('unknown_payment_number', 404, 'no payment with these numbers');
    return this.changeAndGet(merchantId, found.id, async (manager, current, now) => {
      this.assertPayable(current, now, (method) => method === 'payeasy');
      await this.settle(manager, current, now);
      return null;
    });
  }

  /** Expires payments whose deadline passed (a slip not paid in time). */
  async expireDue(limit = 50): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const due = await this.repository.lockExpired(manager, now, limit);
      for (const payment of due) {
        const version = await this.repository.update(manager, payment.merchantId, payment.id, { status: 'expired', challengePending: false, at: now }, true);
        await this.emit(manager, payment.merchantId, payment.id, 'payment.expired', version);
      }
      return due.length;
    });
  }

  // Internals

  private assertPayable(payment: SimPayment, now: Date, methodFits: (method: PaymentMethod) => boolean): void {
    if (payment.status !== 'started' || !payment.method) throw new SimError('payment_not_payable', 409, `payment is ${payment.status}`);
    if (!methodFits(payment.method)) throw new SimError('wrong_method', 409, `payment is set up for ${payment.method}`);
    if (payment.expiresAt.getTime() <= now.getTime()) throw new SimError('payment_expired', 410, 'the payment deadline has passed');
  }

  /** Card: authorise, then capture at once (two changes, two webhooks). */
  private async capture(manager: EntityManager, payment: SimPayment, patch: SimPaymentPatch): Promise<void> {
    const authorised = await this.repository.update(manager, payment.merchantId, payment.id, { ...patch, status: 'authorised' }, true);
    await this.emit(manager, payment.merchantId, payment.id, 'payment.authorised', authorised);
    await this.settle(manager, payment, patch.at);
  }

  private async settle(manager: EntityManager, payment: SimPayment, now: Date): Promise<void> {
    const current = await this.repository.find(manager, payment.merchantId, payment.id);
    const amount = current!.amount;
    const version = await this.repository.update(manager, payment.merchantId, payment.id, { status: 'succeeded', capturedAmount: amount, at: now }, true);
    await this.repository.addLedgerEntry(manager, payment.merchantId, { paymentId: payment.id, refundId: null, amount, at: now });
    await this.emit(manager, payment.merchantId, payment.id, 'payment.succeeded', version);
  }

  /**
   * Runs one change under the payment's row lock. The callback returns a patch
   * and the webhook it causes (null: none), or null when nothing changes; an
   * expired deadline is applied first and committed even if the action fails.
   */
  private async change(
    merchantId: MunicipalityId,
    id: string,
    work: (manager: EntityManager, payment: SimPayment, now: Date) => Promise<{ patch: SimPaymentPatch; event: string | null } | null>,
  ): Promise<SimPaymentView> {
    const payment = await this.changeAndGet(merchantId, id, work);
    return this.view(this.dataSource.manager, payment);
  }

  private async changeAndGet(
    merchantId: MunicipalityId,
    id: string,
    work: (manager: EntityManager, payment: SimPayment, now: Date) => Promise<{ patch: SimPaymentPatch; event: string | null } | null>,
  ): Promise<SimPayment> {
    let failure: unknown;
    const payment = await this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      let current = await this.repository.find(manager, merchantId, id, { lock: true });
      if (!current) throw new SimError('not_found', 404, 'no such payment');
      if ((current.status === 'created' || current.status === 'started') && current.expiresAt.getTime() <= now.getTime()) {
        const version = await this.repository.update(manager, merchantId, id, { status: 'expired', challengePending: false, at: now }, true);
        await this.emit(manager, merchantId, id, 'payment.expired', version);
        current = (await this.repository.find(manager, merchantId, id))!;
      }
      try {
        const change = await work(manager, current, now);
        if (change) {
          const version = await this.repository.update(manager, merchantId, id, change.patch, change.event !== null);
          if (change.event) await this.emit(manager, merchantId, id, change.event, version);
        }
      } catch (error) {
        // Keep what happened before the action (an expiry); report after commit.
        if (!(error instanceof SimError)) throw error;
        failure = error;
      }
      return (await this.repository.find(manager, merchantId, id))!;
    });
    if (failure) throw failure;
    return payment;
  }

  /** Queues the webhook for a change, carrying the payment as of that version. */
  private async emit(manager: EntityManager, merchantId: MunicipalityId, paymentId: string, type: string, version: number): Promise<void> {
    const payment = (await this.repository.find(manager, merchantId, paymentId))!;
    const object = await this.view(manager, payment);
    if (object.version !== version) throw new Error(`simulated provider: expected version ${version}, found ${object.version}`);
    const now = this.clock.now();
    const event: SimWebhookEvent = { id: `evt_${randomBytes(12).toString('hex')}`, type, created: Math.floor(now.getTime() / 1000), data: { object } };
    const body = JSON.stringify(event);
    const copies = this.faults.duplicate ? 2 : 1;
    for (let copy = 0; copy < copies; copy += 1) {
      await this.repository.enqueueDelivery(manager, merchantId, { eventId: event.id, eventType: type, paymentId, body, at: now });
    }
  }

  private async view(manager: EntityManager, payment: SimPayment): Promise<SimPaymentView> {
    const refunds = await this.repository.refunds(manager, payment.merchantId, payment.id);
    const deadline = payment.expiresAt.toISOString();
    const instructions = payment.instructions;
    return {
      id: payment.id,
      object: 'payment',
      status: payment.status,
      version: payment.version,
      amount: payment.amount,
      currency: 'JPY',
      captured_amount: payment.capturedAmount,
      refunded_amount: payment.refundedAmount,
      method: payment.method,
      order_reference: payment.orderReference,
      metadata: payment.metadata,
      next_action: payment.status === 'started' && payment.method ? { type: 'redirect', url: this.hostedPageUrl(payment.merchantId, payment.id) } : null,
      konbini: payment.method === 'konbini' && payment.konbiniPaymentNumber ? { payment_number: payment.konbiniPaymentNumber, deadline } : null,
      payeasy:
        payment.method === 'payeasy' && instructions
          ? {
              collector_number: instructions.collectorNumber,
              customer_number: instructions.customerNumber,
              confirmation_number: instructions.confirmationNumber,
              deadline,
            }
          : null,
      card: payment.cardLast4 && payment.cardBrand ? { brand: payment.cardBrand, last4: payment.cardLast4 } : null,
      failure_code: payment.failureCode,
      refunds: refunds.map((refund) => ({ id: refund.id, amount: refund.amount, status: refund.status, reference: refund.idempotencyKey, created: refund.createdAt.toISOString() })),
      expires_at: deadline,
      created: payment.createdAt.toISOString(),
      updated: payment.updatedAt.toISOString(),
    };
  }
}

