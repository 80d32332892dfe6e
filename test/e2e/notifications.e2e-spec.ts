import { ApplicationTimerPoller, ApplicationWorkflowService } from '@madoguchi/engine';
import { asMunicipalityId, formatWareki, localParts, OutboxDispatcher } from '@madoguchi/kernel';
import { ProcedureRegistry } from '@madoguchi/procedures';
import request from 'supertest';
import { IdentityDriver } from '../support/identity-e2e';
import { createTestApp, type TestApp } from '../support/test-app';
import { TestMailbox } from '../support/test-mailbox';
import { publishTestCertificate, TEST_CERTIFICATE } from '../support/test-procedures';

const CITY = asMunicipalityId('990001');
const provider = { kind: 'provider' as const, id: 'test' };
const clerk = { kind: 'staff' as const, id: 'clerk-1' };

describe('notifications to residents (outbox → real SMTP server)', () => {
  let mailbox: TestMailbox;
  let t: TestApp;
  let id: IdentityDriver;
  let workflow: ApplicationWorkflowService;

  beforeAll(async () => {
    mailbox = await TestMailbox.start();
    t = await createTestApp({ env: { SMTP_URL: mailbox.url, PUBLIC_BASE_URL: 'https://madoguchi.example.jp' } });
    await publishTestCertificate(t);
    id = new IdentityDriver(t, mailbox);
    workflow = t.get(ApplicationWorkflowService);
  });
  afterAll(async () => {
    await t.close();
    await mailbox.close();
  });

  const deliver = async () => {
    for (let round = 0; round < 5; round += 1) await t.get(OutboxDispatcher).dispatchDue();
  };

  const submitted = async (email: string) => {
    const resident = await id.resident(email);
    const created = await request(t.app.getHttpServer())
      .post('/api/v1/applications')
      .auth(resident.token, { type: 'bearer' })
      .send({ procedureCode: TEST_CERTIFICATE, formData: { scope: '本人のみ', purpose: '学校への提出', copies: 2 } })
      .expect(201);
    const done = await request(t.app.getHttpServer()).post(`/api/v1/applications/${created.body.id}/submit`).auth(resident.token, { type: 'bearer' }).send({}).expect(200);
    return { resident, applicationId: created.body.id as string, referenceNumber: done.body.referenceNumber as string };
  };

  it('tells the resident a fee is due, then that it was paid, in Japanese and English, without personal data', async () => {
    const { applicationId, referenceNumber } = await submitted('notify-1@example.jp');
    await deliver();
    const due = mailbox.take('notify-1@example.jp');
    const name = (await t.get(ProcedureRegistry).get(CITY, TEST_CERTIFICATE, 1)).definition.name;
    expect(due.subject).toBe(`【窓口】${name.ja}（受付番号 ${referenceNumber}）/ ${name.en}`);
    expect(due.text).toContain('手数料のお支払いをお願いします');
    expect(due.text).toContain('A fee is due');
    // The amount and the deadline (the deadline.reached timer, in the municipality's time) in both languages.
    const [timer] = await t.dataSource.query(`SELECT fire_at FROM timers WHERE application_id = $1 AND event_type = 'deadline.reached'`, [applicationId]);
    const local = localParts(timer.fire_at, 'Asia/Tokyo');
    const [year, month, day] = local.date.split('-').map(Number);
    const time = `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`;
    expect(due.text).toContain('お支払い金額：600円');
    expect(due.text).toContain(`お支払い期限：${formatWareki(local.date)}（${year}年${month}月${day}日）${time}まで`);
    expect(due.text).toContain('Amount due: 600円 (JPY 600)');
    expect(due.text).toContain(`Pay by: ${time} on ${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')} (Japan time)`);
    expect(due.text).toContain(`https://madoguchi.example.jp/applications/${applicationId}`);
    expect(due.text).not.toMatch(/学校への提出|本人のみ/);

    await workflow.transition(CITY, applicationId, { type: 'payment.succeeded', actor: provider });
    await deliver();
    expect(mailbox.take('notify-1@example.jp').text).toContain('お支払いを確認しました');
  });

  it('tells of a return for correction, and sends each notice once even when the outbox redelivers', async () => {
    const { applicationId } = await submitted('notify-2@example.jp');
    await deliver();
    mailbox.forget('notify-2@example.jp');
    await workflow.transition(CITY, applicationId, { type: 'payment.succeeded', actor: provider });
    await workflow.transition(CITY, applicationId, { type: 'staff.sendBack', actor: clerk, payload: { fields: ['purpose'], message: '確認してください' } });
    await deliver();
    const mails = mailbox.to('notify-2@example.jp');
    expect(mails.map((mail) => mail.text.split('\n')[0])).toEqual(['お支払いを確認しました。', '申請内容の修正をお願いします。マイページで修正箇所をご確認ください。']);
    // A redelivery (the lease expired while the first send was in flight) sends nothing new.
    await t.dataSource.query(`UPDATE outbox SET status = 'pending', available_at = $1 WHERE topic = 'notification.resident' AND application_id = $2`, [t.clock.now(), applicationId]);
    await deliver();
    expect(mailbox.to('notify-2@example.jp')).toHaveLength(2);
    const rows = await t.dataSource.query(`SELECT kind, status, attempts FROM notifications WHERE application_id = $1 ORDER BY created_at, kind`, [applicationId]);
    expect(rows).toEqual(
      expect.arrayContaining([
        { kind: 'paymentReceived', status: 'sent', attempts: 1 },
        { kind: 'returnedForCorrection', status: 'sent', attempts: 1 },
      ]),
    );
  });

  it('keeps a failed notice visible to staff and delivers it when the mail server is back', async () => {
    const { applicationId } = await submitted('notify-3@example.jp');
    await deliver();
    mailbox.forget('notify-3@example.jp');
    TestMailbox.refusing = true;
    try {
      await workflow.transition(CITY, applicationId, { type: 'payment.succeeded', actor: provider });
      await t.get(OutboxDispatcher).dispatchDue();
      const [failed] = await t.dataSource.query(`SELECT kind, status, attempts, last_error FROM notifications WHERE application_id = $1 AND kind = 'paymentReceived'`, [applicationId]);
      expect(failed).toMatchObject({ kind: 'paymentReceived', status: 'failed', attempts: 1, last_error: expect.stringContaining('451') });
      const staff = await id.staff('clerk.notify', ['clerk'], { departments: ['shimin'] });
      const listed = await request(t.app.getHttpServer()).get('/api/v1/staff/notifications/failed').auth(staff.token, { type: 'bearer' }).expect(200);
      expect(listed.body).toEqual([expect.objectContaining({ applicationId, kind: 'paymentReceived', attempts: 1 })]);
      const [outbox] = await t.dataSource.query(
        `SELECT status, attempts FROM outbox WHERE topic = 'notification.resident' AND application_id = $1 AND payload->>'kind' = 'paymentReceived'`,
        [applicationId],
      );
      expect(outbox).toEqual({ status: 'pending', attempts: 1 });
    } finally {
      TestMailbox.refusing = false;
    }
    // The outbox retries after its backoff, now with a working server.
    t.clock.advance(60_000);
    await deliver();
    expect(mailbox.take('notify-3@example.jp').text).toContain('お支払いを確認しました');
    const [row] = await t.dataSource.query(`SELECT status, attempts FROM notifications WHERE application_id = $1 AND kind = 'paymentReceived'`, [applicationId]);
    expect(row).toEqual({ status: 'sent', attempts: 2 });
  });

  it('completes the notify step of a procedure once the notice is out', async () => {
    const { applicationId } = await submitted('notify-4@example.jp');
    await workflow.transition(CITY, applicationId, { type: 'payment.succeeded', actor: provider });
    await workflow.transition(CITY, applicationId, { type: 'staff.accept', actor: clerk });
    await workflow.transition(CITY, applicationId, { type: 'document.issued', actor: { kind: 'system', id: 'documents' } });
    await deliver();
    const [application] = await t.dataSource.query(`SELECT state FROM applications WHERE id = $1`, [applicationId]);
    expect(application.state).toBe('completed');
    expect(mailbox.to('notify-4@example.jp').map((mail) => mail.text.split('\n')[0])).toContain('書類の交付準備ができました。マイページからご確認ください。');
  });

  it('reminds of a payment deadline once, halfway through a 24-hour one, and not after payment', async () => {
    const HOUR = 60 * 60 * 1000;
    const timers = t.get(ApplicationTimerPoller);
    const unpaid = await submitted('notify-remind@example.jp');
    const paid = await submitted('notify-remind-paid@example.jp');
    await deliver();
    mailbox.forget('notify-remind@example.jp');
    mailbox.forget('notify-remind-paid@example.jp');
    await workflow.transition(CITY, paid.applicationId, { type: 'payment.succeeded', actor: provider });
    await deliver();
    mailbox.forget('notify-remind-paid@example.jp');

    t.clock.advance(11 * HOUR);
    expect(await timers.fireDue()).toBe(0);
    t.clock.advance(2 * HOUR);
    await timers.fireDue();
    await deliver();
    const reminder = mailbox.take('notify-remind@example.jp');
    expect(reminder.text).toContain('お支払いの期限が近づいています');
    expect(reminder.text).toContain('The payment deadline is near');
    expect(mailbox.to('notify-remind-paid@example.jp')).toEqual([]);
    // A reminder changes nothing else: the application still waits for payment.
    const [row] = await t.dataSource.query(`SELECT state FROM applications WHERE id = $1`, [unpaid.applicationId]);
    expect(row.state).toBe('awaitingPayment');
    expect(await timers.fireDue()).toBe(0);
    await deliver();
    expect(mailbox.to('notify-remind@example.jp')).toEqual([]);
    t.clock.advance(-13 * HOUR);
  });

  it('skips residents it cannot reach, and records that', async () => {
    const resident = await id.resident('notify-5@example.jp');
    await t.dataSource.query(`UPDATE residents SET email_verified_at = NULL WHERE id = $1`, [resident.id]);
    const created = await request(t.app.getHttpServer())
      .post('/api/v1/applications')
      .auth(resident.token, { type: 'bearer' })
      .send({ procedureCode: TEST_CERTIFICATE, formData: { scope: '本人のみ', purpose: '学校への提出', copies: 1 } })
      .expect(201);
    await request(t.app.getHttpServer()).post(`/api/v1/applications/${created.body.id}/submit`).auth(resident.token, { type: 'bearer' }).send({}).expect(200);
    await deliver();
    expect(mailbox.to('notify-5@example.jp')).toHaveLength(0);
    expect(await t.dataSource.query(`SELECT status FROM notifications WHERE application_id = $1`, [created.body.id])).toEqual([{ status: 'skipped' }]);
  });
});
