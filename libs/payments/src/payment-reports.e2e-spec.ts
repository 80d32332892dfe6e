import { ApplicationWorkflowService } from '@madoguchi/engine';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { CONFIG_DIR, createTestApp } from '../../../test/support/test-app';
import { type Caller, CITY, PaymentsDriver, TEST_CARDS } from '../../../test/support/payments-driver';
import { ACCOUNTING_CSV_COLUMNS } from './accounting-export.service';

/** Parses the export: BOM, CRLF, header, rows (no quoted fields are expected here). */
function parseCsv(text: string): Array<Record<string, string>> {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const [header, ...lines] = text.slice(1).split('\r\n').filter(Boolean);
  const columns = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, index) => [columns[index], value])));
}

/**
 * The reports built on payments: the accounting CSV per day (its totals are
 * the event log's) and the cashless KPI.
 */
describe('accounting export and cashless KPI', () => {
  let d: PaymentsDriver;
  let manager: Caller;

  beforeAll(async () => {
    // 2026-11-22 23:50 in Japan: the day boundary is ten minutes away.
    d = await PaymentsDriver.start();
    d.t.clock.set(new Date('2026-11-22T14:50:00Z'));
  });
  afterAll(() => d.close());
  afterEach(() => expect(d.unhandledErrors()).toEqual([]));

  const exportDay = (date: string, caller: Caller = manager) =>
    request(d.server).get('/api/v1/payments/export.csv').query({ date }).auth(caller.token, { type: 'bearer' });

  const pay = async (method: 'card' | 'paypay', copies: number): Promise<{ id: string; paymentId: string }> => {
    const resident = await d.resident();
    const id = await d.submitted(resident, copies);
    const started = await d.started(resident, id, method);
    if (method === 'card') await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
    else await d.payByQrApp(started.redirectUrl!);
    await d.settle();
    return { id, paymentId: started.paymentId };
  };

  it('exports one day of captures and refunds; the totals are those of payment_events', async () => {
    manager = await d.staff(['manager'], ['shimin']);
    const first = await pay('card', 2); // 600 on the 22nd (JST)
    const second = await pay('paypay', 1); // 300 on the 22nd
    await request(d.server).post(`/api/v1/staff/payments/${first.paymentId}/refunds`).auth(manager.token, { type: 'bearer' }).send({ amount: 300, reason: '1通分' }).expect(201);
    // Past midnight in Japan: the 23rd.
    d.t.clock.set(new Date('2026-11-22T15:05:00Z'));
    manager = await d.refresh(manager, 'staff');
    const third = await pay('card', 3); // 900 on the 23rd
    await request(d.server).post(`/api/v1/staff/payments/${second.paymentId}/refunds`).auth(manager.token, { type: 'bearer' }).send({ amount: 300, reason: '取下げ' }).expect(201);
    await d.settle();

    const day22 = await exportDay('2026-11-22').expect(200);
    expect(day22.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(day22.headers['content-disposition']).toBe('attachment; filename="payments-990001-2026-11-22.csv"');
    expect(day22.text.slice(1).split('\r\n')[0]).toBe(ACCOUNTING_CSV_COLUMNS.join(','));
    const rows22 = parseCsv(day22.text);
    expect(rows22.map((row) => [row.kind, row.method, row.method_group, row.amount])).toEqual([
      // By time, then reference number: the refund of the first payment comes before the second payment of the same instant.
      ['payment', 'card', 'card', '600'],
      ['refund', 'card', 'card', '-300'],
      ['payment', 'paypay', 'qr', '300'],
    ]);
    for (const row of rows22) {
      expect(row).toMatchObject({ revenue_account_code: '14-02-01-01', procedure_code: 'test-certificate', reference_number: expect.stringMatching(/^R8-\d{6}$/) });
      expect(row.occurred_at).toMatch(/^2026-11-22T23:5\d:\d{2}\+09:00$/);
    }
    const rows23 = parseCsv((await exportDay('2026-11-23').expect(200)).text);
    expect(rows23.map((row) => [row.kind, row.amount, row.payment_id])).toEqual([
      ['refund', '-300', second.paymentId],
      ['payment', '900', third.paymentId],
    ]);

    // Reconcile each day with the event log, recomputed independently.
    for (const [date, rows, from, to] of [
      ['2026-11-22', rows22, '2026-11-21T15:00:00Z', '2026-11-22T15:00:00Z'],
      ['2026-11-23', rows23, '2026-11-22T15:00:00Z', '2026-11-23T15:00:00Z'],
    ] as const) {
      const [events]: Array<{ captured: string; refunded: string }> = await d.t.dataSource.query(
        `SELECT coalesce(sum(amount) FILTER (WHERE refund_id IS NULL), 0) AS captured, coalesce(sum(amount) FILTER (WHERE refund_id IS NOT NULL), 0) AS refunded
           FROM payment_events WHERE municipality_id = $1 AND to_status = 'succeeded' AND occurred_at >= $2 AND occurred_at < $3`,
        [CITY, from, to],
      );
      const sum = (kind: string) => rows.filter((row) => row.kind === kind).reduce((total, row) => total + Number(row.amount), 0);
      expect({ date, captured: sum('payment'), refunded: -sum('refund') }).toEqual({ date, captured: Number(events.captured), refunded: Number(events.refunded) });
    }
    // And with the provider's ledger, over both days.
    const ledger = await d.simulator.balance(CITY);
    expect(ledger).toEqual({ captured: 1800, refunded: 600, balance: 1200 });
    for (const { id } of [first, second, third]) expect(await d.paidTransitions(id)).toBe(1);

    const audited: Array<{ action: string; details: { rows: number } }> = await d.t.dataSource.query(
      `SELECT action, details FROM audit_log WHERE action = 'export.created' ORDER BY seq`,
    );
    expect(audited.map((entry) => entry.details.rows)).toEqual([3, 2]);
  });

  it('a day without payments has the header only; bad dates and other roles are refused', async () => {
    manager = await d.refresh(manager, 'staff');
    const empty = await exportDay('2026-11-01').expect(200);
    expect(empty.text).toBe(`\uFEFF${ACCOUNTING_CSV_COLUMNS.join(',')}\r\n`);
    const invalid = await exportDay('2026-02-30');
    expect({ status: invalid.status, code: invalid.body.code }).toEqual({ status: 400, code: 'PAYMENT_INVALID_DATE' });
    expect((await exportDay('yesterday')).body.code).toBe('VALIDATION_FAILED');
    expect((await request(d.server).get('/api/v1/payments/export.csv').auth(manager.token, { type: 'bearer' })).status).toBe(400);
    const clerk = await d.staff(['clerk'], ['shimin']);
    expect((await exportDay('2026-11-22', clerk)).status).toBe(403);
    const resident = await d.resident();
    expect((await exportDay('2026-11-22', resident)).status).toBe(403);
    expect((await request(d.server).get('/api/v1/payments/export.csv?date=2026-11-22')).status).toBe(401);
  });

  it('counts procedures with a cashless method against the target, and the cashless share of fees paid', async () => {
    const today = '2026-11-23';
    const catalog = readdirSync(path.join(CONFIG_DIR, 'procedures'))
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => parse(readFileSync(path.join(CONFIG_DIR, 'procedures', name), 'utf8')) as { code: string; fee: { rule: string }; channels: { online?: { openedOn: string | null } } });
    const expected = [
      ...catalog.filter((definition) => definition.fee.rule !== 'none' && definition.channels.online?.openedOn && definition.channels.online.openedOn <= today).map((definition) => definition.code),
      'test-certificate',
    ].sort();

    // A fee reported paid without a payment of ours (no method known): paid, but not known to be cashless.
    const resident = await d.resident();
    const reported = await d.submitted(resident);
    await d.t.get(ApplicationWorkflowService).transition(CITY, reported, { type: 'payment.succeeded', actor: { kind: 'staff', id: 'counter-clerk' }, payload: {} });
    // Fees taken at the counter: cash is not cashless, the desk's card terminal is.
    const clerk = await d.staff(['clerk'], ['shimin']);
    for (const [method, amountReceived] of [
      ['cash', 1000],
      ['cardTerminal', 300],
    ] as const) {
      const id = await d.submitted(await d.resident());
      await request(d.server).post(`/api/v1/staff/applications/${id}/payments/counter`).auth(clerk.token, { type: 'bearer' }).send({ method, amountReceived }).expect(201);
    }

    const kpi = await request(d.server).get('/api/v1/kpi/cashless').expect(200);
    expect(kpi.body).toEqual({
      municipalityId: '990001',
      asOf: today,
      cashlessProcedureCount: expected.length,
      cashlessProcedures: expected,
      baseline: { count: 5, date: '2023-03-31' },
      target: { count: 10, date: '2026-03-31' },
      gap: Math.max(0, 10 - expected.length),
      period: { from: '2026-04-01', to: today },
      feePayments: 6,
      cashlessPayments: 4,
      cashlessShare: 0.6667,
      byMethod: { card: 2, paypay: 1, cardTerminal: 1 },
      byMethodGroup: { card: 2, qr: 1, counter: 1 },
    });
    const narrow = await request(d.server).get('/api/v1/kpi/cashless').query({ from: '2026-11-23', to: '2026-11-23' }).expect(200);
    expect(narrow.body).toMatchObject({ feePayments: 4, cashlessPayments: 2, cashlessShare: 0.5 });
    const none = await request(d.server).get('/api/v1/kpi/cashless').query({ from: '2026-04-01', to: '2026-04-30' }).expect(200);
    expect(none.body).toMatchObject({ feePayments: 0, cashlessShare: null });
    expect((await request(d.server).get('/api/v1/kpi/cashless').query({ from: '2026-13-01' })).status).toBe(400);
  });

  it('uses the default target 5 → 10 when the municipality settings have none', async () => {
    const t = await createTestApp();
    try {
      const settings = t.directory.get('990001')!;
      const { cashless: _dropped, ...kpi } = settings.kpi;
      Object.assign(settings, { kpi });
      const answer = await request(t.app.getHttpServer()).get('/api/v1/kpi/cashless').expect(200);
      expect(answer.body).toMatchObject({ baseline: { count: 5, date: null }, target: { count: 10, date: null }, feePayments: 0, cashlessShare: null });
    } finally {
      await t.close();
    }
  });
});
