import { ApplicationTimerPoller } from '@madoguchi/engine';
import { ResidentRepository, SessionService, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId, type MunicipalityId, OutboxDispatcher } from '@madoguchi/kernel';
import {
  PaymentReconciliationService,
  PaymentRepository,
  SIGNATURE_HEADER,
  signatureHeader,
  SimulatedProviderService,
  SimulatedWebhookSender,
  TEST_CARDS,
} from '@madoguchi/payments';
import { type StaffRole } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import request from 'supertest';
import { createTestApp, SAMPLE_MUNICIPALITY, type TestApp } from './test-app';
import type { TestDatabase } from './test-database';
import { publishTestCertificate, TEST_CERTIFICATE } from './test-procedures';

export const CITY = asMunicipalityId(SAMPLE_MUNICIPALITY);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
/** A card expiry far enough ahead of the test clock (2026). */
export const EXPIRY = '12/34';

export interface Caller {
  id: string;
  token: string;
}

/**
 * The API listening on a real loopback port (the simulated provider's
 * webhooks are real HTTP requests to it), on its own database, with the test
 * certificate procedure (300 yen per copy, paid at submission, 24 h to pay).
 * Background work runs only when a test says so: outbox, webhook sender,
 * timers, reconciliation.
 */
export class PaymentsDriver {
  readonly server: Server;
  readonly simulator: SimulatedProviderService;
  readonly sender: SimulatedWebhookSender;
  readonly payments: PaymentRepository;

  private constructor(
    readonly t: TestApp,
    /** Every JSON log line the app wrote; `unhandled error` lines mean a 500. */
    readonly logLines: string[],
  ) {
    this.server = t.app.getHttpServer();
    this.simulator = t.get(SimulatedProviderService);
    this.sender = t.get(SimulatedWebhookSender);
    this.payments = t.get(PaymentRepository);
  }

  /**
   * `db`: run on a database of the caller's (the backup drill's own server)
   * instead of a fresh clone; `published: true` when that database already
   * holds the test certificate (a restart on restored data).
   */
  static async start(options: { env?: Record<string, string>; db?: TestDatabase; published?: boolean; office?: boolean } = {}): Promise<PaymentsDriver> {
    const logLines: string[] = [];
    const logStream = new PassThrough();
    let pending = '';
    logStream.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      logLines.push(...lines.filter(Boolean));
    });
    const t = await createTestApp({ env: options.env, logStream, db: options.db, office: options.office });
    if (!options.published) await publishTestCertificate(t, [SAMPLE_MUNICIPALITY]);
    await t.app.listen(0, '127.0.0.1');
    return new PaymentsDriver(t, logLines);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    return this.t.close();
  }

  /** 500s the app answered (the filter logs each as `unhandled error`). */
  unhandledErrors(): string[] {
    return this.logLines.filter((line) => line.includes('"unhandled error"'));
  }

  // People

  async resident(municipalityId: MunicipalityId = CITY): Promise<Caller> {
    const id = randomUUID();
    await this.t.get(ResidentRepository).insert(municipalityId, { id, email: `${id}@example.jp`, passwordHash: null, jpkiSubject: null, now: this.t.clock.now() });
    const tokens = await this.t.get(SessionService).issue(municipalityId, { kind: 'resident', id }, 'bearer', 'password');
    return { id, token: tokens.accessToken };
  }

  async staff(roles: StaffRole[], departments: string[] = [], municipalityId: MunicipalityId = CITY): Promise<Caller> {
    const { account } = await this.t.get(StaffAdminService).create(municipalityId, 'test-setup', {
      loginId: `staff-${randomUUID().slice(0, 8)}`,
      password: 'correct-horse-battery-staple',
      displayName: 'テスト職員',
      roles,
      approvalLevel: null,
      departments,
      active: true,
    });
    const tokens = await this.t.get(SessionService).issue(municipalityId, { kind: 'staff', id: account.id }, 'bearer', 'password');
    return { id: account.id, token: tokens.accessToken };
  }

  /** Sessions last 15 minutes; tests that move the clock far ask for a fresh token. */
  async refresh(caller: Caller, kind: 'resident' | 'staff' = 'resident'): Promise<Caller> {
    const tokens = await this.t.get(SessionService).issue(CITY, { kind, id: caller.id }, 'bearer', 'password');
    return { id: caller.id, token: tokens.accessToken };
  }

  // Applications, through the HTTP API as a client would

  async submitted(resident: Caller, copies = 1, procedureCode = TEST_CERTIFICATE): Promise<string> {
    const created = await request(this.server)
      .post('/api/v1/applications')
      .auth(resident.token, { type: 'bearer' })
      .send({ procedureCode, formData: { scope: '本人のみ', purpose: '学校への提出', copies } });
    if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
    const id = created.body.id as string;
    const submitted = await request(this.server).post(`/api/v1/applications/${id}/submit`).auth(resident.token, { type: 'bearer' }).send({});
    if (submitted.status !== 200) throw new Error(`submit failed: ${submitted.status} ${JSON.stringify(submitted.body)}`);
    return id;
  }

  async state(applicationId: string): Promise<string> {
    const rows: Array<{ state: string }> = await this.t.dataSource.query(`SELECT state FROM applications WHERE id = $1`, [applicationId]);
    return rows[0].state;
  }

  startPayment(resident: Caller, applicationId: string, body: Record<string, unknown>): request.Test {
    return request(this.server).post(`/api/v1/applications/${applicationId}/payments`).auth(resident.token, { type: 'bearer' }).send(body);
  }

  listPayments(resident: Caller, applicationId: string): request.Test {
    return request(this.server).get(`/api/v1/applications/${applicationId}/payments`).auth(resident.token, { type: 'bearer' });
  }

  /** Starts a payment and fails the test unless it is answered 201. */
  async started(resident: Caller, applicationId: string, method: string): Promise<StartedPayment> {
    const response = await this.startPayment(resident, applicationId, { method });
    if (response.status !== 201) throw new Error(`start payment failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as StartedPayment;
  }

  // The resident's browser on the hosted page

  /** Loads the hosted page like a browser, then posts its card form. */
  async payByCard(redirectUrl: string, number: string, extra: Record<string, string> = {}): Promise<request.Response> {
    const path = new URL(redirectUrl).pathname;
    const page = await request(this.server).get(path).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain(`action="${path}/card"`);
    return request(this.server).post(`${path}/card`).type('form').send({ number, expiry: EXPIRY, cvc: '123', ...extra });
  }

  async payByQrApp(redirectUrl: string): Promise<request.Response> {
    const path = new URL(redirectUrl).pathname;
    const page = await request(this.server).get(path).expect(200);
    expect(page.text).toContain(`action="${path}/qr"`);
    return request(this.server).post(`${path}/qr`).type('form').send({});
  }

  payAtKonbini(paymentNumber: string): request.Test {
    return request(this.server).post(`/simulated-provider/${CITY}/konbini/pay`).type('form').send({ paymentNumber });
  }

  // Background work, run on purpose

  /** Runs the outbox until it has nothing due (what the worker does). */
  async runOutbox(): Promise<void> {
    const dispatcher = this.t.get(OutboxDispatcher);
    for (let round = 0; round < 20; round += 1) {
      const result = await dispatcher.dispatchDue();
      if (result.retried > 0 || result.dead > 0) {
        // Topics no library handles yet (document.issue, …) wait for the release that does; anything else failing is a bug.
        const failed: unknown[] = await this.t.dataSource.query(
          `SELECT topic, last_error FROM outbox WHERE status <> 'delivered' AND last_error IS NOT NULL AND last_error NOT LIKE 'no handler registered%'`,
        );
        if (failed.length > 0) throw new Error(`outbox delivery failed: ${JSON.stringify(failed)}`);
      }
      if (result.delivered === 0) return;
    }
    throw new Error('the outbox does not drain');
  }

  /** Sends the simulated provider's due webhooks until none is left. */
  async deliverWebhooks(options: { parallel?: boolean } = {}): Promise<{ delivered: number; retried: number; dead: number; dropped: number }> {
    const total = { delivered: 0, retried: 0, dead: 0, dropped: 0 };
    for (let round = 0; round < 20; round += 1) {
      const result = await this.sender.deliverDue(options);
      for (const key of Object.keys(total) as Array<keyof typeof total>) total[key] += result[key];
      if (result.delivered + result.retried + result.dead + result.dropped === 0) return total;
    }
    throw new Error('webhooks do not drain');
  }

  /** Outbox and webhooks until both are quiet. */
  async settle(): Promise<void> {
    for (let round = 0; round < 10; round += 1) {
      await this.runOutbox();
      const sent = await this.deliverWebhooks();
      const pending: Array<{ n: number }> = await this.t.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending' AND available_at <= $1`, [
        this.t.clock.now(),
      ]);
      if (sent.delivered + sent.retried === 0 && pending[0].n === 0) return;
    }
    throw new Error('background work does not settle');
  }

  fireTimers(): Promise<number> {
    return this.t.get(ApplicationTimerPoller).fireDue();
  }

  reconcile(quietForMs = 10 * MINUTE) {
    return this.t.get(PaymentReconciliationService).reconcile({ quietForMs });
  }

  // A webhook sent by hand (forgeries, replays)

  postWebhook(body: string, options: { secret?: string; timestamp?: number; signature?: string; municipalityId?: string } = {}): request.Test {
    const timestamp = options.timestamp ?? Math.floor(this.t.clock.now().getTime() / 1000);
    const header = options.signature ?? signatureHeader(options.secret ?? this.webhookSecret(), timestamp, body);
    return request(this.server)
      .post('/api/v1/payments/webhooks/simulated')
      .set('content-type', 'application/json')
      .set('x-municipality-id', options.municipalityId ?? CITY)
      .set(SIGNATURE_HEADER, header)
      .send(body);
  }

  webhookSecret(): string {
    return (this.sender as unknown as { settings: { webhookSecret: string } }).settings.webhookSecret;
  }

  /** The newest queued webhook body of the simulated provider for a payment (what it would send). */
  async lastWebhookBody(providerPaymentId: string, eventType?: string): Promise<string> {
    const rows: Array<{ body: string }> = await this.t.dataSource.query(
      `SELECT body FROM sim_webhook_deliveries WHERE payment_id = $1 AND ($2::text IS NULL OR event_type = $2) ORDER BY id DESC LIMIT 1`,
      [providerPaymentId, eventType ?? null],
    );
    return rows[0].body;
  }

  // What happened, from the tables

  /** `payment.succeeded` transitions in the application's event log. */
  async paidTransitions(applicationId: string): Promise<number> {
    const rows: Array<{ n: number }> = await this.t.dataSource.query(
      `SELECT count(*)::int AS n FROM application_events WHERE application_id = $1 AND type = 'payment.succeeded'`,
      [applicationId],
    );
    return rows[0].n;
  }

  async paymentRows(applicationId: string): Promise<Array<{ id: string; status: string; provider_payment_id: string | null; amount: number; captured_amount: number; refunded_amount: number; attempt: number; method: string | null }>> {
    return this.t.dataSource.query(
      `SELECT id, status, provider_payment_id, amount, captured_amount, refunded_amount, attempt, method FROM payments WHERE application_id = $1 ORDER BY attempt`,
      [applicationId],
    );
  }

  async refundRows(applicationId: string): Promise<Array<{ amount: number; status: string; cause: string | null }>> {
    return this.t.dataSource.query(
      `SELECT r.amount, r.status, r.cause FROM refunds r JOIN payments p ON p.municipality_id = r.municipality_id AND p.id = r.payment_id
        WHERE p.application_id = $1 ORDER BY r.created_at, r.id`,
      [applicationId],
    );
  }

  /**
   * Money for one application three ways: captured − refunded recomputed
   * from payment_events, the same from the payments rows, and what the
   * provider's own ledger holds for those payments.
   */
  async money(applicationId: string): Promise<{ events: number; rows: number; provider: number; captured: number; refunded: number }> {
    const [events]: Array<{ captured: string; refunded: string }> = await this.t.dataSource.query(
      `SELECT coalesce(sum(e.amount) FILTER (WHERE e.refund_id IS NULL), 0) AS captured, coalesce(sum(e.amount) FILTER (WHERE e.refund_id IS NOT NULL), 0) AS refunded
         FROM payment_events e JOIN payments p ON p.municipality_id = e.municipality_id AND p.id = e.payment_id
        WHERE p.application_id = $1 AND e.to_status = 'succeeded'`,
      [applicationId],
    );
    const [rows]: Array<{ held: string }> = await this.t.dataSource.query(
      `SELECT coalesce(sum(captured_amount - refunded_amount), 0) AS held FROM payments WHERE application_id = $1`,
      [applicationId],
    );
    const [provider]: Array<{ held: string }> = await this.t.dataSource.query(
      `SELECT coalesce(sum(l.amount), 0) AS held FROM sim_ledger l
        WHERE l.payment_id IN (SELECT provider_payment_id FROM payments WHERE application_id = $1)`,
      [applicationId],
    );
    const captured = Number(events.captured);
    const refunded = Number(events.refunded);
    return { events: captured - refunded, rows: Number(rows.held), provider: Number(provider.held), captured, refunded };
  }

  /**
   * The invariant every payment test ends on: the application was paid
   * `paid` times (0 or 1), and what our records say we hold is what the
   * provider holds: no money unaccounted for.
   */
  async expectAccounted(applicationId: string, expected: { paid: 0 | 1; holds: number }): Promise<void> {
    expect(await this.paidTransitions(applicationId)).toBe(expected.paid);
    const money = await this.money(applicationId);
    expect({ events: money.events, rows: money.rows, provider: money.provider }).toEqual({ events: expected.holds, rows: expected.holds, provider: expected.holds });
  }
}

export interface StartedPayment {
  paymentId: string;
  applicationId: string;
  status: string;
  method: string;
  amount: number;
  redirectUrl: string | null;
  konbini: { paymentNumber: string; deadline: string } | null;
  payeasy: { collectorNumber: string; customerNumber: string; confirmationNumber: string; deadline: string } | null;
}

export { TEST_CARDS };
