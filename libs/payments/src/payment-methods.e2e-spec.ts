import request from 'supertest';
import { EXPIRY, HOUR, MINUTE, PaymentsDriver, TEST_CARDS } from '../../../test/support/payments-driver';
import type { MunicipalityId } from '@madoguchi/kernel';
import { simulatedApiKey } from './simulated-provider/simulated-provider.controller';

/**
 * Paying the fee by each method, end to end over real HTTP: the resident's
 * API calls, the simulated provider's hosted pages posted like a browser
 * posts them, and its signed webhooks sent to the listening app.
 *
 * Every test ends on the invariant of the payments issue: exactly one paid
 * transition (or none), and captured − refunded in payment_events equals
 * what the payments rows say and what the provider's ledger holds.
 */
const CITY_ID = '990001' as MunicipalityId;

describe('paying a fee by each method (real HTTP, real PostgreSQL)', () => {
  let d: PaymentsDriver;

  beforeAll(async () => {
    d = await PaymentsDriver.start();
  });
  afterAll(() => d.close());
  afterEach(() => expect(d.unhandledErrors()).toEqual([]));

  const eventsOf = async (paymentId: string) =>
    (await d.t.dataSource.query(`SELECT from_status, to_status, amount, source FROM payment_events WHERE payment_id = $1 ORDER BY seq`, [paymentId])) as Array<{
      from_status: string | null;
      to_status: string;
      amount: number;
      source: string;
    }>;

  it('card through the hosted page: redirect, form post, webhooks, one paid transition', async () => {
    const resident = await d.resident();
    const id = await d.submitted(resident, 2);
    await d.runOutbox(); // payment.request: the payment exists at the provider before the resident chooses
    expect(await d.paymentRows(id)).toEqual([expect.objectContaining({ status: 'created', amount: 600, attempt: 1, provider_payment_id: expect.stringMatching(/^sp_/) })]);

    const started = await d.started(resident, id, 'card');
    expect(started).toMatchObject({ status: 'started', method: 'card', amount: 600, konbini: null, payeasy: null });
    expect(started.redirectUrl).toMatch(new RegExp(`/simulated-provider/990001/pay/sp_[0-9a-f]{24}$`));

    const page = await request(d.server).get(new URL(started.redirectUrl!).pathname).expect(200);
    expect(page.text).toContain('<html lang="ja">');
    expect(page.text).toContain('<label for="number">');
    expect(page.text).toContain('600円');
    expect(page.text).not.toContain('<script');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");

    const posted = await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
    expect(posted.status).toBe(303);
    const back = new URL(posted.headers.location);
    expect(back.pathname).toBe(`/applications/${id}`);
    expect(back.searchParams.get('result')).toBe('succeeded');

    // The provider took the money; we learn it only from its webhooks.
    expect(await d.state(id)).toBe('awaitingPayment');
    expect(await d.deliverWebhooks()).toMatchObject({ delivered: 3, retried: 0 });
    expect(await d.state(id)).toBe('underReview');
    expect((await eventsOf(started.paymentId)).map((event) => [event.from_status, event.to_status, event.source])).toEqual([
      [null, 'created', 'system'],
      ['created', 'started', 'provider-api'],
      ['started', 'authorised', 'webhook'],
      ['authorised', 'succeeded', 'webhook'],
    ]);
    const listed = await d.listPayments(resident, id).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ paymentId: started.paymentId, status: 'succeeded', capturedAmount: 600, redirectUrl: null })]);
    const timeline = await request(d.server).get(`/api/v1/applications/${id}/timeline`).auth(resident.token, { type: 'bearer' }).expect(200);
    expect(JSON.stringify(timeline.body)).toContain('お支払いを確認しました');
    await d.expectAccounted(id, { paid: 1, holds: 600 });
  });

  it('a declined card fails the attempt; a new attempt pays; still one paid transition', async () => {
    const resident = await d.resident();
    const id = await d.submitted(resident);
    const first = await d.started(resident, id, 'card');
    const declined = await d.payByCard(first.redirectUrl!, TEST_CARDS.decline);
    expect(declined.status).toBe(303);
    expect(new URL(declined.headers.location).searchParams.get('result')).toBe('failed');
    await d.settle();
    expect(await d.paymentRows(id)).toEqual([expect.objectContaining({ status: 'failed', attempt: 1 })]);
    expect(await d.state(id)).toBe('awaitingPayment');
    await d.expectAccounted(id, { paid: 0, holds: 0 });
    const listed = await d.listPayments(resident, id).expect(200);
    expect(listed.body[0]).toMatchObject({ status: 'failed', failureCode: 'card_declined', redirectUrl: null });

    const second = await d.started(resident, id, 'card');
    expect(second.paymentId).not.toBe(first.paymentId);
    await d.payByCard(second.redirectUrl!, TEST_CARDS.success);
    await d.settle();
    expect((await d.paymentRows(id)).map((row) => [row.attempt, row.status])).toEqual([
      [1, 'failed'],
      [2, 'succeeded'],
    ]);
    expect(await d.state(id)).toBe('underReview');
    await d.expectAccounted(id, { paid: 1, holds: 300 });
  });

  it('starting again right after a decline, before its webhook, gets a fresh page; the dead one cannot be paid', async () => {
    const resident = await d.resident();
    const id = await d.submitted(resident);
    const first = await d.started(resident, id, 'card');
    const declined = await d.payByCard(first.redirectUrl!, TEST_CARDS.decline);
    expect(new URL(declined.headers.location).searchParams.get('result')).toBe('failed');
    // No webhook delivered yet: our row still says started.
    expect(await d.paymentRows(id)).toEqual([expect.objectContaining({ status: 'started', attempt: 1 })]);

    const second = await d.started(resident, id, 'card');
    expect(second.paymentId).not.toBe(first.paymentId);
    expect(second.redirectUrl).not.toBe(first.redirectUrl);
    expect((await d.paymentRows(id)).map((row) => [row.attempt, row.status])).toEqual([
      [1, 'failed'],
      [2, 'started'],
    ]);
    // The dead page refuses a second try; the fresh one takes the money.
    const deadAgain = await request(d.server).post(`${new URL(first.redirectUrl!).pathname}/card`).type('form').send({ number: TEST_CARDS.success, expiry: EXPIRY, cvc: '123' });
    expect(deadAgain.status === 303 && new URL(deadAgain.headers.location).searchParams.get('result') === 'succeeded').toBe(false);
    const paid = await d.payByCard(second.redirectUrl!, TEST_CARDS.success);
    expect(new URL(paid.headers.location).searchParams.get('result')).toBe('succeeded');
    await d.settle();
    expect(await d.state(id)).toBe('underReview');
    await d.expectAccounted(id, { paid: 1, holds: 300 });
  });

  it('starting a card payment again supersedes the open page: cancelled at the provider and here', async () => {
    const resident = await d.resident();
    const id = await d.submitted(resident);
    const first = await d.started(resident, id, 'card');
    const second = await d.started(resident, id, 'card');
    expect(second.paymentId).not.toBe(first.paymentId);
    expect(second.redirectUrl).not.toBe(first.redirectUrl);
    expect((await d.paymentRows(id)).map((row) => [row.attempt, row.status])).toEqual([
      [1, 'cancelled'],
      [2, 'started'],
    ]);
    const [old] = await d.paymentRows(id);
    expect((await d.simulator.get(CITY_ID, old.provider_payment_id!)).status).toBe('cancelled');
    // The superseded page takes nothing; paying both pages charges once.
    const path = new URL(first.redirectUrl!).pathname;
    const stale = await request(d.server).post(`${path}/card`).type('form').send({ number: TEST_CARDS.success, expiry: EXPIRY, cvc: '123' });
    expect(stale.status === 303 && new URL(stale.headers.location).searchParams.get('result') === 'succeeded').toBe(false);
    await d.payByCard(second.redirectUrl!, TEST_CARDS.success);
    await d.settle();
    expect((await d.paymentRows(id)).map((row) => [row.attempt, row.status])).toEqual([
      [1, 'cancelled'],
      [2, 'succeeded'],
    ]);
    await d.expectAccounted(id, { paid: 1, holds: 300 });
  });

  it('a card that needs 3-D Secure goes through the challenge page', async () => {
    const resident = await d.resident();
    const id = await d.submitted(resident);
    const started = await d.started(resident, id, 'card');
    const path = new URL(started.redirectUrl!).pathname;
    const posted = await d.payByCard(started.redirectUrl!, TEST_CARDS.challenge);
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe(`${path}/3ds`);
    // Nothing is taken before the check.
    await d.settle();
    await d.expectAccounted(id, { paid: 0, holds: 0 });

    const challenge = await request(d.server).get(posted.headers.location).expect(200);
    expect(challenge.text).toContain('本人認証（3-Dセキュア）');
    expect(challenge.text).toContain(`action="${path}/3ds"`);
    const passed = await request(d.server).post(`${path}/3ds`).type('form').send({ outcome: 'pass' });
    expect(passed.status).toBe(303);
    expect(new URL(passed.headers.location).searchParams.get('result')).toBe('succeeded');
    await d.settle();
    expect(await d.state(id)).toBe('underReview');
    await d.expectAccounted(id, { paid: 1, holds: 300 });
  });

  it('a failed 3-D Secure check fails the attempt', async () => {
    const resident = await d.resident();
    const id = await d.submitted(resident);
    const started = await d.started(resident, id, 'card');
    const path = new URL(started.redirectUrl!).pathname;
    await d.payByCard(started.redirectUrl!, TEST_CARDS.challenge);
    const failed = await request(d.server).post(`${path}/3ds`).type('form').send({ outcome: 'fail' });
    expect(new URL(failed.headers.location).searchParams.get('result')).toBe('failed');
    await d.settle();
    expect(await d.paymentRows(id)).toEqual([expect.objectContaining({ status: 'failed' })]);
    await d.expectAccounted(id, { paid: 0, holds: 0 });
  });

  it.each([
    ['an unknown card number', { number: '4111111111111111' }, 'テスト用のカード番号のみ'],
    ['a number failing the check digit', { number: '4242424242424241' }, 'カード番号を正しく'],
    ['an expired card', { expiry: '01/20' }, '有効期限'],
    ['a missing security code', { cvc: '' }, 'セキュリティコード'],
    ['markup in the number', { number: '<script>alert(1)</script>' }, 'カード番号を正しく'],
  ])('re-shows the card page with a message for %s, taking nothing', async (_case, fields, message) => {
    const resident = await d.resident();
    const id = await d.submitted(resident);
    const started = await d.started(resident, id, 'card');
    const answered = await d.payByCard(started.redirectUrl!, TEST_CARDS.success, fields);
    expect(answered.status).toBe(422);
    expect(answered.text).toContain(message);
    expect(answered.text).toContain('role="alert"');
    expect(answered.text).not.toContain('<script>');
    await d.settle();
    expect(await d.paymentRows(id)).toEqual([expect.objectContaining({ status: 'started' })]);
    await d.expectAccounted(id, { paid: 0, holds: 0 });
  });

  it('a convenience-store slip: number and deadline now, paid at the store hours later', async () => {
    const resident = await d.resident();
    const id = await d.submitted(resident);
    const submittedAt = d.t.clock.now();
    const started = await d.started(resident, id, 'konbini');
    expect(started.konbini).toEqual({ paymentNumber: expect.stringMatching(/^\d{11}$/), deadline: new Date(submittedAt.getTime() + 24 * HOUR).toISOString() });
    const slip = await request(d.server).get(new URL(started.redirectUrl!).pathname).expect(200);
    expect(slip.text).toContain(started.konbini!.paymentNumber);
    await d.settle();
    expect(await d.state(id)).toBe('awaitingPayment');

    d.t.clock.advance(5 * HOUR);
    await d.payAtKonbini('00000000000').expect(404);
    const paid = await d.payAtKonbini(started.konbini!.paymentNumber).expect(200);
    expect(paid.text).toContain('お支払いが完了しました');
    // Paying the same slip twice is refused by the store.
    await d.payAtKonbini(started.konbini!.paymentNumber).expect(409);
    await d.settle();
    expect(await d.state(id)).toBe('underReview');
    expect(await d.paymentRows(id)).toEqual([expect.objectContaining({ status: 'succeeded', method: 'konbini' })]);
    await d.expectAccounted(id, { paid: 1, holds: 300 });
  });

  it.each(['paypay', 'dpay', 'aupay', 'rakutenpay'])('a QR code payment (%s) completes in the app', async (brand) => {
    const resident = await d.resident();
    const id = await d.submitted(resident);
    const started = await d.started(resident, id, brand);
    expect(started).toMatchObject({ method: brand, konbini: null });
    const posted = await d.payByQrApp(started.redirectUrl!);
    expect(posted.status).toBe(303);
    await d.settle();
    expect(await d.state(id)).toBe('underReview');
    expect(await d.paymentRows(id)).toEqual([expect.objectContaining({ status: 'succeeded', method: brand })]);
    await d.expectAccounted(id, { paid: 1, holds: 300 });
  });

  it('Pay-easy: numbers to pay with at an ATM or online bank', async () => {
    const resident = await d.resident();
    const id = await d.submitted(resident);
    const started = await d.started(resident, id, 'payeasy');
    expect(started.payeasy).toEqual({
      collectorNumber: '58091',
      customerNumber: expect.stringMatching(/^\d{14}$/),
      confirmationNumber: expect.stringMatching(/^\d{6}$/),
      deadline: expect.any(String),
    });
    await request(d.server)
      .post('/simulated-provider/990001/payeasy/pay')
      .type('form')
      .send({ customerNumber: started.payeasy!.customerNumber, confirmationNumber: '000000' })
      .expect(404);
    await request(d.server)
      .post('/simulated-provider/990001/payeasy/pay')
      .type('form')
      .send({ customerNumber: started.payeasy!.customerNumber, confirmationNumber: started.payeasy!.confirmationNumber })
      .expect(200);
    await d.settle();
    expect(await d.state(id)).toBe('underReview');
    await d.expectAccounted(id, { paid: 1, holds: 300 });
  });

  it('choosing again: the same method answers the same payment; another method replaces the slip', async () => {
    const resident = await d.resident();
    const id = await d.submitted(resident);
    const konbini = await d.started(resident, id, 'konbini');
    const again = await d.started(resident, id, 'konbini');
    expect(again).toMatchObject({ paymentId: konbini.paymentId, konbini: konbini.konbini });

    const card = await d.started(resident, id, 'card');
    expect(card.paymentId).toBe(konbini.paymentId);
    expect(card.konbini).toBeNull();
    // The old slip cannot be paid any more.
    await d.payAtKonbini(konbini.konbini!.paymentNumber).expect(404);
    await d.payByCard(card.redirectUrl!, TEST_CARDS.success);
    await d.settle();
    expect(await d.paymentRows(id)).toEqual([expect.objectContaining({ status: 'succeeded', method: 'card', attempt: 1 })]);
    await d.expectAccounted(id, { paid: 1, holds: 300 });

    // Paid: asking to pay again is refused, and no new attempt is made.
    const refused = await d.startPayment(resident, id, { method: 'card' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('PAYMENT_NOT_DUE');
    expect(await d.paymentRows(id)).toHaveLength(1);
  });

  it('two starts at the same instant: one attempt open at the end, paid once', async () => {
    const resident = await d.resident();
    const id = await d.submitted(resident);
    const answers = await Promise.all([d.startPayment(resident, id, { method: 'card' }), d.startPayment(resident, id, { method: 'card' })]);
    // Each answers the open attempt, or that another start has it in progress.
    for (const answer of answers) expect(answer.status === 201 || answer.body.code === 'PAYMENT_IN_PROGRESS').toBe(true);
    const rows = await d.paymentRows(id);
    expect(rows.filter((row) => ['created', 'started', 'authorised'].includes(row.status))).toHaveLength(1);
    expect(new Set(rows.map((row) => row.attempt)).size).toBe(rows.length);
    const paying = await d.started(resident, id, 'card');
    await d.payByCard(paying.redirectUrl!, TEST_CARDS.success);
    await d.settle();
    expect(await d.state(id)).toBe('underReview');
    await d.expectAccounted(id, { paid: 1, holds: 300 });
  });

  it('the hosted page of an unknown payment is a 404 page', async () => {
    const missing = await request(d.server).get('/simulated-provider/990001/pay/sp_000000000000000000000000').expect(404);
    expect(missing.text).toContain('お支払いが見つかりません');
    await request(d.server).get('/simulated-provider/abc/pay/sp_000000000000000000000000').expect(404);
    await request(d.server).post('/simulated-provider/990001/pay/not-an-id/card').type('form').send({ number: TEST_CARDS.success }).expect(404);
  });

  it('polls a payment on the status API with the API key only', async () => {
    const resident = await d.resident();
    const id = await d.submitted(resident);
    await d.started(resident, id, 'card');
    const [row] = await d.paymentRows(id);
    await request(d.server).get(`/simulated-provider/990001/api/payments/${row.provider_payment_id}`).expect(401);
    const polled = await request(d.server)
      .get(`/simulated-provider/990001/api/payments/${row.provider_payment_id}`)
      .set('x-sim-api-key', simulatedApiKey(d.webhookSecret()))
      .expect(200);
    expect(polled.body).toMatchObject({ id: row.provider_payment_id, status: 'started', amount: 300, method: 'card', version: 2 });
    d.t.clock.advance(MINUTE);
  });
});
