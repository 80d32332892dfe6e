import request from 'supertest';
import { type Caller, CITY, HOUR, MINUTE, PaymentsDriver, TEST_CARDS } from '../../../test/support/payments-driver';
import { PaymentsService } from './payments.service';
import { ProcedurePublishingService, ProcedureRegistry } from '@madoguchi/procedures';
import { TEST_CERTIFICATE } from '../../../test/support/test-procedures';

/**
 * Where money could go missing: payment after the deadline, refunds (too
 * large, concurrent, on withdrawal and rejection), amounts tampered with by
 * the client or mangled at the provider, and who may do what.
 */
describe('payments and money (real HTTP, real PostgreSQL)', () => {
  let d: PaymentsDriver;
  let manager: Caller;

  beforeAll(async () => {
    d = await PaymentsDriver.start();
  });
  afterAll(() => d.close());
  beforeEach(async () => {
    // Tokens last 15 minutes and some tests move the clock by days.
    manager = await d.staff(['manager'], ['shimin']);
  });
  afterEach(async () => {
    Object.assign(d.simulator.faults, { duplicate: false, reorder: false, dropRate: 0, hold: false });
    expect(d.unhandledErrors()).toEqual([]);
  });

  const refund = (paymentId: string, body: Record<string, unknown>, caller: Caller = manager) =>
    request(d.server).post(`/api/v1/staff/payments/${paymentId}/refunds`).auth(caller.token, { type: 'bearer' }).send(body);

  const paidByCard = async (copies = 2): Promise<{ resident: Caller; id: string; paymentId: string }> => {
    const resident = await d.resident();
    const id = await d.submitted(resident, copies);
    const started = await d.started(resident, id, 'card');
    await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
    await d.settle();
    expect(await d.state(id)).toBe('underReview');
    return { resident, id, paymentId: started.paymentId };
  };

  describe('payment after the deadline', () => {
    it('a slip paid just before the deadline whose news arrives after it: the application expires, the money goes back', async () => {
      const resident = await d.resident();
      const id = await d.submitted(resident);
      await d.settle();
      const started = await d.started(resident, id, 'konbini');
      d.simulator.faults.hold = true;
      d.t.clock.advance(24 * HOUR - MINUTE);
      await d.payAtKonbini(started.konbini!.paymentNumber).expect(200);

      // The deadline timer fires before the webhook is delivered.
      d.t.clock.advance(2 * MINUTE);
      await d.fireTimers();
      expect(await d.state(id)).toBe('expired');

      d.simulator.faults.hold = false;
      await d.settle();
      expect(await d.state(id)).toBe('expired');
      expect(await d.paymentRows(id)).toEqual([expect.objectContaining({ status: 'succeeded', captured_amount: 300, refunded_amount: 300 })]);
      expect(await d.refundRows(id)).toEqual([{ amount: 300, status: 'succeeded', cause: 'application.closed' }]);
      await d.expectAccounted(id, { paid: 0, holds: 0 });
      expect(await d.money(id)).toMatchObject({ captured: 300, refunded: 300 });
    });

    it('a card page left open past the deadline: the payment ends at the provider, paying there is refused', async () => {
      const resident = await d.resident();
      const id = await d.submitted(resident);
      const started = await d.started(resident, id, 'card');
      const path = new URL(started.redirectUrl!).pathname;
      d.t.clock.advance(24 * HOUR + MINUTE);
      await d.fireTimers();
      await d.settle(); // application.expired: cancel at the provider, which finds its own deadline passed
      expect(await d.state(id)).toBe('expired');
      expect(await d.paymentRows(id)).toEqual([expect.objectContaining({ status: 'expired' })]);
      // The hosted page shows the outcome instead of a form, and a form posted anyway is refused.
      const page = await request(d.server).get(path).expect(200);
      expect(page.text).toContain('お支払い期限を過ぎました');
      expect(page.text).not.toContain('<form');
      const posted = await request(d.server).post(`${path}/card`).type('form').send({ number: TEST_CARDS.success, expiry: '12/34', cvc: '123' });
      expect(posted.status).toBe(409);
      await d.settle();
      await d.expectAccounted(id, { paid: 0, holds: 0 });
    });

    it('refuses to start paying after the deadline, even before the timer has fired', async () => {
      const resident = await d.resident();
      const id = await d.submitted(resident);
      d.t.clock.advance(24 * HOUR);
      const late = await d.startPayment(await d.refresh(resident), id, { method: 'card' });
      expect({ status: late.status, code: late.body.code }).toEqual({ status: 409, code: 'PAYMENT_DEADLINE_PASSED' });
      await d.fireTimers();
      await d.settle();
      expect(await d.state(id)).toBe('expired');
      await d.expectAccounted(id, { paid: 0, holds: 0 });
    });

    it('the application expires with a slip open: the slip is cancelled at the provider', async () => {
      const resident = await d.resident();
      const id = await d.submitted(resident);
      const started = await d.started(resident, id, 'konbini');
      // The provider's slip outlives ours by a little here, as a real one may.
      await d.t.dataSource.query(`UPDATE sim_payments SET expires_at = expires_at + interval '1 hour' WHERE konbini_payment_number = $1`, [started.konbini!.paymentNumber]);
      d.t.clock.advance(24 * HOUR + MINUTE);
      await d.fireTimers();
      await d.settle();
      expect(await d.paymentRows(id)).toEqual([expect.objectContaining({ status: 'cancelled' })]);
      await d.payAtKonbini(started.konbini!.paymentNumber).expect(409);
      await d.expectAccounted(id, { paid: 0, holds: 0 });
    });

    it('paid on the card page in the last minute, the news arriving after expiry: the cancel finds it paid, refunded automatically', async () => {
      const resident = await d.resident();
      const id = await d.submitted(resident);
      await d.settle();
      const started = await d.started(resident, id, 'card');
      d.t.clock.advance(24 * HOUR - MINUTE);
      // The provider's own deadline for the page is the application's: pay within it...
      await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
      d.simulator.faults.hold = true;
      d.t.clock.advance(2 * MINUTE);
      // ...but the timer fires and the cancel runs before any webhook arrives.
      await d.fireTimers();
      await d.runOutbox();
      d.simulator.faults.hold = false;
      await d.settle();
      expect(await d.state(id)).toBe('expired');
      expect(await d.refundRows(id)).toEqual([{ amount: 300, status: 'succeeded', cause: 'application.closed' }]);
      await d.expectAccounted(id, { paid: 0, holds: 0 });
    });
  });

  describe('refunds by staff', () => {
    it('refuses a refund larger than the payment (422), then refunds in parts down to zero', async () => {
      const { id, paymentId } = await paidByCard(2);
      const tooMuch = await refund(paymentId, { amount: 601, reason: '誤って入金' });
      expect({ status: tooMuch.status, code: tooMuch.body.code, details: tooMuch.body.details }).toEqual({
        status: 422,
        code: 'PAYMENT_REFUND_EXCEEDS_REMAINING',
        details: { requested: 601, remaining: 600 },
      });
      expect(tooMuch.body.message).toEqual({ ja: expect.stringContaining('600円'), en: expect.any(String) });

      const part = await refund(paymentId, { amount: 200, reason: '1通分の取消し' });
      expect(part.status).toBe(201);
      expect(part.body).toMatchObject({ amount: 200, status: 'succeeded', reason: '1通分の取消し' });
      expect((await refund(paymentId, { amount: 401, reason: 'x' })).body.details).toEqual({ requested: 401, remaining: 400 });
      expect((await refund(paymentId, { amount: 400, reason: '残額' })).status).toBe(201);
      expect((await refund(paymentId, { amount: 1, reason: 'x' })).status).toBe(422);
      await d.settle();
      await d.expectAccounted(id, { paid: 1, holds: 0 });
      expect(await d.money(id)).toMatchObject({ captured: 600, refunded: 600 });
    });

    it('two concurrent refunds cannot together exceed the capture', async () => {
      const { id, paymentId } = await paidByCard(2);
      const answers = await Promise.all([refund(paymentId, { amount: 400, reason: 'A' }), refund(paymentId, { amount: 400, reason: 'B' })]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 422]);
      await d.settle();
      await d.expectAccounted(id, { paid: 1, holds: 200 });

      // Ten at once of 100 on the 200 left: exactly two go through.
      const many = await Promise.all(Array.from({ length: 10 }, (_, index) => refund(paymentId, { amount: 100, reason: `R${index}` })));
      expect(many.filter((answer) => answer.status === 201)).toHaveLength(2);
      expect(many.filter((answer) => answer.status === 422)).toHaveLength(8);
      await d.settle();
      await d.expectAccounted(id, { paid: 1, holds: 0 });
    });

    it('refuses to refund a payment that was not captured, and refuses other roles', async () => {
      const resident = await d.resident();
      const id = await d.submitted(resident);
      const started = await d.started(resident, id, 'konbini');
      const open = await refund(started.paymentId, { amount: 100, reason: 'x' });
      expect({ status: open.status, code: open.body.code }).toEqual({ status: 409, code: 'PAYMENT_NOT_CAPTURED' });
      const clerk = await d.staff(['clerk'], ['shimin']);
      expect((await refund(started.paymentId, { amount: 100, reason: 'x' }, clerk)).status).toBe(403);
      expect((await refund(started.paymentId, { amount: 100, reason: 'x' }, resident)).status).toBe(403);
      expect((await refund('00000000-0000-4000-8000-000000000000', { amount: 100, reason: 'x' })).status).toBe(404);
      for (const body of [{ amount: 0, reason: 'x' }, { amount: 1.5, reason: 'x' }, { amount: '100', reason: 'x' }, { amount: 100 }, { amount: 100, reason: '' }, { amount: 100, reason: 'x', extra: 1 }]) {
        const invalid = await refund(started.paymentId, body);
        expect({ body, status: invalid.status, code: invalid.body.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
      }
      await d.expectAccounted(id, { paid: 0, holds: 0 });
    });
  });

  describe('refunds by the procedure rule', () => {
    it('withdrawn after payment: refunded in full', async () => {
      const { resident, id } = await paidByCard(1);
      await request(d.server).post(`/api/v1/applications/${id}/withdraw`).auth(resident.token, { type: 'bearer' }).send({ reason: '不要になった' }).expect(200);
      await d.settle();
      expect(await d.state(id)).toBe('withdrawn');
      expect(await d.refundRows(id)).toEqual([{ amount: 300, status: 'succeeded', cause: 'application.withdrawn' }]);
      // The handler ran twice (at least once delivery): still one refund.
      await d.t.get(PaymentsService).closeApplication(CITY, id, 'withdrawn');
      await d.settle();
      expect(await d.refundRows(id)).toHaveLength(1);
      await d.expectAccounted(id, { paid: 1, holds: 0 });
    });

    it('rejected after payment: refunded in full', async () => {
      const { id } = await paidByCard(1);
      const reviewer = await d.staff(['reviewer'], ['shimin']);
      await request(d.server)
        .post(`/api/v1/staff/applications/${id}/events`)
        .auth(reviewer.token, { type: 'bearer' })
        .send({ type: 'staff.reject', payload: { reason: '請求の要件を満たしていません' } })
        .expect(200);
      await d.settle();
      expect(await d.state(id)).toBe('rejected');
      expect(await d.refundRows(id)).toEqual([{ amount: 300, status: 'succeeded', cause: 'application.rejected' }]);
      await d.expectAccounted(id, { paid: 1, holds: 0 });
    });

    it('a procedure that keeps the fee on withdrawal: nothing refunded, the money stays accounted for', async () => {
      // Runs on a new version; applications already paid on version 1 keep their rule.
      const latest = await d.t.get(ProcedureRegistry).latest(CITY, TEST_CERTIFICATE);
      await d.t.get(ProcedurePublishingService).publish(
        CITY,
        { ...latest.definition, version: latest.definition.version + 1, fee: { ...latest.definition.fee, refunds: { onWithdrawal: 'none', onRejection: 'full' } } },
        'test',
      );
      const { resident, id } = await paidByCard(1);
      await request(d.server).post(`/api/v1/applications/${id}/withdraw`).auth(resident.token, { type: 'bearer' }).send({}).expect(200);
      await d.settle();
      expect(await d.state(id)).toBe('withdrawn');
      expect(await d.refundRows(id)).toEqual([]);
      await d.expectAccounted(id, { paid: 1, holds: 300 });
    });


    it('withdrawn while a slip is open: the slip is cancelled and can no longer be paid', async () => {
      const resident = await d.resident();
      const id = await d.submitted(resident);
      const started = await d.started(resident, id, 'konbini');
      await request(d.server).post(`/api/v1/applications/${id}/withdraw`).auth(resident.token, { type: 'bearer' }).send({}).expect(200);
      await d.settle();
      expect(await d.paymentRows(id)).toEqual([expect.objectContaining({ status: 'cancelled' })]);
      await d.payAtKonbini(started.konbini!.paymentNumber).expect(409);
      await d.expectAccounted(id, { paid: 0, holds: 0 });
    });
  });

  describe('the amount is the server’s', () => {
    it('refuses an amount sent by the client as an unknown field', async () => {
      const resident = await d.resident();
      const id = await d.submitted(resident, 3);
      for (const body of [{ method: 'card', amount: 1 }, { method: 'card', fee: { amount: 1 } }]) {
        const tampered = await d.startPayment(resident, id, body);
        expect({ status: tampered.status, code: tampered.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      }
      expect((await d.startPayment(resident, id, { method: 'cash' })).status).toBe(400);
      expect((await d.startPayment(resident, id, {})).status).toBe(400);
      await d.runOutbox();
      const started = await d.started(resident, id, 'card');
      expect(started.amount).toBe(900);
      // An amount added to the hosted page's form is ignored too.
      await d.payByCard(started.redirectUrl!, TEST_CARDS.success, { amount: '1' });
      await d.settle();
      expect(await d.paymentRows(id)).toEqual([expect.objectContaining({ amount: 900, captured_amount: 900 })]);
      await d.expectAccounted(id, { paid: 1, holds: 900 });
    });

    it('a capture of another amount at the provider does not pay the application; it is refunded', async () => {
      const resident = await d.resident();
      const id = await d.submitted(resident, 2);
      const started = await d.started(resident, id, 'paypay');
      const [row] = await d.paymentRows(id);
      // Someone altered the amount at the provider's side.
      await d.t.dataSource.query(`UPDATE sim_payments SET amount = 1 WHERE id = $1`, [row.provider_payment_id]);
      await d.payByQrApp(started.redirectUrl!);
      await d.settle();
      expect(await d.state(id)).toBe('awaitingPayment');
      expect(await d.refundRows(id)).toEqual([{ amount: 1, status: 'succeeded', cause: 'amount.mismatch' }]);
      await d.expectAccounted(id, { paid: 0, holds: 0 });
    });
  });

  describe('who may pay what', () => {
    it('only the applicant, only while payment is due', async () => {
      const owner = await d.resident();
      const other = await d.resident();
      const id = await d.submitted(owner);
      for (const answer of [await d.startPayment(other, id, { method: 'card' }), await d.listPayments(other, id)]) {
        expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 404, code: 'APPLICATION_NOT_FOUND' });
      }
      expect((await d.startPayment(owner, 'not-a-uuid', { method: 'card' })).status).toBe(400);
      expect((await request(d.server).post(`/api/v1/applications/${id}/payments`).send({ method: 'card' })).status).toBe(401);
      const manager2 = await d.staff(['manager']);
      expect((await d.startPayment(manager2, id, { method: 'card' })).status).toBe(403);

      const draft = await request(d.server).post('/api/v1/applications').auth(owner.token, { type: 'bearer' }).send({ procedureCode: 'test-certificate', formData: {} }).expect(201);
      const notDue = await d.startPayment(owner, draft.body.id, { method: 'card' });
      expect({ status: notDue.status, code: notDue.body.code, state: notDue.body.details?.state }).toEqual({ status: 409, code: 'PAYMENT_NOT_DUE', state: 'draft' });
      expect((await d.paymentRows(draft.body.id)).length).toBe(0);
      await d.expectAccounted(id, { paid: 0, holds: 0 });
    });
  });
});
