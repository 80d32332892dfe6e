import { CaseAccess, type ApplicationEntity, ApplicationError } from '@madoguchi/engine';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ResidentPrincipal } from '@madoguchi/identity';
import { Clock, type MunicipalityId } from '@madoguchi/kernel';
import { ProcedureRegistry } from '@madoguchi/procedures';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { isOpenPayment, type PaymentMethod, type RecordedPaymentMethod, refundable } from './domain/payment-status';
import type { PaymentDto } from './dto/payment.dto';
import { PaymentError, PaymentErrorCode } from './payment.errors';
import { toPaymentDto } from './payment.mapper';
import { type PaymentRecord, PaymentRepository, type RefundRecord } from './payment.repository';
import { PAYMENT_SETTINGS, type PaymentSettings } from './payment-settings';
import { type ApplyOutcome, type NewsOrigin, PaymentSettlementService } from './payment-settlement.service';
import { type CreateProviderPayment, PAYMENT_PROVIDER, type PaymentProvider, ProviderError, type ProviderPayment } from './provider/payment-provider';

const DEFAULT_PAYMENT_DEADLINE_HOURS = 72;
/**
 * Methods paid on the provider's hosted page in one sitting. A slip
 * (konbini, Pay-easy) is not: its numbers may already be written down, so
 * choosing it again keeps it.
 */
const HOSTED_PAGE_METHODS: readonly RecordedPaymentMethod[] = ['card', 'paypay', 'dpay', 'aupay', 'rakutenpay'];
const SYSTEM = { kind: 'system' as const, id: 'payments' };

/**
 * Payments of applications: creating them at the provider when an
 * application starts waiting for its fee, starting them with the method the
 * resident chose, and closing them when the application ends (cancel what is
 * open, refund what was paid when the procedure's rule says so).
 *
 * Provider calls happen outside database transactions; their answers are
 * applied afterwards under the payment's row lock, like webhooks, or as one
 * compare-and-set statement when they only move an open payment along.
 */
@Injectable()
export class PaymentsService {
  private readonly logger = new Logger('Payments');

  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: PaymentRepository,
    private readonly settlement: PaymentSettlementService,
    private readonly applications: CaseAccess,
    private readonly registry: ProcedureRegistry,
    private readonly clock: Clock,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(PAYMENT_SETTINGS) private readonly settings: PaymentSettings,
  ) {}

  // Residents

  /** Starts paying with `method`: answers where to go, or the numbers to pay with. */
  async startForResident(resident: ResidentPrincipal, applicationId: string, method: PaymentMethod): Promise<PaymentDto> {
    const { application, enteredAt } = await this.applications.getEntered(resident.municipalityId, applicationId);
    // Someone else's application is "not found": its existence is not confirmed.
    if (application.applicantId !== resident.id) throw ApplicationError.notFound(applicationId);
    if (application.state !== 'awaitingPayment') throw PaymentError.notDue(application.state);
    let payment = await this.started(application, method, enteredAt);
    if (!payment) {
      // The provider refused to start the attempt we had: it ended meanwhile (failed, expired,
      // cancelled). One more attempt, and no more.
      payment = await this.started(application, method, enteredAt);
      if (!payment) throw PaymentError.providerUnavailable();
    }
    return this.dto(payment);
  }

  async listForResident(resident: ResidentPrincipal, applicationId: string): Promise<PaymentDto[]> {
    const application = await this.ownedBy(resident, applicationId);
    const payments = await this.payments.listForApplication(this.payments.manager, application.municipalityId as MunicipalityId, application.id);
    const refunds = await this.payments.refundsOf(this.payments.manager, application.municipalityId as MunicipalityId, payments.map((payment) => payment.id));
    return payments.map((payment) => toPaymentDto(payment, refunds));
  }

  // Outbox handlers

  /** `payment.request`: the application entered awaitingPayment at `revision`. Idempotent per application and revision. */
  async prepare(municipalityId: MunicipalityId, applicationId: string, revision: number): Promise<void> {
    const application = await this.applications.get(municipalityId, applicationId);
    if (application.state !== 'awaitingPayment' || application.revision !== revision) return;
    const payment = await this.ensurePayment(application, 'initial');
    if (payment) await this.register(payment);
  }

  /**
   * `application.withdrawn` / `.rejected` / `.expired`: cancels open
   * payments at the provider, then (withdrawn, rejected) refunds in full
   * what was captured, unless the procedure's fee rule keeps the fee for
   * that outcome (`fee.refunds`).
   */
  async closeApplication(municipalityId: MunicipalityId, applicationId: string, outcome: 'withdrawn' | 'rejected' | 'expired'): Promise<void> {
    for (const payment of await this.payments.listForApplication(this.payments.manager, municipalityId, applicationId)) {
      if (!isOpenPayment(payment.status)) continue;
      const registered = await this.register(payment);
      if (registered.providerPaymentId && isOpenPayment(registered.status)) {
        await this.sync(municipalityId, registered.id, (id) => this.provider.cancelPayment(municipalityId, id), { source: 'provider-api' });
      }
    }
    if (outcome === 'expired') return;
    const application = await this.applications.get(municipalityId, applicationId);
    const { definition } = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
    const rule = definition.fee.refunds?.[outcome === 'withdrawn' ? 'onWithdrawal' : 'onRejection'] ?? 'full';
    if (rule === 'none') return;
    for (const candidate of await this.payments.listForApplication(this.payments.manager, municipalityId, applicationId)) {
      if (candidate.status !== 'succeeded' || refundable(candidate) === 0) continue;
      await this.dataSource.transaction(async (manager) => {
        const payment = await this.payments.find(manager, municipalityId, candidate.id, { lock: true });
        if (!payment || refundable(payment) === 0) return;
        await this.settlement.requestRefund(manager, payment, {
          amount: refundable(payment),
          reason: outcome === 'withdrawn' ? 'Application withdrawn after payment' : 'Application rejected after payment',
          cause: `application.${outcome}`,
          actor: SYSTEM,
          source: 'system',
        });
      });
    }
  }

  /**
   * Gives back `percent` of what an application's fee payments captured (a
   * facility booking cancelled with notice, say), inside the caller's
   * transaction so the refund stands or falls with the cancellation. One
   * refund per payment and `cause`: a retry refunds nothing twice. Returns
   * the yen set aside for refund; the outbox asks the provider after commit.
   */
  async refundShare(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    applicationId: string,
    request: { percent: number; reason: string; cause: string; actor: RefundRecord['requestedBy'] },
  ): Promise<number> {
    let total = 0;
    for (const candidate of await this.payments.listForApplication(manager, municipalityId, applicationId)) {
      if (candidate.status !== 'succeeded') continue;
      const payment = (await this.payments.find(manager, municipalityId, candidate.id, { lock: true }))!;
      const earlier = await this.payments.findRefundByCause(manager, municipalityId, payment.id, request.cause);
      if (earlier) {
        total += earlier.amount;
        continue;
      }
      const amount = Math.min(Math.floor((payment.capturedAmount * request.percent) / 100), refundable(payment));
      if (amount <= 0) continue;
      const refund = await this.settlement.requestRefund(manager, payment, {
        amount,
        reason: request.reason,
        cause: request.cause,
        actor: request.actor,
        source: request.actor.kind === 'staff' ? 'staff' : 'system',
      });
      total += refund.amount;
    }
    return total;
  }

  /**
   * Asks the provider (`call` gets the provider payment id) and applies the
   * answer under the payment's row lock.
   */
  async sync(
    municipalityId: MunicipalityId,
    paymentId: string,
    call: (providerPaymentId: string) => Promise<ProviderPayment>,
    origin: NewsOrigin,
    /** The payment as the caller just read or wrote it: not read again before the call. */
    known?: PaymentRecord,
  ): Promise<{ payment: PaymentRecord; outcome: ApplyOutcome } | null> {
    const before = known?.providerPaymentId ? known : await this.payments.find(this.payments.manager, municipalityId, paymentId);
    if (!before?.providerPaymentId) return null;
    const news = await call(before.providerPaymentId);
    return this.dataSource.transaction(async (manager) => {
      const payment = (await this.payments.find(manager, municipalityId, paymentId, { lock: true }))!;
      const { outcome } = await this.settlement.apply(manager, payment, news, origin);
      return { payment, outcome };
    });
  }

  /** Makes sure the provider knows the payment (createPayment is idempotent by our id). */
  async register(payment: PaymentRecord, known?: ApplicationEntity): Promise<PaymentRecord> {
    if (payment.providerPaymentId) return payment;
    const news = await this.provider.createPayment(await this.creation(payment, known));
    return this.applied(payment, [news]);
  }

  // Internals

  /** The open attempt started with `method`; null when the provider would not start it. */
  private async started(application: ApplicationEntity, method: PaymentMethod, enteredAt: Date): Promise<PaymentRecord | null> {
    const municipalityId = application.municipalityId as MunicipalityId;
    let payment = (await this.ensurePayment(application, 'resident', enteredAt))!;
    if (!payment.providerPaymentId) {
      const fresh = await this.createdAndStarted(payment, application, method);
      if ('started' in fresh) return fresh.started;
      payment = fresh.registered;
    }
    if (payment.status === 'succeeded') throw PaymentError.alreadyPaid(payment.id);
    if (payment.status === 'authorised') throw PaymentError.inProgress(payment.id);
    if (!isOpenPayment(payment.status)) return null;
    if (payment.status === 'started' && payment.method && HOSTED_PAGE_METHODS.includes(payment.method)) {
      // A hosted page may be dead without our knowing yet (a card declined a moment ago, its
      // webhook still on the way) or half used (a 3-D Secure check pending). Starting again
      // always gets a fresh page: the old attempt is cancelled at the provider, which answers
      // it as it is (failed, cancelled, or paid meanwhile), and that answer is applied here.
      const superseded = await this.guard(() =>
        this.sync(municipalityId, payment.id, (id) => this.provider.cancelPayment(municipalityId, id), { source: 'provider-api' }, payment),
      );
      const status = superseded?.payment.status;
      if (status === 'succeeded') throw PaymentError.alreadyPaid(payment.id);
      if (status && isOpenPayment(status)) throw PaymentError.inProgress(payment.id);
      return null;
    }
    if (payment.status === 'started' && payment.method === method) return payment;
    try {
      const result = await this.guard(() =>
        this.sync(
          municipalityId,
          payment.id,
          (providerPaymentId) => this.provider.startPayment({ municipalityId, providerPaymentId, method, returnUrl: this.returnUrl(payment) }),
          { source: 'provider-api' },
          payment,
        ),
      );
      return result!.payment;
    } catch (error) {
      return this.afterRefusedStart(payment, error);
    }
  }

  /**
   * A new attempt: created at the provider and started with `method` there,
   * both answers applied together (the started one alone when it covers the
   * created one; the created one even when the start failed). A payment the
   * provider already had further along (created before, by a request that
   * did not finish) is only registered.
   */
  private async createdAndStarted(
    payment: PaymentRecord,
    application: ApplicationEntity,
    method: PaymentMethod,
  ): Promise<{ started: PaymentRecord | null } | { registered: PaymentRecord }> {
    const municipalityId = payment.municipalityId;
    const created = await this.guard(async () => this.provider.createPayment(await this.creation(payment, application)));
    if (created.status !== 'created') return { registered: await this.applied(payment, [created]) };
    let started: ProviderPayment | null = null;
    let refusal: unknown = null;
    try {
      started = await this.guard(() => this.provider.startPayment({ municipalityId, providerPaymentId: created.id, method, returnUrl: this.returnUrl(payment) }));
    } catch (error) {
      refusal = error;
    }
    const applied = await this.applied(payment, started ? (coveredBy(created, started) ? [started] : [created, started]) : [created]);
    if (refusal) return { started: await this.afterRefusedStart(applied, refusal) };
    if (applied.status === 'succeeded') throw PaymentError.alreadyPaid(applied.id);
    if (applied.status === 'authorised') throw PaymentError.inProgress(applied.id);
    return { started: isOpenPayment(applied.status) ? applied : null };
  }

  /** The provider would not start the attempt: learn why, and apply it (it may have been paid). */
  private async afterRefusedStart(payment: PaymentRecord, error: unknown): Promise<null> {
    if (!(error instanceof PaymentError && error.code === PaymentErrorCode.ProviderRefused)) throw error;
    const synced = await this.sync(payment.municipalityId, payment.id, (id) => this.provider.getStatus(payment.municipalityId, id), { source: 'provider-api' });
    const status = synced?.payment.status;
    if (status === 'succeeded') throw PaymentError.alreadyPaid(payment.id);
    if (status && isOpenPayment(status)) throw PaymentError.inProgress(payment.id);
    return null;
  }

  /**
   * The provider's answers about `payment`, applied in order; the payment as
   * they left it. Answers that only move the payment along, as the caller
   * knows it, are one compare-and-set statement each; from the first that
   * needs more, or finds the payment changed meanwhile, under its row lock.
   */
  private async applied(payment: PaymentRecord, answers: ProviderPayment[]): Promise<PaymentRecord> {
    const origin = { source: 'provider-api' } as const;
    const known = { ...payment };
    let next = 0;
    while (next < answers.length && (await this.settlement.applyUnlocked(this.payments.manager, known, answers[next], origin))) next += 1;
    if (next === answers.length) return known;
    return this.dataSource.transaction(async (manager) => {
      const locked = (await this.payments.find(manager, payment.municipalityId, payment.id, { lock: true }))!;
      for (const news of answers.slice(next)) await this.settlement.apply(manager, locked, news, origin);
      return locked;
    });
  }

  /** What the provider is asked to create for `payment` (idempotent by our id). */
  private async creation(payment: PaymentRecord, known?: ApplicationEntity): Promise<CreateProviderPayment> {
    const municipalityId = payment.municipalityId;
    const application = known?.id === payment.applicationId ? known : await this.applications.get(municipalityId, payment.applicationId);
    const compiled = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
    return {
      municipalityId,
      idempotencyKey: payment.id,
      amount: payment.amount,
      orderReference: payment.referenceNumber,
      description: `${compiled.definition.name.ja}（受付番号 ${payment.referenceNumber}）`,
      expiresAt: payment.expiresAt ?? new Date(this.clock.now().getTime() + DEFAULT_PAYMENT_DEADLINE_HOURS * 3600_000),
      metadata: { municipalityId, paymentId: payment.id, applicationId: payment.applicationId },
    };
  }

  /**
   * The application's open attempt, or a new one: `initial` (the outbox)
   * creates the first attempt of the revision only; `resident` also starts a
   * new attempt after a failed, cancelled or expired one.
   */
  private async ensurePayment(application: ApplicationEntity, mode: 'initial' | 'resident', entered?: Date): Promise<PaymentRecord | null> {
    const municipalityId = application.municipalityId as MunicipalityId;
    const amount = feeAmount(application);
    if (amount === null) {
      if (mode === 'initial') return null;
      throw PaymentError.noFeeDue();
    }
    const compiled = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
    const enteredAt = entered ?? (await this.applications.enteredAt(application));
    const deadlineHours = compiled.definition.fee.paymentDeadlineHours ?? DEFAULT_PAYMENT_DEADLINE_HOURS;
    const expiresAt = new Date(enteredAt.getTime() + deadlineHours * 3600_000);
    // Past the deadline, before the timer has expired the application: nothing to start.
    if (mode === 'resident' && expiresAt.getTime() <= this.clock.now().getTime()) throw PaymentError.deadlinePassed(expiresAt);
    // No transaction: it would lock nothing. Two requests (or a request and the outbox) may both
    // find no open attempt; the unique indexes let one insert through (with its event, in one
    // statement), and the other reads the attempts again.
    const manager = this.payments.manager;
    for (let round = 0; round < 3; round += 1) {
      const attempts = await this.payments.listForApplication(manager, municipalityId, application.id);
      const open = attempts.find((payment) => isOpenPayment(payment.status));
      if (open) return open;
      const paid = attempts.find((payment) => payment.status === 'succeeded' && payment.capturedAmount === payment.amount);
      if (paid) {
        if (mode === 'initial') return null;
        throw PaymentError.alreadyPaid(paid.id);
      }
      const ofRevision = attempts.filter((payment) => payment.applicationRevision === application.revision);
      if (mode === 'initial' && ofRevision.length > 0) return null;
      const now = this.clock.now();
      const payment: PaymentRecord = {
        municipalityId,
        id: randomUUID(),
        applicationId: application.id,
        applicationRevision: application.revision,
        attempt: (ofRevision[0]?.attempt ?? 0) + 1,
        procedureCode: application.procedureCode,
        referenceNumber: application.referenceNumber ?? '',
        revenueAccountCode: compiled.definition.fee.revenueAccountCode ?? '',
        amount,
        method: null,
        status: 'created',
        provider: this.provider.name,
        providerPaymentId: null,
        providerVersion: 0,
        redirectUrl: null,
        konbini: null,
        instructions: null,
        capturedAmount: 0,
        refundedAmount: 0,
        failureCode: null,
        expiresAt,
        createdAt: now,
        updatedAt: now,
      };
      const created = { fromStatus: null, toStatus: 'created', amount, method: null, source: 'system', at: now } as const;
      if (await this.payments.insert(manager, municipalityId, payment, created)) return payment;
    }
    throw PaymentError.inProgress(application.id);
  }

  /** Provider failures as the resident should see them. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      this.logger.warn({ msg: 'payment provider call failed', code: error.code, retryable: error.retryable });
      if (error.retryable) throw PaymentError.providerUnavailable();
      throw PaymentError.providerRefused(error.code);
    }
  }

  private returnUrl(payment: PaymentRecord): string {
    return `${this.settings.publicBaseUrl}/applications/${payment.applicationId}?payment=${payment.id}`;
  }

  private async ownedBy(resident: ResidentPrincipal, applicationId: string): Promise<ApplicationEntity> {
    const application = await this.applications.get(resident.municipalityId, applicationId);
    // Someone else's application is "not found": its existence is not confirmed.
    if (application.applicantId !== resident.id) throw ApplicationError.notFound(applicationId);
    return application;
  }

  private async dto(payment: PaymentRecord): Promise<PaymentDto> {
    // An open payment has nothing captured, so nothing refunded or to refund: the record as just written is the answer.
    if (isOpenPayment(payment.status) && payment.capturedAmount === 0 && payment.refundedAmount === 0) return toPaymentDto(payment, []);
    const current = (await this.payments.find(this.payments.manager, payment.municipalityId, payment.id))!;
    return toPaymentDto(current, await this.payments.refundsOf(this.payments.manager, payment.municipalityId, [payment.id]));
  }
}

/**
 * Whether applying the provider's `started` answer alone leaves the payment
 * as applying its `created` answer first would, so one UPDATE is saved.
 * `created` can only keep the status (nothing moves back to created) and
 * write fields that `started`, being the same payment at a newer version,
 * writes again: unless it names a method that `started` does not, or
 * brings refunds (applied even when stale).
 */
function coveredBy(created: ProviderPayment, started: ProviderPayment): boolean {
  return started.id === created.id && started.version > created.version && created.refunds.length === 0 && (created.method === null || started.method !== null);
}

/** The fee the server computed at submission (or assessment), from the snapshot. */
export function feeAmount(application: ApplicationEntity): number | null {
  const context = (application.snapshot as { context?: { fee?: { amount?: unknown } } }).context;
  const amount = context?.fee?.amount;
  return typeof amount === 'number' && Number.isInteger(amount) && amount > 0 ? amount : null;
}
