import { DocumentIssuer } from '@madoguchi/documents';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { IdentityDriver } from '../support/identity-e2e';
import { CITY, PaymentsDriver, TEST_CARDS } from '../support/payments-driver';
import { TestMailbox } from '../support/test-mailbox';
import { TEST_CERTIFICATE } from '../support/test-procedures';

/**
 * A certificate end to end over HTTP: the resident submits and pays through
 * the simulated provider, a clerk accepts, the outbox runs the issue step
 * (libs/documents renders and stores the certificate) and the notify step,
 * and the resident is told by mail at each point that matters. (Documents
 * themselves: test/e2e/documents.e2e-spec.ts.)
 */
describe('certificate: submit → pay → review → issue → notify (HTTP, real PostgreSQL, real SMTP)', () => {
  let d: PaymentsDriver;
  let mailbox: TestMailbox;
  let identity: IdentityDriver;

  beforeAll(async () => {
    mailbox = await TestMailbox.start();
    d = await PaymentsDriver.start({ env: { SMTP_URL: mailbox.url, PUBLIC_BASE_URL: 'https://madoguchi.example.jp' } });
    identity = new IdentityDriver(d.t, mailbox);
  });
  afterAll(async () => {
    await d?.close();
    await mailbox?.close();
  });
  afterEach(() => expect(d.unhandledErrors()).toEqual([]));

  const eventsOf = async (id: string) =>
    (await d.t.dataSource.query(`SELECT type, actor_kind, actor_id, from_state, to_state, payload FROM application_events WHERE application_id = $1 ORDER BY seq`, [
      id,
    ])) as Array<{ type: string; actor_kind: string; actor_id: string; from_state: string; to_state: string; payload: Record<string, unknown> }>;

  it('reaches completed with the certificate issued, and the resident got each notice once', async () => {
    const email = `certificate-${randomUUID().slice(0, 8)}@example.jp`;
    const resident = await identity.resident(email);
    const clerk = await d.staff(['clerk'], ['shimin']);
    const as = (token: string) => ({
      post: (path: string, body: object = {}) => request(d.server).post(path).auth(token, { type: 'bearer' }).send(body),
      get: (path: string) => request(d.server).get(path).auth(token, { type: 'bearer' }),
    });

    // The resident applies for two copies and submits: the fee is the server's.
    const created = await as(resident.token).post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: { scope: '本人のみ', purpose: '学校への提出', copies: 2 } }).expect(201);
    const id = created.body.id as string;
    const submitted = await as(resident.token).post(`/api/v1/applications/${id}/submit`, { revision: created.body.revision }).expect(200);
    expect(submitted.body).toMatchObject({ state: 'awaitingPayment', fee: 600, channel: 'online' });
    await d.runOutbox();

    // Pays by card on the provider's page; its webhooks move the application on.
    const started = await d.started(resident, id, 'card');
    expect(started.amount).toBe(600);
    expect((await d.payByCard(started.redirectUrl!, TEST_CARDS.success)).status).toBe(303);
    await d.deliverWebhooks();
    expect(await d.state(id)).toBe('underReview');

    // A clerk of 市民課 accepts; the issue step is outbox work.
    const accepted = await as(clerk.token).post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.accept' }).expect(200);
    expect(accepted.body.state).toBe('issuing');
    await d.settle();
    expect(await d.state(id)).toBe('completed');

    const events = await eventsOf(id);
    expect(events.map((event) => [event.type, event.from_state, event.to_state])).toEqual([
      ['application.created', 'draft', 'draft'],
      ['resident.submit', 'draft', 'awaitingPayment'],
      ['payment.succeeded', 'awaitingPayment', 'underReview'],
      ['staff.accept', 'underReview', 'issuing'],
      ['document.issued', 'issuing', 'notifying'],
      ['notification.sent', 'notifying', 'completed'],
    ]);
    const issued = events.find((event) => event.type === 'document.issued')!;
    expect(issued).toMatchObject({ actor_kind: 'system', actor_id: 'documents', payload: { kind: 'residenceCertificate' } });
    const documents = await as(resident.token).get(`/api/v1/applications/${id}/documents`).expect(200);
    expect(documents.body).toHaveLength(1);
    expect(documents.body[0]).toMatchObject({ id: issued.payload.documentId, serial: issued.payload.serial, status: 'issued' });
    await d.expectAccounted(id, { paid: 1, holds: 600 });

    // Told of the fee, the payment and the document, once each, with the link to the application.
    const texts = mailbox.to(email).map((mail) => mail.text);
    expect(texts.map((text) => text.split('\n')[0])).toEqual([
      '手数料のお支払いをお願いします。期限までにお支払いください。',
      'お支払いを確認しました。',
      '書類の交付準備ができました。マイページからご確認ください。',
    ]);
    for (const text of texts) expect(text).toContain(`https://madoguchi.example.jp/applications/${id}`);

    const timeline = await as(resident.token).get(`/api/v1/applications/${id}/timeline`).expect(200);
    expect(timeline.body.map((entry: { description: { ja: string } }) => entry.description.ja)).toContain('書類を交付しました');
    const mine = await as(resident.token).get(`/api/v1/applications/${id}`).expect(200);
    expect(mine.body).toMatchObject({ state: 'completed', allowedEvents: [] });

    // A redelivered issue message (a lease that ran out) changes nothing.
    await d.t.dataSource.query(`UPDATE outbox SET status = 'pending', available_at = $1 WHERE topic = 'document.issue' AND application_id = $2`, [d.t.clock.now(), id]);
    await d.settle();
    expect((await eventsOf(id)).filter((event) => event.type === 'document.issued')).toHaveLength(1);
    expect(await d.t.dataSource.query(`SELECT count(*)::int AS n FROM documents WHERE application_id = $1`, [id])).toEqual([{ n: 1 }]);
    expect(mailbox.to(email)).toHaveLength(3);
  });

  it('the issue step leaves alone an application that is not issuing, or does not exist', async () => {
    const resident = await d.resident();
    const id = await d.submitted(resident);
    const issuer = d.t.get(DocumentIssuer);
    const message = (applicationId: string) => ({ municipalityId: CITY, id: randomUUID(), topic: 'document.issue', payload: { applicationId, state: 'issuing', revision: 3 }, applicationId, attempts: 1 });
    await issuer.onIssueMessage(message(id));
    await issuer.onIssueMessage(message(randomUUID()));
    expect(await d.t.dataSource.query(`SELECT count(*)::int AS n FROM documents WHERE application_id = $1`, [id])).toEqual([{ n: 0 }]);
    expect(await d.state(id)).toBe('awaitingPayment');
    expect((await eventsOf(id)).map((event) => event.type)).toEqual(['application.created', 'resident.submit']);
  });
});
