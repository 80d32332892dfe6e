import { CounterAdminService } from '@madoguchi/counter';
import { SessionService, StaffAdminService, type StaffPrincipal } from '@madoguchi/identity';
import { asMunicipalityId } from '@madoguchi/kernel';
import type { StaffRole } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { createTestApp, OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';

/**
 * The counter pages over HTTP (issue 12, 書かない窓口 and 待たせない): the
 * desk console (call next, a race between two desks, start, finish,
 * transfer keeping the place, linking an application, refusals), the
 * lobby kiosk in three languages without JavaScript, and the lobby display
 * (self-refreshing, showing the call). Real browsers: test/browser/office-counter.e2e-spec.ts.
 */

const M1 = asMunicipalityId(SAMPLE_MUNICIPALITY);
const M2 = asMunicipalityId(OTHER_MUNICIPALITY);
const PASSWORD = 'office-password-0001';

let t: TestApp;
let server: Server;
const counters: Record<string, string> = {};

const admin = (municipalityId: typeof M1) =>
  ({ kind: 'staff', id: randomUUID(), municipalityId, roles: ['administrator'], approvalLevel: null, departments: [] }) as unknown as StaffPrincipal;

const staffIds: Record<string, string> = {};

async function staff(municipalityId: typeof M1, loginId: string, roles: StaffRole[]): Promise<void> {
  staffIds[loginId] = (
    await t.get(StaffAdminService).create(municipalityId, 'counter-setup', { loginId, password: PASSWORD, displayName: `職員 ${loginId}`, roles, approvalLevel: null, departments: ['shimin'], active: true })
  ).account.id;
}

/** A walk-in 住民票 entered at the counter through the JSON API, waiting for its fee. */
async function walkIn(copies: number): Promise<string> {
  const { accessToken } = await t.get(SessionService).issue(M1, { kind: 'staff', id: staffIds['desk-clerk-1'] }, 'bearer', 'password');
  const api = (path: string, body: object) => request(server).post(`/api/v1${path}`).auth(accessToken, { type: 'bearer' }).send(body);
  const created = await api('/staff/counter/applications', { procedureCode: 'juminhyo', formData: { scope: '本人のみ', purpose: '学校への提出', copies } });
  expect(created.status).toBe(201);
  expect((await api(`/staff/counter/applications/${created.body.id}/identity`, { method: 'driversLicense' })).status).toBe(201);
  const submitted = await api(`/staff/counter/applications/${created.body.id}/submit`, { revision: created.body.revision });
  expect(submitted.body).toMatchObject({ state: 'awaitingPayment', fee: 300 * copies });
  return created.body.id as string;
}

async function signIn(loginId: string, municipalityId = M1): Promise<{ cookie: string; csrf: string }> {
  await t.dataSource.query('DELETE FROM rate_limits');
  const response = await request(server).post('/office/sign-in').set('X-Municipality-Id', municipalityId).type('form').send({ loginId, password: PASSWORD, next: '/office/counter/desks' });
  expect({ status: response.status, location: response.headers.location }).toEqual({ status: 303, location: '/office/counter/desks' });
  const cookie = (response.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('madoguchi_session='))!.split(';')[0];
  const page = await request(server).get('/office/counter/desks').set('Cookie', cookie);
  expect(page.status).toBe(200);
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '' };
}

/** A kiosk ticket taken through the page, as a tablet without JavaScript does; answers the slip's path. */
async function kioskTicket(serviceCode: string, lang?: string): Promise<string> {
  await t.dataSource.query('DELETE FROM rate_limits');
  const response = await request(server).post(`/kiosk/tickets${lang ? `?lang=${lang}` : ''}`).type('form').send({ serviceCode });
  expect(response.status).toBe(303);
  return response.headers.location as string;
}

const waitingTickets = () => t.dataSource.query(`UPDATE counter_tickets SET status = 'cancelled', closed_at = now() WHERE status IN ('waiting', 'called', 'serving')`);

beforeAll(async () => {
  t = await createTestApp({ office: true, env: { DIGITAL_AUTH_ISSUER: 'off' } });
  server = t.app.getHttpServer();
  const setup = t.get(CounterAdminService);
  await setup.createService(admin(M1), { code: 'certificates', name: { ja: '住民票・印鑑証明', en: 'Certificates' }, ticketPrefix: 'A' } as never);
  counters.one = (await setup.createCounter(admin(M1), { name: { ja: '市民課 1番窓口', en: 'Counter 1' }, serviceCodes: ['certificates'], open: true } as never)).id;
  counters.two = (await setup.createCounter(admin(M1), { name: { ja: '市民課 2番窓口', en: 'Counter 2' }, serviceCodes: ['certificates'], open: true } as never)).id;
  await setup.createService(admin(M2), { code: 'certificates', name: { ja: '証明書', en: 'Certificates' }, ticketPrefix: 'A' } as never);
  counters.other = (await setup.createCounter(admin(M2), { name: { ja: '他市 1番窓口', en: 'Other 1' }, serviceCodes: ['certificates'], open: true } as never)).id;
  await staff(M1, 'desk-clerk-1', ['clerk']);
  await staff(M1, 'desk-clerk-2', ['clerk']);
  await staff(M1, 'desk-manager', ['manager']);
  await staff(M2, 'desk-other-city', ['clerk']);
}, 120_000);

afterAll(() => t?.close());

describe('kiosk (public, no JavaScript)', () => {
  it('lists the services, issues a ticket and shows the slip in 日本語, やさしい日本語 and English', async () => {
    const start = await request(server).get('/kiosk');
    expect(start.status).toBe(200);
    expect(start.text).toContain('name="serviceCode" value="certificates"');
    expect(start.headers['set-cookie']).toBeUndefined();
    const expected = { ja: 'あなたの番号', 'ja-easy': 'あなたの ばんごう', en: 'Your number' } as const;
    const numbers: string[] = [];
    for (const lang of ['ja', 'ja-easy', 'en'] as const) {
      const slipPath = await kioskTicket('certificates', lang === 'ja' ? undefined : lang);
      expect(slipPath).toMatch(lang === 'ja' ? /^\/kiosk\/tickets\/[0-9a-f-]{36}$/ : new RegExp(`^/kiosk/tickets/[0-9a-f-]{36}\\?lang=${lang}$`));
      const slip = await request(server).get(slipPath);
      expect(slip.status).toBe(200);
      expect(slip.text).toContain(expected[lang]);
      numbers.push(/data-testid="kiosk-number">([^<]+)</.exec(slip.text)![1]);
    }
    expect(numbers).toEqual(['A-001', 'A-002', 'A-003']);
    await waitingTickets();
  });

  it('refuses an unknown service on the page, and a slip of another municipality is not found', async () => {
    await t.dataSource.query('DELETE FROM rate_limits');
    const unknown = await request(server).post('/kiosk/tickets').type('form').send({ serviceCode: 'no-such-service' });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('id="kiosk-problem"');
    expect((await request(server).post('/kiosk/tickets').type('form').send({ serviceCode: '<x>' })).status).toBe(400);
    const otherCity = await request(server).post('/kiosk/tickets').set('X-Municipality-Id', M2).type('form').send({ serviceCode: 'certificates' });
    expect(otherCity.status).toBe(303);
    expect((await request(server).get(otherCity.headers.location as string)).status).toBe(404);
    await waitingTickets();
  });
});

describe('desk console', () => {
  it('sends anonymous visitors to sign in, refuses roles without desk work, and another municipality’s counter is not found', async () => {
    const anonymous = await request(server).get(`/office/counter/desks/${counters.one}`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe(`/office/sign-in?next=${encodeURIComponent(`/office/counter/desks/${counters.one}`)}`);
    const other = await signIn('desk-other-city', M2);
    expect((await request(server).get(`/office/counter/desks/${counters.one}`).set('Cookie', other.cookie)).status).toBe(404);
    expect((await request(server).post(`/office/counter/desks/${counters.one}/call-next`).set('Cookie', other.cookie).type('form').send({ _csrf: other.csrf })).status).toBe(404);
    const manager = await request(server).post('/office/sign-in').type('form').send({ loginId: 'desk-manager', password: PASSWORD, next: '/office' });
    const managerCookie = (manager.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('madoguchi_session='))!.split(';')[0];
    expect((await request(server).get(`/office/counter/desks/${counters.one}`).set('Cookie', managerCookie)).status).toBe(403);
  });

  it('refuses a form without the CSRF token', async () => {
    const clerk = await signIn('desk-clerk-1');
    const response = await request(server).post(`/office/counter/desks/${counters.one}/call-next`).set('Cookie', clerk.cookie).type('form').send({});
    expect(response.status).toBe(403);
  });

  it('calls one waiting ticket to exactly one of two desks calling at the same moment; the other is told nobody waits', async () => {
    await waitingTickets();
    await kioskTicket('certificates');
    const [one, two] = [await signIn('desk-clerk-1'), await signIn('desk-clerk-2')];
    const results = await Promise.all([
      request(server).post(`/office/counter/desks/${counters.one}/call-next`).set('Cookie', one.cookie).type('form').send({ _csrf: one.csrf }),
      request(server).post(`/office/counter/desks/${counters.two}/call-next`).set('Cookie', two.cookie).type('form').send({ _csrf: two.csrf }),
    ]);
    expect(results.map((response) => response.status).sort()).toEqual([303, 409]);
    const refused = results.find((response) => response.status === 409)!;
    expect(refused.text).toContain('id="desk-problem"');
    const called = await t.dataSource.query(`SELECT counter_id FROM counter_tickets WHERE status = 'called'`);
    expect(called).toHaveLength(1);
  });

  it('serves a ticket from call to finish, shown large on the console and on the lobby display', async () => {
    await waitingTickets();
    const slip = await request(server).get(await kioskTicket('certificates'));
    const number = /data-testid="kiosk-number">([^<]+)</.exec(slip.text)![1];
    const clerk = await signIn('desk-clerk-1');
    const call = await request(server).post(`/office/counter/desks/${counters.one}/call-next`).set('Cookie', clerk.cookie).type('form').send({ _csrf: clerk.csrf });
    expect(call.status).toBe(303);
    expect(call.headers.location).toBe(`/office/counter/desks/${counters.one}?done=called&number=${number}`);
    const consolePage = await request(server).get(call.headers.location as string).set('Cookie', clerk.cookie);
    expect(consolePage.text).toContain(`data-testid="desk-number">${number}<`);
    expect(consolePage.text).toContain('accesskey="n"');

    const lobby = await request(server).get('/lobby');
    expect(lobby.status).toBe(200);
    // Reloads itself without JavaScript (a noscript meta refresh); with it the lobby script updates it in place.
    expect(lobby.text).toMatch(/<noscript><meta http-equiv="refresh" content="15"\/?><\/noscript>/);
    expect(lobby.text).toMatch(/aria-live="polite"/);
    expect(lobby.text).toContain(`${number}番の方、市民課 1番窓口へお越しください。`);
    expect((await request(server).get('/lobby?lang=en')).text).toContain(`Number ${number}, please go to Counter 1.`);

    const ticketId = /\/tickets\/([0-9a-f-]{36})\/start/.exec(consolePage.text)![1];
    const start = await request(server).post(`/office/counter/desks/${counters.one}/tickets/${ticketId}/start`).set('Cookie', clerk.cookie).type('form').send({ _csrf: clerk.csrf });
    expect(start.headers.location).toContain('done=start');
    const finish = await request(server).post(`/office/counter/desks/${counters.one}/tickets/${ticketId}/finish`).set('Cookie', clerk.cookie).type('form').send({ _csrf: clerk.csrf });
    expect(finish.headers.location).toContain('done=finish');
    const again = await request(server).post(`/office/counter/desks/${counters.one}/tickets/${ticketId}/finish`).set('Cookie', clerk.cookie).type('form').send({ _csrf: clerk.csrf });
    expect(again.status).toBe(409);
    expect((await request(server).get('/lobby')).text).not.toContain(`${number}番の方`);
  });

  it('transfers a called ticket to another counter keeping its place, and checks the application ID before linking', async () => {
    await waitingTickets();
    await kioskTicket('certificates');
    await kioskTicket('certificates');
    const clerk = await signIn('desk-clerk-1');
    await request(server).post(`/office/counter/desks/${counters.one}/call-next`).set('Cookie', clerk.cookie).type('form').send({ _csrf: clerk.csrf });
    const [first] = await t.dataSource.query(`SELECT id, display_number FROM counter_tickets WHERE status = 'called'`);
    const badLink = await request(server)
      .post(`/office/counter/desks/${counters.one}/tickets/${first.id}/application`)
      .set('Cookie', clerk.cookie)
      .type('form')
      .send({ _csrf: clerk.csrf, applicationId: 'not-an-id' });
    expect(badLink.status).toBe(400);
    expect(badLink.text).toContain('href="#application-id"');
    const missing = await request(server)
      .post(`/office/counter/desks/${counters.one}/tickets/${first.id}/application`)
      .set('Cookie', clerk.cookie)
      .type('form')
      .send({ _csrf: clerk.csrf, applicationId: randomUUID() });
    expect(missing.status).toBe(404);
    const noTarget = await request(server).post(`/office/counter/desks/${counters.one}/tickets/${first.id}/transfer`).set('Cookie', clerk.cookie).type('form').send({ _csrf: clerk.csrf });
    expect(noTarget.status).toBe(400);
    expect(noTarget.text).toContain('href="#transfer-counter"');
    const transfer = await request(server)
      .post(`/office/counter/desks/${counters.one}/tickets/${first.id}/transfer`)
      .set('Cookie', clerk.cookie)
      .type('form')
      .send({ _csrf: clerk.csrf, counterId: counters.two });
    expect(transfer.status).toBe(303);
    expect(transfer.headers.location).toContain('done=transfer');
    // Counter 2 calls the transferred ticket before the one that came later: its place was kept.
    const two = await signIn('desk-clerk-2');
    const next = await request(server).post(`/office/counter/desks/${counters.two}/call-next`).set('Cookie', two.cookie).type('form').send({ _csrf: two.csrf });
    expect(next.headers.location).toContain(`number=${first.display_number}`);
  });
});

describe('desk payment (窓口収納)', () => {
  it('takes cash through form and confirmation, shows the change and the receipt number, and a resend gets the same receipt', async () => {
    const id = await walkIn(2);
    const clerk = await signIn('desk-clerk-1');
    const form = await request(server).get(`/office/counter/payments/${id}`).set('Cookie', clerk.cookie);
    expect(form.status).toBe(200);
    expect(form.text).toContain('600円');
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.text)![1];
    const revision = /name="revision" value="([^"]+)"/.exec(form.text)![1];
    const post = (fields: Record<string, string>) => request(server).post(`/office/counter/payments/${id}`).set('Cookie', clerk.cookie).type('form').send({ _csrf: clerk.csrf, revision, idempotencyKey: key, ...fields });

    const empty = await post({});
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('href="#method"');
    expect(empty.text).toContain('href="#amountReceived"');
    const confirm = await post({ method: 'cash', amountReceived: '1000' });
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('name="commit" value="1"');
    const short = await post({ method: 'cash', amountReceived: '500', commit: '1', idempotencyKey: randomUUID() });
    expect(short.status).toBe(422);
    expect(short.text).toContain('href="#amountReceived"');

    const receipt = await post({ method: 'cash', amountReceived: '1000', commit: '1' });
    expect(receipt.status).toBe(200);
    const number = /data-testid="receipt-number">([^<]+)</.exec(receipt.text)![1];
    expect(number).toMatch(/^C\d{4}-\d{6}$/);
    expect(receipt.text).toContain('data-testid="change">400円<');
    const resent = await post({ method: 'cash', amountReceived: '1000', commit: '1' });
    expect(/data-testid="receipt-number">([^<]+)</.exec(resent.text)![1]).toBe(number);
    const paid = await t.dataSource.query(`SELECT count(*)::int AS n FROM payments WHERE application_id = $1 AND status = 'succeeded'`, [id]);
    expect(paid[0].n).toBe(1);
  });

  it('refuses a terminal amount other than the fee, another municipality’s clerk and an anonymous visitor', async () => {
    const id = await walkIn(1);
    const clerk = await signIn('desk-clerk-1');
    const mismatch = await request(server)
      .post(`/office/counter/payments/${id}`)
      .set('Cookie', clerk.cookie)
      .type('form')
      .send({ _csrf: clerk.csrf, method: 'cardTerminal', amountReceived: '500', commit: '1', idempotencyKey: randomUUID() });
    expect(mismatch.status).toBe(422);
    const anonymous = await request(server).get(`/office/counter/payments/${id}`);
    expect(anonymous.status).toBe(303);
    const other = await signIn('desk-other-city', M2);
    expect((await request(server).get(`/office/counter/payments/${id}`).set('Cookie', other.cookie)).status).toBe(404);
  });
});
