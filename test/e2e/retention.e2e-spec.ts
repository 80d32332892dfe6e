import { AuditService } from '@madoguchi/audit';
import { SessionService } from '@madoguchi/identity';
import { asMunicipalityId } from '@madoguchi/kernel';
import { ProcedurePublishingService } from '@madoguchi/procedures';
import { ProcedureRetentionService } from '@madoguchi/retention';
import type { ProcedureDefinition } from '@madoguchi/workflow';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { expectError, PASSWORD } from '../support/identity-e2e';
import { CERTIFICATE_FORM, client, type Client, DAY, expectNoServerErrors, MUNICIPALITY, startSubmissionApp, submitted, type SubmissionHarness } from '../support/submission-e2e';
import { CONFIG_DIR } from '../support/test-app';
import { TEST_CERTIFICATE } from '../support/test-procedures';

/**
 * Retention by procedure (文書保存年限, issue 15): closed cases are aged with
 * the clock; after its period a category of personal data is erased by the
 * worker's run, while statistics, KPIs and the audit chain stay intact;
 * a legal hold stops erasure; the dry run counts what the next run erases;
 * a resident closing their account loses the account at once and keeps the
 * cases on their schedules.
 */
const SHORT = 'test-retention-short';
const YEAR = 366 * DAY;

describe('retention of personal data by procedure (HTTP, real PostgreSQL)', () => {
  let h: SubmissionHarness;
  let resident: Client;
  let residentId: string;
  let residentEmail: string;
  let reviewer: Client;
  let clerk: Client;
  let zeimuReviewer: Client;
  let admin: Client;
  const ids: Record<'resident' | 'reviewer' | 'clerk' | 'zeimuReviewer' | 'admin', string> = {} as never;

  /** Access tokens last minutes of the test clock, which moves by years here: sign everyone in again. */
  async function signInAgain(): Promise<void> {
    const issue = async (kind: 'resident' | 'staff', id: string) =>
      client(h.server, (await h.t.get(SessionService).issue(asMunicipalityId(MUNICIPALITY), { kind, id }, 'bearer', 'password')).accessToken);
    resident = await issue('resident', ids.resident);
    reviewer = await issue('staff', ids.reviewer);
    clerk = await issue('staff', ids.clerk);
    zeimuReviewer = await issue('staff', ids.zeimuReviewer);
    admin = await issue('staff', ids.admin);
  }

  beforeAll(async () => {
    h = await startSubmissionApp();
    const juminhyo = parse(readFileSync(path.join(CONFIG_DIR, 'procedures/juminhyo.yaml'), 'utf8')) as ProcedureDefinition;
    const short: ProcedureDefinition = {
      ...juminhyo,
      code: SHORT,
      version: 1,
      identity: 'account',
      steps: juminhyo.steps.filter((step) => step !== 'identity'),
      retention: { formAnswers: '1y', signatures: '1y', attachments: '3y', documents: 'permanent' },
    };
    await h.t.get(ProcedurePublishingService).publish(MUNICIPALITY, short, 'test');
    residentEmail = 'retention@example.jp';
    const a = await h.identity.resident(residentEmail);
    residentId = a.id;
    ids.resident = a.id;
    ids.reviewer = (await h.identity.staff('reviewer.retention', ['reviewer'], { departments: ['shimin'] })).id;
    ids.clerk = (await h.identity.staff('clerk.retention', ['clerk'], { departments: ['shimin'] })).id;
    ids.zeimuReviewer = (await h.identity.staff('reviewer.zeimu.retention', ['reviewer'], { departments: ['zeimu'] })).id;
    ids.admin = (await h.identity.administrator('admin.retention')).id;
    await signInAgain();
  });
  afterAll(async () => {
    if (h) expectNoServerErrors(h);
    await h?.close();
  });

  async function closedCase(code: string): Promise<string> {
    const application = await submitted(resident, code, CERTIFICATE_FORM);
    const withdrawn = await resident.post(`/api/v1/applications/${application.id}/withdraw`, { revision: application.revision, reason: '不要になったため' });
    expect(withdrawn.status).toBe(200);
    return application.id;
  }

  async function caseData(id: string): Promise<{ form: Record<string, unknown>; submissions: number; procedure: string; channel: string; state: string; closed: Date; submittedAt: Date; department: string; fee: unknown }> {
    const [row] = await h.t.dataSource.query(
      `SELECT form_data AS form, (SELECT count(*)::int FROM application_submissions s WHERE s.application_id = a.id) AS submissions,
              procedure_code AS procedure, channel, state, closed_at AS closed, submitted_at AS "submittedAt", department, snapshot->'context'->'fee' AS fee
         FROM applications a WHERE id = $1`,
      [id],
    );
    return row;
  }

  // Pinned to the day the cases were made, so the figures compare across the years the clock moves.
  let kpiAsOf = '';
  const kpi = async () => (await request(h.server).get(`/api/v1/kpi/online-procedures?asOf=${kpiAsOf}`).set('X-Municipality-Id', MUNICIPALITY).expect(200)).body;

  it('erases each category after its period, keeps statistics, KPIs and a verifying chain; a legal hold stops it; the dry run counts it', async () => {
    const due = await closedCase(SHORT);
    const held = await closedCase(SHORT);
    const longer = await closedCase(TEST_CERTIFICATE);
    const before = { due: await caseData(due), held: await caseData(held), longer: await caseData(longer) };
    expect(before.due.form).toEqual(CERTIFICATE_FORM);
    expect(before.due.submissions).toBe(1);

    // Legal hold: reviewers and approvers of the case's department only.
    expectError(await clerk.post(`/api/v1/staff/applications/${held}/legal-hold`, { reason: '審査請求の審理中のため' }), 403, 'AUTH_FORBIDDEN');
    expectError(await zeimuReviewer.post(`/api/v1/staff/applications/${held}/legal-hold`, { reason: '審査請求の審理中のため' }), 404, 'APPLICATION_NOT_FOUND');
    expectError(await reviewer.post(`/api/v1/staff/applications/${held}/legal-hold`, {}), 400, 'VALIDATION_FAILED');
    const placed = await reviewer.post(`/api/v1/staff/applications/${held}/legal-hold`, { reason: '審査請求の審理中のため' }).expect(200);
    expect(placed.body).toMatchObject({ applicationId: held, held: true, reason: '審査請求の審理中のため' });

    kpiAsOf = h.t.clock.now().toISOString().slice(0, 10);
    const kpiBefore = await kpi();
    // Not yet: a day short of a year after closing, nothing is due.
    h.t.clock.advance(YEAR - 2 * DAY);
    await signInAgain();
    expect((await admin.get('/api/v1/admin/retention/preview').expect(200)).body.rows).toEqual([]);
    expect(await h.t.get(ProcedureRetentionService).run()).toBe(0);

    h.t.clock.advance(3 * DAY);
    await signInAgain();
    const preview = (await admin.get('/api/v1/admin/retention/preview').expect(200)).body;
    expect(preview).toEqual({
      asOf: h.t.clock.now().toISOString(),
      rows: [
        { procedureCode: SHORT, category: 'formAnswers', cases: 1 },
        { procedureCode: SHORT, category: 'signatures', cases: 1 },
      ],
      heldCases: 1,
    });
    // The preview names no case and holds no personal data.
    expect(JSON.stringify(preview)).not.toContain(due);
    expectError(await reviewer.get('/api/v1/admin/retention/preview'), 403, 'AUTH_FORBIDDEN');

    expect(await h.t.get(ProcedureRetentionService).run()).toBe(2);
    const after = { due: await caseData(due), held: await caseData(held), longer: await caseData(longer) };
    // Form answers and submitted versions gone; what statistics read is untouched.
    expect(after.due).toEqual({ ...before.due, form: {}, submissions: 0 });
    expect(after.held).toEqual(before.held);
    expect(after.longer).toEqual(before.longer);
    expect(await kpi()).toEqual(kpiBefore);
    // A second run finds nothing more: each category is erased once.
    expect(await h.t.get(ProcedureRetentionService).run()).toBe(0);

    // Audited with ids only; no audit entry holds any of the form's content; the chain verifies.
    const erasures = await h.t.dataSource.query(`SELECT actor_kind, actor_id, target_id, details FROM audit_log WHERE action = 'personalData.erased' ORDER BY seq`);
    expect(erasures).toEqual([
      { actor_kind: 'system', actor_id: 'retention', target_id: due, details: { category: 'formAnswers', procedureCode: SHORT } },
      { actor_kind: 'system', actor_id: 'retention', target_id: due, details: { category: 'signatures', procedureCode: SHORT } },
    ]);
    const [{ leaks }] = await h.t.dataSource.query(`SELECT count(*)::int AS leaks FROM audit_log WHERE details::text LIKE '%学校への提出%' OR details::text LIKE '%審査請求%' OR details::text LIKE '%不要になったため%'`);
    expect(leaks).toBe(0);
    expect((await h.t.get(AuditService).verify(MUNICIPALITY)).ok).toBe(true);

    // Released, the held case goes on the next run; releasing twice is refused.
    const released = await reviewer.delete(`/api/v1/staff/applications/${held}/legal-hold`).expect(200);
    expect(released.body).toEqual({ applicationId: held, held: false, reason: null, placedAt: null });
    expectError(await reviewer.delete(`/api/v1/staff/applications/${held}/legal-hold`), 404, 'RETENTION_NO_LEGAL_HOLD');
    expect(await h.t.get(ProcedureRetentionService).run()).toBe(2);
    expect((await caseData(held)).form).toEqual({});
    const holdAudit = await h.t.dataSource.query(`SELECT action, details FROM audit_log WHERE target_id = $1 AND action LIKE 'application.legalHold.%' ORDER BY seq`, [held]);
    expect(holdAudit).toEqual([
      { action: 'application.legalHold.placed', details: {} },
      { action: 'application.legalHold.released', details: {} },
    ]);

    // The default (five years) applies to a definition that states none.
    h.t.clock.advance(4 * YEAR);
    await signInAgain();
    // TEST_CERTIFICATE's four categories, and the attachments (3 years) of both short cases.
    expect(await h.t.get(ProcedureRetentionService).run()).toBe(6);
    expect((await caseData(longer)).form).toEqual({});
    expect(await kpi()).toEqual(kpiBefore);
    expect((await h.t.get(AuditService).verify(MUNICIPALITY)).ok).toBe(true);
  });

  it('the service role cannot delete a submission or empty a document itself: only the erasure function can', async () => {
    const fresh = await submitted(resident, TEST_CERTIFICATE, CERTIFICATE_FORM);
    await expect(h.t.dataSource.query(`DELETE FROM application_submissions WHERE true`)).rejects.toThrow(/append-only/);
    await expect(
      h.t.dataSource.transaction(async (manager) => {
        await manager.query(`SELECT set_config('madoguchi.erasure', 'on', true)`);
        await manager.query(`DELETE FROM application_submissions WHERE true`);
      }),
    ).rejects.toThrow(/append-only/);
    await expect(h.t.dataSource.query(`DELETE FROM application_erasures WHERE true`)).rejects.toThrow(/permission denied/);
    // Nor may it call the function on an open case.
    await expect(h.t.dataSource.query(`SELECT erase_case_personal_data($1, $2, 'formAnswers', now())`, [MUNICIPALITY, fresh.id])).rejects.toThrow(/not closed/);
    expect((await caseData(fresh.id)).submissions).toBe(1);
  });

  it('account closure deletes the account data at once and leaves the cases to their schedules', async () => {
    const kept = await submitted(resident, TEST_CERTIFICATE, CERTIFICATE_FORM);
    expectError(await resident.delete('/api/v1/auth/residents/me').send({ password: 'wrong-password-entirely' }), 401, 'AUTH_INVALID_CREDENTIALS');
    expectError(await reviewer.delete('/api/v1/auth/residents/me').send({ password: PASSWORD }), 403, 'AUTH_FORBIDDEN');
    await resident.delete('/api/v1/auth/residents/me').send({ password: PASSWORD }).expect(204);

    const [account] = await h.t.dataSource.query(`SELECT email, password_hash, individual_number_enc, jpki_subject, closed_at FROM residents WHERE id = $1`, [residentId]);
    expect(account).toEqual({ email: null, password_hash: null, individual_number_enc: null, jpki_subject: null, closed_at: h.t.clock.now() });
    const [{ sessions }] = await h.t.dataSource.query(`SELECT count(*)::int AS sessions FROM sessions WHERE subject_id = $1`, [residentId]);
    expect(sessions).toBe(0);
    expectError(await resident.get('/api/v1/auth/me'), 401, 'AUTH_UNAUTHENTICATED');
    expectError(await h.identity.residentLogin(residentEmail, PASSWORD), 401, 'AUTH_INVALID_CREDENTIALS');
    // The case is still there, with its answers, linked to the tombstone.
    expect(await caseData(kept.id)).toMatchObject({ form: CERTIFICATE_FORM, submissions: 1 });
    const [{ applicant_id }] = await h.t.dataSource.query(`SELECT applicant_id FROM applications WHERE id = $1`, [kept.id]);
    expect(applicant_id).toBe(residentId);
    const closed = await h.t.dataSource.query(`SELECT actor_kind, details FROM audit_log WHERE action = 'auth.account.closed' AND target_id = $1`, [residentId]);
    expect(closed).toEqual([{ actor_kind: 'resident', details: { attachmentsDeleted: 0 } }]);
    expect((await h.t.get(AuditService).verify(MUNICIPALITY)).ok).toBe(true);
  });
});
