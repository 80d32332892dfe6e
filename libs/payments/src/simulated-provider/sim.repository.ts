import { Injectable } from '@nestjs/common';
import { type Clock, type DeliveryCounts, type DeliveryPolicy, type DeliveryWork, LeasedDelivery, type LeasedItem, type MunicipalityId } from '@madoguchi/kernel';
import { DataSource, type EntityManager } from 'typeorm';
import type { PaymentMethod, PaymentStatus } from '../domain/payment-status';

/** A payment as the simulated provider stores it. The merchant is the municipality. */
export interface SimPayment {
  merchantId: MunicipalityId;
  id: string;
  idempotencyKey: string;
  amount: number;
  status: PaymentStatus;
  version: number;
  method: PaymentMethod | null;
  orderReference: string;
  description: string;
  metadata: Record<string, string>;
  returnUrl: string | null;
  expiresAt: Date;
  konbiniPaymentNumber: string | null;
  instructions: Record<string, string> | null;
  cardBrand: string | null;
  cardLast4: string | null;
  challengePending: boolean;
  capturedAmount: number;
  refundedAmount: number;
  failureCode: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface SimRefund {
  id: string;
  paymentId: string;
  idempotencyKey: string;
  amount: number;
  status: 'succeeded' | 'failed';
  createdAt: Date;
}

/** A queued webhook; its municipalityId is the merchant. */
export interface SimDelivery extends LeasedItem {
  paymentId: string;
  eventId: string;
  eventType: string;
  body: string;
}

const COLUMNS = `municipality_id, id, idempotency_key, amount, status, version, method, order_reference, description, metadata,
  return_url, expires_at, konbini_payment_number, instructions, card_brand, card_last4, challenge_pending, captured_amount,
  refunded_amount, failure_code, created_at, updated_at`;

interface Row {
  municipality_id: MunicipalityId;
  id: string;
  idempotency_key: string;
  amount: number;
  status: PaymentStatus;
  version: number;
  method: PaymentMethod | null;
  order_reference: string;
  description: string;
  metadata: Record<string, string>;
  return_url: string | null;
  expires_at: Date;
  konbini_payment_number: string | null;
  instructions: Record<string, string> | null;
  card_brand: string | null;
  card_last4: string | null;
  challenge_pending: boolean;
  captured_amount: number;
  refunded_amount: number;
  failure_code: string | null;
  created_at: Date;
  updated_at: Date;
}

function toPayment(row: Row): SimPayment {
  return {
    merchantId: row.municipality_id,
    id: row.id,
    idempotencyKey: row.idempotency_key,
    amount: row.amount,
    status: row.status,
    version: row.version,
    method: row.method,
    orderReference: row.order_reference,
    description: row.description,
    metadata: row.metadata,
    returnUrl: row.return_url,
    expiresAt: row.expires_at,
    konbiniPaymentNumber: row.konbini_payment_number,
    instructions: row.instructions,
    cardBrand: row.card_brand,
    cardLast4: row.card_last4,
    challengePending: row.challenge_pending,
    capturedAmount: row.captured_amount,
    refundedAmount: row.refunded_amount,
    failureCode: row.failure_code,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type SimPaymentPatch = Partial<
  Pick<
    SimPayment,
    'status' | 'method' | 'returnUrl' | 'konbiniPaymentNumber' | 'instructions' | 'cardBrand' | 'cardLast4' | 'challengePending' | 'capturedAmount' | 'failureCode'
  >
> & { refundedDelta?: number; at: Date };

/** The simulated provider's own storage: sim_payments, sim_refunds, sim_ledger, sim_webhook_deliveries. */
@Injectable()
export class SimRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, payment: Omit<SimPayment, 'updatedAt'>): Promise<void> {
    await manager.query(
      `INSERT INTO sim_payments (municipality_id, id, idempotency_key, amount, status, version, order_reference, description, metadata,
         expires_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
       ON CONFLICT (municipality_id, idempotency_key) DO NOTHING`,
      [
        payment.merchantId,
        payment.id,
        payment.idempotencyKey,
        payment.amount,
        payment.status,
        payment.version,
        payment.orderReference,
        payment.description,
        JSON.stringify(payment.metadata),
        payment.expiresAt,
        payment.createdAt,
      ],
    );
  }

  async find(manager: EntityManager, merchantId: MunicipalityId, id: string, options: { lock?: boolean } = {}): Promise<SimPayment | null> {
    const rows: Row[] = await manager.query(`SELECT ${COLUMNS} FROM sim_payments WHERE municipality_id = $1 AND id = $2 ${options.lock ? 'FOR UPDATE' : ''}`, [
      merchantId,
      id,
    ]);
    return rows[0] ? toPayment(rows[0]) : null;
  }

  async findByIdempotencyKey(manager: EntityManager, merchantId: MunicipalityId, key: string): Promise<SimPayment | null> {
    const rows: Row[] = await manager.query(`SELECT ${COLUMNS} FROM sim_payments WHERE municipality_id = $1 AND idempotency_key = $2`, [merchantId, key]);
    return rows[0] ? toPayment(rows[0]) : null;
  }

  async findByKonbiniNumber(manager: EntityManager, merchantId: MunicipalityId, paymentNumber: string): Promise<SimPayment | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${COLUMNS} FROM sim_payments WHERE municipality_id = $1 AND konbini_payment_number = $2 AND method = 'konbini' FOR UPDATE`,
      [merchantId, paymentNumber],
    );
    return rows[0] ? toPayment(rows[0]) : null;
  }

  async findByPayeasyNumbers(manager: EntityManager, merchantId: MunicipalityId, customerNumber: string, confirmationNumber: string): Promise<SimPayment | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${COLUMNS} FROM sim_payments
        WHERE municipality_id = $1 AND method = 'payeasy' AND instructions->>'customerNumber' = $2 AND instructions->>'confirmationNumber' = $3
        FOR UPDATE`,
      [merchantId, customerNumber, confirmationNumber],
    );
    return rows[0] ? toPayment(rows[0]) : null;
  }

  /** Writes the patch and bumps the version when asked; returns the new version. */
  async update(manager: EntityManager, merchantId: MunicipalityId, id: string, patch: SimPaymentPatch, bumpVersion: boolean): Promise<number> {
    const sets: string[] = ['updated_at = $3'];
    const values: unknown[] = [merchantId, id, patch.at];
    const set = (column: string, value: unknown) => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (patch.status !== undefined) set('status', patch.status);
    if (patch.method !== undefined) set('method', patch.method);
    if (patch.returnUrl !== undefined) set('return_url', patch.returnUrl);
    if (patch.konbiniPaymentNumber !== undefined) set('konbini_payment_number', patch.konbiniPaymentNumber);
    if (patch.instructions !== undefined) set('instructions', patch.instructions === null ? null : JSON.stringify(patch.instructions));
    if (patch.cardBrand !== undefined) set('card_brand', patch.cardBrand);
    if (patch.cardLast4 !== undefined) set('card_last4', patch.cardLast4);
    if (patch.challengePending !== undefined) set('challenge_pending', patch.challengePending);
    if (patch.capturedAmount !== undefined) set('captured_amount', patch.capturedAmount);
    if (patch.failureCode !== undefined) set('failure_code', patch.failureCode);
    if (patch.refundedDelta) {
      values.push(patch.refundedDelta);
      sets.push(`refunded_amount = refunded_amount + $${values.length}`);
    }
    if (bumpVersion) sets.push('version = version + 1');
    const [rows]: [Array<{ version: number }>, number] = await manager.query(
      `UPDATE sim_payments SET ${sets.join(', ')} WHERE municipality_id = $1 AND id = $2 RETURNING version`,
      values,
    );
    return rows[0].version;
  }

  async refunds(manager: EntityManager, merchantId: MunicipalityId, paymentId: string): Promise<SimRefund[]> {
    const rows: Array<{ id: string; payment_id: string; idempotency_key: string; amount: number; status: 'succeeded' | 'failed'; created_at: Date }> =
      await manager.query(
        `SELECT id, payment_id, idempotency_key, amount, status, created_at FROM sim_refunds WHERE municipality_id = $1 AND payment_id = $2 ORDER BY created_at, id`,
        [merchantId, paymentId],
      );
    return rows.map((row) => ({
      id: row.id,
      paymentId: row.payment_id,
      idempotencyKey: row.idempotency_key,
      amount: row.amount,
      status: row.status,
      createdAt: row.created_at,
    }));
  }

  async findRefundByKey(manager: EntityManager, merchantId: MunicipalityId, key: string): Promise<SimRefund | null> {
    const rows: Array<{ id: string; payment_id: string; idempotency_key: string; amount: number; status: 'succeeded' | 'failed'; created_at: Date }> =
      await manager.query(`SELECT id, payment_id, idempotency_key, amount, status, created_at FROM sim_refunds WHERE municipality_id = $1 AND idempotency_key = $2`, [
        merchantId,
        key,
      ]);
    const row = rows[0];
    return row ? { id: row.id, paymentId: row.payment_id, idempotencyKey: row.idempotency_key, amount: row.amount, status: row.status, createdAt: row.created_at } : null;
  }

  async insertRefund(manager: EntityManager, merchantId: MunicipalityId, refund: SimRefund): Promise<void> {
    await manager.query(
      `INSERT INTO sim_refunds (municipality_id, id, payment_id, idempotency_key, amount, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [merchantId, refund.id, refund.paymentId, refund.idempotencyKey, refund.amount, refund.status, refund.createdAt],
    );
  }

  async addLedgerEntry(manager: EntityManager, merchantId: MunicipalityId, entry: { paymentId: string; refundId: string | null; amount: number; at: Date }): Promise<void> {
    await manager.query(`INSERT INTO sim_ledger (municipality_id, payment_id, refund_id, amount, at) VALUES ($1, $2, $3, $4, $5)`, [
      merchantId,
      entry.paymentId,
      entry.refundId,
      entry.amount,
      entry.at,
    ]);
  }

  /** What the provider holds for the merchant: captures minus refunds. */
  async balance(merchantId: MunicipalityId): Promise<{ captured: number; refunded: number; balance: number }> {
    const rows: Array<{ captured: string; refunded: string }> = await this.dataSource.query(
      `SELECT coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS captured, coalesce(-sum(amount) FILTER (WHERE amount < 0), 0) AS refunded
         FROM sim_ledger WHERE municipality_id = $1`,
      [merchantId],
    );
    const captured = Number(rows[0].captured);
    const refunded = Number(rows[0].refunded);
    return { captured, refunded, balance: captured - refunded };
  }

  /** Open payments whose deadline passed, locked for the caller's transaction. */
  async lockExpired(manager: EntityManager, now: Date, limit: number): Promise<SimPayment[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${COLUMNS} FROM sim_payments WHERE status IN ('created', 'started') AND expires_at <= $1
        ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map(toPayment);
  }

  // The webhook queue

  async enqueueDelivery(
    manager: EntityManager,
    merchantId: MunicipalityId,
    delivery: { eventId: string; eventType: string; paymentId: string; body: string; at: Date },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO sim_webhook_deliveries (municipality_id, event_id, event_type, payment_id, body, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)`,
      [merchantId, delivery.eventId, delivery.eventType, delivery.paymentId, delivery.body, delivery.at],
    );
  }

  /**
   * The webhook queue, delivered with lease and backoff like the outbox: a
   * sender that dies loses its lease and its deliveries go again.
   */
  private readonly deliveries = new LeasedDelivery<SimDelivery, 'last_response_status', 'dropped'>({
    table: 'sim_webhook_deliveries',
    dueColumn: 'next_attempt_at',
    columns: ['payment_id', 'event_id', 'event_type', 'body'],
    toItem: (row) => ({
      municipalityId: row.municipality_id,
      id: row.id,
      paymentId: row.payment_id as string,
      eventId: row.event_id as string,
      eventType: row.event_type as string,
      body: row.body as string,
      attempts: row.attempts,
    }),
    extraColumns: ['last_response_status'],
    endStatuses: ['dropped'],
  });

  /** One round of the webhook queue: claim what is due, deliver it through `work`, settle. */
  deliverDue(clock: Clock, policy: DeliveryPolicy, work: DeliveryWork<SimDelivery, 'last_response_status', 'dropped'>): Promise<DeliveryCounts<'dropped'>> {
    return this.deliveries.deliverDue(this.dataSource.manager, clock, policy, work);
  }

  async deliveryCounts(merchantId: MunicipalityId): Promise<Record<string, number>> {
    const rows: Array<{ status: string; n: number }> = await this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM sim_webhook_deliveries WHERE municipality_id = $1 GROUP BY status`,
      [merchantId],
    );
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  }
}
