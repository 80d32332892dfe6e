import type { Server } from 'node:http';
import request from 'supertest';
import { expectError, IdentityDriver, type StaffHandle } from '../support/identity-e2e';
import { createTestApp, OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';
import { publishTestCertificate, TEST_CERTIFICATE } from '../support/test-procedures';
import { TestMailbox } from '../support/test-mailbox';

/**
 * Applications through the HTTP API with real sign-ins: a resident reaches
 * only their own applications (anything else is a 404, never a 403), staff
 * only those of procedures their departments own, in their municipality,
 * and every staff read is audited.
 *
 * The application is a certificate of residence: `juminhyo` itself needs a
 * My Number Card signature before submission (covered by jpki.e2e-spec), so
 * this uses its test twin with the same form, fee and department (市民課,
 * shimin) that needs only the account.
 */

const MINUTE = 60_000;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const FORM = { scope: '本人のみ', purpose: '学校への提出', copies: 1 };

describe('identity: who reaches which application (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let mailbox: TestMailbox;
  let id: IdentityDriver;
  let server: Server;
  let residentA: { id: string; token: string };
  let residentB: { id: string; token: string };
  let shiminClerk: StaffHandle;
  let applicationId: string;

  beforeAll(async () => {
    mailbox = await TestMailbox.start();
    t = await createTestApp({ env: { SMTP_URL: mailbox.url } });
    id = new IdentityDriver(t, mailbox);
    server = id.server;
    await publishTestCertificate(t);
    residentA = await id.resident('resident-a@example.jp');
    residentB = await id.resident('resident-b@example.jp');
    shiminClerk = await id.staff('clerk.shimin', ['clerk'], { departments: ['shimin'] });
  });
  afterAll(async () => {
    await t?.close();
    await mailbox?.close();
  });
  beforeEach(() => t.clock.advance(MINUTE));

  const as = (token: string) => ({
    get: (path: string) => request(server).get(path).set('Authorization', `Bearer ${token}`),
    post: (path: string, body: object = {}) => request(server).post(path).set('Authorization', `Bearer ${token}`).send(body),
    put: (path: string, body: object) => request(server).put(path).set('Authorization', `Bearer ${token}`).send(body),
  });
  const reads = async (applicationId: string): Promise<Array<{ actor_id: string; details: { fields: string[] } }>> =>
    t.dataSource.query(`SELECT actor_id, details FROM audit_log WHERE action = 'application.read' AND target_type = 'application' AND target_id = $1 ORDER BY seq`, [
      applicationId,
    ]);

  it('lets resident A create, fill in and submit a certificate request', async () => {
    const created = await as(residentA.token).post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE }).expect(201);
    expect(created.body).toMatchObject({ procedureCode: TEST_CERTIFICATE, state: 'draft', revision: 1, formData: {}, referenceNumber: null });
    applicationId = created.body.id;

    expectError(await as(residentA.token).post(`/api/v1/applications/${applicationId}/submit`), 422, 'APPLICATION_FORM_INVALID');
    const filled = await as(residentA.token).put(`/api/v1/applications/${applicationId}/form`, { formData: FORM, revision: 1 }).expect(200);
    expect(filled.body).toMatchObject({ formData: FORM, revision: 2 });
    expectError(await as(residentA.token).put(`/api/v1/applications/${applicationId}/form`, { formData: FORM, revision: 1 }), 409, 'WORKFLOW_REVISION_CONFLICT');

    const submitted = await as(residentA.token).post(`/api/v1/applications/${applicationId}/submit`, { revision: 2 }).expect(200);
    expect(submitted.body).toMatchObject({ state: 'awaitingPayment', fee: 300, referenceNumber: expect.stringMatching(/^R8-\d{6}$/) });
    expect((await as(residentA.token).get('/api/v1/applications').expect(200)).body.map((summary: { id: string }) => summary.id)).toEqual([applicationId]);
    const timeline = await as(residentA.token).get(`/api/v1/applications/${applicationId}/timeline`).expect(200);
    expect(timeline.body.map((entry: { event: string }) => entry.event)).toEqual(['application.created', 'resident.submit']);
  });

  it("gives resident B 404 APPLICATION_NOT_FOUND for A's application on every route, just as for one that does not exist", async () => {
    const routes: Array<[string, (token: string, id: string) => request.Test]> = [
      ['GET /applications/:id', (token, target) => as(token).get(`/api/v1/applications/${target}`)],
      ['GET /applications/:id/timeline', (token, target) => as(token).get(`/api/v1/applications/${target}/timeline`)],
      ['PUT /applications/:id/form', (token, target) => as(token).put(`/api/v1/applications/${target}/form`, { formData: { ...FORM, copies: 9 }, revision: 3 })],
      ['POST /applications/:id/submit', (token, target) => as(token).post(`/api/v1/applications/${target}/submit`)],
      ['POST /applications/:id/withdraw', (token, target) => as(token).post(`/api/v1/applications/${target}/withdraw`, { reason: 'not mine' })],
      ['POST /applications/:id/resubmit', (token, target) => as(token).post(`/api/v1/applications/${target}/resubmit`)],
    ];
    for (const [route, call] of routes) {
      const theirs = await call(residentB.token, applicationId);
      const missing = await call(residentB.token, UNKNOWN_ID);
      expect({ route, status: theirs.status, code: theirs.body.code }).toEqual({ route, status: 404, code: 'APPLICATION_NOT_FOUND' });
      expectError(missing, 404, 'APPLICATION_NOT_FOUND');
      expect({ ...theirs.body, requestId: null, details: null }).toEqual({ ...missing.body, requestId: null, details: null });
      expect(theirs.body.details).toEqual({ id: applicationId });
    }
    expect((await as(residentB.token).get('/api/v1/applications').expect(200)).body).toEqual([]);

    // A resident of another municipality: not found in their own, refused in ours.
    const foreign = await id.resident('resident-c@example.jp', OTHER_MUNICIPALITY);
    expectError(await as(foreign.token).get(`/api/v1/applications/${applicationId}`), 404, 'APPLICATION_NOT_FOUND');
    expectError(await as(foreign.token).get(`/api/v1/applications/${applicationId}`).set('X-Municipality-Id', SAMPLE_MUNICIPALITY), 403, 'AUTH_TENANT_MISMATCH');

    // Nothing B tried changed A's application.
    const mine = await as(residentA.token).get(`/api/v1/applications/${applicationId}`).expect(200);
    expect(mine.body).toMatchObject({ state: 'awaitingPayment', revision: 3, formData: FORM });
    expect((await as(residentA.token).get(`/api/v1/applications/${applicationId}/timeline`).expect(200)).body).toHaveLength(2);
  });

  it('shows it to a clerk of the owning department, in the queue and in full, and audits the read', async () => {
    const queue = await as(shiminClerk.token).get('/api/v1/staff/applications').expect(200);
    expect(queue.body.items).toEqual([expect.objectContaining({ id: applicationId, procedureCode: TEST_CERTIFICATE, state: 'awaitingPayment' })]);
    expect((await as(shiminClerk.token).get('/api/v1/staff/applications').query({ procedureCode: TEST_CERTIFICATE }).expect(200)).body.items).toHaveLength(1);
    expect((await as(shiminClerk.token).get('/api/v1/staff/applications').query({ state: 'underReview' }).expect(200)).body.items).toEqual([]);
    // The queue lists without reading personal data: no audit entry yet.
    expect(await reads(applicationId)).toEqual([]);

    const read = await as(shiminClerk.token).get(`/api/v1/staff/applications/${applicationId}`).expect(200);
    expect(read.body).toMatchObject({ id: applicationId, formData: FORM });
    const entries = await reads(applicationId);
    expect(entries.map((entry) => ({ actor: entry.actor_id, fields: [...entry.details.fields].sort() }))).toEqual([
      { actor: shiminClerk.id, fields: ['copies', 'purpose', 'scope'] },
    ]);

    // A draft is the resident's alone.
    const draft = await as(residentA.token).post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: FORM }).expect(201);
    expectError(await as(shiminClerk.token).get(`/api/v1/staff/applications/${draft.body.id}`), 404, 'APPLICATION_NOT_FOUND');
    expect((await as(shiminClerk.token).get('/api/v1/staff/applications').expect(200)).body.items.map((summary: { id: string }) => summary.id)).toEqual([applicationId]);
  });

  it('hides it from a clerk of another department and from staff of another municipality: 404 and an empty queue', async () => {
    const kaigoClerk = await id.staff('clerk.kaigo', ['clerk'], { departments: ['kaigo'] });
    expect((await as(kaigoClerk.token).get('/api/v1/staff/applications').expect(200)).body.items).toEqual([]);
    expectError(await as(kaigoClerk.token).get(`/api/v1/staff/applications/${applicationId}`), 404, 'APPLICATION_NOT_FOUND');
    expectError(await as(kaigoClerk.token).post(`/api/v1/staff/applications/${applicationId}/events`, { type: 'staff.accept' }), 404, 'APPLICATION_NOT_FOUND');

    const foreignClerk = await id.staff('clerk.shimin.shiken', ['clerk'], { departments: ['shimin'], municipalityId: OTHER_MUNICIPALITY });
    expect((await as(foreignClerk.token).get('/api/v1/staff/applications').expect(200)).body.items).toEqual([]);
    expectError(await as(foreignClerk.token).get(`/api/v1/staff/applications/${applicationId}`), 404, 'APPLICATION_NOT_FOUND');
    expectError(await as(foreignClerk.token).get(`/api/v1/staff/applications/${applicationId}`).set('X-Municipality-Id', SAMPLE_MUNICIPALITY), 403, 'AUTH_TENANT_MISMATCH');
    expectError(await as(foreignClerk.token).get('/api/v1/staff/applications').set('X-Municipality-Id', SAMPLE_MUNICIPALITY), 403, 'AUTH_TENANT_MISMATCH');

    expect((await reads(applicationId)).map((entry) => entry.actor_id)).not.toEqual(expect.arrayContaining([kaigoClerk.id]));
    expect((await reads(applicationId)).map((entry) => entry.actor_id)).not.toEqual(expect.arrayContaining([foreignClerk.id]));
  });

  it('refuses events that are not staff events (400) and staff events outside the role (403); residents and managers stay out', async () => {
    const approver = await id.staff('approver.shimin', ['approver'], { departments: ['shimin'], approvalLevel: 'kacho' });
    expectError(await as(shiminClerk.token).post(`/api/v1/staff/applications/${applicationId}/events`, { type: 'payment.succeeded' }), 400, 'VALIDATION_FAILED');
    expectError(await as(shiminClerk.token).post(`/api/v1/staff/applications/${applicationId}/events`, { type: 'resident.withdraw' }), 400, 'VALIDATION_FAILED');
    expectError(await as(approver.token).post(`/api/v1/staff/applications/${applicationId}/events`, { type: 'staff.accept' }), 403, 'AUTH_FORBIDDEN');
    expectError(await as(shiminClerk.token).post(`/api/v1/staff/applications/${applicationId}/approvals/approve`, {}), 403, 'AUTH_FORBIDDEN');
    // Approvals have their own routes: the review events route does not take them.
    expectError(await as(shiminClerk.token).post(`/api/v1/staff/applications/${applicationId}/events`, { type: 'approver.approve' }), 400, 'VALIDATION_FAILED');
    // The approver still reads the queue of the department.
    expect((await as(approver.token).get('/api/v1/staff/applications').expect(200)).body.items.map((summary: { id: string }) => summary.id)).toEqual([applicationId]);

    const manager = await id.staff('manager.shimin', ['manager'], { departments: ['shimin'] });
    expectError(await as(manager.token).get('/api/v1/staff/applications'), 403, 'AUTH_FORBIDDEN');
    expectError(await as(residentA.token).get('/api/v1/staff/applications'), 403, 'AUTH_FORBIDDEN');
    expectError(await as(residentA.token).get(`/api/v1/staff/applications/${applicationId}`), 403, 'AUTH_FORBIDDEN');
    expectError(await as(residentA.token).post(`/api/v1/staff/applications/${applicationId}/events`, { type: 'staff.accept' }), 403, 'AUTH_FORBIDDEN');
    expectError(await as(shiminClerk.token).get(`/api/v1/applications/${applicationId}`), 403, 'AUTH_FORBIDDEN');
    expectError(await request(server).get(`/api/v1/applications/${applicationId}`), 401, 'AUTH_UNAUTHENTICATED');
    expectError(await request(server).get('/api/v1/staff/applications'), 401, 'AUTH_UNAUTHENTICATED');

    const unchanged = await as(residentA.token).get(`/api/v1/applications/${applicationId}`).expect(200);
    expect(unchanged.body).toMatchObject({ state: 'awaitingPayment', revision: 3 });
  });
});
