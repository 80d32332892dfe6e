import { CaseAccess, type ApplicationEntity, ApplicationWorkflowService, IdempotencyService } from '@madoguchi/engine';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import { type StaffPrincipal, staffReach } from '@madoguchi/identity';
import { Clock, fiscalYearOf, isoDateIn, type MunicipalityId, OutboxRepository, AUDIT_RECORD_TOPIC } from '@madoguchi/kernel';
import { ProcedureRegistry } from '@madoguchi/procedures';
import { WorkflowError, WorkflowErrorCode } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { COUNTER_PROVIDER, type CounterPaymentMethod } from '../domain/payment-status';
import { PAYMENT_ACCESS } from '../payment-access';
import { PaymentError } from '../payment.errors';
import { type CounterPayoutWaiting, type CounterReceiptRecord, type PaymentRecord, PaymentRepository } from '../payment.repository';
import type { PaymentDto } from '../dto/payment.dto';
import { toPaymentDto } from '../payment.mapper';
import { feeAmount, PaymentsService } from '../payments.service';
import { PAYMENT_PROVIDER, type PaymentProvider, ProviderError } from '../provider/payment-provider';
import { receiptNumber, toCounterPaymentDto, toCounterRefundDto } from './counter-payment.mapper';
import type { CounterPaymentDto, CounterPaymentInputDto, CounterRefundDto } from './dto/counter-payment.dto';

/** One payment attempt of a case as the office shows it. */
export interface CasePaymentEntry {
  payment: PaymentDto;
  /** With who handed a desk refund back, and when. */
  refunds: CounterRefundDto[];
  receipt: CounterReceiptRecord | null;
}

/** Who takes and hands back money at the desk: as for assisted entry (COUNTER_ENTRY_ROLES). */
export const COUNTER_PAYMENT_ROLES = PAYMENT_ACCESS.counterRecord.roles;

/** The change (おつり) to hand back; 422 when cash falls short or a terminal's amount is not the fee. */
export function changeFor(method: CounterPaymentMethod, due: number, received: number): number {
  if (received < due) throw PaymentError.counterAmountInsufficient(due, received);
  if (method !== 'cash' && received !== due) throw PaymentError.counterAmountMismatch(method, due, received);
  return received - due;
}

/**
 * Fees taken at the counter (窓口収納): a walk-in resident pays the fee of an
 * application waiting in `awaitingPayment` in cash or on the desk's card or
 * QR terminal, and staff record it. The payment (provider `counter`, born
 * captured), its event, the receipt with its number and the application's
 * `payment.succeeded` are one transaction under the application's row lock,
 * so two desks recording at once make one payment and the other gets 409.
 *
 * An online attempt of the same application must not capture too:
 * - `created` (no method chosen): nobody can pay it without asking us to
 *   start it, so it is cancelled in the same transaction (and at the
 *   provider first, when it is registered there and answers);
 * - `started` (the resident holds a page, a slip or Pay-easy numbers): it is
 *   cancelled at the provider first, and the provider's answer decides: if
 *   it says the money was taken meanwhile, the online payment wins and the
 *   desk gets 409 PAYMENT_ALREADY_PAID; if the provider cannot be reached,
 *   503 and nothing is taken;
 * - `authorised` (the provider is taking the money right now): 409
 *   PAYMENT_ONLINE_PAYMENT_OPEN naming it.
 * A capture the provider reports later anyway finds the application moved
 * on and is refunded automatically (PaymentSettlementService).
 *
 * Refunds of counter payments are handed back at the desk: they wait as
 * `payableAtCounter` (never sent to a provider) until staff record the
 * payout here.
 */
@Injectable()
export class CounterPaymentsService {
  private readonly logger = new Logger('Payments');

  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: PaymentRepository,
    private readonly service: PaymentsService,
    private readonly access: CaseAccess,
    private readonly workflow: ApplicationWorkflowService,
    private readonly registry: ProcedureRegistry,
    private readonly idempotency: IdempotencyService,
    private readonly outbox: OutboxRepository,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
  ) {}

  /** Records a fee taken at the desk; answers the receipt and the change. */
  async record(staff: StaffPrincipal, applicationId: string, input: CounterPaymentInputDto, idempotencyKey?: string): Promise<CounterPaymentDto> {
    // The role (403), then the owning department in the caller's municipality (404), as for every staff case.
    staffReach(staff, PAYMENT_ACCESS.counterRecord);
    const application = await this.access.staffCase(staff, applicationId, COUNTER_PAYMENT_ROLES);
    const municipalityId = staff.municipalityId;
    const request = { op: 'payment.counter', applicationId, method: input.method, amountReceived: input.amountReceived, revision: input.revision ?? null };
    return this.idempotency.run(municipalityId, staff.id, idempotencyKey, request, async () => {
      if (application.state !== 'awaitingPayment') throw await this.notTakingPayment(application);
      const due = feeAmount(application);
      if (due === null) throw PaymentError.noFeeDue();
      const change = changeFor(input.method, due, input.amountReceived);
      // The fee read above holds only at this revision: the transition checks it under the lock.
      const revision = input.revision ?? application.revision;
      if (revision !== application.revision) throw WorkflowError.revisionConflict(revision, application.revision);
      await this.endOnlineAttemptAtProvider(municipalityId, application.id);
      try {
        return await this.dataSource.transaction((manager) =>
          this.take(manager, staff, application, { method: input.method, amountReceived: input.amountReceived, due, change, revision }),
        );
      } catch (error) {
        // Another desk (or the provider) was first: say so rather than "changed meanwhile".
        if (error instanceof WorkflowError && (error.code === WorkflowErrorCode.EventNotAllowed || error.code === WorkflowErrorCode.RevisionConflict)) {
          const paid = await this.succeededPayment(municipalityId, application.id);
          if (paid) throw PaymentError.alreadyPaid(paid.id);
          if (error.code === WorkflowErrorCode.EventNotAllowed) throw PaymentError.notDue(String(error.details?.state ?? 'unknown'));
        }
        throw error;
      }
    });
  }

  /** The refunds of counter payments waiting at the desk, of the caller's departments (会計課: all). */
  async payoutsWaiting(staff: StaffPrincipal): Promise<CounterPayoutWaiting[]> {
    return this.payments.counterPayoutsWaiting(staff.municipalityId, staffReach(staff, PAYMENT_ACCESS.counterPayout));
  }

  /**
   * The case page's fee and payments: every attempt of a case of the
   * caller's departments (role 403, department 404 as for the case), its
   * refunds and, taken at the desk, its receipt (領収番号).
   */
  async caseLedger(staff: StaffPrincipal, applicationId: string): Promise<CasePaymentEntry[]> {
    await this.access.staffCase(staff, applicationId);
    const manager = this.payments.manager;
    const payments = await this.payments.listForApplication(manager, staff.municipalityId, applicationId);
    const refunds = await this.payments.refundsOf(manager, staff.municipalityId, payments.map((payment) => payment.id));
    return Promise.all(
      payments.map(async (payment) => ({
        payment: toPaymentDto(
          payment,
          refunds.filter((refund) => refund.paymentId === payment.id),
        ),
        refunds: refunds.filter((refund) => refund.paymentId === payment.id).map(toCounterRefundDto),
        receipt: payment.provider === COUNTER_PROVIDER ? await this.payments.counterReceipt(manager, staff.municipalityId, payment.id) : null,
      })),
    );
  }

  /** Staff hand back at the desk a refund of a counter payment (after withdrawal, rejection or a manager's refund). */
  async payOutRefund(staff: StaffPrincipal, paymentId: string, refundId: string, idempotencyKey?: string): Promise<CounterRefundDto> {
    const reach = staffReach(staff, PAYMENT_ACCESS.counterPayout);
    const municipalityId = staff.municipalityId;
    // Another department's payment is "not found" (its application id stays hidden); 会計課 reaches all.
    const payment = await this.payments.findInReach(this.payments.manager, municipalityId, paymentId, reach);
    if (!payment) throw PaymentError.notFound(paymentId);
    return this.idempotency.run(municipalityId, staff.id, idempotencyKey, { op: 'refund.payout', paymentId, refundId }, async () => {
      const refund = await this.dataSource.transaction(async (manager) => {
        // The payment's row lock orders this against any other change of its refunds.
        const locked = (await this.payments.find(manager, municipalityId, paymentId, { lock: true }))!;
        const current = await this.payments.findRefund(manager, municipalityId, refundId);
        if (!current || current.paymentId !== locked.id) throw PaymentError.refundNotFound(refundId);
        if (current.paidOutBy && current.paidOutAt) throw PaymentError.refundAlreadyPaidOut(current.id, current.paidOutBy, current.paidOutAt);
        const at = this.clock.now();
        if (current.status !== 'payableAtCounter' || !(await this.payments.markRefundPaidOut(manager, municipalityId, current.id, { staffId: staff.id, at }))) {
          throw PaymentError.refundNotAtCounter(current.id, current.status);
        }
        await this.payments.appendEvent(manager, municipalityId, locked.id, {
          refundId: current.id,
          fromStatus: current.status,
          toStatus: 'succeeded',
          amount: current.amount,
          method: locked.method,
          source: 'staff',
          at,
        });
        await this.outbox.enqueue(manager, municipalityId, {
          topic: AUDIT_RECORD_TOPIC,
          applicationId: locked.applicationId,
          availableAt: at,
          payload: {
            actor: { kind: 'staff', id: staff.id },
            action: 'payment.refund.paidOut',
            target: { type: 'payment', id: locked.id },
            details: { refundId: current.id, amount: current.amount },
          },
        });
        return (await this.payments.findRefund(manager, municipalityId, current.id))!;
      });
      return toCounterRefundDto(refund);
    });
  }

  // Internals

  private async take(
    manager: EntityManager,
    staff: StaffPrincipal,
    application: ApplicationEntity,
    taken: { method: CounterPaymentMethod; amountReceived: number; due: number; change: number; revision: number },
  ): Promise<CounterPaymentDto> {
    const municipalityId = staff.municipalityId;
    const now = this.clock.now();
    // Payment row before application row, the order PaymentSettlementService locks them in.
    const open = await this.payments.findOpen(manager, municipalityId, application.id, { lock: true });
    if (open && open.status !== 'created') throw PaymentError.onlinePaymentOpen(open.id, open.status, open.method);
    if (open) {
      await this.payments.update(manager, municipalityId, open.id, { status: 'cancelled', failureCode: 'paid_at_counter', at: now });
      await this.payments.appendEvent(manager, municipalityId, open.id, { fromStatus: open.status, toStatus: 'cancelled', amount: open.amount, method: open.method, source: 'staff', at: now });
    }

    const paymentId = randomUUID();
    const moved = await this.workflow.transition(
      municipalityId,
      application.id,
      {
        type: 'payment.succeeded',
        payload: { paymentId, amount: taken.due, method: taken.method },
        actor: { kind: 'staff', id: staff.id },
        expectedRevision: taken.revision,
      },
      manager,
    );

    const compiled = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
    const attempts = await this.payments.listForApplication(manager, municipalityId, application.id);
    const lastAttempt = Math.max(0, ...attempts.filter((payment) => payment.applicationRevision === application.revision).map((payment) => payment.attempt));
    const payment: Omit<PaymentRecord, 'municipalityId'> = {
      id: paymentId,
      applicationId: application.id,
      applicationRevision: application.revision,
      attempt: lastAttempt + 1,
      procedureCode: application.procedureCode,
      referenceNumber: application.referenceNumber ?? '',
      revenueAccountCode: compiled.definition.fee.revenueAccountCode ?? '',
      amount: taken.due,
      method: taken.method,
      status: 'succeeded',
      provider: COUNTER_PROVIDER,
      providerPaymentId: null,
      providerVersion: 0,
      redirectUrl: null,
      konbini: null,
      instructions: null,
      capturedAmount: taken.due,
      refundedAmount: 0,
      failureCode: null,
      expiresAt: null,
      createdAt: now,
      updatedAt: now,
    };
    // `payment.request` may be inserting the first online attempt of this revision right now (it takes no
    // application lock): its number is then taken, so take the next.
    let inserted = false;
    for (let round = 0; round < 3 && !inserted; round += 1) {
      inserted = await this.payments.insert(manager, municipalityId, { ...payment, attempt: payment.attempt + round });
    }
    if (!inserted) throw PaymentError.inProgress(application.id);
    await this.payments.appendEvent(manager, municipalityId, paymentId, { fromStatus: null, toStatus: 'succeeded', amount: taken.due, method: taken.method, source: 'staff', at: now });

    const settings = this.directory.get(municipalityId);
    if (!settings) throw new Error(`no settings for municipality ${municipalityId}`);
    const { fiscalYear } = fiscalYearOf(isoDateIn(now, settings.timeZone), settings.fiscalYearStartMonth);
    const seq = await this.payments.nextReceiptSequence(manager, municipalityId, fiscalYear);
    const receipt: CounterReceiptRecord = {
      paymentId,
      fiscalYear,
      receiptSeq: seq,
      receiptNumber: receiptNumber(fiscalYear, seq),
      method: taken.method,
      amountDue: taken.due,
      amountReceived: taken.amountReceived,
      changeGiven: taken.change,
      receivedBy: staff.id,
      receivedAt: now,
    };
    await this.payments.insertCounterReceipt(manager, municipalityId, receipt);
    // Ids and amounts only: the audit log is kept for years and cannot be corrected.
    await this.outbox.enqueue(manager, municipalityId, {
      topic: AUDIT_RECORD_TOPIC,
      applicationId: application.id,
      availableAt: now,
      payload: {
        actor: { kind: 'staff', id: staff.id },
        action: 'payment.counter.received',
        target: { type: 'payment', id: paymentId },
        details: {
          applicationId: application.id,
          receiptNumber: receipt.receiptNumber,
          method: taken.method,
          amount: taken.due,
          amountReceived: taken.amountReceived,
          change: taken.change,
        },
      },
    });
    return toCounterPaymentDto(receipt, application.id, { state: moved.to, revision: moved.revision });
  }

  /**
   * Ends an online attempt at the provider before the desk takes the money
   * (see the class comment). The recording transaction checks again under
   * the row lock: whatever happens meanwhile is refused there.
   */
  private async endOnlineAttemptAtProvider(municipalityId: MunicipalityId, applicationId: string): Promise<void> {
    const open = await this.payments.findOpen(this.payments.manager, municipalityId, applicationId);
    if (!open?.providerPaymentId) return;
    if (open.status === 'authorised') throw PaymentError.onlinePaymentOpen(open.id, open.status, open.method);
    try {
      await this.service.sync(municipalityId, open.id, (providerPaymentId) => this.provider.cancelPayment(municipalityId, providerPaymentId), { source: 'provider-api' });
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      this.logger.warn({ msg: 'cancelling an online payment for a counter payment failed', paymentId: open.id, code: error.code, retryable: error.retryable });
      // Nobody can pay a `created` attempt without us: it ends in the recording transaction anyway.
      if (open.status === 'created') return;
      if (error.retryable) throw PaymentError.providerUnavailable();
      throw PaymentError.providerRefused(error.code);
    }
  }

  private async notTakingPayment(application: ApplicationEntity): Promise<PaymentError> {
    const paid = await this.succeededPayment(application.municipalityId as MunicipalityId, application.id);
    return paid ? PaymentError.alreadyPaid(paid.id) : PaymentError.notDue(application.state);
  }

  private async succeededPayment(municipalityId: MunicipalityId, applicationId: string): Promise<PaymentRecord | null> {
    const attempts = await this.payments.listForApplication(this.payments.manager, municipalityId, applicationId);
    return attempts.find((payment) => payment.status === 'succeeded' && payment.capturedAmount === payment.amount) ?? null;
  }
}
