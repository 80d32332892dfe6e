import { asMunicipalityId, OutboxRepository } from '@madoguchi/kernel';
import { WorkflowError, WorkflowErrorCode, type WorkflowActor } from '@madoguchi/workflow';
import { createTestApp, type TestApp } from '../support/test-app';
import { publishTestCertificate, publishTestSubsidy, TEST_CERTIFICATE, TEST_SUBSIDY } from '../support/test-procedures';
import { ApplicationWorkflowService, ApplicationError, ApplicationTimerPoller } from '@madoguchi/engine';
import { ApplicationsService } from '@madoguchi/applications';

const CITY = asMunicipalityId('990001');
const OTHER = asMunicipalityId('990002');
const resident: WorkflowActor = { kind: 'resident', id: 'resident-1' };
const clerk: WorkflowActor = { kind: 'staff', id: 'clerk-1' };
const kakaricho: WorkflowActor = { kind: 'staff', id: 'approver-1', level: 'kakaricho' };
const kacho: WorkflowActor = { kind: 'staff', id: 'approver-2', level: 'kacho' };

const certificateForm = { scope: '本人のみ', purpose: '学校への提出', copies: 2 };

describe('application workflow (engine transaction, real PostgreSQL)', () => {
  let t: TestApp;
  let applications: ApplicationsService;
  let workflow: ApplicationWorkflowService;

  beforeAll(async () => {
    t = await createTestApp();
    await publishTestCertificate(t);
    // The subsidy without its card signature: the engine refuses an unsigned
    // signature procedure into review (signed-content.hook.ts, covered by
    // test/e2e/signed-record-integrity.e2e-spec.ts).
    await publishTestSubsidy(t);
    applications = t.get(ApplicationsService);
    workflow = t.get(ApplicationWorkflowService);
  });
  afterAll(() => t.close());

  const submittedCertificate = async () => {
    const draft = await applications.createDraft(CITY, { procedureCode: TEST_CERTIFICATE, channel: 'online', applicantId: 'resident-1', formData: certificateForm, actor: resident });
    await applications.submit(CITY, draft.id, resident);
    return draft.id;
  };

  it('submits a certificate request: reference number, server-side fee, payment deadline and effect', async () => {
    const draft = await applications.createDraft(CITY, { procedureCode: TEST_CERTIFICATE, channel: 'online', applicantId: 'resident-1', formData: certificateForm, actor: resident });
    expect(draft.state).toBe('draft');
    const outcome = await applications.submit(CITY, draft.id, resident);
    expect(outcome).toMatchObject({ from: 'draft', to: 'awaitingPayment', revision: 2 });
    expect(outcome.referenceNumber).toMatch(/^R8-\d{6}$/);

    const stored = await applications.get(CITY, draft.id);
    expect(stored.snapshot.context).toMatchObject({ fee: { amount: 600 } });
    expect(stored.submittedAt).not.toBeNull();
    const timers = await t.dataSource.query(`SELECT event_type, state, fire_at, status FROM timers WHERE application_id = $1`, [draft.id]);
    expect(timers).toEqual([
      { event_type: 'deadline.reached', state: 'awaitingPayment', fire_at: new Date(t.clock.now().getTime() + 24 * 3600_000), status: 'scheduled' },
      // The reminder halfway through a 24-hour deadline.
      { event_type: 'reminder.deadlineApproaching', state: 'awaitingPayment', fire_at: new Date(t.clock.now().getTime() + 12 * 3600_000), status: 'scheduled' },
    ]);
    const outbox = await t.dataSource.query(`SELECT topic, payload FROM outbox WHERE application_id = $1 AND topic NOT IN ('audit.record', 'notification.resident')`, [draft.id]);
    expect(outbox).toEqual([{ topic: 'payment.request', payload: { applicationId: draft.id, state: 'awaitingPayment', revision: 2, event: 'resident.submit' } }]);
    const audits = await t.dataSource.query(`SELECT payload FROM outbox WHERE application_id = $1 AND topic = 'audit.record'`, [draft.id]);
    expect(audits).toEqual([
      {
        payload: {
          actor: { kind: 'resident', id: 'resident-1' },
          action: 'application.transition',
          target: { type: 'application', id: draft.id },
          details: { event: 'resident.submit', from: 'draft', to: 'awaitingPayment', revision: 2 },
        },
      },
    ]);
    const events = await applications.events(CITY, draft.id);
    expect(events.map((event) => [event.seq, event.type, event.fromState, event.toState])).toEqual([
      [1, 'application.created', 'draft', 'draft'],
      [2, 'resident.submit', 'draft', 'awaitingPayment'],
    ]);
  });

  it('numbers submissions in sequence per municipality', async () => {
    const first = await submittedCertificate();
    const second = await submittedCertificate();
    const [a, b] = await Promise.all([applications.get(CITY, first), applications.get(CITY, second)]);
    expect(Number(b.referenceNumber!.slice(3))).toBe(Number(a.referenceNumber!.slice(3)) + 1);
  });

  it('refuses an invalid form with the fields to fix and leaves the draft untouched', async () => {
    const draft = await applications.createDraft(CITY, { procedureCode: TEST_CERTIFICATE, channel: 'online', formData: { scope: '全部', copies: 0 }, actor: resident });
    const error = await applications.submit(CITY, draft.id, resident).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApplicationError);
    const fields = ((error as ApplicationError).details!.errors as Array<{ field: string }>).map((problem) => problem.field).sort();
    expect(fields).toEqual(['copies', 'purpose', 'scope']);
    expect((await applications.get(CITY, draft.id)).state).toBe('draft');
  });

  it('refuses an event the state does not accept with 409 and the allowed events', async () => {
    const id = await submittedCertificate();
    const error = await workflow.transition(CITY, id, { type: 'staff.accept', actor: clerk }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as WorkflowError).httpStatus).toBe(409);
    expect((error as WorkflowError).code).toBe(WorkflowErrorCode.EventNotAllowed);
    expect((error as WorkflowError).details).toEqual({
      event: 'staff.accept',
      state: 'awaitingPayment',
      allowedEvents: ['deadline.reached', 'payment.succeeded', 'resident.withdraw'],
    });
    expect((await applications.get(CITY, id)).revision).toBe(2);
  });

  it('leaving a state cancels its deadline', async () => {
    const id = await submittedCertificate();
    await workflow.transition(CITY, id, { type: 'payment.succeeded', actor: { kind: 'provider', id: 'sim' } });
    const timers = await t.dataSource.query(`SELECT event_type, status FROM timers WHERE application_id = $1 ORDER BY event_type`, [id]);
    expect(timers).toEqual([
      { event_type: 'deadline.reached', status: 'cancelled' },
      { event_type: 'reminder.deadlineApproaching', status: 'cancelled' },
    ]);
    expect((await applications.get(CITY, id)).state).toBe('underReview');
  });

  it('two concurrent transitions on one application: exactly one wins, the other gets 409, nothing is lost', async () => {
    const id = await submittedCertificate();
    await workflow.transition(CITY, id, { type: 'payment.succeeded', actor: { kind: 'provider', id: 'sim' } });
    const results = await Promise.allSettled([
      workflow.transition(CITY, id, { type: 'staff.accept', actor: clerk }),
      workflow.transition(CITY, id, { type: 'staff.reject', actor: clerk, payload: { reason: '本人確認書類の不備' } }),
      workflow.transition(CITY, id, { type: 'resident.withdraw', actor: resident }),
    ]);
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(2);
    for (const failure of rejected) expect((failure.reason as WorkflowError).httpStatus).toBe(409);
    const events = await applications.events(CITY, id);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4]);
    expect((await applications.get(CITY, id)).revision).toBe(4);
  });

  it('two callers holding the same revision: one wins, the other gets a revision conflict', async () => {
    const id = await submittedCertificate();
    await workflow.transition(CITY, id, { type: 'payment.succeeded', actor: { kind: 'provider', id: 'sim' } });
    const revision = (await applications.get(CITY, id)).revision;
    const sendBack = { type: 'staff.sendBack', actor: clerk, expectedRevision: revision, payload: { fields: ['purpose'], message: '使用目的をご確認ください' } };
    const results = await Promise.allSettled([workflow.transition(CITY, id, sendBack), workflow.transition(CITY, id, sendBack)]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected')!;
    expect((failure.reason as WorkflowError).code).toBe(WorkflowErrorCode.RevisionConflict);
  });

  it('return for correction and resubmission', async () => {
    const id = await submittedCertificate();
    await workflow.transition(CITY, id, { type: 'payment.succeeded', actor: { kind: 'provider', id: 'sim' } });
    const missing = await workflow.transition(CITY, id, { type: 'staff.sendBack', actor: clerk, payload: { fields: [] } }).catch((caught: unknown) => caught);
    expect((missing as WorkflowError).code).toBe(WorkflowErrorCode.ConditionsNotMet);
    await workflow.transition(CITY, id, { type: 'staff.sendBack', actor: clerk, payload: { fields: ['purpose'], message: '使用目的をご確認ください' } });
    const returned = await applications.get(CITY, id);
    expect(returned.state).toBe('returned');
    expect(returned.snapshot.context).toMatchObject({ sendBack: { fields: ['purpose'], by: 'clerk-1' }, sendBackCount: 1 });
    await workflow.transition(CITY, id, { type: 'resident.resubmit', actor: resident });
    await workflow.transition(CITY, id, { type: 'staff.accept', actor: clerk });
    const accepted = await applications.get(CITY, id);
    expect(accepted.state).toBe('issuing');
    const topics = await t.dataSource.query(`SELECT topic FROM outbox WHERE application_id = $1 AND topic NOT IN ('audit.record', 'notification.resident') ORDER BY id`, [id]);
    expect(topics.map((row: { topic: string }) => row.topic)).toEqual(['payment.request', 'document.issue']);
  });

  it('walks a subsidy through its approval route as the approvals library directs it', async () => {
    const draft = await applications.createDraft(CITY, { procedureCode: TEST_SUBSIDY, channel: 'online', formData: {}, actor: resident });
    // Skip form validation here: the lifecycle, not the form, is under test.
    await workflow.transition(CITY, draft.id, { type: 'resident.submit', actor: resident });
    await workflow.transition(CITY, draft.id, { type: 'staff.accept', actor: clerk });
    // Who may decide is the approvals library's business (libs/approvals); the
    // machine refuses an approval that does not say which step it decides.
    const unplaced = await workflow.transition(CITY, draft.id, { type: 'approver.approve', actor: kakaricho }).catch((caught: unknown) => caught);
    expect((unplaced as WorkflowError).code).toBe(WorkflowErrorCode.ConditionsNotMet);
    await workflow.transition(CITY, draft.id, { type: 'approver.approve', actor: kakaricho, payload: { step: 0, routeComplete: false } });
    expect((await applications.get(CITY, draft.id)).state).toBe('underApproval');
    await workflow.transition(CITY, draft.id, { type: 'approver.approve', actor: kacho, payload: { step: 1, routeComplete: true, comment: '決裁' } });
    const approved = await applications.get(CITY, draft.id);
    expect(approved.state).toBe('issuing');
    expect((approved.snapshot.context as { approvals: unknown[] }).approvals).toEqual([
      { step: 0, level: 'kakaricho', by: 'approver-1', at: expect.any(String), comment: null },
      { step: 1, level: 'kacho', by: 'approver-2', at: expect.any(String), comment: '決裁' },
    ]);
    await workflow.transition(CITY, draft.id, { type: 'document.issued', actor: { kind: 'system', id: 'documents' } });
    await workflow.transition(CITY, draft.id, { type: 'notification.sent', actor: { kind: 'system', id: 'notifications' } });
    const completed = await applications.get(CITY, draft.id);
    expect(completed).toMatchObject({ state: 'completed', phase: 'final' });
    expect(completed.closedAt).not.toBeNull();
    const closed = await workflow.transition(CITY, draft.id, { type: 'resident.withdraw', actor: resident }).catch((caught: unknown) => caught);
    expect((closed as WorkflowError).details).toMatchObject({ allowedEvents: [] });
  });

  it('keeps municipalities apart', async () => {
    const id = await submittedCertificate();
    await expect(applications.get(OTHER, id)).rejects.toMatchObject({ code: 'APPLICATION_NOT_FOUND' });
    await expect(workflow.transition(OTHER, id, { type: 'resident.withdraw', actor: resident })).rejects.toMatchObject({ code: 'APPLICATION_NOT_FOUND' });
    expect((await applications.get(CITY, id)).state).toBe('awaitingPayment');
  });

  it('refuses a channel that is not open', async () => {
    await expect(
      applications.createDraft(CITY, { procedureCode: 'kaigo-04', channel: 'online', formData: {}, actor: resident }),
    ).rejects.toMatchObject({ code: 'APPLICATION_CHANNEL_CLOSED' });
  });

  it('the event log is append-only', async () => {
    const id = await submittedCertificate();
    await expect(t.dataSource.query(`UPDATE application_events SET type = 'x' WHERE application_id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`DELETE FROM application_events WHERE application_id = $1`, [id])).rejects.toThrow(/append-only/);
  });

  it('a payment deadline fires once even with two pollers racing', async () => {
    const id = await submittedCertificate();
    t.clock.advance(25 * 3600_000);
    const poller = t.get(ApplicationTimerPoller);
    const settled = await Promise.all([poller.fireDue(), poller.fireDue(), poller.fireDue()]);
    expect(settled.reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(1);
    const application = await applications.get(CITY, id);
    expect(application).toMatchObject({ state: 'expired', phase: 'final' });
    const expiries = (await applications.events(CITY, id)).filter((event) => event.type === 'deadline.reached');
    expect(expiries).toHaveLength(1);
    expect(expiries[0]).toMatchObject({ actorKind: 'system', actorId: 'timer' });
    // The reminder fell due with the deadline (pollers were away): void, no mail about a deadline already passed.
    expect(await t.dataSource.query(`SELECT event_type, status FROM timers WHERE application_id = $1 ORDER BY event_type`, [id])).toEqual([
      { event_type: 'deadline.reached', status: 'fired' },
      { event_type: 'reminder.deadlineApproaching', status: 'void' },
    ]);
    const reminders = await t.dataSource.query(`SELECT 1 FROM outbox WHERE application_id = $1 AND payload->>'kind' = 'deadlineApproaching'`, [id]);
    expect(reminders).toEqual([]);
    t.clock.advance(-25 * 3600_000);
  });

  it('writes the outbox only when the transition commits', async () => {
    const id = await submittedCertificate();
    const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM outbox`);
    await t.dataSource
      .transaction(async (manager) => {
        await workflow.transition(CITY, id, { type: 'payment.succeeded', actor: { kind: 'provider', id: 'sim' } }, manager);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM outbox`)).toEqual(before);
    expect((await applications.get(CITY, id)).state).toBe('awaitingPayment');
    expect(t.get(OutboxRepository)).toBeDefined();
  });
});
