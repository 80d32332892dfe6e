import { Injectable } from '@nestjs/common';
import { type MunicipalityId, nextInSequence, sequenceScope, type StaffReach } from '@madoguchi/kernel';
import { DataSource, type EntityManager } from 'typeorm';
import type { CounterPaymentMethod, RecordedPaymentMethod, PaymentStatus, RefundStatus } from './domain/payment-status';

export interface KonbiniSlip {
  paymentNumber: string;
  deadline: Date;
}

export interface PaymentRecord {
  municipalityId: MunicipalityId;
  id: string;
  applicationId: string;
  applicationRevision: number;
  attempt: number;
  procedureCode: string;
  referenceNumber: string;
  revenueAccountCode: string;
  amount: number;
  method: RecordedPaymentMethod | null;
  status: PaymentStatus;
  provider: string;
  providerPaymentId: string | null;
  providerVersion: number;
  redirectUrl: string | null;
  konbini: KonbiniSlip | null;
  /** Pay-easy numbers (収納機関番号, お客様番号, 確認番号) and their deadline. */
  instructions: Record<string, unknown> | null;
  capturedAmount: number;
  refundedAmount: number;
  failureCode: string | null;
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface RefundRecord {
  municipalityId: MunicipalityId;
  id: string;
  paymentId: string;
  amount: number;
  status: RefundStatus;
  reason: string;
  cause: string | null;
  requestedBy: { kind: 'staff' | 'system' | 'provider'; id: string };
  providerRefundId: string | null;
  failureCode: string | null;
  /** Who handed the money back at the desk, and when (refunds of counter payments only). */
  paidOutBy: string | null;
  paidOutAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A refund of a counter payment waiting at the desk, with what identifies it there. */
export interface CounterPayoutWaiting {
  refund: RefundRecord;
  applicationId: string;
  referenceNumber: string;
  paymentAmount: number;
  /** 領収番号 of the payment being refunded. */
  receiptNumber: string | null;
}

/** 領収: what the desk took for a counter payment, under a receipt number without gaps per fiscal year. */
export interface CounterReceiptRecord {
  paymentId: string;
  fiscalYear: number;
  receiptSeq: number;
  receiptNumber: string;
  method: CounterPaymentMethod;
  amountDue: number;
  amountReceived: number;
  changeGiven: number;
  receivedBy: string;
  receivedAt: Date;
}

export type PaymentEventSource = 'system' | 'provider-api' | 'webhook' | 'reconciliation' | 'staff';

export interface PaymentEventWrite {
  refundId?: string | null;
  fromStatus: string | null;
  toStatus: string;
  amount: number;
  method: RecordedPaymentMethod | null;
  providerEventId?: string | null;
  source: PaymentEventSource;
  at: Date;
}

export interface PaymentEventRecord extends Required<PaymentEventWrite> {
  paymentId: string;
  seq: number;
}

/** One settled movement of money for the accounting export. */
export interface SettlementEntry {
  occurredAt: Date;
  kind: 'payment' | 'refund';
  paymentId: string;
  refundId: string | null;
  referenceNumber: string;
  procedureCode: string;
  revenueAccountCode: string;
  method: RecordedPaymentMethod | null;
  amount: number;
  providerPaymentId: string | null;
  /** 領収番号 of a payment taken at the counter (also on its refunds). */
  receiptNumber: string | null;
}

/** `$n` as the departments a staff member reaches, or NULL for every department. */
function reachParam(reach: StaffReach): string[] | null {
  return reach.kind === 'municipality' ? null : [...reach.departments];
}

/**
 * A payment belongs to the department of its application (the one whose
 * queue holds the case); `param` is the reachParam placeholder.
 */
function paymentInReach(payments: string, param: string): string {
  return `(${param}::text[] IS NULL OR EXISTS (
            SELECT 1 FROM applications reach_a
             WHERE reach_a.municipality_id = ${payments}.municipality_id AND reach_a.id = ${payments}.application_id
               AND reach_a.department = ANY(${param}::text[])))`;
}

const PAYMENT_COLUMNS = `municipality_id, id, application_id, application_revision, attempt, procedure_code, reference_number,
  revenue_account_code, amount, method, status, provider, provider_payment_id, provider_version, redirect_url,
  konbini_payment_number, konbini_deadline, instructions, captured_amount, refunded_amount, failure_code, expires_at,
  created_at, updated_at`;

interface PaymentRow {
  municipality_id: MunicipalityId;
  id: string;
  application_id: string;
  application_revision: number;
  attempt: number;
  procedure_code: string;
  reference_number: string;
  revenue_account_code: string;
  amount: number;
  method: RecordedPaymentMethod | null;
  status: PaymentStatus;
  provider: string;
  provider_payment_id: string | null;
  provider_version: number;
  redirect_url: string | null;
  konbini_payment_number: string | null;
  konbini_deadline: Date | null;
  instructions: Record<string, unknown> | null;
  captured_amount: number;
  refunded_amount: number;
  failure_code: string | null;
  expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

function toPayment(row: PaymentRow): PaymentRecord {
  return {
    municipalityId: row.municipality_id,
    id: row.id,
    applicationId: row.application_id,
    applicationRevision: row.application_revision,
    attempt: row.attempt,
    procedureCode: row.procedure_code,
    referenceNumber: row.reference_number,
    revenueAccountCode: row.revenue_account_code,
    amount: row.amount,
    method: row.method,
    status: row.status,
    provider: row.provider,
    providerPaymentId: row.provider_payment_id,
    providerVersion: row.provider_version,
    redirectUrl: row.redirect_url,
    konbini: row.konbini_payment_number && row.konbini_deadline ? { paymentNumber: row.konbini_payment_number, deadline: row.konbini_deadline } : null,
    instructions: row.instructions,
    capturedAmount: row.captured_amount,
    refundedAmount: row.refunded_amount,
    failureCode: row.failure_code,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const REFUND_COLUMNS = `municipality_id, id, payment_id, amount, status, reason, cause, requested_by_kind, requested_by_id,
  provider_refund_id, failure_code, paid_out_by, paid_out_at, created_at, updated_at`;

interface RefundRow {
  municipality_id: MunicipalityId;
  id: string;
  payment_id: string;
  amount: number;
  status: RefundStatus;
  reason: string;
  cause: string | null;
  requested_by_kind: RefundRecord['requestedBy']['kind'];
  requested_by_id: string;
  provider_refund_id: string | null;
  failure_code: string | null;
  paid_out_by: string | null;
  paid_out_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

function toRefund(row: RefundRow): RefundRecord {
  return {
    municipalityId: row.municipality_id,
    id: row.id,
    paymentId: row.payment_id,
    amount: row.amount,
    status: row.status,
    reason: row.reason,
    cause: row.cause,
    requestedBy: { kind: row.requested_by_kind, id: row.requested_by_id },
    providerRefundId: row.provider_refund_id,
    failureCode: row.failure_code,
    paidOutBy: row.paid_out_by,
    paidOutAt: row.paid_out_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Fields a status change or a provider answer may rewrite. */
export interface PaymentPatch {
  status?: PaymentStatus;
  method?: RecordedPaymentMethod | null;
  providerPaymentId?: string;
  providerVersion?: number;
  redirectUrl?: string | null;
  konbini?: KonbiniSlip | null;
  instructions?: Record<string, unknown> | null;
  capturedAmount?: number;
  failureCode?: string | null;
  /** Signed change of refunded_amount (reserve or release). */
  refundedDelta?: number;
  at: Date;
}

/** A webhook event received: recorded once per provider and event id, with what it did. */
export interface WebhookReceipt {
  provider: string;
  eventId: string;
  eventType: string;
  providerPaymentId: string | null;
  outcome: string;
  at: Date;
}

/** A receipt's values in webhook_receipts' column order after municipality_id. */
function receiptValues(receipt: WebhookReceipt): unknown[] {
  return [receipt.provider, receipt.eventId, receipt.eventType, receipt.providerPaymentId, receipt.outcome, receipt.at];
}

/** An event's values in payment_events' column order after (municipality_id, payment_id, seq). */
function eventValues(event: PaymentEventWrite): unknown[] {
  return [event.refundId ?? null, event.fromStatus, event.toStatus, event.amount, event.method, event.providerEventId ?? null, event.source, event.at];
}

/** The only code that touches payments, refunds, payment_events and webhook_receipts. */
@Injectable()
export class PaymentRepository {
  constructor(private readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * Inserts unless an attempt with the same key, or another open payment,
   * exists; true when inserted. With `event`, its first event (seq 1) goes in
   * the same statement, only if the payment did.
   */
  async insert(manager: EntityManager, municipalityId: MunicipalityId, payment: Omit<PaymentRecord, 'municipalityId'>, event?: PaymentEventWrite): Promise<boolean> {
    const insert = `INSERT INTO payments (municipality_id, id, application_id, application_revision, attempt, procedure_code, reference_number,
         revenue_account_code, amount, method, status, provider, provider_payment_id, provider_version, expires_at, created_at, updated_at,
         captured_amount)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17)
       ON CONFLICT DO NOTHING RETURNING id`;
    const values: unknown[] = [
      municipalityId,
      payment.id,
      payment.applicationId,
      payment.applicationRevision,
      payment.attempt,
      payment.procedureCode,
      payment.referenceNumber,
      payment.revenueAccountCode,
      payment.amount,
      payment.method,
      payment.status,
      payment.provider,
      payment.providerPaymentId,
      payment.providerVersion,
      payment.expiresAt,
      payment.createdAt,
      payment.capturedAmount,
    ];
    if (!event) return (await manager.query(insert, values)).length === 1;
    const first = values.length + 1;
    values.push(...eventValues(event));
    const e = (index: number) => `$${first + index}`;
    const rows: unknown[] = await manager.query(
      `WITH inserted AS (${insert})
       INSERT INTO payment_events (municipality_id, payment_id, seq, refund_id, from_status, to_status, amount, method, provider_event_id, source, occurred_at)
       SELECT $1, id, 1, ${[0, 1, 2, 3, 4, 5, 6, 7].map(e).join(', ')} FROM inserted RETURNING payment_id`,
      values,
    );
    return rows.length === 1;
  }

  async find(manager: EntityManager, municipalityId: MunicipalityId, id: string, options: { lock?: boolean } = {}): Promise<PaymentRecord | null> {
    const rows: PaymentRow[] = await manager.query(
      `SELECT ${PAYMENT_COLUMNS} FROM payments WHERE municipality_id = $1 AND id = $2 ${options.lock ? 'FOR UPDATE' : ''}`,
      [municipalityId, id],
    );
    return rows[0] ? toPayment(rows[0]) : null;
  }

  /**
   * A payment as a staff member may see it: out of the reach (another
   * department's) it is null, exactly as if it did not exist.
   */
  async findInReach(manager: EntityManager, municipalityId: MunicipalityId, id: string, reach: StaffReach, options: { lock?: boolean } = {}): Promise<PaymentRecord | null> {
    const rows: PaymentRow[] = await manager.query(
      `SELECT ${PAYMENT_COLUMNS} FROM payments
        WHERE municipality_id = $1 AND id = $2 AND ${paymentInReach('payments', '$3')} ${options.lock ? 'FOR UPDATE' : ''}`,
      [municipalityId, id, reachParam(reach)],
    );
    return rows[0] ? toPayment(rows[0]) : null;
  }

  async findByProviderId(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    provider: string,
    providerPaymentId: string,
    options: { lock?: boolean } = {},
  ): Promise<PaymentRecord | null> {
    const rows: PaymentRow[] = await manager.query(
      `SELECT ${PAYMENT_COLUMNS} FROM payments WHERE municipality_id = $1 AND provider = $2 AND provider_payment_id = $3 ${options.lock ? 'FOR UPDATE' : ''}`,
      [municipalityId, provider, providerPaymentId],
    );
    return rows[0] ? toPayment(rows[0]) : null;
  }

  /** The application's payment in flight, if any (at most one: a partial unique index). */
  async findOpen(manager: EntityManager, municipalityId: MunicipalityId, applicationId: string, options: { lock?: boolean } = {}): Promise<PaymentRecord | null> {
    const rows: PaymentRow[] = await manager.query(
      `SELECT ${PAYMENT_COLUMNS} FROM payments
        WHERE municipality_id = $1 AND application_id = $2 AND status IN ('created', 'started', 'authorised')
        ${options.lock ? 'FOR UPDATE' : ''}`,
      [municipalityId, applicationId],
    );
    return rows[0] ? toPayment(rows[0]) : null;
  }

  /** Every attempt of an application, newest first. */
  async listForApplication(manager: EntityManager, municipalityId: MunicipalityId, applicationId: string): Promise<PaymentRecord[]> {
    const rows: PaymentRow[] = await manager.query(
      `SELECT ${PAYMENT_COLUMNS} FROM payments WHERE municipality_id = $1 AND application_id = $2
        ORDER BY application_revision DESC, attempt DESC`,
      [municipalityId, applicationId],
    );
    return rows.map(toPayment);
  }

  /**
   * Changes the payment; with `event`, appends that event, and with
   * `receipt`, records that webhook's receipt, in the same statement. The
   * caller holds the row lock, or names in `expected` the provider version
   * and status it read: then nothing is written unless the payment still has
   * them. Answers whether the payment changed and whether the receipt was
   * new (false: the event was received before).
   */
  async update(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    id: string,
    patch: PaymentPatch,
    also: { event?: PaymentEventWrite; receipt?: WebhookReceipt; expected?: Pick<PaymentRecord, 'providerVersion' | 'status'> } = {},
  ): Promise<{ changed: boolean; receipted: boolean }> {
    const sets: string[] = ['updated_at = $3'];
    const values: unknown[] = [municipalityId, id, patch.at];
    const set = (column: string, value: unknown) => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (patch.status !== undefined) set('status', patch.status);
    if (patch.method !== undefined) set('method', patch.method);
    if (patch.providerPaymentId !== undefined) set('provider_payment_id', patch.providerPaymentId);
    if (patch.providerVersion !== undefined) set('provider_version', patch.providerVersion);
    if (patch.redirectUrl !== undefined) set('redirect_url', patch.redirectUrl);
    if (patch.konbini !== undefined) {
      set('konbini_payment_number', patch.konbini?.paymentNumber ?? null);
      set('konbini_deadline', patch.konbini?.deadline ?? null);
    }
    if (patch.instructions !== undefined) set('instructions', patch.instructions === null ? null : JSON.stringify(patch.instructions));
    if (patch.capturedAmount !== undefined) set('captured_amount', patch.capturedAmount);
    if (patch.failureCode !== undefined) set('failure_code', patch.failureCode);
    if (patch.refundedDelta !== undefined && patch.refundedDelta !== 0) {
      values.push(patch.refundedDelta);
      sets.push(`refunded_amount = refunded_amount + $${values.length}`);
    }
    let where = 'municipality_id = $1 AND id = $2';
    if (also.expected) {
      values.push(also.expected.providerVersion, also.expected.status);
      where += ` AND provider_version = $${values.length - 1} AND status = $${values.length}`;
    }
    const update = `UPDATE payments SET ${sets.join(', ')} WHERE ${where}`;
    const { event, receipt } = also;
    if (!event && !receipt) {
      // An UPDATE answers [rows, count] through TypeORM.
      const [, count]: [unknown[], number] = await manager.query(update, values);
      return { changed: count === 1, receipted: false };
    }
    const parts = [`changed AS (${update} RETURNING id)`];
    /** Appends `added` to the values; answers their placeholders. */
    const bind = (added: unknown[]) => added.map((value) => `$${values.push(value)}`).join(', ');
    if (event) {
      parts.push(`event AS (
         INSERT INTO payment_events (municipality_id, payment_id, seq, refund_id, from_status, to_status, amount, method, provider_event_id, source, occurred_at)
         SELECT $1, $2, (SELECT coalesce(max(seq), 0) + 1 FROM payment_events WHERE municipality_id = $1 AND payment_id = $2), ${bind(eventValues(event))}
           FROM changed)`);
    }
    if (receipt) {
      parts.push(`receipt AS (
         INSERT INTO webhook_receipts (municipality_id, provider, provider_event_id, event_type, provider_payment_id, outcome, received_at)
         SELECT $1, ${bind(receiptValues(receipt))} FROM changed
         ON CONFLICT DO NOTHING RETURNING provider_event_id)`);
    }
    const [row]: Array<{ changed: boolean; receipted: boolean }> = await manager.query(
      `WITH ${parts.join(',\n')}
       SELECT EXISTS (SELECT 1 FROM changed) AS changed, ${receipt ? 'EXISTS (SELECT 1 FROM receipt)' : 'false'} AS receipted`,
      values,
    );
    return row;
  }

  /** Appends one event; the caller holds the payment row lock, so seq has no gaps or races. */
  async appendEvent(manager: EntityManager, municipalityId: MunicipalityId, paymentId: string, event: PaymentEventWrite): Promise<void> {
    await manager.query(
      `INSERT INTO payment_events (municipality_id, payment_id, seq, refund_id, from_status, to_status, amount, method, provider_event_id, source, occurred_at)
       SELECT $1, $2, coalesce(max(seq), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10
         FROM payment_events WHERE municipality_id = $1 AND payment_id = $2`,
      [municipalityId, paymentId, ...eventValues(event)],
    );
  }

  async events(manager: EntityManager, municipalityId: MunicipalityId, paymentId: string): Promise<PaymentEventRecord[]> {
    const rows: Array<{
      payment_id: string;
      seq: number;
      refund_id: string | null;
      from_status: string | null;
      to_status: string;
      amount: number;
      method: RecordedPaymentMethod | null;
      provider_event_id: string | null;
      source: PaymentEventSource;
      occurred_at: Date;
    }> = await manager.query(
      `SELECT payment_id, seq, refund_id, from_status, to_status, amount, method, provider_event_id, source, occurred_at
         FROM payment_events WHERE municipality_id = $1 AND payment_id = $2 ORDER BY seq`,
      [municipalityId, paymentId],
    );
    return rows.map((row) => ({
      paymentId: row.payment_id,
      seq: row.seq,
      refundId: row.refund_id,
      fromStatus: row.from_status,
      toStatus: row.to_status,
      amount: row.amount,
      method: row.method,
      providerEventId: row.provider_event_id,
      source: row.source,
      at: row.occurred_at,
    }));
  }

  // Refunds

  /** Inserts unless a refund with the same cause exists for the payment; true when inserted. */
  async insertRefund(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    refund: Omit<RefundRecord, 'municipalityId' | 'updatedAt' | 'paidOutBy' | 'paidOutAt'>,
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO refunds (municipality_id, id, payment_id, amount, status, reason, cause, requested_by_kind, requested_by_id,
         provider_refund_id, failure_code, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        municipalityId,
        refund.id,
        refund.paymentId,
        refund.amount,
        refund.status,
        refund.reason,
        refund.cause,
        refund.requestedBy.kind,
        refund.requestedBy.id,
        refund.providerRefundId,
        refund.failureCode,
        refund.createdAt,
      ],
    );
    return rows.length === 1;
  }

  async findRefund(manager: EntityManager, municipalityId: MunicipalityId, id: string): Promise<RefundRecord | null> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return null;
    const rows: RefundRow[] = await manager.query(`SELECT ${REFUND_COLUMNS} FROM refunds WHERE municipality_id = $1 AND id = $2`, [municipalityId, id]);
    return rows[0] ? toRefund(rows[0]) : null;
  }

  async findRefundByProviderId(manager: EntityManager, municipalityId: MunicipalityId, providerRefundId: string): Promise<RefundRecord | null> {
    const rows: RefundRow[] = await manager.query(`SELECT ${REFUND_COLUMNS} FROM refunds WHERE municipality_id = $1 AND provider_refund_id = $2`, [
      municipalityId,
      providerRefundId,
    ]);
    return rows[0] ? toRefund(rows[0]) : null;
  }

  async findRefundByCause(manager: EntityManager, municipalityId: MunicipalityId, paymentId: string, cause: string): Promise<RefundRecord | null> {
    const rows: RefundRow[] = await manager.query(`SELECT ${REFUND_COLUMNS} FROM refunds WHERE municipality_id = $1 AND payment_id = $2 AND cause = $3`, [
      municipalityId,
      paymentId,
      cause,
    ]);
    return rows[0] ? toRefund(rows[0]) : null;
  }

  async refundsOf(manager: EntityManager, municipalityId: MunicipalityId, paymentIds: string[]): Promise<RefundRecord[]> {
    if (paymentIds.length === 0) return [];
    const rows: RefundRow[] = await manager.query(
      `SELECT ${REFUND_COLUMNS} FROM refunds WHERE municipality_id = $1 AND payment_id = ANY($2::uuid[]) ORDER BY created_at, id`,
      [municipalityId, paymentIds],
    );
    return rows.map(toRefund);
  }

  async updateRefund(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    id: string,
    patch: { status: RefundStatus; providerRefundId?: string | null; failureCode?: string | null; at: Date },
  ): Promise<void> {
    await manager.query(
      `UPDATE refunds SET status = $3, provider_refund_id = COALESCE($4, provider_refund_id), failure_code = $5, updated_at = $6
        WHERE municipality_id = $1 AND id = $2`,
      [municipalityId, id, patch.status, patch.providerRefundId ?? null, patch.failureCode ?? null, patch.at],
    );
  }

  // Counter (窓口収納)

  /**
   * The next receipt number of the fiscal year. The counter row stays locked
   * until the caller's transaction ends and a rollback gives the number back,
   * so numbers have no gaps; it also serialises the desk's receipts of one
   * municipality, which is cheap at counter speed.
   */
  async nextReceiptSequence(manager: EntityManager, municipalityId: MunicipalityId, fiscalYear: number): Promise<number> {
    return nextInSequence(manager, municipalityId, 'receipt', sequenceScope(fiscalYear));
  }

  async insertCounterReceipt(manager: EntityManager, municipalityId: MunicipalityId, receipt: CounterReceiptRecord): Promise<void> {
    await manager.query(
      `INSERT INTO counter_receipts (municipality_id, payment_id, fiscal_year, receipt_seq, receipt_number, method, amount_due,
         amount_received, change_given, received_by, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        municipalityId,
        receipt.paymentId,
        receipt.fiscalYear,
        receipt.receiptSeq,
        receipt.receiptNumber,
        receipt.method,
        receipt.amountDue,
        receipt.amountReceived,
        receipt.changeGiven,
        receipt.receivedBy,
        receipt.receivedAt,
      ],
    );
  }

  async counterReceipt(manager: EntityManager, municipalityId: MunicipalityId, paymentId: string): Promise<CounterReceiptRecord | null> {
    const rows: Array<{
      payment_id: string;
      fiscal_year: number;
      receipt_seq: number;
      receipt_number: string;
      method: CounterPaymentMethod;
      amount_due: number;
      amount_received: number;
      change_given: number;
      received_by: string;
      received_at: Date;
    }> = await manager.query(
      `SELECT payment_id, fiscal_year, receipt_seq, receipt_number, method, amount_due, amount_received, change_given, received_by, received_at
         FROM counter_receipts WHERE municipality_id = $1 AND payment_id = $2`,
      [municipalityId, paymentId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      paymentId: row.payment_id,
      fiscalYear: row.fiscal_year,
      receiptSeq: row.receipt_seq,
      receiptNumber: row.receipt_number,
      method: row.method,
      amountDue: row.amount_due,
      amountReceived: row.amount_received,
      changeGiven: row.change_given,
      receivedBy: row.received_by,
      receivedAt: row.received_at,
    };
  }

  /** Refunds of counter payments waiting to be handed back at the desk, within the reach, oldest first. */
  async counterPayoutsWaiting(municipalityId: MunicipalityId, reach: StaffReach, limit = 200): Promise<CounterPayoutWaiting[]> {
    const rows: Array<RefundRow & { application_id: string; reference_number: string; payment_amount: number; receipt_number: string | null }> = await this.dataSource.query(
      `SELECT ${REFUND_COLUMNS.split(',')
        .map((column) => `r.${column.trim()}`)
        .join(', ')}, p.application_id, p.reference_number, p.amount AS payment_amount, c.receipt_number
         FROM refunds r
         JOIN payments p ON p.municipality_id = r.municipality_id AND p.id = r.payment_id
         LEFT JOIN counter_receipts c ON c.municipality_id = p.municipality_id AND c.payment_id = p.id
        WHERE r.municipality_id = $1 AND r.status = 'payableAtCounter' AND ${paymentInReach('p', '$2')}
        ORDER BY r.created_at, r.id
        LIMIT ${Number(limit)}`,
      [municipalityId, reachParam(reach)],
    );
    return rows.map((row) => ({
      refund: toRefund(row),
      applicationId: row.application_id,
      referenceNumber: row.reference_number,
      paymentAmount: row.payment_amount,
      receiptNumber: row.receipt_number,
    }));
  }

  /** A refund waiting at the desk, now handed over; false when it was not waiting there (any more). */
  async markRefundPaidOut(manager: EntityManager, municipalityId: MunicipalityId, refundId: string, payout: { staffId: string; at: Date }): Promise<boolean> {
    // An UPDATE answers [rows, count] through TypeORM.
    const [rows]: [unknown[], number] = await manager.query(
      `UPDATE refunds SET status = 'succeeded', paid_out_by = $3, paid_out_at = $4, updated_at = $4
        WHERE municipality_id = $1 AND id = $2 AND status = 'payableAtCounter'
        RETURNING id`,
      [municipalityId, refundId, payout.staffId, payout.at],
    );
    return rows.length === 1;
  }

  // Webhook receipts

  /** Records a webhook event id with what it did; false when it was received before (a duplicate). */
  async insertReceipt(manager: EntityManager, municipalityId: MunicipalityId, receipt: WebhookReceipt): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO webhook_receipts (municipality_id, provider, provider_event_id, event_type, provider_payment_id, outcome, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT DO NOTHING RETURNING provider_event_id`,
      [municipalityId, ...receiptValues(receipt)],
    );
    return rows.length === 1;
  }

  // Background work, across municipalities (like the outbox and timers).

  /**
   * Claims up to `limit` open payments with no news since `quietSince`:
   * stamps them polled now so other workers (and the next round) skip them.
   */
  async claimQuiet(manager: EntityManager, quietSince: Date, now: Date, limit: number): Promise<Array<{ municipalityId: MunicipalityId; id: string }>> {
    const [rows]: [Array<{ municipality_id: MunicipalityId; id: string }>, number] = await manager.query(
      `UPDATE payments p SET last_polled_at = $2
         FROM (SELECT municipality_id, id FROM payments
                WHERE status IN ('created', 'started', 'authorised') AND coalesce(last_polled_at, updated_at) < $1
                ORDER BY coalesce(last_polled_at, updated_at)
                LIMIT $3
                FOR UPDATE SKIP LOCKED) quiet
        WHERE p.municipality_id = quiet.municipality_id AND p.id = quiet.id
        RETURNING p.municipality_id, p.id`,
      [quietSince, now, limit],
    );
    return rows.map((row) => ({ municipalityId: row.municipality_id, id: row.id }));
  }

  /** Refunds still waiting for the provider since before `since`. */
  async requestedRefundsBefore(manager: EntityManager, since: Date, limit: number): Promise<Array<{ municipalityId: MunicipalityId; id: string }>> {
    const rows: Array<{ municipality_id: MunicipalityId; id: string }> = await manager.query(
      `SELECT municipality_id, id FROM refunds WHERE status = 'requested' AND updated_at < $1 ORDER BY updated_at LIMIT $2`,
      [since, limit],
    );
    return rows.map((row) => ({ municipalityId: row.municipality_id, id: row.id }));
  }

  // Reporting

  /** Captures and refunds that succeeded in [from, to), from the event log, of the payments within the reach. */
  async settlements(municipalityId: MunicipalityId, from: Date, to: Date, reach: StaffReach): Promise<SettlementEntry[]> {
    const rows: Array<{
      occurred_at: Date;
      refund_id: string | null;
      payment_id: string;
      reference_number: string;
      procedure_code: string;
      revenue_account_code: string;
      method: RecordedPaymentMethod | null;
      amount: number;
      provider_payment_id: string | null;
      receipt_number: string | null;
    }> = await this.dataSource.query(
      `SELECT e.occurred_at, e.refund_id, e.payment_id, p.reference_number, p.procedure_code, p.revenue_account_code,
              coalesce(e.method, p.method) AS method, e.amount, p.provider_payment_id, c.receipt_number
         FROM payment_events e
         JOIN payments p ON p.municipality_id = e.municipality_id AND p.id = e.payment_id
         LEFT JOIN counter_receipts c ON c.municipality_id = p.municipality_id AND c.payment_id = p.id
        WHERE e.municipality_id = $1 AND e.to_status = 'succeeded' AND e.occurred_at >= $2 AND e.occurred_at < $3
          AND ${paymentInReach('p', '$4')}
        ORDER BY e.occurred_at, p.reference_number, e.payment_id, e.seq`,
      [municipalityId, from, to, reachParam(reach)],
    );
    return rows.map((row) => ({
      occurredAt: row.occurred_at,
      kind: row.refund_id ? 'refund' : 'payment',
      paymentId: row.payment_id,
      refundId: row.refund_id,
      referenceNumber: row.reference_number,
      procedureCode: row.procedure_code,
      revenueAccountCode: row.revenue_account_code,
      method: row.method,
      amount: row.amount,
      providerPaymentId: row.provider_payment_id,
      receiptNumber: row.receipt_number,
    }));
  }

  /** Captured and refunded totals recomputed from the event log alone. */
  async eventTotals(municipalityId: MunicipalityId, range?: { from: Date; to: Date }): Promise<{ captured: number; refunded: number }> {
    const rows: Array<{ captured: string; refunded: string }> = await this.dataSource.query(
      `SELECT coalesce(sum(amount) FILTER (WHERE refund_id IS NULL), 0) AS captured,
              coalesce(sum(amount) FILTER (WHERE refund_id IS NOT NULL), 0) AS refunded
         FROM payment_events
        WHERE municipality_id = $1 AND to_status = 'succeeded'
          AND ($2::timestamptz IS NULL OR occurred_at >= $2) AND ($3::timestamptz IS NULL OR occurred_at < $3)`,
      [municipalityId, range?.from ?? null, range?.to ?? null],
    );
    return { captured: Number(rows[0].captured), refunded: Number(rows[0].refunded) };
  }

  /**
   * Fees paid in [from, to): every `payment.succeeded` the applications
   * recorded (whoever reported it), and which of them a cashless payment of
   * ours settled. A read of the application event log, for reporting only.
   */
  async feePayments(municipalityId: MunicipalityId, from: Date, to: Date): Promise<Array<{ method: RecordedPaymentMethod | null }>> {
    return this.dataSource.query(
      `SELECT p.method
         FROM application_events e
         LEFT JOIN payments p ON p.municipality_id = e.municipality_id AND p.id::text = e.payload->>'paymentId' AND p.status = 'succeeded'
        WHERE e.municipality_id = $1 AND e.type = 'payment.succeeded' AND e.occurred_at >= $2 AND e.occurred_at < $3`,
      [municipalityId, from, to],
    );
  }
}
