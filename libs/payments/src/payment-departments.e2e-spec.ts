import { asMunicipalityId } from '@madoguchi/kernel';
import request from 'supertest';
import { OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY } from '../../../test/support/test-app';
import { type Caller, CITY, PaymentsDriver, TEST_CARDS } from '../../../test/support/payments-driver';
import { publishTestZeimuCertificate, TEST_CERTIFICATE, TEST_ZEIMU_CERTIFICATE } from '../../../test/support/test-procedures';

const OTHER = asMunicipalityId(OTHER_MUNICIPALITY);

/** Parses the export: BOM, CRLF, header, rows (no quoted fields are expected here). */
function parseCsv(text: string): Array<Record<string, string>> {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const [header, ...lines] = text.slice(1).split('\r\n').filter(Boolean);
  const columns = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, index) => [columns[index], value])));
}

/**
 * Whose money staff may touch (issue 10): a payment belongs to the department
 * of its application (`applications.department`), and staff reach only their
 * own departments' payments, as they reach only their own departments' cases.
 * 会計課 (`accountant`) is declared municipality-wide on the money routes.
 * Anything out of reach is "not found", never "forbidden", so existence does
 * not leak; another municipality's payments are out of everyone's reach.
 */
describe('money of one department is out of reach of another (real HTTP, real PostgreSQL)', () => {
  let d: PaymentsDriver;

  beforeAll(async () => {
    d = await PaymentsDriver.start();
    // The same fee owned by 税務課, so there is money of two departments.
    await publishTestZeimuCertificate(d.t, [SAMPLE_MUNICIPALITY]);
    d.t.clock.set(new Date('2026-11-24T01:00:00Z'));
  });
  afterAll(() => d.close());
  afterEach(() => expect(d.unhandledErrors()).toEqual([]));

  const refund = (caller: Caller, paymentId: string, amount = 300) =>
    request(d.server).post(`/api/v1/staff/payments/${paymentId}/refunds`).auth(caller.token, { type: 'bearer' }).send({ amount, reason: '二重納付' });
  const exportDay = (caller: Caller, date: string) => request(d.server).get('/api/v1/payments/export.csv').query({ date }).auth(caller.token, { type: 'bearer' });

  /** An online card payment of 300 yen per copy for a procedure of shimin or zeimu. */
  const paidByCard = async (procedureCode: string, copies = 1): Promise<{ id: string; paymentId: string }> => {
    const resident = await d.resident();
    const id = await d.submitted(resident, copies, procedureCode);
    const started = await d.started(resident, id, 'card');
    await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
    await d.settle();
    expect(await d.state(id)).toBe('underReview');
    return { id, paymentId: started.paymentId };
  };

  const paymentRow = async (paymentId: string) =>
    (
      (await d.t.dataSource.query(`SELECT status, captured_amount, refunded_amount, updated_at FROM payments WHERE id = $1`, [paymentId])) as Array<
        Record<string, unknown>
      >
    )[0];

  it("a manager of 税務課 cannot refund 市民課's payment: 404, no refund row, the payment unchanged, the money still held", async () => {
    const shimin = await paidByCard(TEST_CERTIFICATE, 2);
    const before = await paymentRow(shimin.paymentId);
    const zeimuManager = await d.staff(['manager'], ['zeimu']);

    const answer = await refund(zeimuManager, shimin.paymentId);
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 404, code: 'PAYMENT_NOT_FOUND' });
    await d.settle();

    expect(await d.refundRows(shimin.id)).toEqual([]);
    expect(await paymentRow(shimin.paymentId)).toEqual(before);
    await d.expectAccounted(shimin.id, { paid: 1, holds: 600 });
    // And "not found" is all it says: the same as for a payment that does not exist.
    const unknown = await refund(zeimuManager, '00000000-0000-4000-8000-00000000beef');
    expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 404, code: 'PAYMENT_NOT_FOUND' });
  });

  it("a manager refunds the payments of the manager's own departments; an accountant refunds any department's", async () => {
    const shimin = await paidByCard(TEST_CERTIFICATE, 2);
    const zeimu = await paidByCard(TEST_ZEIMU_CERTIFICATE, 2);
    const shiminManager = await d.staff(['manager'], ['shimin']);
    const accountant = await d.staff(['accountant']);

    expect((await refund(shiminManager, shimin.paymentId)).status).toBe(201);
    const refused = await refund(shiminManager, zeimu.paymentId);
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 404, code: 'PAYMENT_NOT_FOUND' });
    // 会計課 holds no department of its own: its reach is declared municipality-wide.
    expect((await refund(accountant, zeimu.paymentId)).status).toBe(201);
    expect((await refund(accountant, shimin.paymentId)).status).toBe(201);
    await d.settle();

    await d.expectAccounted(shimin.id, { paid: 1, holds: 0 });
    await d.expectAccounted(zeimu.id, { paid: 1, holds: 300 });
  });

  it('another municipality’s payments are not found by its managers and accountants', async () => {
    const shimin = await paidByCard(TEST_CERTIFICATE);
    const before = await paymentRow(shimin.paymentId);
    for (const caller of [await d.staff(['manager'], ['shimin'], OTHER), await d.staff(['accountant'], [], OTHER)]) {
      const answer = await refund(caller, shimin.paymentId);
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 404, code: 'PAYMENT_NOT_FOUND' });
      const csv = await exportDay(caller, '2026-11-24').expect(200);
      expect(csv.text).not.toContain(shimin.paymentId);
    }
    expect(await d.refundRows(shimin.id)).toEqual([]);
    expect(await paymentRow(shimin.paymentId)).toEqual(before);
  });

  it("the accounting CSV of a department's manager holds that department's rows only; an accountant's holds every department's", async () => {
    d.t.clock.set(new Date('2026-11-25T01:00:00Z'));
    const shimin = await paidByCard(TEST_CERTIFICATE, 1);
    const zeimu = await paidByCard(TEST_ZEIMU_CERTIFICATE, 2);
    const accountant = await d.staff(['accountant']);
    expect((await refund(accountant, zeimu.paymentId, 300)).status).toBe(201);
    await d.settle();

    const rowsOf = async (caller: Caller) => parseCsv((await exportDay(caller, '2026-11-25').expect(200)).text).map((row) => [row.kind, row.procedure_code, row.payment_id, row.amount]);
    expect(await rowsOf(await d.staff(['manager'], ['shimin']))).toEqual([['payment', TEST_CERTIFICATE, shimin.paymentId, '300']]);
    expect(await rowsOf(await d.staff(['manager'], ['zeimu']))).toEqual([
      ['payment', TEST_ZEIMU_CERTIFICATE, zeimu.paymentId, '600'],
      ['refund', TEST_ZEIMU_CERTIFICATE, zeimu.paymentId, '-300'],
    ]);
    expect(await rowsOf(await d.staff(['manager'], ['shimin', 'zeimu']))).toHaveLength(3);
    expect(await rowsOf(accountant)).toEqual([
      ['payment', TEST_CERTIFICATE, shimin.paymentId, '300'],
      ['payment', TEST_ZEIMU_CERTIFICATE, zeimu.paymentId, '600'],
      ['refund', TEST_ZEIMU_CERTIFICATE, zeimu.paymentId, '-300'],
    ]);
    // An administrator of no department is no accountant: the export holds nothing of anyone's.
    expect(await rowsOf(await d.staff(['administrator']))).toEqual([]);
    // What each export covered is in the audit log.
    const audited: Array<{ details: { rows: number; departments: string[] | 'all' } }> = await d.t.dataSource.query(
      `SELECT details FROM audit_log WHERE action = 'export.created' AND municipality_id = $1 AND details->>'date' = '2026-11-25' ORDER BY seq`,
      [CITY],
    );
    expect(audited.map((entry) => [entry.details.rows, entry.details.departments])).toEqual([
      [1, ['shimin']],
      [2, ['zeimu']],
      [3, ['shimin', 'zeimu']],
      [3, 'all'],
      [0, []],
    ]);
  });

  it("a desk refund of 市民課's counter payment is handed back by 市民課's desk or by 会計課, not by 税務課's desk", async () => {
    const resident = await d.resident();
    const id = await d.submitted(resident, 1, TEST_CERTIFICATE);
    const shiminClerk = await d.staff(['clerk'], ['shimin']);
    const zeimuClerk = await d.staff(['clerk'], ['zeimu']);
    const accountant = await d.staff(['accountant']);
    const taken = await request(d.server)
      .post(`/api/v1/staff/applications/${id}/payments/counter`)
      .auth(shiminClerk.token, { type: 'bearer' })
      .send({ method: 'cash', amountReceived: 300 })
      .expect(201);
    const paymentId = taken.body.paymentId as string;
    // The accountant decides the refund (any department's), the desk hands it back.
    const decided = await refund(accountant, paymentId).expect(201);
    const paidOut = (caller: Caller) =>
      request(d.server).post(`/api/v1/staff/payments/${paymentId}/refunds/${decided.body.id as string}/paid`).auth(caller.token, { type: 'bearer' }).send({});

    const refused = await paidOut(zeimuClerk);
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 404, code: 'PAYMENT_NOT_FOUND' });
    expect((await d.refundRows(id)).map((row) => row.status)).toEqual(['payableAtCounter']);
    const done = await paidOut(accountant);
    expect({ status: done.status, refundStatus: done.body.status }).toEqual({ status: 200, refundStatus: 'succeeded' });
    // 税務課's desk cannot take 市民課's fee either: the application is not found.
    const other = await d.submitted(resident, 1, TEST_CERTIFICATE);
    const foreign = await request(d.server).post(`/api/v1/staff/applications/${other}/payments/counter`).auth(zeimuClerk.token, { type: 'bearer' }).send({ method: 'cash', amountReceived: 300 });
    expect({ status: foreign.status, code: foreign.body.code }).toEqual({ status: 404, code: 'APPLICATION_NOT_FOUND' });
    expect(await d.paymentRows(other)).toEqual([]);
  });
});
