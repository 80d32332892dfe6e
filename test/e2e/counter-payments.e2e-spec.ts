import { SessionService, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId, type MunicipalityId } from '@madoguchi/kernel';
import { RefundsService } from '@madoguchi/payments';
import type { StaffRole } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { expectError } from '../support/identity-e2e';
import { CITY, PaymentsDriver, TEST_CARDS } from '../support/payments-driver';
import { OTHER_MUNICIPALITY } from '../support/test-app';

/**
 * Fees taken at the counter (窓口収納), over HTTP on a real PostgreSQL: a
 * walk-in entered at the counter pays 住民票 in cash and gets change and a
 * receipt number; terminals take the exact fee; an online attempt never
 * captures alongside; two desks at once make one payment; the accounting CSV
 * and the cashless KPI see it; a refund after withdrawal or rejection waits
 * at the desk and never reaches the provider.
 */

const M2 = asMunicipalityId(OTHER_MUNICIPALITY);
const JUMINHYO_FORM = { scope: '本人のみ', purpose: '学校への提出' };
const CERTIFICATE_REVENUE_ACCOUNT = '14-02-01-01';

interface Caller {
  kind: 'resident' | 'staff';
  id: string;
  municipalityId: MunicipalityId;
}

describe('counter payments (窓口収納): HTTP, real PostgreSQL', () => {
  let d: PaymentsDriver;
  const tokens = new Map<string, { token: string; expiresAt: number }>();

  let clerk: Caller;
  let secondClerk: Caller;
  let reviewer: Caller;
  let approver: Caller;
  let manager: Caller;
  let zeimuClerk: Caller;
  let otherClerk: Caller;

  /** A session issued the way sign-in issues one, renewed when the moved clock expired the last. */
  async function token(caller: Caller): Promise<string> {
    const key = `${caller.kind}:${caller.id}`;
    const cached = tokens.get(key);
    if (cached && cached.expiresAt > d.t.clock.now().getTime()) return cached.token;
    const issued = await d.t.get(SessionService).issue(caller.municipalityId, { kind: caller.kind, id: caller.id }, 'bearer', 'password');
    tokens.set(key, { token: issued.accessToken, expiresAt: issued.accessExpiresAt.getTime() });
    return issued.accessToken;
  }

  async function as(caller: Caller | null, method: 'get' | 'post' | 'put', path: string, body?: object, headers: Record<string, string> = {}): Promise<request.Response> {
    let pending = request(d.server)[method](path).set(headers);
    if (caller) pending = pending.auth(await token(caller), { type: 'bearer' });
    return body === undefined ? pending : pending.send(body);
  }

  async function ok(response: request.Response | Promise<request.Response>, status: number): Promise<request.Response> {
    const answered = await response;
    if (answered.status !== status) throw new Error(`expected ${status}, got ${answered.status} ${JSON.stringify(answered.body)}`);
    return answered;
  }

  async function staff(roles: StaffRole[], departments: string[], municipalityId: MunicipalityId = CITY): Promise<Caller> {
    const { account } = await d.t.get(StaffAdminService).create(municipalityId, 'test-setup', {
      loginId: `desk-${randomUUID().slice(0, 8)}`,
      password: 'correct-horse-battery-staple',
      displayName: '窓口職員',
      roles,
      approvalLevel: roles.includes('approver') ? 'kacho' : null,
      departments,
      active: true,
    });
    return { kind: 'staff', id: account.id, municipalityId };
  }

  async function resident(): Promise<Caller> {
    const created = await d.resident();
    return { kind: 'resident', id: created.id, municipalityId: CITY };
  }

  /** A walk-in without an account: 住民票 entered at the counter, identity seen, submitted; the worker has run. */
  async function walkIn(copies = 1): Promise<{ id: string; revision: number }> {
    const created = await ok(as(clerk, 'post', '/api/v1/staff/counter/applications', { procedureCode: 'juminhyo', formData: { ...JUMINHYO_FORM, copies } }), 201);
    const id = created.body.id as string;
    await ok(as(clerk, 'post', `/api/v1/staff/counter/applications/${id}/identity`, { method: 'driversLicense' }), 201);
    const submitted = await ok(as(clerk, 'post', `/api/v1/staff/counter/applications/${id}/submit`, { revision: created.body.revision }), 200);
    expect(submitted.body).toMatchObject({ channel: 'counter', state: 'awaitingPayment', fee: 300 * copies, applicantId: null });
    await d.settle();
    return { id, revision: submitted.body.revision as number };
  }

  /** The test certificate, submitted online by a resident; the worker has run. */
  async function submittedOnline(copies = 1): Promise<{ owner: Caller; id: string }> {
    const owner = await resident();
    const id = await d.submitted({ id: owner.id, token: await token(owner) }, copies);
    await d.settle();
    return { owner, id };
  }

  const pay = (caller: Caller | null, id: string, body: object, headers: Record<string, string> = {}) =>
    as(caller, 'post', `/api/v1/staff/applications/${id}/payments/counter`, body, headers);

  const payOut = (caller: Caller | null, paymentId: string, refundId: string, headers: Record<string, string> = {}) =>
    as(caller, 'post', `/api/v1/staff/payments/${paymentId}/refunds/${refundId}/paid`, {}, headers);

  async function counterPayments(id: string): Promise<Array<{ id: string; method: string; amount: number; captured_amount: number; refunded_amount: number; status: string }>> {
    return d.t.dataSource.query(
      `SELECT id, method, amount, captured_amount, refunded_amount, status FROM payments WHERE application_id = $1 AND provider = 'counter'`,
      [id],
    );
  }

  async function receiptSeqs(): Promise<number[]> {
    const rows: Array<{ receipt_seq: number }> = await d.t.dataSource.query(`SELECT receipt_seq FROM counter_receipts WHERE municipality_id = $1 ORDER BY receipt_seq`, [CITY]);
    return rows.map((row) => row.receipt_seq);
  }

  async function audited(action: string, targetId: string): Promise<Array<{ actor_id: string; details: Record<string, unknown> }>> {
    await d.runOutbox();
    return d.t.dataSource.query(`SELECT actor_id, details FROM audit_log WHERE action = $1 AND target_id = $2 ORDER BY seq`, [action, targetId]);
  }

  async function providerCalls(): Promise<{ simRefunds: number; refundMessages: number }> {
    const [row] = await d.t.dataSource.query(`SELECT
        (SELECT count(*)::int FROM sim_refunds) AS "simRefunds",
        (SELECT count(*)::int FROM outbox WHERE topic = 'payment.refund') AS "refundMessages"`);
    return row;
  }

  /** Refused with the code, and no counter payment nor receipt written. */
  async function refused(send: () => Promise<request.Response>, status: number, code: string, id?: string): Promise<request.Response> {
    const before = await receiptSeqs();
    const response = await send();
    expectError(response, status, code);
    expect(await receiptSeqs()).toEqual(before);
    if (id) expect(await counterPayments(id)).toEqual([]);
    return response;
  }

  beforeAll(async () => {
    d = await PaymentsDriver.start();
    clerk = await staff(['clerk'], ['shimin']);
    secondClerk = await staff(['clerk'], ['shimin']);
    reviewer = await staff(['reviewer'], ['shimin']);
    approver = await staff(['approver'], ['shimin']);
    manager = await staff(['manager'], ['shimin']);
    zeimuClerk = await staff(['clerk'], ['zeimu']);
    otherClerk = await staff(['clerk'], ['shimin'], M2);
  });
  afterAll(() => d.close());
  afterEach(() => {
    Object.assign(d.simulator.faults, { duplicate: false, reorder: false, dropRate: 0, hold: false });
    expect(d.unhandledErrors()).toEqual([]);
  });

  describe('taking the fee', () => {
    it('a walk-in pays 住民票 in cash: change, a receipt number, the application moves on and the online attempt ends', async () => {
      const { id, revision } = await walkIn(2);
      // The worker prepared an online attempt at the provider, as for every application waiting for its fee.
      const [online] = await d.paymentRows(id);
      expect(online).toMatchObject({ status: 'created', amount: 600, provider_payment_id: expect.any(String) });

      const paid = await ok(pay(clerk, id, { method: 'cash', amountReceived: 1000, revision }), 201);
      expect(paid.body).toEqual({
        paymentId: expect.any(String),
        applicationId: id,
        receiptNumber: 'C2026-000001',
        method: 'cash',
        amount: 600,
        amountReceived: 1000,
        change: 400,
        receivedBy: clerk.id,
        receivedAt: d.t.clock.now().toISOString(),
        applicationState: 'underReview',
        applicationRevision: revision + 1,
      });
      expect(await d.state(id)).toBe('underReview');
      expect(await counterPayments(id)).toEqual([{ id: paid.body.paymentId, method: 'cash', amount: 600, captured_amount: 600, refunded_amount: 0, status: 'succeeded' }]);
      // The online attempt was cancelled at the provider, so nobody can pay it there any more.
      expect((await d.paymentRows(id)).map((row) => [row.attempt, row.method, row.status])).toEqual([
        [1, null, 'cancelled'],
        [2, 'cash', 'succeeded'],
      ]);
      const [atProvider] = await d.t.dataSource.query(`SELECT status FROM sim_payments WHERE id = $1`, [online.provider_payment_id]);
      expect(atProvider.status).toBe('cancelled');

      // The application's event names the staff member and the payment; the receipt row who took how much.
      const [event] = await d.t.dataSource.query(
        `SELECT actor_kind, actor_id, payload FROM application_events WHERE application_id = $1 AND type = 'payment.succeeded'`,
        [id],
      );
      expect(event).toEqual({ actor_kind: 'staff', actor_id: clerk.id, payload: { paymentId: paid.body.paymentId, amount: 600, method: 'cash' } });
      const [receipt] = await d.t.dataSource.query(`SELECT * FROM counter_receipts WHERE payment_id = $1`, [paid.body.paymentId]);
      expect(receipt).toMatchObject({ fiscal_year: 2026, receipt_seq: 1, amount_due: 600, amount_received: 1000, change_given: 400, received_by: clerk.id });
      expect(await d.money(id)).toMatchObject({ events: 600, rows: 600, captured: 600, refunded: 0 });
      expect(await d.paidTransitions(id)).toBe(1);

      // Audited with ids and amounts only.
      expect(await audited('payment.counter.received', paid.body.paymentId)).toEqual([
        {
          actor_id: clerk.id,
          details: { applicationId: id, receiptNumber: 'C2026-000001', method: 'cash', amount: 600, amountReceived: 1000, change: 400 },
        },
      ]);
      await d.settle();
      expect(await d.state(id)).toBe('underReview');
    });

    it('a terminal takes exactly the fee; short cash and a wrong terminal amount are 422; malformed input 400; nothing written', async () => {
      const { id } = await submittedOnline(1);
      await refused(() => pay(clerk, id, { method: 'cash', amountReceived: 299 }), 422, 'PAYMENT_COUNTER_AMOUNT_INSUFFICIENT', id);
      const short = await refused(() => pay(clerk, id, { method: 'cardTerminal', amountReceived: 200 }), 422, 'PAYMENT_COUNTER_AMOUNT_INSUFFICIENT', id);
      expect(short.body.details).toEqual({ due: 300, received: 200 });
      const over = await refused(() => pay(clerk, id, { method: 'qrTerminal', amountReceived: 1000 }), 422, 'PAYMENT_COUNTER_AMOUNT_MISMATCH', id);
      expect(over.body.details).toEqual({ method: 'qrTerminal', due: 300, received: 1000 });
      for (const body of [
        { method: 'bitcoin', amountReceived: 300 },
        { method: 'card', amountReceived: 300 },
        { method: 'cash', amountReceived: '300' },
        { method: 'cash', amountReceived: -1 },
        { method: 'cash', amountReceived: 300.5 },
        { method: 'cash', amountReceived: 100_000_000 },
        { method: 'cash' },
        { method: 'cash', amountReceived: 300, amount: 1 },
        { method: 'cash', amountReceived: 300, revision: 0 },
      ]) {
        await refused(() => pay(clerk, id, body), 400, 'VALIDATION_FAILED', id);
      }
      await refused(() => pay(clerk, 'not-a-uuid', { method: 'cash', amountReceived: 300 }), 400, 'BAD_REQUEST');
      await refused(() => pay(clerk, id, { method: 'cash', amountReceived: 300 }, { 'Idempotency-Key': 'has spaces' }), 400, 'IDEMPOTENCY_KEY_MALFORMED', id);
      expect(await d.state(id)).toBe('awaitingPayment');

      const paid = await ok(pay(reviewer, id, { method: 'cardTerminal', amountReceived: 300 }), 201);
      expect(paid.body).toMatchObject({ method: 'cardTerminal', amount: 300, amountReceived: 300, change: 0, receivedBy: reviewer.id, applicationState: 'underReview' });
      // Numbered on from the previous receipt of the fiscal year.
      expect(paid.body.receiptNumber).toMatch(/^C2026-\d{6}$/);
      const seqs = await receiptSeqs();
      expect(seqs).toEqual(seqs.map((_seq, index) => index + 1));
      expect(paid.body.receiptNumber).toBe(`C2026-${String(seqs.length).padStart(6, '0')}`);
    });

    it('only in awaitingPayment: a paid, withdrawn or changed application is a 409', async () => {
      const { owner, id } = await submittedOnline(1);
      const stale = await refused(() => pay(clerk, id, { method: 'cash', amountReceived: 300, revision: 1 }), 409, 'WORKFLOW_REVISION_CONFLICT', id);
      expect(stale.body.details).toMatchObject({ expectedRevision: 1 });
      const paid = await ok(pay(clerk, id, { method: 'cash', amountReceived: 300 }), 201);
      const again = await refused(() => pay(secondClerk, id, { method: 'cash', amountReceived: 300 }), 409, 'PAYMENT_ALREADY_PAID');
      expect(again.body.details).toEqual({ paymentId: paid.body.paymentId });
      expect(await counterPayments(id)).toHaveLength(1);

      const withdrawn = await submittedOnline(1);
      await ok(as(withdrawn.owner, 'post', `/api/v1/applications/${withdrawn.id}/withdraw`, { reason: '不要になったため' }), 200);
      await d.settle();
      const notDue = await refused(() => pay(clerk, withdrawn.id, { method: 'cash', amountReceived: 300 }), 409, 'PAYMENT_NOT_DUE', withdrawn.id);
      expect(notDue.body.details).toEqual({ state: 'withdrawn' });
      // Nor can the resident start paying online what the desk took.
      expectError(await as(owner, 'post', `/api/v1/applications/${id}/payments`, { method: 'card' }), 409, 'PAYMENT_NOT_DUE');
    });

    it('only clerks and reviewers of the owning department, only in their municipality', async () => {
      const { owner, id } = await submittedOnline(1);
      for (const caller of [approver, manager, owner]) await refused(() => pay(caller, id, { method: 'cash', amountReceived: 300 }), 403, 'AUTH_FORBIDDEN', id);
      await refused(() => pay(null, id, { method: 'cash', amountReceived: 300 }), 401, 'AUTH_UNAUTHENTICATED', id);
      // The test certificate is 市民課's: 税務課 and the other municipality cannot tell it exists.
      for (const caller of [zeimuClerk, otherClerk]) await refused(() => pay(caller, id, { method: 'cash', amountReceived: 300 }), 404, 'APPLICATION_NOT_FOUND', id);
      await refused(() => pay(clerk, randomUUID(), { method: 'cash', amountReceived: 300 }), 404, 'APPLICATION_NOT_FOUND');
      const mismatch = await pay(otherClerk, id, { method: 'cash', amountReceived: 300 }, { 'X-Municipality-Id': CITY });
      expectError(mismatch, 403, 'AUTH_TENANT_MISMATCH');
      expect(await d.state(id)).toBe('awaitingPayment');
    });
  });

  describe('retries and races', () => {
    it('a retry with the same Idempotency-Key gets the same answer and no second payment', async () => {
      const { id } = await walkIn(1);
      const key = { 'Idempotency-Key': `counter-pay-${id}` };
      const first = await ok(pay(clerk, id, { method: 'cash', amountReceived: 500 }, key), 201);
      const retried = await ok(pay(clerk, id, { method: 'cash', amountReceived: 500 }, key), 201);
      expect(retried.body).toEqual(first.body);
      expect(await counterPayments(id)).toHaveLength(1);
      expect(await d.paidTransitions(id)).toBe(1);
      // The key names one request: another body under it is refused; another key finds the fee paid.
      await refused(() => pay(clerk, id, { method: 'cash', amountReceived: 1000 }, key), 422, 'IDEMPOTENCY_KEY_REUSED');
      await refused(() => pay(clerk, id, { method: 'cash', amountReceived: 500 }, { 'Idempotency-Key': `other-${id}` }), 409, 'PAYMENT_ALREADY_PAID');
    });

    it('five desks recording the same fee at once: exactly one payment, the others 409, receipt numbers without gaps', async () => {
      const { id } = await walkIn(1);
      const seqsBefore = await receiptSeqs();
      const desks = [clerk, secondClerk, reviewer, clerk, secondClerk];
      const answers = await Promise.all(
        desks.map((desk, index) => pay(desk, id, { method: 'cash', amountReceived: 1000 }, index % 2 === 0 ? { 'Idempotency-Key': `race-${index}-${id}` } : {})),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409, 409]);
      const winner = answers.find((answer) => answer.status === 201)!;
      for (const loser of answers.filter((answer) => answer.status === 409)) {
        expect(loser.body).toMatchObject({ code: 'PAYMENT_ALREADY_PAID', details: { paymentId: winner.body.paymentId } });
      }
      expect(await counterPayments(id)).toEqual([expect.objectContaining({ id: winner.body.paymentId, status: 'succeeded' })]);
      expect(await d.paidTransitions(id)).toBe(1);
      expect(await receiptSeqs()).toEqual([...seqsBefore, seqsBefore.length + 1]);
    });
  });

  describe('an online payment of the same application', () => {
    it('a card page the resident opened is cancelled at the provider before the desk takes cash; paying there afterwards is refused', async () => {
      const { owner, id } = await submittedOnline(1);
      const started = await d.started({ id: owner.id, token: await token(owner) }, id, 'card');
      await ok(pay(clerk, id, { method: 'cash', amountReceived: 300 }), 201);
      expect((await d.paymentRows(id)).map((row) => [row.method, row.status])).toEqual([
        ['card', 'cancelled'],
        ['cash', 'succeeded'],
      ]);
      // The hosted page shows the outcome instead of a form, and a form posted anyway is refused.
      const path = new URL(started.redirectUrl!).pathname;
      const page = await request(d.server).get(path).expect(200);
      expect(page.text).toContain('お支払いは取り消されました');
      expect(page.text).not.toContain('<form');
      const late = await request(d.server).post(`${path}/card`).type('form').send({ number: TEST_CARDS.success, expiry: '12/34', cvc: '123' });
      expect(late.status).toBe(409);
      await d.settle();
      expect(await d.paidTransitions(id)).toBe(1);
      expect(await d.simulator.balance(CITY)).toMatchObject({ refunded: 0 });
      expect((await d.money(id)).provider).toBe(0);
    });

    it('paid online a moment before, its news not yet arrived: the provider’s answer wins and the desk gets 409', async () => {
      const { owner, id } = await submittedOnline(1);
      const started = await d.started({ id: owner.id, token: await token(owner) }, id, 'card');
      d.simulator.faults.hold = true;
      await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
      expect(await d.state(id)).toBe('awaitingPayment');
      const refusedAnswer = await refused(() => pay(clerk, id, { method: 'cash', amountReceived: 300 }), 409, 'PAYMENT_ALREADY_PAID', id);
      expect(refusedAnswer.body.details).toEqual({ paymentId: started.paymentId });
      expect(await d.state(id)).toBe('underReview');
      d.simulator.faults.hold = false;
      await d.settle();
      await d.expectAccounted(id, { paid: 1, holds: 300 });
    });

    it('while the provider is taking the money (authorised), the desk is refused with 409 naming the payment', async () => {
      const { owner, id } = await submittedOnline(1);
      const started = await d.started({ id: owner.id, token: await token(owner) }, id, 'card');
      d.simulator.faults.hold = true;
      await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
      const [{ provider_payment_id: providerId }] = await d.paymentRows(id);
      // Only the provider's first news has arrived: the card is authorised, the capture not yet reported.
      await d.postWebhook(await d.lastWebhookBody(providerId!, 'payment.authorised')).expect(200);
      expect((await d.paymentRows(id))[0].status).toBe('authorised');
      const open = await refused(() => pay(clerk, id, { method: 'cash', amountReceived: 300 }), 409, 'PAYMENT_ONLINE_PAYMENT_OPEN', id);
      expect(open.body.details).toEqual({ paymentId: started.paymentId, status: 'authorised', method: 'card' });
      d.simulator.faults.hold = false;
      await d.settle();
      expect(await d.state(id)).toBe('underReview');
      await d.expectAccounted(id, { paid: 1, holds: 300 });
    });
  });

  describe('without the provider', () => {
    it('before the worker prepared an online attempt: the desk takes the fee, and the late payment.request creates none', async () => {
      const owner = await resident();
      const id = await d.submitted({ id: owner.id, token: await token(owner) }, 1);
      expect(await d.paymentRows(id)).toEqual([]);
      await ok(pay(clerk, id, { method: 'cash', amountReceived: 500 }), 201);
      await d.settle();
      expect((await d.paymentRows(id)).map((row) => [row.method, row.status])).toEqual([['cash', 'succeeded']]);
      expect(await d.paidTransitions(id)).toBe(1);
    });

    it('an attempt the provider never heard of (it was down) is ended here, and never registered afterwards', async () => {
      const owner = await resident();
      const id = await d.submitted({ id: owner.id, token: await token(owner) }, 1);
      const [application] = await d.t.dataSource.query(`SELECT revision, reference_number FROM applications WHERE id = $1`, [id]);
      const attemptId = randomUUID();
      const now = d.t.clock.now();
      // What the worker leaves behind when the provider did not answer: an attempt of ours only.
      await d.payments.insert(d.t.dataSource.manager, CITY, {
        id: attemptId,
        applicationId: id,
        applicationRevision: application.revision,
        attempt: 1,
        procedureCode: 'test-certificate',
        referenceNumber: application.reference_number,
        revenueAccountCode: CERTIFICATE_REVENUE_ACCOUNT,
        amount: 300,
        method: null,
        status: 'created',
        provider: 'simulated',
        providerPaymentId: null,
        providerVersion: 0,
        redirectUrl: null,
        konbini: null,
        instructions: null,
        capturedAmount: 0,
        refundedAmount: 0,
        failureCode: null,
        expiresAt: new Date(now.getTime() + 24 * 3600_000),
        createdAt: now,
        updatedAt: now,
      });
      await ok(pay(clerk, id, { method: 'qrTerminal', amountReceived: 300 }), 201);
      const [ended] = await d.t.dataSource.query(`SELECT status, failure_code, provider_payment_id FROM payments WHERE id = $1`, [attemptId]);
      expect(ended).toEqual({ status: 'cancelled', failure_code: 'paid_at_counter', provider_payment_id: null });
      await d.reconcile(0);
      await d.settle();
      const atProvider: unknown[] = await d.t.dataSource.query(`SELECT id FROM sim_payments WHERE idempotency_key = $1`, [attemptId]);
      expect(atProvider).toEqual([]);
      expect(await d.paidTransitions(id)).toBe(1);
    });
  });

  describe('reports', () => {
    it('the accounting CSV lists counter payments with method, revenue account and receipt number; the cashless KPI counts terminals, not cash', async () => {
      // A day of its own (2026-12-03 in Japan), so only this test's payments are in it.
      d.t.clock.set(new Date('2026-12-03T01:00:00Z'));
      const cash = await walkIn(1);
      const cashPaid = await ok(pay(clerk, cash.id, { method: 'cash', amountReceived: 10_000 }), 201);
      const card = await submittedOnline(2);
      const cardPaid = await ok(pay(clerk, card.id, { method: 'cardTerminal', amountReceived: 600 }), 201);
      const qr = await submittedOnline(1);
      const qrPaid = await ok(pay(reviewer, qr.id, { method: 'qrTerminal', amountReceived: 300 }), 201);
      const online = await submittedOnline(1);
      const started = await d.started({ id: online.owner.id, token: await token(online.owner) }, online.id, 'card');
      await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
      await d.settle();

      const csv = await ok(as(manager, 'get', '/api/v1/payments/export.csv?date=2026-12-03'), 200);
      const [header, ...lines] = csv.text.slice(1).split('\r\n').filter(Boolean);
      const columns = header.split(',');
      expect(columns.at(-1)).toBe('receipt_number');
      const rows = lines.map((line) => Object.fromEntries(line.split(',').map((value, index) => [columns[index], value])));
      const byPayment = (paymentId: string) => rows.find((row) => row.payment_id === paymentId);
      expect(byPayment(cashPaid.body.paymentId)).toMatchObject({
        kind: 'payment',
        method: 'cash',
        method_group: 'counter',
        revenue_account_code: CERTIFICATE_REVENUE_ACCOUNT,
        procedure_code: 'juminhyo',
        amount: '300',
        provider_payment_id: '',
        receipt_number: cashPaid.body.receiptNumber,
      });
      expect(byPayment(cardPaid.body.paymentId)).toMatchObject({ method: 'cardTerminal', method_group: 'counter', amount: '600', receipt_number: cardPaid.body.receiptNumber });
      expect(byPayment(qrPaid.body.paymentId)).toMatchObject({ method: 'qrTerminal', method_group: 'counter', amount: '300', receipt_number: qrPaid.body.receiptNumber });
      expect(byPayment(started.paymentId)).toMatchObject({ method: 'card', method_group: 'card', receipt_number: '' });
      expect(rows).toHaveLength(4);
      // The change handed back is not revenue: the column sums to the fees.
      expect(rows.reduce((total, row) => total + Number(row.amount), 0)).toBe(1500);

      const kpi = await ok(as(null, 'get', '/api/v1/kpi/cashless?from=2026-12-03&to=2026-12-03'), 200);
      expect(kpi.body).toMatchObject({
        feePayments: 4,
        cashlessPayments: 3,
        cashlessShare: 0.75,
        byMethod: { card: 1, cardTerminal: 1, qrTerminal: 1 },
        byMethodGroup: { card: 1, counter: 2 },
      });
    });
  });

  describe('refunds of counter payments are handed back at the desk', () => {
    it('withdrawn after paying in cash: the refund waits at the desk, no provider is asked, staff record the payout once', async () => {
      d.t.clock.set(new Date('2026-12-04T01:00:00Z'));
      const { owner, id } = await submittedOnline(2);
      const paid = await ok(pay(clerk, id, { method: 'cash', amountReceived: 1000 }), 201);
      const before = await providerCalls();
      await ok(as(owner, 'post', `/api/v1/applications/${id}/withdraw`, { reason: '別の方法で取得しました' }), 200);
      await d.settle();
      expect(await d.state(id)).toBe('withdrawn');
      const [refund] = await d.t.dataSource.query(`SELECT id, amount, status, cause, paid_out_by FROM refunds WHERE payment_id = $1`, [paid.body.paymentId]);
      expect(refund).toEqual({ id: expect.any(String), amount: 600, status: 'payableAtCounter', cause: 'application.withdrawn', paid_out_by: null });
      // Neither the outbox nor the reconciliation job takes it to the provider.
      await d.t.get(RefundsService).execute(CITY, refund.id);
      await d.reconcile(0);
      expect(await providerCalls()).toEqual(before);
      expect((await d.paymentRows(id)).find((row) => row.method === 'cash')).toMatchObject({ captured_amount: 600, refunded_amount: 600 });
      // The resident sees it waiting.
      const mine = await ok(as(owner, 'get', `/api/v1/applications/${id}/payments`), 200);
      expect(mine.body.find((payment: { paymentId: string }) => payment.paymentId === paid.body.paymentId)).toMatchObject({
        method: 'cash',
        refunds: [expect.objectContaining({ id: refund.id, amount: 600, status: 'payableAtCounter' })],
      });

      // Who may hand it back: desk staff of the department, in the municipality.
      for (const caller of [manager, approver, owner]) expectError(await payOut(caller, paid.body.paymentId, refund.id), 403, 'AUTH_FORBIDDEN');
      for (const caller of [zeimuClerk, otherClerk]) expectError(await payOut(caller, paid.body.paymentId, refund.id), 404, 'PAYMENT_NOT_FOUND');
      expectError(await payOut(clerk, randomUUID(), refund.id), 404, 'PAYMENT_NOT_FOUND');
      expectError(await payOut(clerk, paid.body.paymentId, randomUUID()), 404, 'PAYMENT_REFUND_NOT_FOUND');
      expectError(await payOut(clerk, paid.body.paymentId, 'not-a-uuid'), 400, 'BAD_REQUEST');
      expect((await d.t.dataSource.query(`SELECT status FROM refunds WHERE id = $1`, [refund.id]))[0].status).toBe('payableAtCounter');

      const key = { 'Idempotency-Key': `payout-${refund.id}` };
      const handed = await ok(payOut(clerk, paid.body.paymentId, refund.id, key), 200);
      expect(handed.body).toEqual({
        id: refund.id,
        paymentId: paid.body.paymentId,
        amount: 600,
        status: 'succeeded',
        reason: 'Application withdrawn after payment',
        paidOutBy: clerk.id,
        paidOutAt: d.t.clock.now().toISOString(),
        createdAt: expect.any(String),
      });
      expect((await ok(payOut(clerk, paid.body.paymentId, refund.id, key), 200)).body).toEqual(handed.body);
      const twice = await payOut(secondClerk, paid.body.paymentId, refund.id);
      expectError(twice, 409, 'PAYMENT_REFUND_ALREADY_PAID_OUT');
      expect(twice.body.details).toMatchObject({ refundId: refund.id, paidOutBy: clerk.id });
      expect(await d.money(id)).toMatchObject({ events: 0, rows: 0, captured: 600, refunded: 600 });
      expect(await providerCalls()).toEqual(before);

      // In the day's accounting, as money handed back at the counter.
      const csv = await ok(as(manager, 'get', '/api/v1/payments/export.csv?date=2026-12-04'), 200);
      expect(csv.text).toContain(`,refund,`);
      const refundLine = csv.text.split('\r\n').find((line) => line.includes(refund.id))!;
      expect(refundLine.split(',').slice(-7)).toEqual(['cash', 'counter', paid.body.paymentId, refund.id, '', '-600', paid.body.receiptNumber]);
      expect(await audited('payment.refund.paidOut', paid.body.paymentId)).toEqual([{ actor_id: clerk.id, details: { refundId: refund.id, amount: 600 } }]);
    });

    it('a walk-in’s application rejected after a terminal payment: two desks paying out at once hand it back once', async () => {
      const { id } = await walkIn(1);
      const paid = await ok(pay(clerk, id, { method: 'cardTerminal', amountReceived: 300 }), 201);
      await ok(as(reviewer, 'post', `/api/v1/staff/applications/${id}/events`, { type: 'staff.reject', payload: { reason: '請求の要件を満たしていません' } }), 200);
      await d.settle();
      expect(await d.state(id)).toBe('rejected');
      const [refund] = await d.t.dataSource.query(`SELECT id, status FROM refunds WHERE payment_id = $1`, [paid.body.paymentId]);
      expect(refund.status).toBe('payableAtCounter');
      const answers = await Promise.all([clerk, secondClerk, reviewer].map((desk) => payOut(desk, paid.body.paymentId, refund.id)));
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409]);
      expect(answers.filter((answer) => answer.status === 409).every((answer) => answer.body.code === 'PAYMENT_REFUND_ALREADY_PAID_OUT')).toBe(true);
      const [events] = await d.t.dataSource.query(`SELECT count(*)::int AS n FROM payment_events WHERE refund_id = $1 AND to_status = 'succeeded'`, [refund.id]);
      expect(events.n).toBe(1);
    });

    it('a manager’s refund of a counter payment also waits at the desk; an online refund is not paid out there', async () => {
      const { id } = await submittedOnline(1);
      const paid = await ok(pay(clerk, id, { method: 'cash', amountReceived: 300 }), 201);
      const before = await providerCalls();
      const refund = await ok(as(manager, 'post', `/api/v1/staff/payments/${paid.body.paymentId}/refunds`, { amount: 100, reason: '減免の適用漏れ' }), 201);
      expect(refund.body).toMatchObject({ amount: 100, status: 'payableAtCounter' });
      await d.settle();
      expect(await providerCalls()).toEqual(before);
      await ok(payOut(reviewer, paid.body.paymentId, refund.body.id), 200);

      const online = await submittedOnline(1);
      const started = await d.started({ id: online.owner.id, token: await token(online.owner) }, online.id, 'card');
      await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
      await d.settle();
      const onlineRefund = await ok(as(manager, 'post', `/api/v1/staff/payments/${started.paymentId}/refunds`, { amount: 300, reason: '二重納付' }), 201);
      const notHere = await payOut(clerk, started.paymentId, onlineRefund.body.id);
      expectError(notHere, 409, 'PAYMENT_REFUND_NOT_AT_COUNTER');
      await d.settle();
      await d.expectAccounted(online.id, { paid: 1, holds: 0 });
    });
  });
});
