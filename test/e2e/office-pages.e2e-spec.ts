import { ApplicationsService } from '@madoguchi/applications';
import { ApplicationWorkflowService } from '@madoguchi/engine';
import { hashPassword, ResidentRepository, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId } from '@madoguchi/kernel';
import type { StaffRole } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { createTestApp, OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';

/**
 * The office pages over HTTP (issue 12): sign-in refusals, the idle
 * timeout, page-level access (anonymous, another department, another
 * municipality, CSRF) and a case worked from claim to acceptance. The real
 * browser flows are in test/browser/office-*.e2e-spec.ts.
 */

const M1 = asMunicipalityId(SAMPLE_MUNICIPALITY);
const M2 = asMunicipalityId(OTHER_MUNICIPALITY);
const PASSWORD = 'office-password-0001';
const HOIKU_FORM = { applicantName: '窓口 花子', applicantKana: 'マドグチ ハナコ', phone: '03-1234-5678', childName: '窓口 太郎', facilityName: '桜ヶ丘保育園', reason: '就労', reasonContinues: true };

let t: TestApp;
let server: Server;
let residentId: string;

async function staff(municipalityId: typeof M1, loginId: string, roles: StaffRole[], departments: string[]): Promise<void> {
  await t.get(StaffAdminService).create(municipalityId, 'office-setup', { loginId, password: PASSWORD, displayName: `職員 ${loginId}`, roles, approvalLevel: null, departments, active: true });
}

async function hoikuCase(): Promise<string> {
  const draft = await t.get(ApplicationsService).createDraft(M1, { procedureCode: 'kosodate-13', channel: 'online', applicantId: residentId, formData: HOIKU_FORM, actor: { kind: 'resident', id: residentId } });
  await t.get(ApplicationWorkflowService).transition(M1, draft.id, { type: 'resident.submit', actor: { kind: 'resident', id: residentId }, payload: {} });
  return draft.id;
}

/** Signs in through the page; returns the session cookie and the page's CSRF token. */
async function signIn(loginId: string, municipalityId = M1, totpCode?: string): Promise<{ cookie: string; csrf: string }> {
  await t.dataSource.query('DELETE FROM rate_limits');
  await t.dataSource.query('DELETE FROM login_failures').catch(() => undefined);
  const response = await request(server)
    .post('/office/sign-in')
    .set('X-Municipality-Id', municipalityId)
    .type('form')
    .send({ loginId, password: PASSWORD, ...(totpCode ? { totpCode } : {}), next: '/office/queue' });
  expect({ status: response.status, location: response.headers.location }).toEqual({ status: 303, location: '/office/queue' });
  const cookie = (response.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('madoguchi_session='))!.split(';')[0];
  const page = await request(server).get('/office/queue').set('Cookie', cookie);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  return { cookie, csrf };
}

beforeAll(async () => {
  t = await createTestApp({ office: true, env: { DIGITAL_AUTH_ISSUER: 'off' } });
  server = t.app.getHttpServer();
  residentId = randomUUID();
  await t.get(ResidentRepository).insert(M1, { id: residentId, email: 'office-resident@example.jp', passwordHash: await hashPassword(PASSWORD), jpkiSubject: null, now: t.clock.now() });
  await staff(M1, 'hoiku-clerk', ['clerk'], ['hoiku']);
  await staff(M1, 'hoiku-reviewer', ['reviewer'], ['hoiku']);
  await staff(M1, 'shimin-clerk', ['clerk'], ['shimin']);
  await staff(M2, 'other-city-clerk', ['clerk'], ['hoiku']);
}, 120_000);

afterAll(() => t?.close());

describe('sign-in', () => {
  it('sends an anonymous visitor to the office sign-in with the way back', async () => {
    const response = await request(server).get('/office/queue?state=underReview');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/office/sign-in?next=%2Foffice%2Fqueue%3Fstate%3DunderReview');
  });

  it('requires the TOTP code of an administrator and accepts it once', async () => {
    const { totpSecret } = await t.get(StaffAdminService).bootstrapAdministrator(M1, { loginId: 'office-admin', displayName: '管理 花子', password: PASSWORD });
    const code = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(totpSecret) }).generate({ timestamp: t.clock.now().getTime() });
    const without = await request(server).post('/office/sign-in').type('form').send({ loginId: 'office-admin', password: PASSWORD });
    expect(without.status).toBe(401);
    expect(without.text).toContain('href="#totpCode"');
    const withCode = await request(server).post('/office/sign-in').type('form').send({ loginId: 'office-admin', password: PASSWORD, totpCode: code, next: '/office' });
    expect(withCode.status).toBe(303);
    const again = await request(server).post('/office/sign-in').type('form').send({ loginId: 'office-admin', password: PASSWORD, totpCode: code });
    expect(again.status).toBe(401);
    expect(again.text).toContain('確認コードが正しくありません');
  });

  it('says a wrong password on the form, then how long to wait once throttled', async () => {
    await t.dataSource.query('DELETE FROM rate_limits');
    const statuses: number[] = [];
    let last = '';
    for (let attempt = 0; attempt < 7; attempt++) {
      const response = await request(server).post('/office/sign-in').type('form').send({ loginId: 'shimin-clerk', password: 'wrong-password-here' });
      statuses.push(response.status);
      last = response.text;
      if (response.status === 429) expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses).toContain(429);
    expect(last).toMatch(/分ほど待ってから/);
  });

  it('refuses a missing login ID and password on the form with an error summary', async () => {
    const response = await request(server).post('/office/sign-in').type('form').send({ loginId: '', password: '' });
    expect(response.status).toBe(400);
    expect(response.text).toContain('href="#loginId"');
    expect(response.text).toContain('href="#password"');
  });
});

describe('idle timeout', () => {
  it('ends a staff browser session after 30 minutes without a request, not before', async () => {
    const { cookie } = await signIn('hoiku-clerk');
    t.clock.advance(29 * 60_000);
    expect((await request(server).get('/office/queue').set('Cookie', cookie)).status).toBe(200);
    // The request above counted as activity: another 29 minutes are still within the period.
    t.clock.advance(29 * 60_000);
    expect((await request(server).get('/office/keepalive').set('Cookie', cookie)).status).toBe(204);
    t.clock.advance(30 * 60_000);
    const expired = await request(server).get('/office/queue').set('Cookie', cookie);
    expect(expired.status).toBe(303);
    expect(expired.headers.location).toMatch(/^\/office\/sign-in\?next=/);
    // Ended for good, not merely refused once.
    const idle = await t.dataSource.query(`SELECT id FROM sessions WHERE subject_kind = 'staff' AND revoked_reason = 'idle'`);
    expect(idle).toHaveLength(1);
  });
});

describe('page access', () => {
  it('lists a case in its department, 404 to another department and to another municipality', async () => {
    const id = await hoikuCase();
    const own = await signIn('hoiku-clerk');
    const queue = await request(server).get('/office/queue').set('Cookie', own.cookie);
    expect(queue.status).toBe(200);
    expect(queue.text).toContain(`/office/applications/${id}`);
    expect((await request(server).get(`/office/applications/${id}`).set('Cookie', own.cookie)).status).toBe(200);

    const otherDepartment = await signIn('shimin-clerk');
    expect((await request(server).get('/office/queue').set('Cookie', otherDepartment.cookie)).text).not.toContain(id);
    expect((await request(server).get(`/office/applications/${id}`).set('Cookie', otherDepartment.cookie)).status).toBe(404);
    expect((await request(server).post(`/office/applications/${id}/claim`).set('Cookie', otherDepartment.cookie).type('form').send({ _csrf: otherDepartment.csrf })).status).toBe(404);

    const otherCity = await signIn('other-city-clerk', M2);
    expect((await request(server).get('/office/queue').set('Cookie', otherCity.cookie)).text).not.toContain(id);
    expect((await request(server).get(`/office/applications/${id}`).set('Cookie', otherCity.cookie)).status).toBe(404);
  });

  it('refuses a form posted without the CSRF field', async () => {
    const id = await hoikuCase();
    const { cookie } = await signIn('hoiku-clerk');
    const response = await request(server).post(`/office/applications/${id}/claim`).set('Cookie', cookie).type('form').send({});
    expect(response.status).toBe(403);
    expect(response.text).toContain('もう一度お試しください');
  });
});

describe('case work', () => {
  it('claims a case, returns it for correction only after confirming, and offers only the events the engine allows', async () => {
    const id = await hoikuCase();
    const { cookie, csrf } = await signIn('hoiku-clerk');
    const claimed = await request(server).post(`/office/applications/${id}/claim`).set('Cookie', cookie).type('form').send({ _csrf: csrf });
    expect(claimed.status).toBe(303);
    const page = await request(server).get(claimed.headers.location).set('Cookie', cookie);
    expect(page.text).toContain('担当になりました');
    expect(page.text).toContain(`/actions/staff.accept`);
    expect(page.text).not.toContain(`/actions/staff.assessFee`);

    const confirm = await request(server).post(`/office/applications/${id}/actions/staff.sendBack`).set('Cookie', cookie).type('form').send({ _csrf: csrf, fields: 'phone', message: '電話番号をご確認ください' });
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('申請者に表示される内容');
    const [before] = await t.dataSource.query('SELECT state FROM applications WHERE id = $1', [id]);
    expect(before.state).toBe('underReview');

    const missing = await request(server).post(`/office/applications/${id}/actions/staff.reject`).set('Cookie', cookie).type('form').send({ _csrf: csrf, reason: '' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('href="#reason"');

    const done = await request(server)
      .post(`/office/applications/${id}/actions/staff.sendBack`)
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: csrf, fields: 'phone', message: '電話番号をご確認ください', commit: '1' });
    expect(done.status).toBe(303);
    const [after] = await t.dataSource.query('SELECT state FROM applications WHERE id = $1', [id]);
    expect(after.state).toBe('returned');
    const returned = await request(server).get(`/office/applications/${id}`).set('Cookie', cookie);
    expect(returned.text).not.toContain('/actions/staff.accept');
  });

  it('claims several cases at once from the queue and reports the count', async () => {
    const ids = [await hoikuCase(), await hoikuCase()];
    const { cookie, csrf } = await signIn('hoiku-reviewer');
    const response = await request(server).post('/office/queue/bulk').set('Cookie', cookie).type('form').send(`_csrf=${encodeURIComponent(csrf)}&ids=${ids[0]}&ids=${ids[1]}&assignee=`);
    expect(response.status).toBe(303);
    const claimers = await t.dataSource.query('SELECT DISTINCT claimed_by FROM applications WHERE id = ANY($1)', [ids]);
    expect(claimers).toHaveLength(1);
    const page = await request(server).get(response.headers.location).set('Cookie', cookie);
    expect(page.text).toContain('2件を処理しました');
  });
});
