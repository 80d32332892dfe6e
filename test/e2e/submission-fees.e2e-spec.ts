import type { StaffHandle } from '../support/identity-e2e';
import {
  ASSESSED_CERTIFICATE,
  CERTIFICATE_FORM,
  client,
  type Client,
  eventTypes,
  expectNoServerErrors,
  publishAssessedCertificate,
  publishReducedCertificate,
  REDUCED_CERTIFICATE,
  SECOND,
  sortByField,
  startSubmissionApp,
  storedApplication,
  submitted,
  type SubmissionHarness,
  refusedWithoutWrites,
} from '../support/submission-e2e';
import { TEST_CERTIFICATE } from '../support/test-procedures';

/**
 * Fees are computed on the server from the procedure definition and the
 * answers: per copy, reduced or waived (減免) by a reason the definition
 * offers, or assessed by staff after review. The client can never send an
 * amount.
 */
describe('submission fees (HTTP, real PostgreSQL)', () => {
  let h: SubmissionHarness;
  let resident: Client;
  let clerk: StaffHandle;
  let otherClerk: StaffHandle;

  beforeAll(async () => {
    h = await startSubmissionApp();
    await publishReducedCertificate(h.t);
    await publishAssessedCertificate(h.t);
    resident = client(h.server, (await h.identity.resident('fees@example.jp')).token);
    clerk = await h.identity.staff('clerk.shimin.fees', ['clerk'], { departments: ['shimin'] });
    otherClerk = await h.identity.staff('clerk.zeimu.fees', ['clerk'], { departments: ['zeimu'] });
  });
  afterAll(async () => {
    if (h) expectNoServerErrors(h);
    await h?.close();
  });
  beforeEach(() => h.t.clock.advance(SECOND));


  const paymentRequests = async (applicationId: string): Promise<number> =>
    (await h.t.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'payment.request' AND application_id = $1`, [applicationId]))[0].n;

  describe('the client cannot set the fee', () => {
    it('refuses an amount or fee in the request body: 400 VALIDATION_FAILED on create and submit', async () => {
      for (const body of [
        { procedureCode: TEST_CERTIFICATE, formData: CERTIFICATE_FORM, fee: 0 },
        { procedureCode: TEST_CERTIFICATE, formData: CERTIFICATE_FORM, amount: 1 },
      ]) {
        const response = await refusedWithoutWrites(h, () => resident.post('/api/v1/applications', body), 400, 'VALIDATION_FAILED');
        expect(response.body.details.errors).toEqual([`property ${'fee' in body ? 'fee' : 'amount'} should not exist`]);
      }
      const draft = await resident.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: CERTIFICATE_FORM }).expect(201);
      await refusedWithoutWrites(h, () => resident.post(`/api/v1/applications/${draft.body.id}/submit`, { revision: 1, amount: 0 }), 400, 'VALIDATION_FAILED');
      await refusedWithoutWrites(h, () => resident.post(`/api/v1/applications/${draft.body.id}/submit`, { revision: 1, fee: { amount: 0 } }), 400, 'VALIDATION_FAILED');
      expect(await storedApplication(h.t, draft.body.id)).toMatchObject({ state: 'draft', fee: null });
    });

    it('refuses an amount or fee inside the form at submission: 422 from additionalProperties, naming each field', async () => {
      const draft = await resident.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: { ...CERTIFICATE_FORM, amount: 0, fee: 1 } }).expect(201);
      const response = await refusedWithoutWrites(h, () => resident.post(`/api/v1/applications/${draft.body.id}/submit`, { revision: 1 }), 422, 'APPLICATION_FORM_INVALID');
      expect(sortByField(response.body.details.errors)).toEqual([
        { field: 'amount', keyword: 'additionalProperties', message: { ja: 'この申請にない項目が含まれています。', en: 'Unknown field "amount".' } },
        { field: 'fee', keyword: 'additionalProperties', message: { ja: 'この申請にない項目が含まれています。', en: 'Unknown field "fee".' } },
      ]);
      expect(await storedApplication(h.t, draft.body.id)).toMatchObject({ state: 'draft', revision: 1, fee: null, reference_number: null });
    });

    it('prices 300 yen per copy on the server: 1, 3 and 10 copies cost 300, 900 and 3000', async () => {
      for (const copies of [1, 3, 10]) {
        const application = await submitted(resident, TEST_CERTIFICATE, { ...CERTIFICATE_FORM, copies });
        expect(application).toMatchObject({ state: 'awaitingPayment', fee: 300 * copies });
        expect((await resident.get(`/api/v1/applications/${application.id}`).expect(200)).body).toMatchObject({ fee: 300 * copies, allowedEvents: expect.arrayContaining(['payment.succeeded']) });
        expect((await storedApplication(h.t, application.id)).fee).toBe(300 * copies);
        const [event]: Array<{ payload: { amount: number } }> = await h.t.dataSource.query(
          `SELECT payload FROM application_events WHERE application_id = $1 AND type = 'resident.submit'`,
          [application.id],
        );
        expect(event.payload).toEqual({ amount: 300 * copies });
        expect(await paymentRequests(application.id)).toBe(1);
      }
    });
  });

  describe('reductions and exemptions (減免)', () => {
    it('halves the fee for "half": 3 copies cost 450; "none" or no reason is the full fee', async () => {
      const half = await submitted(resident, REDUCED_CERTIFICATE, { ...CERTIFICATE_FORM, copies: 3, reductionCode: 'half' });
      expect(half).toMatchObject({ state: 'awaitingPayment', fee: 450 });
      const oneHalf = await submitted(resident, REDUCED_CERTIFICATE, { ...CERTIFICATE_FORM, copies: 1, reductionCode: 'half' });
      expect(oneHalf.fee).toBe(150);
      expect((await submitted(resident, REDUCED_CERTIFICATE, { ...CERTIFICATE_FORM, copies: 3, reductionCode: 'none' })).fee).toBe(900);
      expect((await submitted(resident, REDUCED_CERTIFICATE, { ...CERTIFICATE_FORM, copies: 3 })).fee).toBe(900);
    });

    it('waives the fee for "exempt" (100 %): no payment step, straight to review, fee 0 on the receipt', async () => {
      const exempt = await submitted(resident, REDUCED_CERTIFICATE, { ...CERTIFICATE_FORM, copies: 2, reductionCode: 'exempt' });
      expect(exempt).toMatchObject({ state: 'underReview', fee: 0 });
      expect(await paymentRequests(exempt.id)).toBe(0);
      expect(await eventTypes(h.t, exempt.id)).toEqual(['application.created', 'resident.submit']);
      const [event]: Array<{ from_state: string; to_state: string }> = await h.t.dataSource.query(
        `SELECT from_state, to_state FROM application_events WHERE application_id = $1 AND type = 'resident.submit'`,
        [exempt.id],
      );
      expect(event).toEqual({ from_state: 'draft', to_state: 'underReview' });
      expect((await resident.get(`/api/v1/applications/${exempt.id}/receipt`).expect(200)).body).toMatchObject({ fee: 0, status: { ja: '審査中', en: 'Under review' } });
    });

    it('refuses a reduction the fee rule does not offer (422 FEE_REDUCTION_UNKNOWN) and one the form does not list (422 form error)', async () => {
      const retired = await resident.post('/api/v1/applications', { procedureCode: REDUCED_CERTIFICATE, formData: { ...CERTIFICATE_FORM, reductionCode: 'retired' } }).expect(201);
      const unknown = await refusedWithoutWrites(h, () => resident.post(`/api/v1/applications/${retired.body.id}/submit`, { revision: 1 }), 422, 'FEE_REDUCTION_UNKNOWN');
      expect(unknown.body).toMatchObject({
        message: { ja: 'この手続では選択された減免は受けられません。', en: 'The procedure has no reduction "retired".' },
        details: { code: 'retired' },
      });
      expect(await storedApplication(h.t, retired.body.id)).toMatchObject({ state: 'draft', reference_number: null, fee: null });

      const bogus = await resident.post('/api/v1/applications', { procedureCode: REDUCED_CERTIFICATE, formData: { ...CERTIFICATE_FORM, reductionCode: 'free-please' } }).expect(201);
      const invalid = await refusedWithoutWrites(h, () => resident.post(`/api/v1/applications/${bogus.body.id}/submit`, { revision: 1 }), 422, 'APPLICATION_FORM_INVALID');
      expect(invalid.body.details.errors).toEqual([
        { field: 'reductionCode', keyword: 'enum', message: { ja: '「減免の理由」は選択肢から選んでください。', en: '"減免の理由" must be one of the listed choices.' } },
      ]);
      // The plain certificate offers no reductions at all: the field itself is unknown there.
      const plain = await resident.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: { ...CERTIFICATE_FORM, reductionCode: 'exempt' } }).expect(201);
      const none = await refusedWithoutWrites(h, () => resident.post(`/api/v1/applications/${plain.body.id}/submit`, { revision: 1 }), 422, 'APPLICATION_FORM_INVALID');
      expect(none.body.details.errors.map((error: { field: string; keyword: string }) => [error.field, error.keyword])).toEqual([['reductionCode', 'additionalProperties']]);
    });
  });

  describe('fee assessed by staff after review', () => {
    const staff = (handle: StaffHandle) => client(h.server, handle.token);

    it('submit → underReview with no fee; accept → awaitingAssessment; assessFee 900 → awaitingPayment with fee 900', async () => {
      const application = await submitted(resident, ASSESSED_CERTIFICATE, { ...CERTIFICATE_FORM, copies: 3 });
      expect(application).toMatchObject({ state: 'underReview', fee: null });
      expect(await paymentRequests(application.id)).toBe(0);

      const accepted = await staff(clerk).post(`/api/v1/staff/applications/${application.id}/events`, { type: 'staff.accept' }).expect(200);
      expect(accepted.body).toMatchObject({ state: 'awaitingAssessment', fee: null, allowedEvents: ['resident.withdraw', 'staff.assessFee'] });
      expect((await resident.get(`/api/v1/applications/${application.id}`).expect(200)).body.status).toEqual({ ja: '手数料の確認中', en: 'Fee being assessed' });

      for (const payload of [{ amount: -900 }, { amount: '900' }, { amount: 9.5 }, {}]) {
        const refused = await refusedWithoutWrites(h, 
          () => staff(clerk).post(`/api/v1/staff/applications/${application.id}/events`, { type: 'staff.assessFee', payload }),
          422,
          'WORKFLOW_EVENT_CONDITIONS_NOT_MET',
        );
        expect(refused.body.details).toEqual({ event: 'staff.assessFee', state: 'awaitingAssessment' });
      }
      // Another department's clerk does not see it; the resident cannot assess.
      await refusedWithoutWrites(h, 
        () => staff(otherClerk).post(`/api/v1/staff/applications/${application.id}/events`, { type: 'staff.assessFee', payload: { amount: 1 } }),
        404,
        'APPLICATION_NOT_FOUND',
      );
      expect((await resident.post(`/api/v1/staff/applications/${application.id}/events`, { type: 'staff.assessFee', payload: { amount: 1 } })).status).toBe(403);

      const assessed = await staff(clerk).post(`/api/v1/staff/applications/${application.id}/events`, { type: 'staff.assessFee', payload: { amount: 900 } }).expect(200);
      expect(assessed.body).toMatchObject({ state: 'awaitingPayment', fee: 900 });
      expect((await resident.get(`/api/v1/applications/${application.id}`).expect(200)).body).toMatchObject({ state: 'awaitingPayment', fee: 900 });
      expect((await resident.get(`/api/v1/applications/${application.id}/receipt`).expect(200)).body.fee).toBe(900);
      expect(await paymentRequests(application.id)).toBe(1);
      expect(await eventTypes(h.t, application.id)).toEqual(['application.created', 'resident.submit', 'staff.accept', 'staff.assessFee']);
      // Assessed once: a second assessment is not accepted in awaitingPayment.
      await refusedWithoutWrites(h, 
        () => staff(clerk).post(`/api/v1/staff/applications/${application.id}/events`, { type: 'staff.assessFee', payload: { amount: 100 } }),
        409,
        'WORKFLOW_EVENT_NOT_ALLOWED',
      );
    });

    it('an assessed fee of 0 skips payment and goes on to issuing', async () => {
      const application = await submitted(resident, ASSESSED_CERTIFICATE, CERTIFICATE_FORM);
      await staff(clerk).post(`/api/v1/staff/applications/${application.id}/events`, { type: 'staff.accept' }).expect(200);
      const waived = await staff(clerk).post(`/api/v1/staff/applications/${application.id}/events`, { type: 'staff.assessFee', payload: { amount: 0 } }).expect(200);
      expect(waived.body).toMatchObject({ state: 'issuing', fee: 0 });
      expect(await paymentRequests(application.id)).toBe(0);
    });
  });
});
