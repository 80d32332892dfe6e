import { ApplicationsService } from '@madoguchi/applications';
import { hashPassword, ResidentRepository, SessionService, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId, type MunicipalityId } from '@madoguchi/kernel';
import type { StaffRole } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { createTestApp, OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';

/**
 * Assisted entry at the counter as pages (issue 12, 書かない窓口), over HTTP
 * without JavaScript: the resident's handover code on the portal, the
 * clerk opening it (typed, or as a QR reader types the whole URL), the
 * schema-driven form, the identity check, one submit however often it is
 * sent, the receipt; a walk-in resident from the same form; refusals as
 * pages with their message (unknown, used, expired, malformed codes; wrong
 * role; other department; other municipality). Real browsers:
 * test/browser/office-counter-entry.e2e-spec.ts.
 */

const M1 = asMunicipalityId(SAMPLE_MUNICIPALITY);
const M2 = asMunicipalityId(OTHER_MUNICIPALITY);
const PASSWORD = 'entry-pages-password-0001';
const JUMINHYO_FORM = { scope: '本人のみ', purpose: '学校への提出', copies: 1 };
const MINUTE = 60_000;

let t: TestApp;
let server: Server;

interface Session {
  id: string;
  cookie: string;
  csrf: string;
}

async function cookieFor(municipalityId: MunicipalityId, kind: 'resident' | 'staff', id: string): Promise<string> {
  const { accessToken } = await t.get(SessionService).issue(municipalityId, { kind, id }, 'cookie', 'password');
  return `madoguchi_session=${accessToken}`;
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

async function staff(loginId: string, roles: StaffRole[], departments: string[], municipalityId: MunicipalityId = M1): Promise<Session> {
  const { account } = await t.get(StaffAdminService).create(municipalityId, 'entry-setup', { loginId, password: PASSWORD, displayName: `職員 ${loginId}`, roles, approvalLevel: null, departments, active: true });
  const cookie = await cookieFor(municipalityId, 'staff', account.id);
  const page = await request(server).get('/office/totp').set('Cookie', cookie);
  return { id: account.id, cookie, csrf: csrfOf(page.text) };
}

async function resident(): Promise<Session> {
  const id = randomUUID();
  await t.get(ResidentRepository).insert(M1, { id, email: `${id}@example.jp`, passwordHash: await hashPassword(PASSWORD), jpkiSubject: null, now: t.clock.now() });
  await t.get(ResidentRepository).markEmailVerified(M1, id, t.clock.now());
  const cookie = await cookieFor(M1, 'resident', id);
  const page = await request(server).get('/applications').set('Cookie', cookie);
  return { id, cookie, csrf: csrfOf(page.text) };
}

const get = (who: Session, path: string) => request(server).get(path).set('Cookie', who.cookie);
const post = (who: Session, path: string, body: Record<string, string> = {}) =>
  request(server).post(path).set('Cookie', who.cookie).type('form').send({ _csrf: who.csrf, ...body });

/** A resident's online draft of 住民票 and the handover code the portal shows for it. */
async function draftWithCode(owner: Session): Promise<{ id: string; code: string }> {
  const id = (await t.get(ApplicationsService).createDraft(M1, { procedureCode: 'juminhyo', channel: 'online', applicantId: owner.id, formData: JUMINHYO_FORM, actor: { kind: 'resident', id: owner.id } })).id;
  const check = await get(owner, `/applications/${id}/check`);
  expect(check.status).toBe(200);
  expect(check.text).toContain(`action="/applications/${id}/handover"`);
  const shown = await post(owner, `/applications/${id}/handover`);
  expect(shown.status).toBe(200);
  expect(shown.text).toContain('id="handover-qr"');
  expect(shown.text).toContain('src="data:image/svg+xml;base64,');
  const code = /id="handover-code">([0-9A-Z-]+)</.exec(shown.text)![1];
  expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  return { id, code };
}

async function stored(id: string): Promise<{ channel: string; entered_by: string | null; applicant_id: string | null; state: string; reference_number: string | null }> {
  const [row] = await t.dataSource.query(`SELECT channel, entered_by, applicant_id, state, reference_number FROM applications WHERE id = $1`, [id]);
  return row;
}

/** The application id in a counter entry page path. */
const idIn = (location: string) => /\/office\/counter\/entry\/([0-9a-f-]{36})\//.exec(location)![1];

let clerk: Session;
let reviewer: Session;
let manager: Session;
let zeimuClerk: Session;
let otherCityClerk: Session;
let residentA: Session;

beforeAll(async () => {
  t = await createTestApp({ portal: true, office: true, env: { DIGITAL_AUTH_ISSUER: 'off' } });
  server = t.app.getHttpServer();
  clerk = await staff('entry-clerk', ['clerk'], ['shimin']);
  reviewer = await staff('entry-reviewer', ['reviewer'], ['shimin']);
  manager = await staff('entry-manager', ['manager'], ['shimin']);
  zeimuClerk = await staff('entry-zeimu', ['clerk'], ['zeimu']);
  otherCityClerk = await staff('entry-other-city', ['clerk'], ['shimin'], M2);
  residentA = await resident();
}, 120_000);

afterAll(() => t?.close());

describe('the start page', () => {
  it('offers the code form and the department’s procedures to clerks and reviewers; other roles are refused', async () => {
    for (const who of [clerk, reviewer]) {
      const page = await get(who, '/office/counter/entry');
      expect(page.status).toBe(200);
      expect(page.text).toContain('name="code"');
      expect(page.text).toContain('<option value="juminhyo"');
    }
    expect((await get(zeimuClerk, '/office/counter/entry')).text).not.toContain('<option value="juminhyo"');
    expect((await get(manager, '/office/counter/entry')).status).toBe(403);
    expect((await post(manager, '/office/counter/entry', { procedureCode: 'juminhyo' })).status).toBe(403);
    expect((await request(server).get('/office/counter/entry')).status).toBe(303);
  });

  it('opens from the QR’s own address with the code filled in, without using it up', async () => {
    const page = await get(clerk, '/office/counter/handovers/ABCD-EFGH-JKMN-PQRS');
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="ABCD-EFGH-JKMN-PQRS"');
  });
});

describe('a handover from the portal', () => {
  it('opens the resident’s draft with its answers; the application stays the resident’s, moves to the counter and is submitted once', async () => {
    const { id, code } = await draftWithCode(residentA);
    // Typed as the resident reads it out: lower case, spaces instead of hyphens.
    const opened = await post(clerk, '/office/counter/entry/handover', { code: code.toLowerCase().replace(/-/g, ' ') });
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe(`/office/counter/entry/${id}/check`);
    expect(await stored(id)).toMatchObject({ channel: 'counter', entered_by: clerk.id, applicant_id: residentA.id, state: 'draft' });

    const check = await get(clerk, `/office/counter/entry/${id}/check`);
    expect(check.status).toBe(200);
    expect(check.text).toContain('学校への提出');
    expect(check.text).toContain('ポータル利用者の申請');
    // The resident can no longer change it online.
    expect((await get(residentA, `/applications/${id}/form/1`)).status).toBeGreaterThanOrEqual(300);

    // 住民票 needs the card signature online: at the counter the identity check instead, before submitting.
    const revision = /name="_revision" value="(\d+)"/.exec(check.text)![1];
    const token = /name="_token" value="([^"]+)"/.exec(check.text)![1];
    const early = await post(clerk, `/office/counter/entry/${id}/submit`, { _revision: revision, _token: token });
    expect(early.status).toBe(422);
    expect(early.text).toContain('本人確認');
    expect((await stored(id)).state).toBe('draft');

    const recorded = await post(clerk, `/office/counter/entry/${id}/identity`, { method: 'myNumberCard' });
    expect(recorded.status).toBe(303);
    expect(recorded.headers.location).toBe(`/office/counter/entry/${id}/check?recorded=1`);
    const after = await get(clerk, recorded.headers.location as string);
    expect(after.text).toContain('マイナンバーカードを確認済み');

    const again = /name="_token" value="([^"]+)"/.exec(after.text)![1];
    const revisionNow = /name="_revision" value="(\d+)"/.exec(after.text)![1];
    const [first, second] = await Promise.all([
      post(clerk, `/office/counter/entry/${id}/submit`, { _revision: revisionNow, _token: again }),
      post(clerk, `/office/counter/entry/${id}/submit`, { _revision: revisionNow, _token: again }),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    // Back and send again with a fresh token: the receipt, not an error.
    const third = await post(clerk, `/office/counter/entry/${id}/submit`, { _revision: revisionNow, _token: 'another-token-0001' });
    expect(third.status).toBe(303);
    expect(third.headers.location).toBe(`/office/counter/entry/${id}/receipt`);
    const submitted = (await t.dataSource.query(`SELECT count(*)::int AS n FROM application_events WHERE application_id = $1 AND type LIKE '%submit%'`, [id]))[0].n;
    expect(submitted).toBe(1);

    const row = await stored(id);
    expect(row.state).not.toBe('draft');
    const receipt = await get(clerk, `/office/counter/entry/${id}/receipt`);
    expect(receipt.status).toBe(200);
    expect(receipt.text).toContain(`id="reference-number">${row.reference_number}<`);
    expect(receipt.text).toContain('職員 entry-clerk');
    expect(receipt.text).toContain('マイナンバーカード');
    // The form pages of a submitted application lead to the receipt.
    expect((await get(clerk, `/office/counter/entry/${id}/form/1`)).headers.location).toBe(`/office/counter/entry/${id}/receipt`);
    // The resident sees it as theirs.
    const mine = await get(residentA, `/applications/${id}`);
    expect(mine.status).toBe(200);
    expect(mine.text).toContain(row.reference_number!);
  });

  it('refuses unknown, malformed, used and expired codes with a clear message, and another department or city learns nothing', async () => {
    const unknown = await post(clerk, '/office/counter/entry/handover', { code: '0000-0000-0000-0000' });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('引継ぎコードが見つかりません');
    expect(unknown.text).toContain('href="#code"');
    const malformed = await post(clerk, '/office/counter/entry/handover', { code: 'not a code' });
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain('引継ぎコードの形式が正しくありません');
    const empty = await post(clerk, '/office/counter/entry/handover', { code: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('引継ぎコードを入力してください');

    const { id, code } = await draftWithCode(residentA);
    // Another department's desk, another city's: "not found", and the code still works for the right desk.
    expect((await post(zeimuClerk, '/office/counter/entry/handover', { code })).status).toBe(404);
    expect((await post(otherCityClerk, '/office/counter/entry/handover', { code })).status).toBe(404);
    expect((await stored(id)).channel).toBe('online');
    // A QR reader that types the whole address.
    const scanned = await post(clerk, '/office/counter/entry/handover', { code: `https://madoguchi.example.jp/office/counter/handovers/${code.replace(/-/g, '')}` });
    expect(scanned.status).toBe(303);
    const used = await post(reviewer, '/office/counter/entry/handover', { code });
    expect(used.status).toBe(410);
    expect(used.text).toContain('すでに使用されています');
    // The counter application is "not found" to another department and city.
    for (const outsider of [zeimuClerk, otherCityClerk]) {
      expect((await get(outsider, `/office/counter/entry/${id}/check`)).status).toBe(404);
      expect((await get(outsider, `/office/counter/entry/${id}/form/1`)).status).toBe(404);
      expect((await post(outsider, `/office/counter/entry/${id}/identity`, { method: 'passport' })).status).toBe(404);
    }
    expect((await get(manager, `/office/counter/entry/${id}/check`)).status).toBe(403);

    const late = await draftWithCode(residentA);
    t.clock.advance(16 * MINUTE);
    const expired = await post(clerk, '/office/counter/entry/handover', { code: late.code });
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('有効期限');
  });
});

describe('a walk-in resident', () => {
  it('starts from the same form, refuses bad answers and document numbers on the page, and gives the receipt', async () => {
    const start = await get(clerk, '/office/counter/entry');
    const token = /name="_token" value="([^"]+)"/.exec(start.text)![1];
    expect((await post(clerk, '/office/counter/entry', { procedureCode: 'no-such-procedure', _token: token })).status).toBe(400);
    // Another department's procedure is not offered, and not accepted.
    expect((await post(zeimuClerk, '/office/counter/entry', { procedureCode: 'juminhyo', _token: token })).status).toBe(400);
    const created = await post(clerk, '/office/counter/entry', { procedureCode: 'juminhyo', _token: token });
    expect(created.status).toBe(303);
    const id = idIn(created.headers.location as string);
    // The same form token (a double click) is the same application.
    expect(idIn((await post(clerk, '/office/counter/entry', { procedureCode: 'juminhyo', _token: token })).headers.location as string)).toBe(id);
    expect(await stored(id)).toMatchObject({ channel: 'counter', entered_by: clerk.id, applicant_id: null });

    const form = await get(clerk, `/office/counter/entry/${id}/form/1`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('アカウントのない来庁者の申請');
    const revision = /name="_revision" value="(\d+)"/.exec(form.text)![1];
    const invalid = await post(clerk, `/office/counter/entry/${id}/form/1`, { _revision: revision, _action: 'save', purpose: '学校への提出' });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('mg-error-summary');
    const saved = await post(clerk, `/office/counter/entry/${id}/form/1`, { _revision: revision, _action: 'save', ...JUMINHYO_FORM, copies: '２' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/office/counter/entry/${id}/check`);

    const withNumber = await post(clerk, `/office/counter/entry/${id}/identity`, { method: 'driversLicense', note: '番号 123456789012' });
    expect(withNumber.status).toBe(422);
    expect(withNumber.text).toContain('番号は記録しないでください');
    expect((await post(clerk, `/office/counter/entry/${id}/identity`, { method: 'library-card' })).status).toBe(400);
    expect((await post(clerk, `/office/counter/entry/${id}/identity`, { method: 'driversLicense', documentsShown: '9' })).status).toBe(400);
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM application_identity_checks WHERE application_id = $1`, [id]))[0].n).toBe(0);
    expect((await post(clerk, `/office/counter/entry/${id}/identity`, { method: 'driversLicense', documentsShown: '1', note: '顔写真を照合' })).status).toBe(303);

    const check = await get(clerk, `/office/counter/entry/${id}/check`);
    const submitted = await post(clerk, `/office/counter/entry/${id}/submit`, {
      _revision: /name="_revision" value="(\d+)"/.exec(check.text)![1],
      _token: /name="_token" value="([^"]+)"/.exec(check.text)![1],
    });
    expect(submitted.headers.location).toBe(`/office/counter/entry/${id}/receipt`);
    const receipt = await get(clerk, `/office/counter/entry/${id}/receipt`);
    expect(receipt.text).toContain('運転免許証');
    expect(receipt.text).toContain('600');
    expect(receipt.text).toContain(`href="/office/counter/payments/${id}"`);
  });
});
