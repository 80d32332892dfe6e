import { Injectable, Logger } from '@nestjs/common';
import { ApplicationWorkflowService } from '@madoguchi/engine';
import { Clock, type MunicipalityId, OutboxRepository, AUDIT_RECORD_TOPIC, declareOutboxTopic } from '@madoguchi/kernel';
import { WorkflowError, WorkflowErrorCode } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { COUNTER_PROVIDER, decidePaymentTransition, decideRefundTransition, isOpenPayment, refundable } from './domain/payment-status';
import { PaymentError } from './payment.errors';
import {
  type PaymentEventSource,
  type PaymentEventWrite,
  type PaymentPatch,
  type PaymentRecord,
  PaymentRepository,
  type RefundRecord,
  type WebhookReceipt,
} from './payment.repository';
import type { ProviderPayment, ProviderRefund } from './provider/payment-provider';

export const REFUND_TOPIC = declareOutboxTopic('payment.refund');

export interface NewsOrigin {
  source: PaymentEventSource;
  providerEventId?: string | null;
  /**
   * The webhook that brought the news: its receipt, with the outcome, is
   * recorded in the statement that changes the payment, if one does.
   */
  receipt?: Omit<WebhookReceipt, 'outcome'>;
}

export type ApplyOutcome = 'advanced' | 'same' | 'stale' | 'refused';

export interface Applied {
  outcome: ApplyOutcome;
  /**
   * With a receipt on the origin: whether the change recorded it (false: the
   * event was received before). Null when nothing changed the payment to
   * carry it; the caller records it.
   */
  receipted: boolean | null;
}

export interface RefundRequest {
  amount: number;
  reason: string;
  /** Automatic refunds name their cause: at most one refund per payment and cause. */
  cause: string | null;
  actor: RefundRecord['requestedBy'];
  source: PaymentEventSource;
}

/** News about another provider payment than the one `payment` is: a bug, never applied. */
function belongs(payment: PaymentRecord, news: ProviderPayment): void {
  if (payment.providerPaymentId && payment.providerPaymentId !== news.id) {
    throw new Error(`provider payment ${news.id} does not belong to payment ${payment.id}`);
  }
}

/**
 * Turns news from the provider into our records, inside the caller's
 * transaction and under the payment's row lock (news that only moves an
 * open payment along may instead be one compare-and-set statement, see
 * applyUnlocked):
 *
 * - the payment moves only forward (by the provider's version and the
 *   transition table), and each status change is one payment_events row;
 * - the change that makes a payment `succeeded` moves the application with
 *   `payment.succeeded` in the same transaction, so a payment is applied to
 *   its application exactly once;
 * - money that the application did not take (it expired, was withdrawn or
 *   was paid by another attempt meanwhile, or the provider captured another
 *   amount) is refunded automatically: never held without a reason.
 */
@Injectable()
export class PaymentSettlementService {
  private readonly logger = new Logger('Payments');

  constructor(
    private readonly payments: PaymentRepository,
    private readonly workflow: ApplicationWorkflowService,
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
  ) {}

  /** `payment` must be locked by the caller (PaymentRepository.find with lock). */
  async apply(manager: EntityManager, payment: PaymentRecord, news: ProviderPayment, origin: NewsOrigin): Promise<Applied> {
    belongs(payment, news);
    let applied: Applied = { outcome: 'stale', receipted: null };
    if (news.version > payment.providerVersion) {
      const decision = decidePaymentTransition(payment.status, news.status);
      if (decision === 'refuse') {
        // The provider contradicts a final state we hold; keep ours, say so.
        this.logger.warn({ msg: 'provider news refused', paymentId: payment.id, ours: payment.status, theirs: news.status, version: news.version });
        applied = { outcome: 'refused', receipted: null };
      } else {
        // Under the lock the payment is as read: the change is written.
        applied = (await this.write(manager, payment, news, decision, origin))!;
        if (decision === 'advance' && payment.status === 'succeeded') await this.settleApplication(manager, payment, origin);
      }
    }
    for (const refund of news.refunds) await this.applyRefund(manager, payment, refund, origin);
    return applied;
  }

  /**
   * Applies news without the payment's row lock when `apply` would only
   * change the payment (one statement): the payment is open, the news is
   * newer than `payment` as the caller read it, a move the transition table
   * allows from there, not `succeeded` (that moves the application) and
   * without refunds. The change is a compare-and-set: written only if the
   * payment still has the provider version and status read, which fix every
   * other field the change reads: the provider's fields change only with
   * the version, and an open payment has nothing captured or refunded. An
   * open payment gets events only with a status change, so none was
   * appended since either, and the event's seq is right without the lock.
   *
   * Null when the news needs the lock or the payment changed meanwhile:
   * then nothing was written, and the caller applies it with `apply`.
   */
  async applyUnlocked(manager: EntityManager, payment: PaymentRecord, news: ProviderPayment, origin: NewsOrigin): Promise<Applied | null> {
    belongs(payment, news);
    if (!isOpenPayment(payment.status) || news.status === 'succeeded' || news.refunds.length > 0 || news.version <= payment.providerVersion) return null;
    const decision = decidePaymentTransition(payment.status, news.status);
    if (decision === 'refuse') return null;
    return this.write(manager, payment, news, decision, origin, { providerVersion: payment.providerVersion, status: payment.status });
  }

  /**
   * Writes newer news onto `payment` (with its event when it advances, and
   * the origin's receipt), and updates `payment` to match. With `expected`,
   * only if the payment still has that version and status; null if not.
   */
  private async write(
    manager: EntityManager,
    payment: PaymentRecord,
    news: ProviderPayment,
    decision: 'advance' | 'same',
    origin: NewsOrigin,
    expected?: Pick<PaymentRecord, 'providerVersion' | 'status'>,
  ): Promise<Applied | null> {
    const now = this.clock.now();
    const patch: PaymentPatch = {
      providerPaymentId: payment.providerPaymentId ? undefined : news.id,
      providerVersion: news.version,
      method: news.method ?? payment.method,
      redirectUrl: news.redirectUrl,
      konbini: news.konbini,
      instructions: news.payeasy ? { ...news.payeasy } : null,
      failureCode: news.failureCode,
      at: now,
    };
    if (decision === 'advance') {
      patch.status = news.status;
      if (news.status === 'succeeded') patch.capturedAmount = news.capturedAmount;
    }
    const from = payment.status;
    const status = patch.status ?? payment.status;
    const capturedAmount = patch.capturedAmount ?? payment.capturedAmount;
    const outcome = decision === 'advance' ? 'advanced' : 'same';
    // An advance is recorded as an event, in the same statement as the change.
    const event: PaymentEventWrite | undefined =
      decision === 'advance'
        ? {
            fromStatus: from,
            toStatus: status,
            amount: status === 'succeeded' ? capturedAmount : payment.amount,
            method: patch.method ?? null,
            providerEventId: origin.providerEventId,
            source: origin.source,
            at: now,
          }
        : undefined;
    const receipt = origin.receipt && { ...origin.receipt, outcome };
    const { changed, receipted } = await this.payments.update(manager, payment.municipalityId, payment.id, patch, { event, receipt, expected });
    if (!changed) return null;
    Object.assign(payment, {
      status,
      providerPaymentId: payment.providerPaymentId ?? news.id,
      providerVersion: news.version,
      method: patch.method,
      redirectUrl: news.redirectUrl,
      konbini: news.konbini,
      instructions: patch.instructions,
      capturedAmount,
      failureCode: news.failureCode,
      updatedAt: now,
    });
    return { outcome, receipted: receipt ? receipted : null };
  }

  /**
   * Reserves a refund on a locked, captured payment: the refund row, the
   * reserved amount (a CHECK keeps it within the capture), its event, and the
   * outbox message that asks the provider. Idempotent per cause.
   *
   * Money taken at the counter was never the provider's: its refund waits
   * as `payableAtCounter` for staff to hand it back at the desk, and no
   * message asks a provider for it.
   */
  async requestRefund(manager: EntityManager, payment: PaymentRecord, request: RefundRequest): Promise<RefundRecord> {
    if (request.cause) {
      const existing = await this.payments.findRefundByCause(manager, payment.municipalityId, payment.id, request.cause);
      if (existing) return existing;
    }
    if (payment.status !== 'succeeded') throw PaymentError.notCaptured(payment.id, payment.status);
    const remaining = refundable(payment);
    if (!Number.isInteger(request.amount) || request.amount <= 0 || request.amount > remaining) {
      throw PaymentError.refundExceedsRemaining(request.amount, remaining);
    }
    const now = this.clock.now();
    const atCounter = payment.provider === COUNTER_PROVIDER;
    const refund: RefundRecord = {
      municipalityId: payment.municipalityId,
      id: randomUUID(),
      paymentId: payment.id,
      amount: request.amount,
      status: atCounter ? 'payableAtCounter' : 'requested',
      reason: request.reason,
      cause: request.cause,
      requestedBy: request.actor,
      providerRefundId: null,
      failureCode: null,
      paidOutBy: null,
      paidOutAt: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.payments.insertRefund(manager, payment.municipalityId, refund);
    await this.payments.update(manager, payment.municipalityId, payment.id, { refundedDelta: request.amount, at: now });
    payment.refundedAmount += request.amount;
    await this.payments.appendEvent(manager, payment.municipalityId, payment.id, {
      refundId: refund.id,
      fromStatus: null,
      toStatus: refund.status,
      amount: refund.amount,
      method: payment.method,
      source: request.source,
      at: now,
    });
    if (!atCounter) {
      await this.outbox.enqueue(manager, payment.municipalityId, {
        topic: REFUND_TOPIC,
        applicationId: payment.applicationId,
        availableAt: now,
        payload: { paymentId: payment.id, refundId: refund.id },
      });
    }
    await this.outbox.enqueue(manager, payment.municipalityId, {
      topic: AUDIT_RECORD_TOPIC,
      applicationId: payment.applicationId,
      availableAt: now,
      payload: {
        actor: { kind: request.actor.kind === 'staff' ? 'staff' : 'system', id: request.actor.id },
        action: 'payment.refund.requested',
        target: { type: 'payment', id: payment.id },
        details: { refundId: refund.id, amount: refund.amount, cause: refund.cause, status: refund.status },
      },
    });
    return refund;
  }

  /** A refund the provider refused for good: the reserved amount is released. */
  async failRefund(manager: EntityManager, payment: PaymentRecord, refund: RefundRecord, failureCode: string, origin: NewsOrigin): Promise<void> {
    if (decideRefundTransition(refund.status, 'failed') !== 'advance') return;
    const now = this.clock.now();
    await this.payments.updateRefund(manager, payment.municipalityId, refund.id, { status: 'failed', failureCode, at: now });
    await this.payments.update(manager, payment.municipalityId, payment.id, { refundedDelta: -refund.amount, at: now });
    payment.refundedAmount -= refund.amount;
    await this.payments.appendEvent(manager, payment.municipalityId, payment.id, {
      refundId: refund.id,
      fromStatus: refund.status,
      toStatus: 'failed',
      amount: refund.amount,
      method: payment.method,
      providerEventId: origin.providerEventId,
      source: origin.source,
      at: now,
    });
    this.logger.error({ msg: 'refund refused by the provider', paymentId: payment.id, refundId: refund.id, failureCode });
  }

  private async applyRefund(manager: EntityManager, payment: PaymentRecord, news: ProviderRefund, origin: NewsOrigin): Promise<void> {
    const municipalityId = payment.municipalityId as MunicipalityId;
    let refund = news.reference ? await this.payments.findRefund(manager, municipalityId, news.reference) : null;
    refund ??= await this.payments.findRefundByProviderId(manager, municipalityId, news.id);
    if (refund && refund.paymentId !== payment.id) {
      this.logger.warn({ msg: 'provider refund names another payment', paymentId: payment.id, refundId: refund.id });
      return;
    }
    const now = this.clock.now();
    if (!refund) {
      // Made at the provider (its dashboard, say): record it, or the money goes unaccounted.
      if (news.status !== 'succeeded') return;
      const id = randomUUID();
      await this.payments.insertRefund(manager, municipalityId, {
        id,
        paymentId: payment.id,
        amount: news.amount,
        status: 'succeeded',
        reason: 'Refunded at the provider',
        cause: `provider:${news.id}`,
        requestedBy: { kind: 'provider', id: payment.provider },
        providerRefundId: news.id,
        failureCode: null,
        createdAt: now,
      });
      await this.payments.update(manager, municipalityId, payment.id, { refundedDelta: news.amount, at: now });
      payment.refundedAmount += news.amount;
      await this.payments.appendEvent(manager, municipalityId, payment.id, {
        refundId: id,
        fromStatus: null,
        toStatus: 'succeeded',
        amount: news.amount,
        method: payment.method,
        providerEventId: origin.providerEventId,
        source: origin.source,
        at: now,
      });
      return;
    }
    if (news.status === 'failed') {
      await this.failRefund(manager, payment, refund, 'provider_failed', origin);
      return;
    }
    if (decideRefundTransition(refund.status, news.status) !== 'advance') return;
    await this.payments.updateRefund(manager, municipalityId, refund.id, { status: news.status, providerRefundId: news.id, at: now });
    await this.payments.appendEvent(manager, municipalityId, payment.id, {
      refundId: refund.id,
      fromStatus: refund.status,
      toStatus: news.status,
      amount: refund.amount,
      method: payment.method,
      providerEventId: origin.providerEventId,
      source: origin.source,
      at: now,
    });
  }

  private async settleApplication(manager: EntityManager, payment: PaymentRecord, origin: NewsOrigin): Promise<void> {
    const system = { kind: 'system' as const, id: 'payments' };
    if (payment.capturedAmount !== payment.amount) {
      this.logger.error({ msg: 'captured amount differs from the fee', paymentId: payment.id, amount: payment.amount, captured: payment.capturedAmount });
      if (refundable(payment) === 0) return;
      await this.requestRefund(manager, payment, {
        amount: refundable(payment),
        reason: `The provider captured ${payment.capturedAmount} yen for a fee of ${payment.amount} yen`,
        cause: 'amount.mismatch',
        actor: system,
        source: origin.source,
      });
      return;
    }
    try {
      await this.workflow.transition(
        payment.municipalityId,
        payment.applicationId,
        {
          type: 'payment.succeeded',
          payload: { paymentId: payment.id, amount: payment.capturedAmount, method: payment.method },
          actor: { kind: 'provider', id: payment.provider },
        },
        manager,
      );
    } catch (error) {
      // The application no longer takes a payment (it expired, was withdrawn,
      // or another attempt paid it): it keeps its state, the money goes back.
      // The engine refuses such an event on the row it locked, before it writes
      // anything, so no savepoint is needed. Without an expected revision, a
      // revision conflict can only come after its write: that rolls back all.
      if (!(error instanceof WorkflowError) || error.code === WorkflowErrorCode.RevisionConflict) throw error;
      this.logger.warn({ msg: 'payment arrived for an application that no longer takes it; refunding', paymentId: payment.id, code: error.code });
      if (refundable(payment) === 0) return;
      await this.requestRefund(manager, payment, {
        amount: refundable(payment),
        reason: `Paid after the application left awaitingPayment (${String(error.details?.state ?? 'unknown state')})`,
        cause: 'application.closed',
        actor: system,
        source: origin.source,
      });
    }
  }
}
