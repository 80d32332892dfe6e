import { ApplicationsService } from '@madoguchi/applications';
import { asMunicipalityId, OutboxDispatcher, OutboxHandlerRegistry, OutboxRepository } from '@madoguchi/kernel';
import { machineEffectTopic } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from '../../../test/support/test-app';
import { publishTestCertificate, TEST_CERTIFICATE } from '../../../test/support/test-procedures';
import { PAYMENT_SETTINGS, type PaymentSettings } from './payment-settings';
import { PaymentsService } from './payments.service';
import { PAYMENT_PROVIDER, type PaymentProvider } from './provider/payment-provider';
import { SimulatedPaymentProvider } from './simulated-provider/simulated-payment.provider';

const CITY = asMunicipalityId('990001');

/**
 * The payments library against a real PostgreSQL without HTTP: outbox
 * handlers, idempotency of payment creation, and what the schema itself
 * refuses whatever the code does.
 */
describe('payments (real PostgreSQL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await publishTestCertificate(t, ['990001']);
  });
  afterAll(() => t.close());

  const submitted = async (copies = 1): Promise<string> => {
    const applications = t.get(ApplicationsService);
    const draft = await applications.createDraft(CITY, {
      procedureCode: TEST_CERTIFICATE,
      channel: 'online',
      applicantId: randomUUID(),
      formData: { scope: '本人のみ', purpose: '学校への提出', copies },
      actor: { kind: 'resident', id: 'r' },
    });
    await applications.submit(CITY, draft.id, { kind: 'resident', id: 'r' });
    return draft.id;
  };

  const count = async (sql: string, params: unknown[]): Promise<number> => ((await t.dataSource.query(sql, params)) as Array<{ n: number }>)[0].n;

  it('registers its outbox handlers, and the provider configured', () => {
    const registry = t.get(OutboxHandlerRegistry);
    for (const topic of ['payment.request', 'payment.refund', 'application.withdrawn', 'application.rejected', 'application.expired']) {
      expect({ topic, handled: typeof registry.get(topic) }).toEqual({ topic, handled: 'function' });
    }
    expect(t.get<PaymentProvider>(PAYMENT_PROVIDER as never)).toBeInstanceOf(SimulatedPaymentProvider);
    const settings = t.get<PaymentSettings>(PAYMENT_SETTINGS as never);
    expect(settings.provider).toBe('simulated');
    // Derived from the encryption key: long, and never the empty string.
    expect(settings.webhookSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('creates one payment per application and revision, however often payment.request is delivered', async () => {
    const id = await submitted(2);
    // The same message delivered again (a lease that expired mid-delivery), twice.
    await t.dataSource.transaction(async (manager) => {
      for (let copy = 0; copy < 2; copy += 1) {
        await t.get(OutboxRepository).enqueue(manager, CITY, {
          topic: machineEffectTopic('payment.request'),
          applicationId: id,
          availableAt: t.clock.now(),
          payload: { applicationId: id, state: 'awaitingPayment', revision: 2, event: 'resident.submit' },
        });
      }
    });
    await t.get(OutboxDispatcher).dispatchDue();
    // And concurrently, as several workers would.
    await Promise.all(Array.from({ length: 5 }, () => t.get(PaymentsService).prepare(CITY, id, 2)));
    expect(await count(`SELECT count(*)::int AS n FROM payments WHERE application_id = $1`, [id])).toBe(1);
    const [payment]: Array<{ amount: number; status: string; provider_payment_id: string; revenue_account_code: string; expires_at: Date }> = await t.dataSource.query(
      `SELECT amount, status, provider_payment_id, revenue_account_code, expires_at FROM payments WHERE application_id = $1`,
      [id],
    );
    expect(payment).toMatchObject({ amount: 600, status: 'created', revenue_account_code: '14-02-01-01', expires_at: new Date(t.clock.now().getTime() + 24 * 3600_000) });
    expect(await count(`SELECT count(*)::int AS n FROM sim_payments WHERE idempotency_key IN (SELECT id::text FROM payments WHERE application_id = $1)`, [id])).toBe(1);
    // An old revision, or an application no longer waiting, is ignored.
    await t.get(PaymentsService).prepare(CITY, id, 1);
    expect(await count(`SELECT count(*)::int AS n FROM payments WHERE application_id = $1`, [id])).toBe(1);
  });

  it('allows one payment in flight per application (partial unique index)', async () => {
    const id = await submitted();
    await t.get(PaymentsService).prepare(CITY, id, 2);
    await expect(
      t.dataSource.query(
        `INSERT INTO payments (municipality_id, id, application_id, application_revision, attempt, procedure_code, reference_number, revenue_account_code, amount, status, provider, created_at, updated_at)
         VALUES ($1, $2, $3, 2, 2, 'test-certificate', 'R8-1', 'x', 300, 'created', 'simulated', now(), now())`,
        [CITY, randomUUID(), id],
      ),
    ).rejects.toThrow(/payments_one_open_per_application/);
  });

  it('refuses in SQL: refunds beyond the capture, a zero amount, a started payment without a method, a slip without its number', async () => {
    const id = await submitted();
    await t.get(PaymentsService).prepare(CITY, id, 2);
    const [{ id: paymentId }]: Array<{ id: string }> = await t.dataSource.query(`SELECT id FROM payments WHERE application_id = $1`, [id]);
    await expect(t.dataSource.query(`UPDATE payments SET refunded_amount = 1 WHERE id = $1`, [paymentId])).rejects.toThrow(/check constraint/);
    await expect(t.dataSource.query(`UPDATE payments SET amount = 0 WHERE id = $1`, [paymentId])).rejects.toThrow(/check constraint/);
    await expect(t.dataSource.query(`UPDATE payments SET status = 'started' WHERE id = $1`, [paymentId])).rejects.toThrow(/check constraint/);
    await expect(t.dataSource.query(`UPDATE payments SET method = 'konbini' WHERE id = $1`, [paymentId])).rejects.toThrow(/check constraint/);
    await expect(t.dataSource.query(`UPDATE payments SET method = 'cash' WHERE id = $1`, [paymentId])).rejects.toThrow(/check constraint/);
  });

  it('refuses in SQL a counter payment that is not captured money of the counter, a second one, and a receipt that does not add up', async () => {
    const id = await submitted();
    const insert = (provider: string, method: string, status: string, captured: number, attempt = 1) =>
      t.dataSource.query(
        `INSERT INTO payments (municipality_id, id, application_id, application_revision, attempt, procedure_code, reference_number, revenue_account_code,
           amount, method, status, provider, captured_amount, created_at, updated_at)
         VALUES ($1, $2, $3, 2, $4, 'test-certificate', 'R8-1', 'x', 300, $5, $6, $7, $8, now(), now()) RETURNING id`,
        [CITY, randomUUID(), id, attempt, method, status, provider, captured],
      );
    await expect(insert('counter', 'cash', 'created', 0)).rejects.toThrow(/payments_counter_captured/);
    await expect(insert('counter', 'cash', 'succeeded', 200)).rejects.toThrow(/payments_counter_captured/);
    await expect(insert('counter', 'card', 'succeeded', 300)).rejects.toThrow(/payments_counter_method/);
    await expect(insert('simulated', 'cardTerminal', 'succeeded', 300)).rejects.toThrow(/payments_counter_method/);
    const [{ id: paymentId }]: Array<{ id: string }> = await insert('counter', 'cash', 'succeeded', 300);
    await expect(insert('counter', 'qrTerminal', 'succeeded', 300, 2)).rejects.toThrow(/payments_one_counter_payment/);

    const receipt = (changeGiven: number, method = 'cash') =>
      t.dataSource.query(
        `INSERT INTO counter_receipts (municipality_id, payment_id, fiscal_year, receipt_seq, receipt_number, method, amount_due, amount_received, change_given, received_by, received_at)
         VALUES ($1, $2, 2026, 999001, 'C2026-999001', $3, 300, 1000, $4, 'clerk', now())`,
        [CITY, paymentId, method, changeGiven],
      );
    await expect(receipt(600)).rejects.toThrow(/check constraint/);
    await expect(receipt(700, 'cardTerminal')).rejects.toThrow(/check constraint/);
    await receipt(700);
    await expect(t.dataSource.query(`UPDATE counter_receipts SET change_given = 0 WHERE payment_id = $1`, [paymentId])).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`DELETE FROM counter_receipts WHERE payment_id = $1`, [paymentId])).rejects.toThrow(/append-only/);

    // Only a refund handed back at the desk names who paid it out.
    const refundId = randomUUID();
    await t.dataSource.query(
      `INSERT INTO refunds (municipality_id, id, payment_id, amount, status, reason, requested_by_kind, requested_by_id, created_at, updated_at)
       VALUES ($1, $2, $3, 300, 'payableAtCounter', 'test', 'system', 'payments', now(), now())`,
      [CITY, refundId, paymentId],
    );
    await expect(t.dataSource.query(`UPDATE refunds SET paid_out_by = 'clerk', paid_out_at = now() WHERE id = $1`, [refundId])).rejects.toThrow(/refunds_paid_out/);
    await expect(t.dataSource.query(`UPDATE refunds SET status = 'succeeded', paid_out_by = 'clerk' WHERE id = $1`, [refundId])).rejects.toThrow(/refunds_paid_out/);
    await expect(t.dataSource.query(`UPDATE refunds SET status = 'paid' WHERE id = $1`, [refundId])).rejects.toThrow(/refunds_status_check/);
  });

  it('keeps payment_events and the provider ledger append-only', async () => {
    const id = await submitted();
    await t.get(PaymentsService).prepare(CITY, id, 2);
    const [{ id: paymentId }]: Array<{ id: string }> = await t.dataSource.query(`SELECT id FROM payments WHERE application_id = $1`, [id]);
    expect(await count(`SELECT count(*)::int AS n FROM payment_events WHERE payment_id = $1`, [paymentId])).toBe(1);
    await expect(t.dataSource.query(`UPDATE payment_events SET amount = 0 WHERE payment_id = $1`, [paymentId])).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`DELETE FROM payment_events WHERE payment_id = $1`, [paymentId])).rejects.toThrow(/append-only/);
    await t.dataSource.query(`INSERT INTO sim_ledger (municipality_id, payment_id, amount, at) VALUES ($1, 'sp_x', 1, now())`, [CITY]);
    await expect(t.dataSource.query(`DELETE FROM sim_ledger WHERE payment_id = 'sp_x'`)).rejects.toThrow(/append-only/);
  });

  it('records a late capture after a cancellation, and the waiting application takes it once', async () => {
    const id = await submitted();
    const payments = t.get(PaymentsService);
    await payments.prepare(CITY, id, 2);
    const [row]: Array<{ id: string; provider_payment_id: string }> = await t.dataSource.query(`SELECT id, provider_payment_id FROM payments WHERE application_id = $1`, [id]);
    const provider = t.get<PaymentProvider>(PAYMENT_PROVIDER as never);
    const cancelled = await payments.sync(CITY, row.id, (providerId) => provider.cancelPayment(CITY, providerId), { source: 'provider-api' });
    expect(cancelled?.payment.status).toBe('cancelled');
    // A provider whose cancellation lost the race to the capture says so later, at a newer version.
    const late = { ...(await provider.getStatus(CITY, row.provider_payment_id)), status: 'succeeded' as const, method: 'card' as const, capturedAmount: 300 };
    late.version += 1;
    const settled = await payments.sync(CITY, row.id, async () => late, { source: 'webhook', providerEventId: 'evt_late' });
    expect(settled?.outcome).toBe('advanced');
    const events: Array<{ from_status: string; to_status: string }> = await t.dataSource.query(`SELECT from_status, to_status FROM payment_events WHERE payment_id = $1 ORDER BY seq`, [row.id]);
    expect(events.map((event) => `${event.from_status}→${event.to_status}`)).toEqual(['null→created', 'created→cancelled', 'cancelled→succeeded']);
    expect(await count(`SELECT count(*)::int AS n FROM application_events WHERE application_id = $1 AND type = 'payment.succeeded'`, [id])).toBe(1);
    // The same news again changes nothing.
    expect((await payments.sync(CITY, row.id, async () => late, { source: 'webhook' }))?.outcome).toBe('stale');
    expect(await count(`SELECT count(*)::int AS n FROM application_events WHERE application_id = $1 AND type = 'payment.succeeded'`, [id])).toBe(1);
  });

  it('leads every primary key of its tables with the municipality', async () => {
    const keys: Array<{ table_name: string; first: string }> = await t.dataSource.query(
      `SELECT tc.table_name, kcu.column_name AS first
         FROM information_schema.table_constraints tc
         JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name AND kcu.ordinal_position = 1
        WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_name IN ('payments', 'payment_events', 'refunds', 'webhook_receipts', 'sim_payments', 'sim_refunds', 'sim_ledger',
          'sim_webhook_deliveries', 'counter_receipts', 'tenant_sequences')
        ORDER BY tc.table_name`,
    );
    expect(keys).toHaveLength(10);
    expect(keys.every((key) => key.first === 'municipality_id')).toBe(true);
  });
});
