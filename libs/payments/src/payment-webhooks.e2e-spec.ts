import request from 'supertest';
import { CITY, type Caller, MINUTE, PaymentsDriver, type StartedPayment, TEST_CARDS } from '../../../test/support/payments-driver';
import { PaymentSettlementService } from './payment-settlement.service';
import { PaymentsService } from './payments.service';
import { signatureHeader } from './provider/webhook-signature';
import { toProviderPayment } from './simulated-provider/simulated-payment.provider';
import type { SimWebhookEvent } from './simulated-provider/simulated-provider.service';

/**
 * The provider's webhooks as they really come: forged, stale, twice, out of
 * order, at the same instant, or never. Each test ends on exactly one paid
 * transition (or none) and no money unaccounted for.
 */
describe('payment webhooks (real HTTP deliveries from the simulated provider)', () => {
  let d: PaymentsDriver;

  beforeAll(async () => {
    d = await PaymentsDriver.start();
  });
  afterAll(() => d.close());
  afterEach(async () => {
    Object.assign(d.simulator.faults, { duplicate: false, reorder: false, dropRate: 0, hold: false });
    expect(d.unhandledErrors()).toEqual([]);
  });

  /** A submitted application whose card payment the provider has captured; its webhooks are held. */
  const paidWithHeldWebhooks = async (): Promise<{ resident: Caller; id: string; started: StartedPayment; providerId: string }> => {
    const resident = await d.resident();
    const id = await d.submitted(resident);
    await d.settle();
    d.simulator.faults.hold = true;
    const started = await d.started(resident, id, 'card');
    await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
    const [row] = await d.paymentRows(id);
    return { resident, id, started, providerId: row.provider_payment_id! };
  };

  const receipts = async (providerId: string) =>
    (await d.t.dataSource.query(`SELECT event_type, outcome FROM webhook_receipts WHERE provider_payment_id = $1 ORDER BY received_at, event_type`, [providerId])) as Array<{
      event_type: string;
      outcome: string;
    }>;

  const eventStatuses = async (paymentId: string) =>
    ((await d.t.dataSource.query(`SELECT to_status FROM payment_events WHERE payment_id = $1 ORDER BY seq`, [paymentId])) as Array<{ to_status: string }>).map(
      (row) => row.to_status,
    );

  it('refuses a forged signature, a tampered body and a missing signature, changing nothing', async () => {
    const { id, providerId } = await paidWithHeldWebhooks();
    const genuine = await d.lastWebhookBody(providerId, 'payment.succeeded');

    const forged = await d.postWebhook(genuine, { secret: 'not-the-shared-secret-but-long-enough-000' });
    expect({ status: forged.status, code: forged.body.code }).toEqual({ status: 400, code: 'PAYMENT_WEBHOOK_SIGNATURE_INVALID' });

    const signed = signatureHeader(d.webhookSecret(), Math.floor(d.t.clock.now().getTime() / 1000), genuine);
    const tampered = genuine.replace('"captured_amount":300', '"captured_amount":1');
    expect(tampered).not.toBe(genuine);
    const altered = await d.postWebhook(tampered, { signature: signed });
    expect({ status: altered.status, code: altered.body.code }).toEqual({ status: 400, code: 'PAYMENT_WEBHOOK_SIGNATURE_INVALID' });

    const unsigned = await request(d.server).post('/api/v1/payments/webhooks/simulated').set('content-type', 'application/json').set('x-municipality-id', CITY).send(genuine);
    expect({ status: unsigned.status, code: unsigned.body.code, problem: unsigned.body.details?.problem }).toEqual({
      status: 400,
      code: 'PAYMENT_WEBHOOK_SIGNATURE_INVALID',
      problem: 'missing',
    });
    expect(unsigned.body.message).toEqual({ ja: expect.any(String), en: expect.any(String) });

    expect(await receipts(providerId)).toEqual([]);
    expect(await d.state(id)).toBe('awaitingPayment');
    expect(await d.paidTransitions(id)).toBe(0);
    // The provider holds the money; only its genuine webhooks may tell us.
    expect(await d.money(id)).toMatchObject({ events: 0, rows: 0, provider: 300 });

    // The genuine deliveries still go through afterwards.
    d.simulator.faults.hold = false;
    await d.settle();
    expect(await d.state(id)).toBe('underReview');
    await d.expectAccounted(id, { paid: 1, holds: 300 });
  });

  it('refuses a timestamp more than five minutes old or ahead, even correctly signed', async () => {
    const { id, providerId } = await paidWithHeldWebhooks();
    const genuine = await d.lastWebhookBody(providerId, 'payment.succeeded');
    const now = Math.floor(d.t.clock.now().getTime() / 1000);
    for (const timestamp of [now - 6 * 60, now + 6 * 60]) {
      const stale = await d.postWebhook(genuine, { timestamp });
      expect({ status: stale.status, code: stale.body.code }).toEqual({ status: 400, code: 'PAYMENT_WEBHOOK_TIMESTAMP_OUT_OF_RANGE' });
    }
    expect(await receipts(providerId)).toEqual([]);
    expect(await d.state(id)).toBe('awaitingPayment');
    // Within the window it is accepted.
    const fresh = await d.postWebhook(genuine, { timestamp: now - 4 * 60 });
    expect(fresh.status).toBe(200);
    expect(await d.state(id)).toBe('underReview');
    d.simulator.faults.hold = false;
    await d.settle();
    await d.expectAccounted(id, { paid: 1, holds: 300 });
  });

  it('applies a duplicated webhook once, and answers a replay as a duplicate', async () => {
    d.simulator.faults.duplicate = true;
    const { id, providerId, started } = await paidWithHeldWebhooks();
    d.simulator.faults.hold = false;
    const sent = await d.deliverWebhooks();
    expect(sent).toMatchObject({ delivered: 6, retried: 0 });
    expect(await receipts(providerId)).toHaveLength(3);
    expect(await eventStatuses(started.paymentId)).toEqual(['created', 'started', 'authorised', 'succeeded']);

    const replay = await d.postWebhook(await d.lastWebhookBody(providerId, 'payment.succeeded'));
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ received: true, outcome: 'duplicate' });
    await d.settle();
    await d.expectAccounted(id, { paid: 1, holds: 300 });
  });

  it('tolerates any order: success first, then the older news, which is ignored', async () => {
    const { id, providerId, started } = await paidWithHeldWebhooks();
    Object.assign(d.simulator.faults, { hold: false, reorder: true });
    await d.deliverWebhooks();
    // Newest first: succeeded advanced the payment; authorised and started were older.
    expect(await receipts(providerId)).toEqual(
      expect.arrayContaining([
        { event_type: 'payment.succeeded', outcome: 'advanced' },
        { event_type: 'payment.authorised', outcome: 'stale' },
        { event_type: 'payment.started', outcome: 'stale' },
      ]),
    );
    expect(await eventStatuses(started.paymentId)).toEqual(['created', 'started', 'succeeded']);
    expect(await d.state(id)).toBe('underReview');
    await d.expectAccounted(id, { paid: 1, holds: 300 });
  });

  it('stale news is answered stale once, then as a duplicate, however it comes; one receipt each, nothing changed', async () => {
    const { id, providerId, started } = await paidWithHeldWebhooks();
    const succeeded = await d.postWebhook(await d.lastWebhookBody(providerId, 'payment.succeeded'));
    expect(succeeded.body).toEqual({ received: true, outcome: 'advanced' });
    // Older news now: taken without the payment's lock, only its receipt written.
    const authorised = await d.lastWebhookBody(providerId, 'payment.authorised');
    expect((await d.postWebhook(authorised)).body).toEqual({ received: true, outcome: 'stale' });
    expect((await d.postWebhook(authorised)).body).toEqual({ received: true, outcome: 'duplicate' });
    // Two copies at the same instant: one receipt, the other answered as a duplicate.
    const startedNews = await d.lastWebhookBody(providerId, 'payment.started');
    const copies = await Promise.all([d.postWebhook(startedNews), d.postWebhook(startedNews)]);
    expect(copies.map((copy) => copy.body.outcome).sort()).toEqual(['duplicate', 'stale']);
    expect(await receipts(providerId)).toEqual(
      expect.arrayContaining([
        { event_type: 'payment.succeeded', outcome: 'advanced' },
        { event_type: 'payment.authorised', outcome: 'stale' },
        { event_type: 'payment.started', outcome: 'stale' },
      ]),
    );
    expect(await receipts(providerId)).toHaveLength(3);
    expect(await eventStatuses(started.paymentId)).toEqual(['created', 'started', 'succeeded']);
    d.simulator.faults.hold = false;
    await d.settle();
    expect(await receipts(providerId)).toHaveLength(3);
    await d.expectAccounted(id, { paid: 1, holds: 300 });
  });

  it('news that is stale but carries a refund still records the refund', async () => {
    const { id, providerId } = await paidWithHeldWebhooks();
    d.simulator.faults.hold = false;
    await d.settle();
    d.simulator.faults.hold = true;
    // A refund made at the provider (its dashboard, say), its webhook held.
    await d.simulator.refund(CITY, providerId, { amount: 100, idempotencyKey: 'dashboard-refund' });
    const refunded = await d.lastWebhookBody(providerId, 'refund.succeeded');
    // News of that same version but without the refund comes first: the refund's own news is stale when it comes.
    const event = JSON.parse(refunded) as { id: string; data: { object: Record<string, unknown> } };
    const bare = JSON.stringify({ ...event, id: `${event.id}_bare`, data: { object: { ...event.data.object, refunds: [] } } });
    expect((await d.postWebhook(bare)).body).toEqual({ received: true, outcome: 'same' });
    expect(await d.refundRows(id)).toEqual([]);
    expect((await d.postWebhook(refunded)).body).toEqual({ received: true, outcome: 'stale' });
    expect(await d.refundRows(id)).toEqual([{ amount: 100, status: 'succeeded', cause: expect.stringMatching(/^provider:sr_/) }]);
    d.simulator.faults.hold = false;
    await d.settle();
    await d.expectAccounted(id, { paid: 1, holds: 200 });
  });

  it('news applied without the lock writes nothing on a payment changed since it was read', async () => {
    const { id, providerId, started } = await paidWithHeldWebhooks();
    const settlement = d.t.get(PaymentSettlementService);
    const news = toProviderPayment((JSON.parse(await d.lastWebhookBody(providerId, 'payment.authorised')) as SimWebhookEvent).data.object);
    const read = (await d.payments.find(d.payments.manager, CITY, started.paymentId))!;
    const readAgain = { ...read };
    expect(await settlement.applyUnlocked(d.payments.manager, read, news, { source: 'webhook' })).toEqual({ outcome: 'advanced', receipted: null });
    expect(read).toMatchObject({ status: 'authorised', providerVersion: news.version });
    // The same news from the older read: the payment is no longer as read, so nothing is written and the caller takes the lock.
    expect(await settlement.applyUnlocked(d.payments.manager, readAgain, news, { source: 'webhook' })).toBeNull();
    expect(readAgain).toMatchObject({ status: 'started' });
    expect(await eventStatuses(started.paymentId)).toEqual(['created', 'started', 'authorised']);
    d.simulator.faults.hold = false;
    await d.settle();
    expect(await eventStatuses(started.paymentId)).toEqual(['created', 'started', 'authorised', 'succeeded']);
    await d.expectAccounted(id, { paid: 1, holds: 300 });
  });

  it('takes `succeeded` as the first news of a payment we still hold as created', async () => {
    // The resident's start never reached us (say the API process died after
    // calling the provider): our row is still `created` when the news comes.
    const resident = await d.resident();
    const id = await d.submitted(resident);
    await d.settle();
    const [row] = await d.paymentRows(id);
    d.simulator.faults.hold = true;
    const view = await d.simulator.start(CITY, row.provider_payment_id!, 'card', 'http://127.0.0.1/return');
    await d.payByCard(view.next_action!.url, TEST_CARDS.success);
    Object.assign(d.simulator.faults, { hold: false, reorder: true });
    await d.deliverWebhooks();
    expect(await eventStatuses(row.id)).toEqual(['created', 'succeeded']);
    const [after] = await d.paymentRows(id);
    expect(after).toMatchObject({ status: 'succeeded', method: 'card', captured_amount: 300 });
    await d.expectAccounted(id, { paid: 1, holds: 300 });
  });

  it('two concurrent webhooks for the same payment: one paid transition, no duplicate events', async () => {
    d.simulator.faults.duplicate = true;
    const { id, started, providerId } = await paidWithHeldWebhooks();
    d.simulator.faults.hold = false;
    // All six deliveries (two copies each of started, authorised, succeeded) at once.
    const sent = await d.deliverWebhooks({ parallel: true });
    expect(sent).toMatchObject({ delivered: 6, retried: 0, dead: 0 });
    const outcomes = (await receipts(providerId)).map((receipt) => receipt.outcome);
    expect(outcomes).toHaveLength(3);
    expect(await eventStatuses(started.paymentId)).toEqual(expect.arrayContaining(['created', 'started', 'succeeded']));
    const statuses = await eventStatuses(started.paymentId);
    expect(new Set(statuses).size).toBe(statuses.length);
    await d.expectAccounted(id, { paid: 1, holds: 300 });
  });

  it('a webhook racing the reconciliation poll: still one paid transition', async () => {
    const { id } = await paidWithHeldWebhooks();
    d.t.clock.advance(11 * MINUTE);
    d.simulator.faults.hold = false;
    await Promise.all([d.deliverWebhooks({ parallel: true }), d.reconcile(), d.reconcile()]);
    await d.settle();
    await d.expectAccounted(id, { paid: 1, holds: 300 });
  });

  it('a lost webhook: the reconciliation job polls the quiet payment and applies it', async () => {
    const resident = await d.resident();
    const id = await d.submitted(resident);
    await d.settle();
    d.simulator.faults.dropRate = 1;
    const started = await d.started(resident, id, 'paypay');
    await d.payByQrApp(started.redirectUrl!);
    expect(await d.deliverWebhooks()).toMatchObject({ dropped: 2, delivered: 0 });
    d.simulator.faults.dropRate = 0;
    expect(await d.state(id)).toBe('awaitingPayment');

    // Not yet quiet long enough: nothing is polled.
    d.t.clock.advance(5 * MINUTE);
    await d.reconcile();
    expect(await d.state(id)).toBe('awaitingPayment');

    d.t.clock.advance(6 * MINUTE);
    const reconciled = await d.reconcile();
    expect(reconciled.changed).toBeGreaterThanOrEqual(1);
    expect(await d.state(id)).toBe('underReview');
    const sources: Array<{ to_status: string; source: string }> = await d.t.dataSource.query(
      `SELECT to_status, source FROM payment_events WHERE payment_id = $1 ORDER BY seq`,
      [started.paymentId],
    );
    expect(sources.at(-1)).toEqual({ to_status: 'succeeded', source: 'reconciliation' });
    // Polling again changes nothing.
    d.t.clock.advance(11 * MINUTE);
    await d.reconcile();
    await d.settle();
    await d.expectAccounted(id, { paid: 1, holds: 300 });
  });

  it('a payment the provider never heard of is registered by the reconciliation job', async () => {
    const resident = await d.resident();
    const id = await d.submitted(resident);
    // The payment.request handler found the provider down: our row exists, theirs does not.
    const registered: Array<{ n: number }> = await d.t.dataSource.query(`SELECT count(*)::int AS n FROM payments WHERE application_id = $1`, [id]);
    expect(registered[0].n).toBe(0);
    const service = d.t.get(PaymentsService) as unknown as { register: (payment: unknown) => Promise<unknown> };
    const original = service.register.bind(service);
    service.register = async () => {
      throw new Error('provider unreachable');
    };
    await expect(d.t.get(PaymentsService).prepare(CITY, id, 2)).rejects.toThrow('provider unreachable');
    service.register = original;
    expect(await d.paymentRows(id)).toEqual([expect.objectContaining({ status: 'created', provider_payment_id: null })]);
    d.t.clock.advance(11 * MINUTE);
    await d.reconcile();
    expect(await d.paymentRows(id)).toEqual([expect.objectContaining({ status: 'created', provider_payment_id: expect.stringMatching(/^sp_/) })]);
    await d.runOutbox();
    const fresh = await d.refresh(resident);
    const started = await d.started(fresh, id, 'card');
    await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
    await d.settle();
    await d.expectAccounted(id, { paid: 1, holds: 300 });
  });

  it('retries a delivery our side refused, with growing backoff, until it is taken', async () => {
    // A payment made at the provider that our records do not know yet: we answer 409 so it is sent again.
    const created = await d.simulator.create(CITY, {
      idempotencyKey: 'outside-madoguchi-1',
      amount: 500,
      orderReference: 'X-1',
      description: 'not ours',
      expiresAt: new Date(d.t.clock.now().getTime() + 60 * MINUTE),
      metadata: {},
    });
    await d.simulator.start(CITY, created.id, 'paypay', 'http://127.0.0.1/return');
    await d.simulator.payByApp(CITY, created.id);
    expect(await d.deliverWebhooks()).toMatchObject({ delivered: 0, retried: 2 });
    const attempts = async () =>
      (await d.t.dataSource.query(`SELECT attempts, status, last_response_status, next_attempt_at FROM sim_webhook_deliveries WHERE payment_id = $1 ORDER BY id`, [
        created.id,
      ])) as Array<{ attempts: number; status: string; last_response_status: number; next_attempt_at: Date }>;
    const first = await attempts();
    expect(first.map((row) => [row.attempts, row.status, row.last_response_status])).toEqual([
      [1, 'pending', 409],
      [1, 'pending', 409],
    ]);
    expect(first[0].next_attempt_at.getTime() - d.t.clock.now().getTime()).toBe(d.sender.backoff(1));
    d.t.clock.advance(d.sender.backoff(1));
    expect(await d.deliverWebhooks()).toMatchObject({ retried: 2 });
    const second = await attempts();
    expect(second[0].attempts).toBe(2);
    expect(second[0].next_attempt_at.getTime() - d.t.clock.now().getTime()).toBe(d.sender.backoff(2));
    expect(d.sender.backoff(2)).toBe(2 * d.sender.backoff(1));
    // Nothing due before the backoff ends.
    expect(await d.deliverWebhooks()).toMatchObject({ delivered: 0, retried: 0 });
    const noReceipts = await d.t.dataSource.query(`SELECT 1 FROM webhook_receipts WHERE provider_payment_id = $1`, [created.id]);
    expect(noReceipts).toEqual([]);
    // Give up on them for the rest of this file.
    await d.t.dataSource.query(`UPDATE sim_webhook_deliveries SET status = 'dead' WHERE payment_id = $1`, [created.id]);
  });

  it('a genuine webhook presented for another municipality touches nothing there or here', async () => {
    const { id, providerId } = await paidWithHeldWebhooks();
    const genuine = await d.lastWebhookBody(providerId, 'payment.succeeded');
    const elsewhere = await d.postWebhook(genuine, { municipalityId: '990002' });
    expect({ status: elsewhere.status, code: elsewhere.body.code }).toEqual({ status: 409, code: 'PAYMENT_WEBHOOK_UNKNOWN_PAYMENT' });
    expect(await receipts(providerId)).toEqual([]);
    expect(await d.state(id)).toBe('awaitingPayment');
    d.simulator.faults.hold = false;
    await d.settle();
    await d.expectAccounted(id, { paid: 1, holds: 300 });
  });

  it('answers a webhook for an unknown provider name with 404 and a malformed but signed body with 400', async () => {
    const unknown = await request(d.server).post('/api/v1/payments/webhooks/stripe').set('x-municipality-id', CITY).send({ id: 'evt_1' });
    expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 404, code: 'PAYMENT_UNKNOWN_PROVIDER' });
    const malformed = await d.postWebhook(JSON.stringify({ id: 'evt_x', type: 'payment.succeeded', data: { object: { id: 'sp_1', status: 'paid' } } }));
    expect({ status: malformed.status, code: malformed.body.code }).toEqual({ status: 400, code: 'PAYMENT_WEBHOOK_MALFORMED' });
    const notJson = await d.postWebhook('[1,2');
    expect(notJson.status).toBe(400);
  });
});
