import type { StaffHandle } from '../support/identity-e2e';
import {
  CERTIFICATE_FORM,
  client,
  type Client,
  eventTypes,
  expectNoServerErrors,
  INTERNAL_NAMES,
  markPaid,
  rowCounts,
  SECOND,
  startSubmissionApp,
  storedApplication,
  submitted,
  type SubmissionHarness,
  refusedWithoutWrites,
} from '../support/submission-e2e';
import { TEST_CERTIFICATE } from '../support/test-procedures';

/**
 * The resident's side of a return for correction (差戻し): staff flag fields
 * and say why, the resident sees it, changes only those fields and
 * resubmits. Also the timeline in plain words and withdrawal before a
 * decision. Payment is skipped by applying `payment.succeeded` directly.
 */
describe('corrections, timeline and withdrawal (HTTP, real PostgreSQL)', () => {
  let h: SubmissionHarness;
  let resident: Client;
  let otherResident: Client;
  let clerk: Client;
  let clerkHandle: StaffHandle;

  beforeAll(async () => {
    h = await startSubmissionApp();
    resident = client(h.server, (await h.identity.resident('corrections@example.jp')).token);
    otherResident = client(h.server, (await h.identity.resident('corrections-other@example.jp')).token);
    clerkHandle = await h.identity.staff('clerk.shimin.corrections', ['clerk'], { departments: ['shimin'] });
    clerk = client(h.server, clerkHandle.token);
  });
  afterAll(async () => {
    if (h) expectNoServerErrors(h);
    await h?.close();
  });
  beforeEach(() => h.t.clock.advance(SECOND));


  /** Submitted and paid: the application waits for review. */
  async function underReview(form: Record<string, unknown> = CERTIFICATE_FORM): Promise<string> {
    const application = await submitted(resident, TEST_CERTIFICATE, form);
    await markPaid(h.t, application.id);
    return application.id;
  }

  const MESSAGE = '使用目的を選び直してください。';

  describe('return for correction', () => {
    let id: string;

    it('shows the resident the flagged fields and the message while the application is returned', async () => {
      id = await underReview();
      // Staff must say which fields and why.
      for (const payload of [{ fields: [], message: MESSAGE }, { fields: ['purpose'], message: '  ' }, { message: MESSAGE }]) {
        await refusedWithoutWrites(h, () => clerk.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.sendBack', payload }), 422, 'WORKFLOW_EVENT_CONDITIONS_NOT_MET');
      }
      const sentBack = await clerk.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.sendBack', payload: { fields: ['purpose'], message: MESSAGE } }).expect(200);
      expect(sentBack.body.state).toBe('returned');

      const seen = await resident.get(`/api/v1/applications/${id}`).expect(200);
      expect(seen.body).toMatchObject({
        state: 'returned',
        status: { ja: '修正のお願い（差戻し）', en: 'Returned for correction' },
        sendBack: { fields: ['purpose'], message: MESSAGE },
        allowedEvents: ['resident.resubmit', 'resident.withdraw'],
        fee: 300,
      });
      // Only what the resident needs: not who sent it back.
      expect(Object.keys(seen.body.sendBack).sort()).toEqual(['fields', 'message']);
    });

    it('refuses a change to a field staff did not flag (422 APPLICATION_FIELDS_NOT_FLAGGED), an invalid value (422 form error) and a stale revision (409)', async () => {
      const { revision } = await storedApplication(h.t, id);
      const copies = await refusedWithoutWrites(h, () => resident.put(`/api/v1/applications/${id}/corrections`, { changes: { copies: 2 }, revision }), 422, 'APPLICATION_FIELDS_NOT_FLAGGED');
      expect(copies.body).toMatchObject({
        message: { ja: '修正をお願いした項目以外は変更できません。', en: 'Only the fields staff asked you to fix can be changed.' },
        details: { fields: ['copies'] },
      });
      const mixed = await refusedWithoutWrites(h, 
        () => resident.put(`/api/v1/applications/${id}/corrections`, { changes: { purpose: '就職・勤務先への提出', scope: '世帯全員', fee: 0 }, revision }),
        422,
        'APPLICATION_FIELDS_NOT_FLAGGED',
      );
      expect(mixed.body.details.fields.sort()).toEqual(['fee', 'scope']);

      const invalid = await refusedWithoutWrites(h, () => resident.put(`/api/v1/applications/${id}/corrections`, { changes: { purpose: '転売' }, revision }), 422, 'APPLICATION_FORM_INVALID');
      expect(invalid.body.details.errors).toEqual([
        { field: 'purpose', keyword: 'enum', message: { ja: '「使用目的」は選択肢から選んでください。', en: '"使用目的" must be one of the listed choices.' } },
      ]);
      await refusedWithoutWrites(h, () => resident.put(`/api/v1/applications/${id}/corrections`, { changes: { purpose: null }, revision }), 422, 'APPLICATION_FORM_INVALID');
      await refusedWithoutWrites(h, () => resident.put(`/api/v1/applications/${id}/corrections`, { changes: { purpose: '就職・勤務先への提出' }, revision: revision - 1 }), 409, 'WORKFLOW_REVISION_CONFLICT');
      await refusedWithoutWrites(h, () => resident.put(`/api/v1/applications/${id}/corrections`, { changes: { purpose: '就職・勤務先への提出' } }), 400, 'VALIDATION_FAILED');
      await refusedWithoutWrites(h, () => resident.put(`/api/v1/applications/${id}/corrections`, { changes: 'purpose', revision }), 400, 'VALIDATION_FAILED');
      await refusedWithoutWrites(h, () => otherResident.put(`/api/v1/applications/${id}/corrections`, { changes: { purpose: '就職・勤務先への提出' }, revision }), 404, 'APPLICATION_NOT_FOUND');
      expect((await storedApplication(h.t, id)).form_data).toEqual(CERTIFICATE_FORM);
    });

    it('accepts a change to the flagged field (200, event application.corrected), then resubmission returns it to review', async () => {
      const { revision } = await storedApplication(h.t, id);
      const before = await rowCounts(h.t);
      const corrected = await resident.put(`/api/v1/applications/${id}/corrections`, { changes: { purpose: '就職・勤務先への提出' }, revision }).expect(200);
      expect(corrected.body).toMatchObject({ state: 'returned', revision: revision + 1, formData: { ...CERTIFICATE_FORM, purpose: '就職・勤務先への提出' }, fee: 300 });
      expect(await rowCounts(h.t)).toMatchObject({ applications: before.applications, events: before.events + 1 });
      const [event]: Array<{ type: string; payload: unknown; actor_kind: string }> = await h.t.dataSource.query(
        `SELECT type, payload, actor_kind FROM application_events WHERE application_id = $1 ORDER BY seq DESC LIMIT 1`,
        [id],
      );
      expect(event).toEqual({ type: 'application.corrected', payload: { fields: ['purpose'] }, actor_kind: 'resident' });

      const resubmitted = await resident.post(`/api/v1/applications/${id}/resubmit`, { revision: revision + 1 }).expect(200);
      expect(resubmitted.body).toMatchObject({ state: 'underReview', sendBack: null, formData: { purpose: '就職・勤務先への提出' } });
      await refusedWithoutWrites(h, () => resident.post(`/api/v1/applications/${id}/resubmit`, {}), 409, 'WORKFLOW_EVENT_NOT_ALLOWED');
    });

    it('refuses a correction when the application is not returned: 409 APPLICATION_NOT_RETURNED', async () => {
      const { revision } = await storedApplication(h.t, id);
      const response = await refusedWithoutWrites(h, () => resident.put(`/api/v1/applications/${id}/corrections`, { changes: { purpose: '学校への提出' }, revision }), 409, 'APPLICATION_NOT_RETURNED');
      expect(response.body.message).toEqual({ ja: '修正のお願いが届いている申請だけ修正できます。', en: 'Only an application returned for correction can be corrected.' });
      const draft = await resident.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: CERTIFICATE_FORM }).expect(201);
      await refusedWithoutWrites(h, () => resident.put(`/api/v1/applications/${draft.body.id}/corrections`, { changes: { purpose: '学校への提出' }, revision: 1 }), 409, 'APPLICATION_NOT_RETURNED');
    });

    it('lists the whole story in the timeline in plain Japanese and English, never the engine’s state or event names', async () => {
      const timeline = await resident.get(`/api/v1/applications/${id}/timeline`).expect(200);
      expect(timeline.body.map((entry: { event: string; description: { ja: string; en: string } }) => [entry.event, entry.description])).toEqual([
        ['application.created', { ja: '申請を作成しました', en: 'Application started' }],
        ['resident.submit', { ja: '申請を提出しました', en: 'Application submitted' }],
        ['payment.succeeded', { ja: 'お支払いを確認しました', en: 'Payment received' }],
        ['staff.sendBack', { ja: '修正のお願いが届きました', en: 'Returned for correction' }],
        ['application.corrected', { ja: '申請内容を修正しました', en: 'Application corrected' }],
        ['resident.resubmit', { ja: '修正して再提出しました', en: 'Corrected and resubmitted' }],
      ]);
      for (const entry of timeline.body as Array<{ at: string; description: { ja: string; en: string }; status: { ja: string; en: string } }>) {
        for (const text of [entry.description.ja, entry.description.en, entry.status.ja, entry.status.en]) expect(text).not.toMatch(INTERNAL_NAMES);
        expect(entry.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      }
      expect(timeline.body.map((entry: { status: { ja: string } }) => entry.status.ja)).toEqual([
        '下書き',
        'お支払い待ち',
        '審査中',
        '修正のお願い（差戻し）',
        '修正のお願い（差戻し）',
        '審査中',
      ]);
      // Timestamps in order, one per step.
      const times = timeline.body.map((entry: { at: string }) => entry.at);
      expect([...times].sort()).toEqual(times);
    });
  });

  describe('withdrawal', () => {
    it('withdraws before a decision: awaiting payment, under review and returned all end as withdrawn', async () => {
      const awaitingPayment = await submitted(resident, TEST_CERTIFICATE, CERTIFICATE_FORM);
      const reviewing = await underReview();
      const returned = await underReview();
      await clerk.post(`/api/v1/staff/applications/${returned}/events`, { type: 'staff.sendBack', payload: { fields: ['copies'], message: '通数をご確認ください。' } }).expect(200);

      for (const id of [awaitingPayment.id, reviewing, returned]) {
        const before = await rowCounts(h.t);
        const withdrawn = await resident.post(`/api/v1/applications/${id}/withdraw`, { reason: '不要になりました' }).expect(200);
        expect(withdrawn.body).toMatchObject({ state: 'withdrawn', status: { ja: '取下げ済み', en: 'Withdrawn' }, allowedEvents: [], sendBack: null });
        expect(await rowCounts(h.t)).toMatchObject({ applications: before.applications, events: before.events + 1 });
        expect((await eventTypes(h.t, id)).at(-1)).toBe('resident.withdraw');
        const timeline = await resident.get(`/api/v1/applications/${id}/timeline`).expect(200);
        expect(timeline.body.at(-1)).toMatchObject({ description: { ja: '申請を取り下げました', en: 'Application withdrawn' }, status: { ja: '取下げ済み', en: 'Withdrawn' } });
        // Once is enough.
        await refusedWithoutWrites(h, () => resident.post(`/api/v1/applications/${id}/withdraw`, {}), 409, 'WORKFLOW_EVENT_NOT_ALLOWED');
      }
    });

    it('refuses withdrawal after acceptance (issuing): 409 WORKFLOW_EVENT_NOT_ALLOWED listing what the state accepts', async () => {
      const id = await underReview();
      await clerk.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.accept' }).expect(200);
      const response = await refusedWithoutWrites(h, () => resident.post(`/api/v1/applications/${id}/withdraw`, { reason: '気が変わりました' }), 409, 'WORKFLOW_EVENT_NOT_ALLOWED');
      expect(response.body).toMatchObject({
        message: {
          ja: 'この申請は現在の状態ではその操作を受け付けられません。画面を更新して状態をご確認ください。',
          en: 'The application is "issuing" and does not accept "resident.withdraw" now.',
        },
        details: { event: 'resident.withdraw', state: 'issuing', allowedEvents: ['document.issued'] },
      });
      expect((await storedApplication(h.t, id)).state).toBe('issuing');
    });

    it('refuses withdrawal of a draft (discard it instead), of another resident’s application (404) and with a stale revision (409)', async () => {
      const draft = await resident.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: CERTIFICATE_FORM }).expect(201);
      const refused = await refusedWithoutWrites(h, () => resident.post(`/api/v1/applications/${draft.body.id}/withdraw`, {}), 409, 'WORKFLOW_EVENT_NOT_ALLOWED');
      expect(refused.body.details.allowedEvents).toEqual(['resident.discard', 'resident.submit']);
      const id = await underReview();
      await refusedWithoutWrites(h, () => otherResident.post(`/api/v1/applications/${id}/withdraw`, {}), 404, 'APPLICATION_NOT_FOUND');
      await refusedWithoutWrites(h, () => resident.post(`/api/v1/applications/${id}/withdraw`, { revision: 1 }), 409, 'WORKFLOW_REVISION_CONFLICT');
      await refusedWithoutWrites(h, () => resident.post(`/api/v1/applications/${id}/withdraw`, { reason: 'x'.repeat(501) }), 400, 'VALIDATION_FAILED');
      expect((await storedApplication(h.t, id)).state).toBe('underReview');
    });
  });
});
