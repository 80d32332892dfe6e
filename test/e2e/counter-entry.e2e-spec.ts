import { SensitiveFormFields, ResidentRepository, SessionService, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId, type MunicipalityId, sha256Hex, OutboxDispatcher } from '@madoguchi/kernel';
import { ProcedurePublishingService, ProcedureRegistry } from '@madoguchi/procedures';
import type { StaffRole } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { expectError } from '../support/identity-e2e';
import { createTestApp, OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';
import { publishTestCertificate, TEST_CERTIFICATE } from '../support/test-procedures';

/**
 * Assisted entry at the counter (書かない窓口) and the QR handover, over HTTP
 * on a real PostgreSQL: staff enter an application for a resident with the
 * online form rules and fee, record the identity check that replaces the
 * card signature, and submit it as the counter channel; a resident hands a
 * pre-filled draft over by a single-use, 15-minute code; the online KPI
 * counts both as counter applications.
 */

const M1 = asMunicipalityId(SAMPLE_MUNICIPALITY);
const M2 = asMunicipalityId(OTHER_MUNICIPALITY);
const BASE_URL = 'https://madoguchi.example.jp';
const MINUTE = 60_000;
const JUMINHYO_FORM = { scope: '本人のみ', purpose: '学校への提出', copies: 1 };
const CERTIFICATE_FORM = { scope: '本人のみ', purpose: '学校への提出', copies: 2 };
/** A valid individual number (check digit per the ordinance). */
const INDIVIDUAL_NUMBER = '123456789018';
/** 児童手当の認定請求 (kodomo): card signature online, an individual number in the form. */
const CHILD_ALLOWANCE_FORM = {
  applicantName: '窓口 花子',
  applicantKana: 'マドグチ ハナコ',
  individualNumber: INDIVIDUAL_NUMBER,
  phone: '03-1234-5678',
  pensionType: '厚生年金',
};
const ONLINE_ONLY = 'test-online-only';

interface Caller {
  kind: 'resident' | 'staff';
  id: string;
  municipalityId: MunicipalityId;
}

describe('counter: assisted entry and QR handover (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let server: Server;
  const tokens = new Map<string, { token: string; expiresAt: number }>();

  let clerk: Caller;
  let reviewer: Caller;
  let zeimuClerk: Caller;
  let kodomoClerk: Caller;
  let manager: Caller;
  let approver: Caller;
  let otherClerk: Caller;
  let residentA: Caller;
  let residentB: Caller;
  let residentOfM2: Caller;
  let serviceCode: string;

  /** A session issued the way sign-in issues one, renewed when the moved clock expired the last. */
  async function token(caller: Caller): Promise<string> {
    const key = `${caller.kind}:${caller.id}`;
    const cached = tokens.get(key);
    if (cached && cached.expiresAt > t.clock.now().getTime()) return cached.token;
    const issued = await t.get(SessionService).issue(caller.municipalityId, { kind: caller.kind, id: caller.id }, 'bearer', 'password');
    tokens.set(key, { token: issued.accessToken, expiresAt: issued.accessExpiresAt.getTime() });
    return issued.accessToken;
  }

  async function as(
    caller: Caller | null,
    method: 'get' | 'post' | 'put',
    path: string,
    body?: object,
    headers: Record<string, string> = {},
  ): Promise<request.Response> {
    let pending = request(server)[method](path).set(headers);
    if (caller) pending = pending.auth(await token(caller), { type: 'bearer' });
    return body === undefined ? pending : pending.send(body);
  }

  async function staff(roles: StaffRole[], departments: string[], municipalityId: MunicipalityId = M1): Promise<Caller> {
    const { account } = await t.get(StaffAdminService).create(municipalityId, 'test-setup', {
      loginId: `entry-${randomUUID().slice(0, 8)}`,
      password: 'correct-horse-battery-staple',
      displayName: '窓口職員',
      roles,
      approvalLevel: roles.includes('approver') ? 'kacho' : null,
      departments,
      active: true,
    });
    return { kind: 'staff', id: account.id, municipalityId };
  }

  async function resident(municipalityId: MunicipalityId = M1): Promise<Caller> {
    const id = randomUUID();
    await t.get(ResidentRepository).insert(municipalityId, { id, email: `${id}@example.jp`, passwordHash: null, jpkiSubject: null, now: t.clock.now() });
    return { kind: 'resident', id, municipalityId };
  }

  async function ok(response: request.Response | Promise<request.Response>, status: number): Promise<request.Response> {
    const answered = await response;
    if (answered.status !== status) throw new Error(`expected ${status}, got ${answered.status} ${JSON.stringify(answered.body)}`);
    return answered;
  }

  async function rows(): Promise<{ applications: number; events: number; handovers: number; checks: number; idempotency: number }> {
    const [row] = await t.dataSource.query(`SELECT
        (SELECT count(*)::int FROM applications) AS applications,
        (SELECT count(*)::int FROM application_events) AS events,
        (SELECT count(*)::int FROM application_handovers WHERE used_at IS NOT NULL) AS handovers,
        (SELECT count(*)::int FROM application_identity_checks) AS checks,
        (SELECT count(*)::int FROM idempotency_keys) AS idempotency`);
    return row;
  }

  /** Refused with the code, and nothing written. */
  async function refused(send: () => Promise<request.Response>, status: number, code: string): Promise<request.Response> {
    const before = await rows();
    const response = await send();
    expectError(response, status, code);
    expect(await rows()).toEqual(before);
    return response;
  }

  async function stored(id: string): Promise<{ channel: string; entered_by: string | null; applicant_id: string | null; state: string; revision: number; form_data: Record<string, unknown> }> {
    const [row] = await t.dataSource.query(`SELECT channel, entered_by, applicant_id, state, revision, form_data FROM applications WHERE id = $1`, [id]);
    return row;
  }

  async function events(id: string): Promise<Array<{ type: string; actor_kind: string; actor_id: string }>> {
    return t.dataSource.query(`SELECT type, actor_kind, actor_id FROM application_events WHERE application_id = $1 ORDER BY seq`, [id]);
  }

  async function auditActions(id: string): Promise<string[]> {
    for (let round = 0; round < 5; round += 1) await t.get(OutboxDispatcher).dispatchDue();
    const found: Array<{ action: string }> = await t.dataSource.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY seq`, [id]);
    return found.map((entry) => entry.action);
  }

  /** A draft the resident starts online, as they would. */
  async function onlineDraft(owner: Caller, procedureCode: string, formData: Record<string, unknown>): Promise<{ id: string; revision: number }> {
    const created = await ok(as(owner, 'post', '/api/v1/applications', { procedureCode, formData }), 201);
    return { id: created.body.id as string, revision: created.body.revision as number };
  }

  async function handover(owner: Caller, id: string): Promise<{ code: string; expiresAt: string; url: string; qrSvg: string }> {
    return (await ok(as(owner, 'post', `/api/v1/applications/${id}/handover`), 201)).body;
  }

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLIC_BASE_URL: BASE_URL } });
    server = t.app.getHttpServer();
    await publishTestCertificate(t);
    const certificate = (await t.get(ProcedureRegistry).latest(M1, TEST_CERTIFICATE)).definition;
    // The certificate as a procedure the counter does not take: online only.
    await t.get(ProcedurePublishingService).publish(M1, { ...certificate, code: ONLINE_ONLY, channels: { online: certificate.channels.online } }, 'test');

    clerk = await staff(['clerk'], ['shimin']);
    reviewer = await staff(['reviewer'], ['shimin']);
    zeimuClerk = await staff(['clerk'], ['zeimu']);
    kodomoClerk = await staff(['clerk'], ['kodomo']);
    manager = await staff(['manager'], ['shimin']);
    approver = await staff(['approver'], ['shimin']);
    otherClerk = await staff(['clerk'], ['shimin'], M2);
    residentA = await resident();
    residentB = await resident();
    residentOfM2 = await resident(M2);

    // A queue service and counter for the visits' tickets.
    const admin = await t.get(StaffAdminService).bootstrapAdministrator(M1, { loginId: 'entry-admin', displayName: 'entry-admin', password: 'correct-horse-battery-staple' });
    const adminCaller: Caller = { kind: 'staff', id: admin.id, municipalityId: M1 };
    serviceCode = 'entry-certificates';
    await ok(as(adminCaller, 'post', '/api/v1/admin/counter-services', { code: serviceCode, name: { ja: '証明書', en: 'Certificates' }, ticketPrefix: 'E' }), 201);
    await ok(as(adminCaller, 'post', '/api/v1/admin/counters', { name: { ja: '1番窓口', en: 'Counter 1' }, serviceCodes: [serviceCode] }), 201);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('staff entry on behalf of a resident', () => {
    it('a clerk enters 住民票 for a resident: field errors, identity before submission, then submitted as counter with the online fee, ticket linked', async () => {
      const ticket = await ok(as(clerk, 'post', '/api/v1/staff/counter-tickets', { serviceCode }), 201);
      const created = await ok(
        as(clerk, 'post', '/api/v1/staff/counter/applications', { procedureCode: 'juminhyo', residentId: residentA.id, ticketId: ticket.body.id, formData: { scope: '本人のみ', copies: 0 } }),
        201,
      );
      const id = created.body.id as string;
      expect(created.body).toMatchObject({
        procedureCode: 'juminhyo',
        channel: 'counter',
        state: 'draft',
        revision: 1,
        applicantId: residentA.id,
        enteredBy: clerk.id,
        identityRequired: true,
        identityChecks: [],
      });
      expect((await ok(as(clerk, 'get', `/api/v1/staff/counter-tickets/${ticket.body.id}`), 200)).body.applicationId).toBe(id);

      // The online form rules, field by field.
      const invalid = await refused(() => as(clerk, 'post', `/api/v1/staff/counter/applications/${id}/submit`, { revision: 1 }), 422, 'APPLICATION_FORM_INVALID');
      expect([...invalid.body.details.errors].sort((a, b) => a.field.localeCompare(b.field))).toEqual([
        { field: 'copies', keyword: 'minimum', message: { ja: '「通数」は1以上にしてください。', en: '"通数" must be at least 1.' } },
        { field: 'purpose', keyword: 'required', message: { ja: '「使用目的」を入力してください。', en: '"使用目的" is required.' } },
      ]);
      const fixed = await ok(as(clerk, 'put', `/api/v1/staff/counter/applications/${id}/form`, { formData: JUMINHYO_FORM, revision: 1 }), 200);
      expect(fixed.body).toMatchObject({ revision: 2, formData: JUMINHYO_FORM });

      // Online this needs a card signature; at the counter, a recorded identity check.
      await refused(() => as(clerk, 'post', `/api/v1/staff/counter/applications/${id}/submit`, { revision: 2 }), 422, 'COUNTER_ENTRY_IDENTITY_REQUIRED');
      await refused(() => as(clerk, 'post', `/api/v1/staff/counter/applications/${id}/identity`, { method: 'fingerprint' }), 400, 'VALIDATION_FAILED');
      await refused(() => as(clerk, 'post', `/api/v1/staff/counter/applications/${id}/identity`, { method: 'driversLicense', documentsShown: 9 }), 400, 'VALIDATION_FAILED');
      await refused(
        () => as(clerk, 'post', `/api/v1/staff/counter/applications/${id}/identity`, { method: 'driversLicense', note: '免許証番号 ３０１２３４５６７８９０' }),
        422,
        'COUNTER_ENTRY_IDENTITY_NOTE_HAS_NUMBER',
      );
      const checked = await ok(as(clerk, 'post', `/api/v1/staff/counter/applications/${id}/identity`, { method: 'driversLicense', documentsShown: 1, note: '裏面に住所変更の記載あり' }), 201);
      expect(checked.body).toEqual({
        id: expect.any(String),
        method: 'driversLicense',
        documentsShown: 1,
        note: '裏面に住所変更の記載あり',
        checkedBy: clerk.id,
        checkedAt: t.clock.now().toISOString(),
      });

      const key = { 'Idempotency-Key': `counter-submit-${id}` };
      const submitted = await ok(as(clerk, 'post', `/api/v1/staff/counter/applications/${id}/submit`, { revision: 2 }, key), 200);
      expect(submitted.body).toMatchObject({
        channel: 'counter',
        state: 'awaitingPayment',
        fee: 300,
        referenceNumber: expect.any(String),
        enteredBy: clerk.id,
        identityChecks: [expect.objectContaining({ method: 'driversLicense', checkedBy: clerk.id })],
      });
      // A retry with the key gets the same answer; without it, the stale revision is a conflict.
      expect((await ok(as(clerk, 'post', `/api/v1/staff/counter/applications/${id}/submit`, { revision: 2 }, key), 200)).body).toEqual(submitted.body);
      await refused(() => as(clerk, 'post', `/api/v1/staff/counter/applications/${id}/submit`, { revision: 2 }), 409, 'WORKFLOW_REVISION_CONFLICT');
      await refused(() => as(clerk, 'post', `/api/v1/staff/counter/applications/${id}/identity`, { method: 'passport' }), 409, 'APPLICATION_NOT_DRAFT');

      expect(await stored(id)).toMatchObject({ channel: 'counter', entered_by: clerk.id, applicant_id: residentA.id, state: 'awaitingPayment' });
      expect(await events(id)).toEqual([
        { type: 'application.created', actor_kind: 'staff', actor_id: clerk.id },
        { type: 'resident.submit', actor_kind: 'staff', actor_id: clerk.id },
      ]);
      // The resident follows it online, as theirs.
      const mine = await ok(as(residentA, 'get', '/api/v1/applications'), 200);
      expect(mine.body).toEqual(expect.arrayContaining([expect.objectContaining({ id, channel: 'counter', state: 'awaitingPayment' })]));
      expect(await auditActions(id)).toEqual(expect.arrayContaining(['application.identityChecked', 'application.transition']));
      const [audited] = await t.dataSource.query(`SELECT details FROM audit_log WHERE target_id = $1 AND action = 'application.identityChecked'`, [id]);
      expect(audited.details).toEqual({ method: 'driversLicense', documentsShown: 1 });
    });

    it('a reviewer enters one for someone without an account; a procedure with account identity needs no check', async () => {
      const created = await ok(as(reviewer, 'post', '/api/v1/staff/counter/applications', { procedureCode: TEST_CERTIFICATE, formData: CERTIFICATE_FORM }), 201);
      expect(created.body).toMatchObject({ applicantId: null, enteredBy: reviewer.id, identityRequired: false });
      const submitted = await ok(as(reviewer, 'post', `/api/v1/staff/counter/applications/${created.body.id}/submit`, { revision: 1 }), 200);
      expect(submitted.body).toMatchObject({ channel: 'counter', state: 'awaitingPayment', fee: 600 });
    });

    it('reads a counter application back, audited; a resident’s online draft is not there for staff', async () => {
      const created = await ok(as(clerk, 'post', '/api/v1/staff/counter/applications', { procedureCode: TEST_CERTIFICATE, residentId: residentA.id }), 201);
      const read = await ok(as(reviewer, 'get', `/api/v1/staff/counter/applications/${created.body.id}`), 200);
      expect(read.body).toMatchObject({ id: created.body.id, enteredBy: clerk.id });
      expect(await auditActions(created.body.id)).toContain('application.read');
      const online = await onlineDraft(residentA, TEST_CERTIFICATE, CERTIFICATE_FORM);
      for (const response of [
        await as(clerk, 'get', `/api/v1/staff/counter/applications/${online.id}`),
        await as(clerk, 'put', `/api/v1/staff/counter/applications/${online.id}/form`, { formData: CERTIFICATE_FORM, revision: 1 }),
        await as(clerk, 'post', `/api/v1/staff/counter/applications/${online.id}/identity`, { method: 'passport' }),
        await as(clerk, 'post', `/api/v1/staff/counter/applications/${online.id}/submit`, { revision: 1 }),
      ]) {
        expectError(response, 404, 'APPLICATION_NOT_FOUND');
      }
      expect(await stored(online.id)).toMatchObject({ channel: 'online', state: 'draft', revision: 1 });
    });

    it('the resident cannot change a draft entered for them at the counter', async () => {
      const created = await ok(as(clerk, 'post', '/api/v1/staff/counter/applications', { procedureCode: TEST_CERTIFICATE, residentId: residentA.id, formData: CERTIFICATE_FORM }), 201);
      const id = created.body.id as string;
      await refused(() => as(residentA, 'put', `/api/v1/applications/${id}/form`, { formData: { ...CERTIFICATE_FORM, copies: 9 }, revision: 1 }), 409, 'APPLICATION_AT_COUNTER');
      await refused(() => as(residentA, 'post', `/api/v1/applications/${id}/submit`, { revision: 1 }), 409, 'APPLICATION_AT_COUNTER');
      await refused(() => as(residentA, 'post', `/api/v1/applications/${id}/discard`, { revision: 1 }), 409, 'APPLICATION_AT_COUNTER');
      await refused(() => as(residentA, 'post', `/api/v1/applications/${id}/handover`), 409, 'APPLICATION_AT_COUNTER');
      expect(await stored(id)).toMatchObject({ state: 'draft', revision: 1, form_data: CERTIFICATE_FORM });
    });

    it('refuses what the counter cannot take, writing nothing', async () => {
      const entry = (body: object) => () => as(clerk, 'post', '/api/v1/staff/counter/applications', body);
      await refused(entry({ procedureCode: ONLINE_ONLY }), 409, 'APPLICATION_CHANNEL_CLOSED');
      await refused(entry({ procedureCode: 'no-such-procedure' }), 404, 'PROCEDURE_NOT_FOUND');
      await refused(entry({ procedureCode: TEST_CERTIFICATE, residentId: randomUUID() }), 422, 'COUNTER_ENTRY_RESIDENT_UNKNOWN');
      // A resident of another municipality is unknown here.
      await refused(entry({ procedureCode: TEST_CERTIFICATE, residentId: residentOfM2.id }), 422, 'COUNTER_ENTRY_RESIDENT_UNKNOWN');
      await refused(entry({ procedureCode: TEST_CERTIFICATE, ticketId: randomUUID() }), 404, 'COUNTER_TICKET_NOT_FOUND');
      await refused(entry({ procedureCode: TEST_CERTIFICATE, residentId: 'not-a-uuid' }), 400, 'VALIDATION_FAILED');
      await refused(entry({ procedureCode: 'Juminhyo; DROP TABLE applications' }), 400, 'VALIDATION_FAILED');
      await refused(entry({ procedureCode: TEST_CERTIFICATE, formData: 'scope=本人のみ' }), 400, 'VALIDATION_FAILED');
      const tooLarge = await as(clerk, 'post', '/api/v1/staff/counter/applications', { procedureCode: TEST_CERTIFICATE, formData: { purposeDetail: 'x'.repeat(2 * 1024 * 1024) } });
      expectError(tooLarge, 413, 'PAYLOAD_TOO_LARGE');
      // Linking a queue ticket is desk work (clerks): a reviewer with a ticket is refused by the counter's rule, before any draft exists.
      const ticket = await ok(as(clerk, 'post', '/api/v1/staff/counter-tickets', { serviceCode }), 201);
      await refused(() => as(reviewer, 'post', '/api/v1/staff/counter/applications', { procedureCode: TEST_CERTIFICATE, ticketId: ticket.body.id }), 403, 'AUTH_FORBIDDEN');
    });

    it('only clerks and reviewers of the owning department, only in their municipality', async () => {
      const created = await ok(as(clerk, 'post', '/api/v1/staff/counter/applications', { procedureCode: TEST_CERTIFICATE, formData: CERTIFICATE_FORM }), 201);
      const id = created.body.id as string;
      for (const caller of [manager, approver, residentA]) {
        await refused(() => as(caller, 'post', '/api/v1/staff/counter/applications', { procedureCode: TEST_CERTIFICATE }), 403, 'AUTH_FORBIDDEN');
        await refused(() => as(caller, 'post', `/api/v1/staff/counter/applications/${id}/submit`, { revision: 1 }), 403, 'AUTH_FORBIDDEN');
      }
      await refused(() => as(null, 'post', '/api/v1/staff/counter/applications', { procedureCode: TEST_CERTIFICATE }), 401, 'AUTH_UNAUTHENTICATED');
      // 住民票 belongs to 市民課: 税務課 cannot enter it, nor see one entered.
      await refused(() => as(zeimuClerk, 'post', '/api/v1/staff/counter/applications', { procedureCode: TEST_CERTIFICATE }), 404, 'COUNTER_ENTRY_PROCEDURE_NOT_IN_DEPARTMENT');
      for (const caller of [zeimuClerk, otherClerk]) {
        await refused(() => as(caller, 'get', `/api/v1/staff/counter/applications/${id}`), 404, 'APPLICATION_NOT_FOUND');
        await refused(() => as(caller, 'put', `/api/v1/staff/counter/applications/${id}/form`, { formData: CERTIFICATE_FORM, revision: 1 }), 404, 'APPLICATION_NOT_FOUND');
        await refused(() => as(caller, 'post', `/api/v1/staff/counter/applications/${id}/identity`, { method: 'passport' }), 404, 'APPLICATION_NOT_FOUND');
        await refused(() => as(caller, 'post', `/api/v1/staff/counter/applications/${id}/submit`, { revision: 1 }), 404, 'APPLICATION_NOT_FOUND');
      }
      // A 990002 token naming 990001 is a tenant mismatch, not served as 990002.
      const mismatch = await as(otherClerk, 'get', `/api/v1/staff/counter/applications/${id}`, undefined, { 'X-Municipality-Id': SAMPLE_MUNICIPALITY });
      expectError(mismatch, 403, 'AUTH_TENANT_MISMATCH');
      expect(await stored(id)).toMatchObject({ state: 'draft', revision: 1 });
    });
  });

  describe('QR handover of an online draft', () => {
    it('the resident shows a code, staff open it once and finish the application at the counter', async () => {
      const draft = await onlineDraft(residentA, 'kosodate-01', CHILD_ALLOWANCE_FORM);
      const shown = await handover(residentA, draft.id);
      expect(shown.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
      expect(shown.expiresAt).toBe(new Date(t.clock.now().getTime() + 15 * MINUTE).toISOString());
      expect(shown.url).toBe(`${BASE_URL}/office/counter/handovers/${shown.code}`);
      expect(shown.qrSvg.startsWith('<svg')).toBe(true);
      expect(shown.qrSvg).toContain('<path');
      expect(shown.qrSvg.trimEnd().endsWith('</svg>')).toBe(true);
      // Only the code's hash is kept.
      const [kept] = await t.dataSource.query(`SELECT * FROM application_handovers WHERE application_id = $1`, [draft.id]);
      expect(kept.code_hash).toBe(sha256Hex(shown.code));
      expect(JSON.stringify(kept)).not.toContain(shown.code);

      // Typed from the screen, in groups, lower case: still the code.
      const typed = shown.code.match(/.{4}/g)!.join('-').toLowerCase();
      const opened = await ok(as(kodomoClerk, 'post', '/api/v1/staff/counter/handovers', { code: typed }), 200);
      expect(opened.body).toMatchObject({
        id: draft.id,
        procedureCode: 'kosodate-01',
        channel: 'counter',
        state: 'draft',
        revision: draft.revision + 1,
        applicantId: residentA.id,
        enteredBy: kodomoClerk.id,
        identityRequired: true,
      });
      // As staff see it: the individual number masked.
      expect(opened.body.formData.individualNumber).toBe('********9018');
      expect(JSON.stringify(opened.body)).not.toContain(INDIVIDUAL_NUMBER);
      expect(await stored(draft.id)).toMatchObject({ channel: 'counter', entered_by: kodomoClerk.id, applicant_id: residentA.id });
      expect((await events(draft.id)).map((event) => [event.type, event.actor_kind, event.actor_id])).toEqual([
        ['application.created', 'resident', residentA.id],
        ['application.handedOver', 'staff', kodomoClerk.id],
      ]);
      // The read is logged before the answer leaves; the handover with its transaction, through the outbox.
      expect((await auditActions(draft.id)).sort()).toEqual(['application.handedOver', 'application.read']);

      // Single use.
      await refused(() => as(kodomoClerk, 'post', '/api/v1/staff/counter/handovers', { code: shown.code }), 410, 'HANDOVER_USED');
      // The resident's copy is now read-only; staff carry on.
      await refused(() => as(residentA, 'put', `/api/v1/applications/${draft.id}/form`, { formData: { ...CHILD_ALLOWANCE_FORM, phone: '03-0000-0000' }, revision: draft.revision + 1 }), 409, 'APPLICATION_AT_COUNTER');
      await refused(() => as(residentA, 'post', `/api/v1/applications/${draft.id}/submit`, {}), 409, 'APPLICATION_AT_COUNTER');
      await refused(() => as(residentA, 'post', `/api/v1/applications/${draft.id}/handover`), 409, 'APPLICATION_AT_COUNTER');
      const mine = await ok(as(residentA, 'get', `/api/v1/applications/${draft.id}`), 200);
      expect(mine.body).toMatchObject({ channel: 'counter', state: 'draft' });

      // Staff complete the form from what they see: the masked number sent back means "unchanged".
      const form = {
        ...opened.body.formData,
        children: [{ name: '窓口 太郎', birthDate: '2020-05-01', relationship: '子', livesTogether: true }],
        bankAccount: { bankCode: '0001', branchCode: '001', accountType: '普通', accountNumber: '1234567', accountHolderKana: 'マドグチ ハナコ' },
      };
      const updated = await ok(as(kodomoClerk, 'put', `/api/v1/staff/counter/applications/${draft.id}/form`, { formData: form, revision: draft.revision + 1 }), 200);
      expect(updated.body.formData.individualNumber).toBe('********9018');
      const sealed = (await stored(draft.id)).form_data.individualNumber as string;
      expect(sealed.startsWith('enc:')).toBe(true);
      expect(t.get(SensitiveFormFields).open(M1, draft.id, { individualNumber: sealed }).individualNumber).toBe(INDIVIDUAL_NUMBER);

      // The card signature online; the documents seen at the counter here.
      await refused(() => as(kodomoClerk, 'post', `/api/v1/staff/counter/applications/${draft.id}/submit`, { revision: updated.body.revision }), 422, 'COUNTER_ENTRY_IDENTITY_REQUIRED');
      await ok(as(kodomoClerk, 'post', `/api/v1/staff/counter/applications/${draft.id}/identity`, { method: 'myNumberCard' }), 201);
      const submitted = await ok(as(kodomoClerk, 'post', `/api/v1/staff/counter/applications/${draft.id}/submit`, { revision: updated.body.revision }), 200);
      expect(submitted.body).toMatchObject({ channel: 'counter', state: 'underReview', applicantId: residentA.id, enteredBy: kodomoClerk.id, referenceNumber: expect.any(String) });
      expect((await events(draft.id)).at(-1)).toEqual({ type: 'resident.submit', actor_kind: 'staff', actor_id: kodomoClerk.id });
    });

    it('a new code replaces the previous one; a code expires after 15 minutes; unknown and malformed codes are refused', async () => {
      const draft = await onlineDraft(residentA, TEST_CERTIFICATE, CERTIFICATE_FORM);
      const first = await handover(residentA, draft.id);
      const second = await handover(residentA, draft.id);
      expect(second.code).not.toBe(first.code);
      await refused(() => as(clerk, 'post', '/api/v1/staff/counter/handovers', { code: first.code }), 404, 'HANDOVER_NOT_FOUND');
      await refused(() => as(clerk, 'post', '/api/v1/staff/counter/handovers', { code: '0000000000000000' }), 404, 'HANDOVER_NOT_FOUND');
      await refused(() => as(clerk, 'post', '/api/v1/staff/counter/handovers', { code: 'not a code!' }), 400, 'HANDOVER_CODE_MALFORMED');
      await refused(() => as(clerk, 'post', '/api/v1/staff/counter/handovers', { code: 'A'.repeat(41) }), 400, 'VALIDATION_FAILED');
      await refused(() => as(clerk, 'post', '/api/v1/staff/counter/handovers', {}), 400, 'VALIDATION_FAILED');

      // Still editable by the resident until staff open it.
      await ok(as(residentA, 'put', `/api/v1/applications/${draft.id}/form`, { formData: { ...CERTIFICATE_FORM, copies: 3 }, revision: draft.revision }), 200);
      t.clock.advance(16 * MINUTE);
      await refused(() => as(clerk, 'post', '/api/v1/staff/counter/handovers', { code: second.code }), 410, 'HANDOVER_EXPIRED');
      expect(await stored(draft.id)).toMatchObject({ channel: 'online', entered_by: null });

      // A fresh code works, and staff see the resident's latest answers.
      const third = await handover(residentA, draft.id);
      const opened = await ok(as(clerk, 'post', '/api/v1/staff/counter/handovers', { code: third.code }), 200);
      expect(opened.body.formData).toEqual({ ...CERTIFICATE_FORM, copies: 3 });
      const submitted = await ok(as(clerk, 'post', `/api/v1/staff/counter/applications/${draft.id}/submit`, { revision: opened.body.revision }), 200);
      expect(submitted.body).toMatchObject({ channel: 'counter', state: 'awaitingPayment', fee: 900, applicantId: residentA.id, enteredBy: clerk.id });
    });

    it('opens only for the department that handles the procedure, in the resident’s municipality; the code survives a wrong desk', async () => {
      const draft = await onlineDraft(residentA, TEST_CERTIFICATE, CERTIFICATE_FORM);
      const { code } = await handover(residentA, draft.id);
      await refused(() => as(zeimuClerk, 'post', '/api/v1/staff/counter/handovers', { code }), 404, 'HANDOVER_NOT_FOUND');
      await refused(() => as(otherClerk, 'post', '/api/v1/staff/counter/handovers', { code }), 404, 'HANDOVER_NOT_FOUND');
      for (const caller of [manager, approver, residentA]) await refused(() => as(caller, 'post', '/api/v1/staff/counter/handovers', { code }), 403, 'AUTH_FORBIDDEN');
      await refused(() => as(null, 'post', '/api/v1/staff/counter/handovers', { code }), 401, 'AUTH_UNAUTHENTICATED');
      expect(await stored(draft.id)).toMatchObject({ channel: 'online', entered_by: null, revision: draft.revision });
      await ok(as(clerk, 'post', '/api/v1/staff/counter/handovers', { code }), 200);
    });

    it('two desks opening one code at once: exactly one gets the draft', async () => {
      const draft = await onlineDraft(residentA, TEST_CERTIFICATE, CERTIFICATE_FORM);
      const { code } = await handover(residentA, draft.id);
      const answers = await Promise.all([clerk, reviewer, clerk, reviewer].map((caller) => as(caller, 'post', '/api/v1/staff/counter/handovers', { code })));
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 410, 410, 410]);
      expect(answers.filter((answer) => answer.status === 410).every((answer) => answer.body.code === 'HANDOVER_USED')).toBe(true);
      expect((await events(draft.id)).filter((event) => event.type === 'application.handedOver')).toHaveLength(1);
    });

    it('only the owner’s own online draft can be handed over', async () => {
      const draft = await onlineDraft(residentA, TEST_CERTIFICATE, CERTIFICATE_FORM);
      await refused(() => as(residentB, 'post', `/api/v1/applications/${draft.id}/handover`), 404, 'APPLICATION_NOT_FOUND');
      await refused(() => as(residentOfM2, 'post', `/api/v1/applications/${draft.id}/handover`), 404, 'APPLICATION_NOT_FOUND');
      await refused(() => as(clerk, 'post', `/api/v1/applications/${draft.id}/handover`), 403, 'AUTH_FORBIDDEN');
      await refused(() => as(residentA, 'post', `/api/v1/applications/${randomUUID()}/handover`), 404, 'APPLICATION_NOT_FOUND');
      await refused(() => as(residentA, 'post', '/api/v1/applications/not-a-uuid/handover'), 400, 'BAD_REQUEST');
      const onlineOnly = await onlineDraft(residentA, ONLINE_ONLY, CERTIFICATE_FORM);
      await refused(() => as(residentA, 'post', `/api/v1/applications/${onlineOnly.id}/handover`), 409, 'APPLICATION_CHANNEL_CLOSED');
      await ok(as(residentA, 'post', `/api/v1/applications/${draft.id}/submit`, { revision: draft.revision }), 200);
      await refused(() => as(residentA, 'post', `/api/v1/applications/${draft.id}/handover`), 409, 'APPLICATION_NOT_DRAFT');
    });
  });

  describe('online KPI by channel', () => {
    it('counts applications entered at the counter and handed over there as counter, never online', async () => {
      // A day of its own, so only this test's applications are in the period.
      t.clock.set(new Date('2026-12-01T01:00:00Z'));
      const online = await onlineDraft(residentB, TEST_CERTIFICATE, CERTIFICATE_FORM);
      await ok(as(residentB, 'post', `/api/v1/applications/${online.id}/submit`, {}), 200);
      const entered = await ok(as(clerk, 'post', '/api/v1/staff/counter/applications', { procedureCode: TEST_CERTIFICATE, formData: CERTIFICATE_FORM }), 201);
      await ok(as(clerk, 'post', `/api/v1/staff/counter/applications/${entered.body.id}/submit`, { revision: 1 }), 200);
      const handedOver = await onlineDraft(residentB, TEST_CERTIFICATE, CERTIFICATE_FORM);
      const { code } = await handover(residentB, handedOver.id);
      const opened = await ok(as(clerk, 'post', '/api/v1/staff/counter/handovers', { code }), 200);
      await ok(as(clerk, 'post', `/api/v1/staff/counter/applications/${handedOver.id}/submit`, { revision: opened.body.revision }), 200);
      // A draft is not an application yet.
      await ok(as(clerk, 'post', '/api/v1/staff/counter/applications', { procedureCode: TEST_CERTIFICATE }), 201);

      const kpi = await ok(as(null, 'get', '/api/v1/kpi/online-procedures?asOf=2026-12-01&from=2026-12-01'), 200);
      expect(kpi.body.applicationsByChannel).toEqual({
        from: '2026-12-01',
        to: '2026-12-01',
        byChannel: { online: 1, counter: 2, mail: 0, convenienceStore: 0 },
        total: 3,
        onlineShare: 0.3333,
        procedures: [
          {
            code: TEST_CERTIFICATE,
            name: expect.objectContaining({ ja: expect.any(String) }),
            byChannel: { online: 1, counter: 2, mail: 0, convenienceStore: 0 },
            total: 3,
            onlineShare: 0.3333,
          },
        ],
      });
      // The default period is the fiscal year so far; it includes the day.
      const fiscal = await ok(as(null, 'get', '/api/v1/kpi/online-procedures'), 200);
      expect(fiscal.body.applicationsByChannel).toMatchObject({ from: '2026-04-01', to: '2026-12-01' });
      expect(fiscal.body.applicationsByChannel.byChannel.counter).toBeGreaterThanOrEqual(2);
      // Another municipality's figures hold none of these.
      const other = await ok(as(null, 'get', '/api/v1/kpi/online-procedures', undefined, { 'X-Municipality-Id': OTHER_MUNICIPALITY }), 200);
      expect(other.body.applicationsByChannel.total).toBe(0);
      const backwards = await as(null, 'get', '/api/v1/kpi/online-procedures?asOf=2026-11-01&from=2026-12-01');
      expectError(backwards, 400, 'KPI_PERIOD_INVALID');
      expectError(await as(null, 'get', '/api/v1/kpi/online-procedures?from=2026-02-30'), 400, 'VALIDATION_FAILED');
    });
  });
});
