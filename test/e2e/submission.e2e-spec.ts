import request from 'supertest';
import {
  CERTIFICATE_FORM,
  client,
  type Client,
  eventTypes,
  expectNoServerErrors,
  FORMATS_PROCEDURE,
  publishFormatsProcedure,
  rowCounts,
  SECOND,
  sortByField,
  startSubmissionApp,
  storedApplication,
  submitted,
  type SubmissionHarness,
  UNKNOWN_ID,
  refusedWithoutWrites,
} from '../support/submission-e2e';
import { TEST_CERTIFICATE } from '../support/test-procedures';

/**
 * Online submission through the HTTP API, on a real database: the receipt
 * and its reference number, form validation with messages in Japanese and
 * English, drafts across sessions, Idempotency-Key on create and submit,
 * and malformed input. Every refusal is checked to leave no row behind.
 * Fees: submission-fees; corrections and withdrawal: submission-corrections;
 * files: submission-attachments; draft expiry: submission-draft-expiry.
 */
describe('submission (HTTP, real PostgreSQL)', () => {
  let h: SubmissionHarness;
  let residentA: { id: string; token: string };
  let residentB: { id: string; token: string };
  let a: Client;
  let b: Client;

  beforeAll(async () => {
    h = await startSubmissionApp();
    await publishFormatsProcedure(h.t);
    // Everyone signs up before any submission, so no mail delivery runs the outbox later.
    residentA = await h.identity.resident('submission-a@example.jp');
    residentB = await h.identity.resident('submission-b@example.jp');
    a = client(h.server, residentA.token);
    b = client(h.server, residentB.token);
  });
  afterAll(async () => {
    if (h) expectNoServerErrors(h);
    await h?.close();
  });
  // Small steps: access tokens last 15 minutes of the test clock.
  beforeEach(() => h.t.clock.advance(SECOND));


  // Runs first: the first submission of the municipality gets sequence 1.
  describe('reference number and receipt (受付票)', () => {
    it('has no receipt before submission (409 APPLICATION_NOT_SUBMITTED); after it, R8-000001 dated 令和8年11月22日 with the fee for 2 copies', async () => {
      const draft = await a.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: { ...CERTIFICATE_FORM, copies: 2 } }).expect(201);
      const early = await refusedWithoutWrites(h, () => a.get(`/api/v1/applications/${draft.body.id}/receipt`), 409, 'APPLICATION_NOT_SUBMITTED');
      expect(early.body.message).toEqual({ ja: 'まだ提出されていません。', en: 'The application has not been submitted yet.' });

      const before = await rowCounts(h.t);
      const submittedResponse = await a.post(`/api/v1/applications/${draft.body.id}/submit`, { revision: 1 }).expect(200);
      expect(submittedResponse.body).toMatchObject({ state: 'awaitingPayment', referenceNumber: 'R8-000001', fee: 600, revision: 2 });
      expect(await rowCounts(h.t)).toMatchObject({ applications: before.applications, events: before.events + 1, referenceNumbers: before.referenceNumbers + 1 });

      const receipt = await a.get(`/api/v1/applications/${draft.body.id}/receipt`).expect(200);
      expect(receipt.body).toEqual({
        referenceNumber: 'R8-000001',
        procedure: { code: TEST_CERTIFICATE, version: 1, name: { ja: '住民票の写しの交付請求', en: 'Request for a certificate of residence' } },
        channel: 'online',
        submittedAt: h.t.clock.now().toISOString(),
        submittedOnWareki: '令和8年11月22日',
        fee: 600,
        standardProcessingDays: 1,
        // Sunday 11/22, then 勤労感謝の日 on Monday: counted from Tuesday 11/24, one business day later.
        dueOn: '2026-11-25',
        status: { ja: 'お支払い待ち', en: 'Awaiting payment' },
      });
      // Same as stored, and the next submission takes the next number.
      expect((await storedApplication(h.t, draft.body.id)).reference_number).toBe('R8-000001');
      const second = await submitted(a, TEST_CERTIFICATE, CERTIFICATE_FORM);
      expect(second.referenceNumber).toBe('R8-000002');
      expect((await a.get(`/api/v1/applications/${second.id}/receipt`).expect(200)).body).toMatchObject({ referenceNumber: 'R8-000002', fee: 300 });
    });

    it("gives another resident 404 for the receipt, as for an application that does not exist", async () => {
      const mine = await submitted(a, TEST_CERTIFICATE, CERTIFICATE_FORM);
      await refusedWithoutWrites(h, () => b.get(`/api/v1/applications/${mine.id}/receipt`), 404, 'APPLICATION_NOT_FOUND');
      await refusedWithoutWrites(h, () => b.get(`/api/v1/applications/${UNKNOWN_ID}/receipt`), 404, 'APPLICATION_NOT_FOUND');
    });
  });

  describe('form validation', () => {
    it('refuses a certificate with 0 copies and no purpose: 422 APPLICATION_FORM_INVALID, one error per field naming its title in Japanese and English', async () => {
      const draft = await a.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: { scope: '本人のみ', copies: 0 } }).expect(201);
      const response = await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${draft.body.id}/submit`, { revision: 1 }), 422, 'APPLICATION_FORM_INVALID');
      expect(response.body.message).toEqual({ ja: '入力内容に誤りがあります。各項目をご確認ください。', en: 'Some answers in the form need fixing.' });
      expect(sortByField(response.body.details.errors)).toEqual([
        { field: 'copies', keyword: 'minimum', message: { ja: '「通数」は1以上にしてください。', en: '"通数" must be at least 1.' } },
        { field: 'purpose', keyword: 'required', message: { ja: '「使用目的」を入力してください。', en: '"使用目的" is required.' } },
      ]);
      expect(await storedApplication(h.t, draft.body.id)).toMatchObject({ state: 'draft', revision: 1, reference_number: null });
      expect(await eventTypes(h.t, draft.body.id)).toEqual(['application.created']);
    });

    it('names each rule broken: enum, maximum, maxLength, type and unknown fields, without echoing the values entered', async () => {
      const formData = { scope: '隣の人', purpose: '学校への提出', copies: 11, purposeDetail: 'あ'.repeat(201), includeDomicile: 'yes', secretNote: 'private-value-123' };
      const draft = await a.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData }).expect(201);
      const response = await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${draft.body.id}/submit`, {}), 422, 'APPLICATION_FORM_INVALID');
      expect(sortByField(response.body.details.errors)).toEqual([
        { field: 'copies', keyword: 'maximum', message: { ja: '「通数」は10以下にしてください。', en: '"通数" must be at most 10.' } },
        {
          field: 'includeDomicile',
          keyword: 'type',
          message: { ja: '「本籍・筆頭者を記載する」の形式が正しくありません。', en: '"本籍・筆頭者を記載する" has the wrong type (expected boolean).' },
        },
        {
          field: 'purposeDetail',
          keyword: 'maxLength',
          message: { ja: '「使用目的の詳細」は200文字以内で入力してください。', en: '"使用目的の詳細" allows at most 200 characters.' },
        },
        { field: 'scope', keyword: 'enum', message: { ja: '「記載する人」は選択肢から選んでください。', en: '"記載する人" must be one of the listed choices.' } },
        { field: 'secretNote', keyword: 'additionalProperties', message: { ja: 'この申請にない項目が含まれています。', en: 'Unknown field "secretNote".' } },
      ]);
      const text = JSON.stringify(response.body);
      for (const value of ['隣の人', 'private-value-123', 'あああ']) expect(text).not.toContain(value);
    });

    it('checks the Japanese formats (postal code, phone, katakana, 和暦 date): all four wrong get four messages; all four right submit', async () => {
      const wrong = { postalCode: '1234-567', phone: '12-3456-7890', nameKana: 'やまだ たろう', birthDate: '平成31年5月1日' };
      const draft = await a.post('/api/v1/applications', { procedureCode: FORMATS_PROCEDURE, formData: wrong }).expect(201);
      const response = await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${draft.body.id}/submit`, { revision: 1 }), 422, 'APPLICATION_FORM_INVALID');
      expect(sortByField(response.body.details.errors)).toEqual([
        {
          field: 'birthDate',
          keyword: 'format',
          message: { ja: '「生年月日」は和暦の日付（例：令和8年11月22日）で入力してください。', en: '"生年月日" must be a Japanese-era date (e.g. 令和8年11月22日).' },
        },
        { field: 'nameKana', keyword: 'format', message: { ja: '「フリガナ」は全角カタカナで入力してください。', en: '"フリガナ" must be full-width katakana.' } },
        {
          field: 'phone',
          keyword: 'format',
          message: { ja: '「電話番号」は電話番号（例：03-1234-5678）で入力してください。', en: '"電話番号" must be a phone number (e.g. 03-1234-5678).' },
        },
        {
          field: 'postalCode',
          keyword: 'format',
          message: { ja: '「郵便番号」は郵便番号（例：123-4567）で入力してください。', en: '"郵便番号" must be a postal code (e.g. 123-4567).' },
        },
      ]);

      // Near misses, one at a time: each is refused on its own field.
      const right = { postalCode: '123-4567', phone: '03-1234-5678', nameKana: 'ヤマダ　タロウ', birthDate: '平成元年1月8日' };
      const nearMisses: Array<[keyof typeof right, string]> = [
        ['postalCode', '123-45678'],
        ['phone', '0120-12-345'],
        ['nameKana', 'ﾔﾏﾀﾞ'],
        ['birthDate', '令和元年4月30日'],
        ['birthDate', '令和8年2月30日'],
        ['birthDate', '2026-11-22'],
      ];
      let revision = 1;
      for (const [field, value] of nearMisses) {
        revision = (await a.put(`/api/v1/applications/${draft.body.id}/form`, { formData: { ...right, [field]: value }, revision }).expect(200)).body.revision;
        const refused = await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${draft.body.id}/submit`, { revision }), 422, 'APPLICATION_FORM_INVALID');
        expect(refused.body.details.errors.map((error: { field: string; keyword: string }) => [error.field, error.keyword])).toEqual([[field, 'format']]);
      }

      for (const variant of [right, { postalCode: '1000001', phone: '09012345678', nameKana: 'サトウ ハナコ', birthDate: '令和8年11月22日' }]) {
        const valid = await a.post('/api/v1/applications', { procedureCode: FORMATS_PROCEDURE, formData: variant }).expect(201);
        const accepted = await a.post(`/api/v1/applications/${valid.body.id}/submit`, { revision: 1 }).expect(200);
        // No fee step: straight to review.
        expect(accepted.body).toMatchObject({ state: 'underReview', fee: null, referenceNumber: expect.stringMatching(/^R8-\d{6}$/), formData: variant });
      }
    });
  });

  describe('drafts', () => {
    it('saves a partial draft, resumes it from a second session, refuses a stale revision (409) and keeps the newer answers', async () => {
      const before = await rowCounts(h.t);
      const created = await a.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: { scope: '本人のみ' } }).expect(201);
      expect(created.body).toMatchObject({ state: 'draft', revision: 1, formData: { scope: '本人のみ' }, referenceNumber: null, fee: null, submittedAt: null });
      expect(await rowCounts(h.t)).toMatchObject({ applications: before.applications + 1, events: before.events + 1 });

      // Incomplete answers are fine in a draft: validation is at submission.
      const saved = await a.put(`/api/v1/applications/${created.body.id}/form`, { formData: { scope: '本人のみ', purpose: '学校への提出' }, revision: 1 }).expect(200);
      expect(saved.body).toMatchObject({ state: 'draft', revision: 2, formData: { scope: '本人のみ', purpose: '学校への提出' } });

      // Another device: a second sign-in of the same resident.
      const first = await h.identity.residentTokens('submission-a@example.jp');
      const second = await h.identity.residentTokens('submission-a@example.jp');
      expect(second.accessToken).not.toBe(first.accessToken);
      const phone = client(h.server, second.accessToken);
      const resumed = await phone.get(`/api/v1/applications/${created.body.id}`).expect(200);
      expect(resumed.body).toMatchObject({ id: created.body.id, state: 'draft', revision: 2, formData: { scope: '本人のみ', purpose: '学校への提出' } });
      expect((await phone.get('/api/v1/applications').expect(200)).body.map((summary: { id: string }) => summary.id)).toContain(created.body.id);
      await phone.put(`/api/v1/applications/${created.body.id}/form`, { formData: { ...CERTIFICATE_FORM, copies: 3 }, revision: 2 }).expect(200);

      // The first device still holds revision 2.
      const laptop = client(h.server, first.accessToken);
      const stale = await refusedWithoutWrites(h, 
        () => laptop.put(`/api/v1/applications/${created.body.id}/form`, { formData: { scope: '世帯全員' }, revision: 2 }),
        409,
        'WORKFLOW_REVISION_CONFLICT',
      );
      expect(stale.body.details).toEqual({ expectedRevision: 2, currentRevision: 3 });
      expect(stale.body.message.ja).toContain('画面を更新して');
      expect(await storedApplication(h.t, created.body.id)).toMatchObject({ revision: 3, form_data: { ...CERTIFICATE_FORM, copies: 3 } });
      await refusedWithoutWrites(h, () => laptop.post(`/api/v1/applications/${created.body.id}/submit`, { revision: 2 }), 409, 'WORKFLOW_REVISION_CONFLICT');

      const done = await laptop.post(`/api/v1/applications/${created.body.id}/submit`, { revision: 3 }).expect(200);
      expect(done.body).toMatchObject({ state: 'awaitingPayment', fee: 900 });
      // Saving the form of a submitted application is refused.
      await refusedWithoutWrites(h, () => phone.put(`/api/v1/applications/${created.body.id}/form`, { formData: CERTIFICATE_FORM, revision: 4 }), 409, 'APPLICATION_NOT_DRAFT');
    });

    it('discards a draft: state discarded, no reference number, and nothing more can be done with it', async () => {
      const created = await a.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: CERTIFICATE_FORM }).expect(201);
      await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${created.body.id}/discard`, { revision: 7 }), 409, 'WORKFLOW_REVISION_CONFLICT');
      await refusedWithoutWrites(h, () => b.post(`/api/v1/applications/${created.body.id}/discard`, { revision: 1 }), 404, 'APPLICATION_NOT_FOUND');

      const discarded = await a.post(`/api/v1/applications/${created.body.id}/discard`, { revision: 1 }).expect(200);
      expect(discarded.body).toMatchObject({ state: 'discarded', status: { ja: '破棄済み', en: 'Discarded' }, revision: 2, referenceNumber: null, allowedEvents: [] });
      expect(await eventTypes(h.t, created.body.id)).toEqual(['application.created', 'resident.discard']);

      await refusedWithoutWrites(h, () => a.put(`/api/v1/applications/${created.body.id}/form`, { formData: CERTIFICATE_FORM, revision: 2 }), 409, 'APPLICATION_NOT_DRAFT');
      const submit = await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${created.body.id}/submit`, { revision: 2 }), 409, 'WORKFLOW_EVENT_NOT_ALLOWED');
      expect(submit.body.details).toMatchObject({ event: 'resident.submit', state: 'discarded', allowedEvents: [] });
      await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${created.body.id}/discard`, {}), 409, 'WORKFLOW_EVENT_NOT_ALLOWED');
      await refusedWithoutWrites(h, () => a.get(`/api/v1/applications/${created.body.id}/receipt`), 409, 'APPLICATION_NOT_SUBMITTED');
    });

    it('does not discard a submitted application (409 WORKFLOW_EVENT_NOT_ALLOWED with what it does accept)', async () => {
      const application = await submitted(a, TEST_CERTIFICATE, CERTIFICATE_FORM);
      const response = await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${application.id}/discard`, {}), 409, 'WORKFLOW_EVENT_NOT_ALLOWED');
      expect(response.body.details).toEqual({ event: 'resident.discard', state: 'awaitingPayment', allowedEvents: ['deadline.reached', 'payment.succeeded', 'resident.withdraw'] });
    });
  });

  describe('Idempotency-Key', () => {
    let keys = 0;
    const key = (name: string) => ({ 'Idempotency-Key': `${name}-${(keys += 1)}` });

    it('POST /applications: the same key and body return the same draft; another body with the key is 422 IDEMPOTENCY_KEY_REUSED', async () => {
      const headers = key('create');
      const body = { procedureCode: TEST_CERTIFICATE, formData: { scope: '本人のみ' } };
      const before = await rowCounts(h.t);
      const first = await a.post('/api/v1/applications', body, headers).expect(201);
      const again = await a.post('/api/v1/applications', body, headers).expect(201);
      expect(again.body).toEqual(first.body);
      expect(await rowCounts(h.t)).toMatchObject({ applications: before.applications + 1, events: before.events + 1, idempotencyKeys: before.idempotencyKeys + 1 });

      const reused = await refusedWithoutWrites(h, 
        () => a.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: { scope: '世帯全員' } }, headers),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(reused.body.message).toEqual({
        ja: '同じ送信キーで異なる内容が送られました。新しい操作として送り直してください。',
        en: 'This Idempotency-Key was used for a different request.',
      });

      // Keys belong to the resident: B's request with A's key is B's own.
      const other = await b.post('/api/v1/applications', body, headers).expect(201);
      expect(other.body.id).not.toBe(first.body.id);
      await refusedWithoutWrites(h, () => b.get(`/api/v1/applications/${first.body.id}`), 404, 'APPLICATION_NOT_FOUND');
    });

    it('releases the key of a refused first attempt, so the corrected request can use it', async () => {
      const headers = key('retry');
      await refusedWithoutWrites(h, () => a.post('/api/v1/applications', { procedureCode: 'no-such-procedure' }, headers), 404, 'PROCEDURE_NOT_FOUND');
      const created = await a.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE }, headers).expect(201);
      expect(created.body.state).toBe('draft');
    });

    it('double submit with the same key: the same response twice, one submit event, one reference number; another revision with the key is 422', async () => {
      const draft = await a.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: CERTIFICATE_FORM }).expect(201);
      const headers = key('submit');
      const before = await rowCounts(h.t);
      const first = await a.post(`/api/v1/applications/${draft.body.id}/submit`, { revision: 1 }, headers).expect(200);
      h.t.clock.advance(SECOND);
      const again = await a.post(`/api/v1/applications/${draft.body.id}/submit`, { revision: 1 }, headers).expect(200);
      expect(again.body).toEqual(first.body);
      expect(first.body).toMatchObject({ state: 'awaitingPayment', referenceNumber: expect.stringMatching(/^R8-\d{6}$/) });
      expect(await eventTypes(h.t, draft.body.id)).toEqual(['application.created', 'resident.submit']);
      expect(await rowCounts(h.t)).toMatchObject({ applications: before.applications, events: before.events + 1, referenceNumbers: before.referenceNumbers + 1 });

      await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${draft.body.id}/submit`, { revision: 2 }, headers), 422, 'IDEMPOTENCY_KEY_REUSED');
      // The key names one request: used for another application it is refused too.
      const otherDraft = await a.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: CERTIFICATE_FORM }).expect(201);
      await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${otherDraft.body.id}/submit`, { revision: 1 }, headers), 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await storedApplication(h.t, otherDraft.body.id)).toMatchObject({ state: 'draft', reference_number: null });
    });

    it('double submit without a key: the second is a 409 and there is still one submit event', async () => {
      const draft = await a.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: CERTIFICATE_FORM }).expect(201);
      await a.post(`/api/v1/applications/${draft.body.id}/submit`, { revision: 1 }).expect(200);
      // The same revision again: the application has moved on.
      const sameRevision = await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${draft.body.id}/submit`, { revision: 1 }), 409, 'WORKFLOW_REVISION_CONFLICT');
      expect(sameRevision.body.details).toEqual({ expectedRevision: 1, currentRevision: 2 });
      // No revision at all: the state no longer accepts a submission.
      const noRevision = await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${draft.body.id}/submit`, {}), 409, 'WORKFLOW_EVENT_NOT_ALLOWED');
      expect(noRevision.body.details).toMatchObject({ event: 'resident.submit', state: 'awaitingPayment' });
      expect(await eventTypes(h.t, draft.body.id)).toEqual(['application.created', 'resident.submit']);
    });

    it('concurrent double submit with the same key: exactly one submit transition; the duplicate waits and gets the stored response', async () => {
      const seen = new Set<string>();
      for (let round = 0; round < 5; round += 1) {
        const draft = await a.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: CERTIFICATE_FORM }).expect(201);
        const headers = key(`race-${round}`);
        const before = await rowCounts(h.t);
        const responses = await Promise.all([0, 1].map(() => a.post(`/api/v1/applications/${draft.body.id}/submit`, { revision: 1 }, headers)));
        const ok = responses.filter((response) => response.status === 200);
        // The key commits with the work: the duplicate waits on it, then replays.
        expect(ok).toHaveLength(2);
        for (const response of responses) {
          expect(response.body).toEqual(ok[0].body);
          seen.add(String(response.status));
        }
        expect(await eventTypes(h.t, draft.body.id)).toEqual(['application.created', 'resident.submit']);
        expect(await rowCounts(h.t)).toMatchObject({ events: before.events + 1, referenceNumbers: before.referenceNumbers + 1, idempotencyKeys: before.idempotencyKeys + 1 });
        // Once the first has finished, the key answers with the stored response.
        expect((await a.post(`/api/v1/applications/${draft.body.id}/submit`, { revision: 1 }, headers).expect(200)).body).toEqual(ok[0].body);
      }
    });

    it('concurrent double submit without a key: one 200, one 409, one submit event', async () => {
      for (let round = 0; round < 3; round += 1) {
        const draft = await a.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: CERTIFICATE_FORM }).expect(201);
        const responses = await Promise.all([0, 1].map(() => a.post(`/api/v1/applications/${draft.body.id}/submit`, { revision: 1 })));
        expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
        const refused = responses.find((response) => response.status === 409)!;
        expect(['WORKFLOW_REVISION_CONFLICT', 'WORKFLOW_EVENT_NOT_ALLOWED']).toContain(refused.body.code);
        expect(await eventTypes(h.t, draft.body.id)).toEqual(['application.created', 'resident.submit']);
      }
    });

    it('concurrent creates with the same key make one draft', async () => {
      const headers = key('create-race');
      const before = await rowCounts(h.t);
      const responses = await Promise.all([0, 1].map(() => a.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE }, headers)));
      const ok = responses.filter((response) => response.status === 201);
      expect(ok).toHaveLength(2);
      expect(new Set(ok.map((response) => response.body.id)).size).toBe(1);
      expect(await rowCounts(h.t)).toMatchObject({ applications: before.applications + 1, events: before.events + 1 });
    });

    it('refuses a malformed key (non-ASCII, spaces, empty, 300 characters) with 400 IDEMPOTENCY_KEY_MALFORMED before doing anything', async () => {
      const draft = await a.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: CERTIFICATE_FORM }).expect(201);
      const malformed = [
        Buffer.from('受付キー', 'utf8').toString('latin1'), // what a client sending UTF-8 puts on the wire
        'clé-1',
        'two words',
        '',
        'k'.repeat(300),
      ];
      for (const value of malformed) {
        const created = await refusedWithoutWrites(h, () => a.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE }, { 'Idempotency-Key': value }), 400, 'IDEMPOTENCY_KEY_MALFORMED');
        expect(created.body.message).toEqual({ ja: '送信キー（Idempotency-Key）の形式が正しくありません。', en: 'Idempotency-Key must be 1–255 visible ASCII characters.' });
        await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${draft.body.id}/submit`, { revision: 1 }, { 'Idempotency-Key': value }), 400, 'IDEMPOTENCY_KEY_MALFORMED');
      }
      expect(await storedApplication(h.t, draft.body.id)).toMatchObject({ state: 'draft', revision: 1 });
      // 255 visible ASCII characters is the longest accepted.
      await a.post(`/api/v1/applications/${draft.body.id}/submit`, { revision: 1 }, { 'Idempotency-Key': 'k'.repeat(255) }).expect(200);
    });
  });

  describe('malformed input: 4xx with a stable code, never a 500', () => {
    let draftId: string;
    beforeAll(async () => {
      draftId = (await a.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: CERTIFICATE_FORM }).expect(201)).body.id;
    });
    const raw = (method: 'post' | 'put', url: string, contentType: string, body: string | Buffer) =>
      request(h.server)[method](url).set('Authorization', `Bearer ${residentA.token}`).set('Content-Type', contentType).send(body);

    it('a body that is not JSON: 400 MALFORMED_JSON', async () => {
      for (const body of ['{"procedureCode": ', "{'procedureCode':'x'}", '"just a string"', 'null', '{"a":1}{"b":2}']) {
        const response = await refusedWithoutWrites(h, () => raw('post', '/api/v1/applications', 'application/json', body), 400, 'MALFORMED_JSON');
        expect(response.body.message).toEqual({ ja: '送信されたJSONの形式が正しくありません。', en: 'The request body is not valid JSON.' });
      }
      await refusedWithoutWrites(h, () => raw('put', `/api/v1/applications/${draftId}/form`, 'application/json', '{"formData": {"copies": 1,}, "revision": 1}'), 400, 'MALFORMED_JSON');
    });

    it('wrong types: copies "two" is a 422 form error at submission; a revision or form of the wrong type is 400 VALIDATION_FAILED', async () => {
      await a.put(`/api/v1/applications/${draftId}/form`, { formData: { ...CERTIFICATE_FORM, copies: 'two' }, revision: 1 }).expect(200);
      const submit = await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${draftId}/submit`, { revision: 2 }), 422, 'APPLICATION_FORM_INVALID');
      expect(submit.body.details.errors).toEqual([
        { field: 'copies', keyword: 'type', message: { ja: '「通数」の形式が正しくありません。', en: '"通数" has the wrong type (expected integer).' } },
      ]);
      for (const copies of [2.5, -1, null, [2], { n: 2 }, 1e308]) {
        await a.put(`/api/v1/applications/${draftId}/form`, { formData: { ...CERTIFICATE_FORM, copies }, revision: (await storedApplication(h.t, draftId)).revision }).expect(200);
        const refused = await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${draftId}/submit`, {}), 422, 'APPLICATION_FORM_INVALID');
        expect(refused.body.details.errors.map((error: { field: string }) => error.field)).toEqual(['copies']);
      }
      const revision = (await storedApplication(h.t, draftId)).revision;
      for (const body of [
        { formData: CERTIFICATE_FORM, revision: String(revision) },
        { formData: CERTIFICATE_FORM, revision: 0 },
        { formData: CERTIFICATE_FORM },
        { formData: [CERTIFICATE_FORM], revision },
        { formData: 'scope=本人のみ', revision },
        { formData: null, revision },
      ]) {
        await refusedWithoutWrites(h, () => a.put(`/api/v1/applications/${draftId}/form`, body), 400, 'VALIDATION_FAILED');
      }
      await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${draftId}/submit`, { revision: 'latest' }), 400, 'VALIDATION_FAILED');
      await refusedWithoutWrites(h, () => a.post('/api/v1/applications', { procedureCode: 42 }), 400, 'VALIDATION_FAILED');
      await refusedWithoutWrites(h, () => a.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: 'copies=2' }), 400, 'VALIDATION_FAILED');
      await refusedWithoutWrites(h, () => a.post('/api/v1/applications', [{ procedureCode: TEST_CERTIFICATE }]), 400, 'VALIDATION_FAILED');
    });

    it('a body over 1 MiB: 413 PAYLOAD_TOO_LARGE', async () => {
      const revision = (await storedApplication(h.t, draftId)).revision;
      const response = await refusedWithoutWrites(h, 
        () => a.put(`/api/v1/applications/${draftId}/form`, { formData: { ...CERTIFICATE_FORM, purposeDetail: 'x'.repeat(1024 * 1024) }, revision }),
        413,
        'PAYLOAD_TOO_LARGE',
      );
      expect(response.body.message).toEqual({ ja: '送信されたデータが大きすぎます。', en: 'The request body is too large.' });
      await refusedWithoutWrites(h, () => a.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: { blob: 'y'.repeat(1024 * 1024 + 1) } }), 413, 'PAYLOAD_TOO_LARGE');
    });

    it('unknown top-level fields: 400 VALIDATION_FAILED naming them', async () => {
      const created = await refusedWithoutWrites(h, () => a.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, state: 'underReview' }), 400, 'VALIDATION_FAILED');
      expect(created.body.details.errors).toEqual(['property state should not exist']);
      const revision = (await storedApplication(h.t, draftId)).revision;
      const put = await refusedWithoutWrites(h, () => a.put(`/api/v1/applications/${draftId}/form`, { formData: CERTIFICATE_FORM, revision, referenceNumber: 'R8-999999' }), 400, 'VALIDATION_FAILED');
      expect(put.body.details.errors).toEqual(['property referenceNumber should not exist']);
      await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${draftId}/submit`, { revision, submittedAt: '2026-01-01' }), 400, 'VALIDATION_FAILED');
    });

    it('an invalid UUID in the path: 400 on every route', async () => {
      for (const [method, url] of [
        ['get', '/api/v1/applications/not-a-uuid'],
        ['get', '/api/v1/applications/123/timeline'],
        ['get', '/api/v1/applications/123/receipt'],
        ['post', '/api/v1/applications/..%2F..%2Fetc/submit'],
        ['put', `/api/v1/applications/${draftId.slice(0, 35)}/form`],
        ['post', '/api/v1/applications/x/discard'],
        ['get', `/api/v1/applications/${draftId}/attachments/not-a-uuid`],
      ] as const) {
        const response = await refusedWithoutWrites(h, 
          () => (method === 'get' ? a.get(url) : method === 'put' ? a.put(url, { formData: {}, revision: 1 }) : a.post(url, {})),
          400,
          'BAD_REQUEST',
        );
        expect(response.body.message).toEqual({ ja: 'リクエストの内容に誤りがあります。', en: 'The request is not valid.' });
      }
    });

    it('text PostgreSQL cannot store (NUL, unpaired surrogates) in any string or key: 400 UNSUPPORTED_CHARACTERS, not a 500', async () => {
      const revision = (await storedApplication(h.t, draftId)).revision;
      for (const formData of [{ ...CERTIFICATE_FORM, purposeDetail: 'a\u0000b' }, { ...CERTIFICATE_FORM, purposeDetail: 'half \ud800' }, { 'key\u0000': 1 }, { list: ['\udc00'] }]) {
        const response = await refusedWithoutWrites(h, () => a.put(`/api/v1/applications/${draftId}/form`, { formData, revision }), 400, 'UNSUPPORTED_CHARACTERS');
        expect(response.body.message.en).toContain('NUL');
        await refusedWithoutWrites(h, () => a.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData }), 400, 'UNSUPPORTED_CHARACTERS');
      }
      // A proper surrogate pair (an emoji, a rare kanji) is fine.
      const fine = await a.put(`/api/v1/applications/${draftId}/form`, { formData: { ...CERTIFICATE_FORM, purposeDetail: '𠮷野家 🍚' }, revision }).expect(200);
      expect(fine.body.formData.purposeDetail).toBe('𠮷野家 🍚');
    });

    it('a "__proto__" key in the form neither pollutes objects nor survives as an answer', async () => {
      const response = await raw(
        'post',
        '/api/v1/applications',
        'application/json',
        `{"procedureCode":"${TEST_CERTIFICATE}","formData":{"__proto__":{"polluted":"yes"},"scope":"本人のみ","purpose":"学校への提出","copies":1}}`,
      ).expect(201);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.keys(response.body.formData).sort()).toEqual(['copies', 'purpose', 'scope']);
      expect(Object.keys((await storedApplication(h.t, response.body.id)).form_data).sort()).toEqual(['copies', 'purpose', 'scope']);
    });

    it('deeply nested answers: deeper than 32 levels is 400 JSON_TOO_DEEP with nothing stored; less is kept as a draft and refused at submission', async () => {
      const nested = (depth: number) => `{"procedureCode":"${TEST_CERTIFICATE}","formData":{"deep":${'['.repeat(depth)}"leaf"${']'.repeat(depth)}}}`;
      for (const depth of [100_000, 500, 31]) {
        const response = await refusedWithoutWrites(h, () => raw('post', '/api/v1/applications', 'application/json', nested(depth)), 400, 'JSON_TOO_DEEP');
        expect(response.body.message).toEqual({ ja: '送信されたJSONの入れ子が深すぎます。', en: 'The request body nests deeper than 32 levels.' });
      }
      const kept = await raw('post', '/api/v1/applications', 'application/json', nested(20)).expect(201);
      const refused = await refusedWithoutWrites(h, () => a.post(`/api/v1/applications/${kept.body.id}/submit`, {}), 422, 'APPLICATION_FORM_INVALID');
      expect(refused.body.details.errors.map((error: { field: string; keyword: string }) => [error.field, error.keyword])).toContainEqual(['deep', 'additionalProperties']);
    });
  });
});
