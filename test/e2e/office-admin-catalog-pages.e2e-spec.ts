import { FacilitiesService, LotteryService } from '@madoguchi/bookings';
import { CounterAdminService } from '@madoguchi/counter';
import { SessionService, StaffAdminService, type StaffPrincipal } from '@madoguchi/identity';
import { randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { as, CITY, KOMINKAN, residentOf, TOWN } from '../support/bookings-e2e';
import { PaymentsDriver } from '../support/payments-driver';

/**
 * The office's catalog administration over HTTP (issue 12): departments,
 * counters and services, facilities and rooms — each form's refusals by
 * field, duplicates as 409 by the field, the change in the database, who
 * may reach them (not a clerk; another municipality's records are not
 * found); the lottery draw on the facility day list with its published
 * seed; the lobby display's reload without JavaScript. Browser flows:
 * test/browser/office-admin-catalog.e2e-spec.ts.
 */

const PASSWORD = 'office-password-0001';
const HOUR = 3600_000;
let d: PaymentsDriver;
let adminSecret: string;

type Session = { cookie: string; csrf: string };

/** Signs in through the page (TOTP for administrators: each code once, so the clock moves a period first). */
async function signIn(loginId: string, secret?: string): Promise<Session> {
  await d.t.dataSource.query('DELETE FROM rate_limits');
  let totpCode: string | undefined;
  if (secret) {
    d.t.clock.advance(31_000);
    totpCode = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: d.t.clock.now().getTime() });
  }
  const response = await request(d.server).post('/office/sign-in').type('form').send({ loginId, password: PASSWORD, ...(totpCode ? { totpCode } : {}), next: '/office/totp' });
  expect({ status: response.status, location: response.headers.location }).toEqual({ status: 303, location: '/office/totp' });
  const cookie = (response.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('madoguchi_session='))!.split(';')[0];
  const page = await request(d.server).get('/office/totp').set('Cookie', cookie);
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '' };
}

const admin = () => signIn('catalog-admin', adminSecret);
const post = (session: Session, path: string, form: Record<string, unknown> | string) =>
  request(d.server)
    .post(path)
    .set('Cookie', session.cookie)
    .type('form')
    .send(typeof form === 'string' ? `_csrf=${encodeURIComponent(session.csrf)}&${form}` : { _csrf: session.csrf, ...form });
const get = (session: Session | null, path: string) => (session ? request(d.server).get(path).set('Cookie', session.cookie) : request(d.server).get(path));
const cityAdmin = { kind: 'staff', id: randomUUID(), municipalityId: CITY, roles: ['administrator'], approvalLevel: null, departments: [] } as unknown as StaffPrincipal;
const serviceRow = async (code: string) => (await d.t.get(CounterAdminService).listServices(cityAdmin)).find((service) => service.code === code);
const counterRow = async (name: string) => (await d.t.get(CounterAdminService).listCounters(cityAdmin)).find((counter) => counter.name.ja === name);
const links = (text: string) => [...text.matchAll(/class="mg-error-summary[\s\S]*?<\/div>/g)].join('').match(/href="#[^"]+"/g) ?? [];

async function staff(loginId: string, departments: string[]): Promise<string> {
  const { account } = await d.t.get(StaffAdminService).create(CITY, 'setup', { loginId, password: PASSWORD, displayName: `職員 ${loginId}`, roles: ['clerk'], approvalLevel: null, departments, active: true });
  return account.id;
}

/** An administrator of the other municipality, signed in by a session as the page-authorization test does. */
async function townAdmin(): Promise<Session> {
  const created = await d.t.get(StaffAdminService).bootstrapAdministrator(TOWN, { loginId: 'town-admin', displayName: '隣町 管理', password: PASSWORD });
  const { accessToken } = await d.t.get(SessionService).issue(TOWN, { kind: 'staff', id: created.id }, 'cookie', 'password');
  return { cookie: `madoguchi_session=${accessToken}`, csrf: '' };
}

beforeAll(async () => {
  d = await PaymentsDriver.start({ office: true, env: { DIGITAL_AUTH_ISSUER: 'off' } });
  ({ totpSecret: adminSecret } = await d.t.get(StaffAdminService).bootstrapAdministrator(CITY, { loginId: 'catalog-admin', displayName: '管理 二郎', password: PASSWORD }));
  await staff('catalog-clerk', ['shogaigakushu']);
  await staff('catalog-sports', ['sports']);
}, 180_000);
afterAll(() => d?.close());

describe('administration: departments', () => {
  it('refuses a bad form by its fields, adds a department, says a taken code by its field (409), renames it', async () => {
    const session = await admin();
    const bad = await post(session, '/office/admin/departments', { code: 'X', nameJa: '', nameEn: '' });
    expect(bad.status).toBe(400);
    for (const field of ['code', 'nameJa', 'nameEn']) expect(bad.text).toContain(`href="#${field}"`);
    expect(bad.text).toContain('value="X"');

    const created = await post(session, '/office/admin/departments', { code: 'hozen', nameJa: '環境課', nameEn: 'Environment Division' });
    expect({ status: created.status, location: created.headers.location }).toEqual({ status: 303, location: '/office/admin/departments?done=created&code=hozen' });
    expect(await d.t.dataSource.query(`SELECT name_ja, name_en, active FROM departments WHERE municipality_id = $1 AND code = 'hozen'`, [CITY])).toEqual([{ name_ja: '環境課', name_en: 'Environment Division', active: true }]);
    const listed = await get(session, created.headers.location);
    expect(listed.text).toContain('所属 hozen を追加しました。');
    expect(listed.text).toContain('環境課');

    const duplicate = await post(session, '/office/admin/departments', { code: 'hozen', nameJa: '別の課', nameEn: 'Another' });
    expect(duplicate.status).toBe(409);
    expect(links(duplicate.text)).toEqual(['href="#code"']);

    const form = await get(session, '/office/admin/departments/hozen/edit');
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="環境課"');
    const empty = await post(session, '/office/admin/departments/hozen', { nameJa: '', nameEn: 'Environment', active: '1' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('href="#nameJa"');
    const renamed = await post(session, '/office/admin/departments/hozen', { nameJa: '環境保全課', nameEn: 'Environmental Protection Division', active: '1' });
    expect(renamed.status).toBe(303);
    expect(await d.t.dataSource.query(`SELECT name_ja, active FROM departments WHERE municipality_id = $1 AND code = 'hozen'`, [CITY])).toEqual([{ name_ja: '環境保全課', active: true }]);
    // Unticking "in use" deactivates it; it stays listed.
    await post(session, '/office/admin/departments/hozen', { nameJa: '環境保全課', nameEn: 'Environmental Protection Division' });
    expect(await d.t.dataSource.query(`SELECT active FROM departments WHERE municipality_id = $1 AND code = 'hozen'`, [CITY])).toEqual([{ active: false }]);

    expect((await get(session, '/office/admin/departments/nothing-here/edit')).status).toBe(404);
    expect((await get(session, '/office/admin/departments/BAD_CODE/edit')).status).toBe(400);
    expect((await post(session, '/office/admin/departments/nothing-here', { nameJa: 'a', nameEn: 'b' })).status).toBe(404);
  });

  it('is for administrators: a clerk is refused, anonymous goes to sign in, another municipality does not find this one\'s department', async () => {
    const clerk = await signIn('catalog-clerk');
    expect((await get(clerk, '/office/admin/departments')).status).toBe(403);
    expect((await post(clerk, '/office/admin/departments', { code: 'sneaky', nameJa: 'a', nameEn: 'b' })).status).toBe(403);
    expect(await d.t.dataSource.query(`SELECT 1 FROM departments WHERE code = 'sneaky'`)).toEqual([]);
    expect((await get(null, '/office/admin/departments')).status).toBe(303);
    const town = await signInTown();
    expect((await get(town, '/office/admin/departments')).text).not.toContain('hozen');
    expect((await get(town, '/office/admin/departments/hozen/edit')).status).toBe(404);
  });
});

describe('administration: counters and services', () => {
  it('adds a service and a counter serving it, refuses bad and duplicate values by field, edits and takes them out of use', async () => {
    const session = await admin();
    const bad = await post(session, '/office/admin/counter-services', { code: '1', nameJa: '', nameEn: 'x', ticketPrefix: '7', slotCapacity: '500' });
    expect(bad.status).toBe(400);
    for (const field of ['code', 'nameJa', 'ticketPrefix', 'slotCapacity']) expect(bad.text).toContain(`href="#${field}"`);

    const created = await post(session, '/office/admin/counter-services', { code: 'tax-certificates', nameJa: '税証明', nameEn: 'Tax certificates', ticketPrefix: 't', slotCapacity: '2' });
    expect(created.status).toBe(303);
    expect(created.headers.location).toBe(`/office/admin/counters?done=serviceCreated&name=${encodeURIComponent('税証明')}`);
    expect(await serviceRow('tax-certificates')).toMatchObject({ ticketPrefix: 'T', slotCapacity: 2, active: true });
    const sameCode = await post(session, '/office/admin/counter-services', { code: 'tax-certificates', nameJa: '別', nameEn: 'Other', ticketPrefix: 'U', slotCapacity: '0' });
    expect(sameCode.status).toBe(409);
    expect(links(sameCode.text)).toEqual(['href="#code"']);
    const samePrefix = await post(session, '/office/admin/counter-services', { code: 'nenkin', nameJa: '年金', nameEn: 'Pensions', ticketPrefix: 'T', slotCapacity: '0' });
    expect(samePrefix.status).toBe(409);
    expect(links(samePrefix.text)).toEqual(['href="#ticketPrefix"']);

    const noService = await post(session, '/office/admin/counters', { nameJa: '税務課 窓口', nameEn: 'Tax counter', open: '1' });
    expect(noService.status).toBe(400);
    expect(links(noService.text)).toEqual(['href="#serviceCodes"']);
    const unknownService = await post(session, '/office/admin/counters', { nameJa: '税務課 窓口', nameEn: 'Tax counter', serviceCodes: 'no-such-service' });
    expect(unknownService.status).toBe(400);
    const counter = await post(session, '/office/admin/counters', 'nameJa=%E7%A8%8E%E5%8B%99%E8%AA%B2%20%E7%AA%93%E5%8F%A3&nameEn=Tax%20counter&serviceCodes=tax-certificates&open=1');
    expect(counter.status).toBe(303);
    const row = (await counterRow('税務課 窓口'))!;
    expect(row).toMatchObject({ serviceCodes: ['tax-certificates'], open: true, active: true });
    const list = await get(session, '/office/admin/counters');
    expect(list.text).toContain('税務課 窓口');
    expect(list.text).toContain('税証明');

    expect((await get(session, `/office/admin/counters/${row.id}/edit`)).text).toContain('value="Tax counter"');
    const closed = await post(session, `/office/admin/counters/${row.id}`, { nameJa: '税務課 窓口', nameEn: 'Tax counter', serviceCodes: 'tax-certificates', active: '1' });
    expect(closed.status).toBe(303);
    expect(await counterRow('税務課 窓口')).toMatchObject({ open: false, active: true });
    expect((await post(session, `/office/admin/counters/${row.id}/retire`, {})).status).toBe(303);
    expect(await counterRow('税務課 窓口')).toMatchObject({ open: false, active: false });

    const renamed = await post(session, '/office/admin/counter-services/tax-certificates', { nameJa: '税の証明', nameEn: 'Tax certificates', ticketPrefix: 'T', slotCapacity: '0', active: '1' });
    expect(renamed.status).toBe(303);
    expect((await post(session, '/office/admin/counter-services/tax-certificates/retire', {})).status).toBe(303);
    expect(await serviceRow('tax-certificates')).toMatchObject({ name: { ja: '税の証明' }, slotCapacity: 0, active: false });
    expect((await get(session, '/office/admin/counter-services/no-such-service/edit')).status).toBe(404);
    expect((await get(session, `/office/admin/counters/${randomUUID()}/edit`)).status).toBe(404);
    expect((await get(session, '/office/admin/counters/not-a-uuid/edit')).status).toBe(400);

    const town = await signInTown();
    expect((await get(town, `/office/admin/counters/${row.id}/edit`)).status).toBe(404);
    expect((await get(town, '/office/admin/counter-services/tax-certificates/edit')).status).toBe(404);
    const clerk = await signIn('catalog-clerk');
    expect((await get(clerk, '/office/admin/counters')).status).toBe(403);
  });
});

describe('administration: facilities and rooms', () => {
  it('adds a facility with its first room, refusing bad and duplicate values by field; edits it without losing its other rules; adds and edits rooms', async () => {
    const session = await admin();
    const empty = await post(session, '/office/admin/facilities', { code: 'Bad Code', slotMinutes: '5', open: '9', close: '' });
    expect(empty.status).toBe(400);
    for (const field of ['code', 'nameJa', 'nameEn', 'kind', 'department', 'procedureCode', 'slotMinutes', 'open', 'close', 'roomCode', 'roomNameJa', 'roomNameEn', 'capacity', 'rateResident', 'rateNonResident']) {
      expect(empty.text).toContain(`href="#${field}"`);
    }
    const form = {
      code: 'kita-kominkan',
      nameJa: '北公民館',
      nameEn: 'North Community Centre',
      kind: 'meetingRoom',
      department: 'shogaigakushu',
      procedureCode: 'kominkan-yoyaku',
      slotMinutes: '120',
      open: '09:00',
      close: '21:00',
      address: '試験市北1-1',
      phone: '099-000-1111',
      roomCode: 'tamokuteki',
      roomNameJa: '多目的室',
      roomNameEn: 'Multipurpose room',
      capacity: '40',
      rateResident: '600',
      rateNonResident: '1200',
    };
    const unknownProcedure = await post(session, '/office/admin/facilities', { ...form, procedureCode: 'juminhyo' });
    expect(unknownProcedure.status).toBe(422);
    expect(links(unknownProcedure.text)).toEqual(['href="#procedureCode"']);
    const created = await post(session, '/office/admin/facilities', form);
    expect({ status: created.status, location: created.headers.location }).toEqual({ status: 303, location: '/office/admin/facilities?done=created&code=kita-kominkan' });
    const stored = (await d.t.get(FacilitiesService).adminList(cityAdmin)).find((facility) => facility.code === 'kita-kominkan')!;
    expect(stored).toMatchObject({ department: 'shogaigakushu', slotMinutes: 120, details: { address: '試験市北1-1', phone: '099-000-1111' }, rooms: [{ code: 'tamokuteki', capacity: 40, rates: { resident: 600, nonResident: 1200 }, active: true }] });
    expect(stored.openingHours.wed).toEqual({ open: '09:00', close: '21:00' });
    const duplicate = await post(session, '/office/admin/facilities', form);
    expect(duplicate.status).toBe(409);
    expect(links(duplicate.text)).toEqual(['href="#code"']);

    // Editing the sample 中央公民館 keeps what the page does not show: closed days, cancellation tiers, reductions, rooms.
    const before = (await d.t.get(FacilitiesService).adminList(cityAdmin)).find((facility) => facility.code === KOMINKAN)!;
    const editPage = await get(session, `/office/admin/facilities/${KOMINKAN}/edit`);
    expect(editPage.status).toBe(200);
    expect(editPage.text).toContain(`value="${before.name.ja}"`);
    const edited = await post(session, `/office/admin/facilities/${KOMINKAN}`, {
      nameJa: '中央公民館（改）',
      nameEn: before.name.en,
      kind: before.kind,
      department: before.department,
      procedureCode: before.procedureCode,
      slotMinutes: String(before.slotMinutes),
      address: '',
      phone: '099-222-3333',
      active: '1',
    });
    expect(edited.status).toBe(303);
    const after = (await d.t.get(FacilitiesService).adminList(cityAdmin)).find((facility) => facility.code === KOMINKAN)!;
    expect(after.name.ja).toBe('中央公民館（改）');
    expect(after.details.phone).toBe('099-222-3333');
    expect({ ...after, name: before.name, details: before.details, revision: 0, updatedAt: '', source: '' }).toEqual({ ...before, revision: 0, updatedAt: '', source: '' });
    const badEdit = await post(session, `/office/admin/facilities/${KOMINKAN}`, { nameJa: '', nameEn: 'x', kind: 'castle', department: '', procedureCode: '', slotMinutes: 'abc', phone: 'call me' });
    expect(badEdit.status).toBe(400);
    for (const field of ['nameJa', 'kind', 'department', 'procedureCode', 'slotMinutes', 'phone']) expect(badEdit.text).toContain(`href="#${field}"`);

    const room = { roomCode: 'washitsu-2', roomNameJa: '和室2', roomNameEn: 'Japanese room 2', capacity: '12', rateResident: '300', rateNonResident: '600' };
    expect((await get(session, '/office/admin/facilities/kita-kominkan/rooms/new')).status).toBe(200);
    const badRoom = await post(session, '/office/admin/facilities/kita-kominkan/rooms', { ...room, capacity: '0', rateResident: '-1' });
    expect(badRoom.status).toBe(400);
    expect(links(badRoom.text)).toEqual(['href="#capacity"', 'href="#rateResident"']);
    const added = await post(session, '/office/admin/facilities/kita-kominkan/rooms', room);
    expect({ status: added.status, location: added.headers.location }).toEqual({ status: 303, location: '/office/admin/facilities/kita-kominkan/edit?done=roomCreated&room=washitsu-2' });
    const sameRoom = await post(session, '/office/admin/facilities/kita-kominkan/rooms', room);
    expect(sameRoom.status).toBe(409);
    expect(links(sameRoom.text)).toEqual(['href="#roomCode"']);
    const roomEdit = await post(session, '/office/admin/facilities/kita-kominkan/rooms/washitsu-2', { ...room, rateResident: '350' });
    expect(roomEdit.status).toBe(303);
    const rooms = (await d.t.get(FacilitiesService).adminList(cityAdmin)).find((facility) => facility.code === 'kita-kominkan')!.rooms;
    expect(rooms.map((item) => [item.code, item.rates.resident, item.active])).toEqual([
      ['tamokuteki', 600, true],
      ['washitsu-2', 350, false],
    ]);
    const shown = await get(session, added.headers.location);
    expect(shown.text).toContain('部屋 washitsu-2 を追加しました。');
    expect(shown.text).toContain('和室2');

    expect((await get(session, '/office/admin/facilities/kita-kominkan/rooms/no-room/edit')).status).toBe(404);
    expect((await get(session, '/office/admin/facilities/no-facility/edit')).status).toBe(404);
    const town = await signInTown();
    expect((await get(town, '/office/admin/facilities/kita-kominkan/edit')).status).toBe(404);
    const clerk = await signIn('catalog-clerk');
    expect((await get(clerk, '/office/admin/facilities')).status).toBe(403);
    expect((await post(clerk, '/office/admin/facilities/kita-kominkan/rooms', room)).status).toBe(403);
  });
});

/** The other municipality's administrator (made once). */
async function signInTown(): Promise<Session> {
  const [existing] = await d.t.dataSource.query(`SELECT id FROM staff WHERE municipality_id = $1 AND login_id = 'town-admin'`, [TOWN]);
  if (!existing) return townAdmin();
  const { accessToken } = await d.t.get(SessionService).issue(TOWN, { kind: 'staff', id: existing.id }, 'cookie', 'password');
  return { cookie: `madoguchi_session=${accessToken}`, csrf: '' };
}

describe('facility day list: the lottery', () => {
  it('shows the published seed from the start, refuses a draw before the deadline (409), draws after it and shows the result to re-check', async () => {
    const desk = { kind: 'staff', id: randomUUID(), municipalityId: CITY, roles: ['clerk'], approvalLevel: null, departments: ['shogaigakushu'] } as unknown as StaffPrincipal;
    const lotteries = d.t.get(LotteryService);
    const closesAt = new Date(d.t.clock.now().getTime() + HOUR);
    const lottery = await lotteries.create(desk, KOMINKAN, { rooms: ['kaigi-2'], periodFrom: '2026-12-08', periodTo: '2026-12-12', entryClosesAt: closesAt.toISOString() });
    for (const organizerName of ['読書会', '囲碁クラブ']) {
      const resident = await residentOf(d.t);
      const entry = await as(d.server, resident).post(`/api/v1/lotteries/${lottery.id}/entries`, { room: 'kaigi-2', date: '2026-12-09', slots: ['09:00'], organizerName, purpose: '定例会', attendees: 8 });
      expect(entry.status).toBe(201);
    }
    const dayPath = `/office/facilities/${KOMINKAN}/day?date=2026-12-09`;
    let clerk = await signIn('catalog-clerk');
    const open = await get(clerk, dayPath);
    expect(open.status).toBe(200);
    expect(open.text).toContain(lottery.seed);
    expect(open.text).toContain('締切のあとに抽選できます。');
    expect(open.text).not.toContain(`/lotteries/${lottery.id}/draw`);
    // Another period's day does not list it.
    expect((await get(clerk, `/office/facilities/${KOMINKAN}/day?date=2026-12-15`)).text).not.toContain(lottery.seed);

    const early = await post(clerk, `/office/facilities/${KOMINKAN}/lotteries/${lottery.id}/draw`, { date: '2026-12-09' });
    expect(early.status).toBe(409);
    expect(early.text).toContain(`href="#lottery-${lottery.id}"`);
    expect(await d.t.dataSource.query(`SELECT status FROM lotteries WHERE id = $1`, [lottery.id])).toEqual([{ status: 'open' }]);

    d.t.clock.advance(HOUR + 1000);
    clerk = await signIn('catalog-clerk');
    const closed = await get(clerk, dayPath);
    expect(closed.text).toContain(`/office/facilities/${KOMINKAN}/lotteries/${lottery.id}/draw`);
    // Not the facility's lottery on this address, and another department's desk: not found.
    expect((await post(clerk, `/office/facilities/shimin-taiikukan/lotteries/${lottery.id}/draw`, { date: '2026-12-09' })).status).toBe(404);
    const sports = await signIn('catalog-sports');
    expect((await post(sports, `/office/facilities/${KOMINKAN}/lotteries/${lottery.id}/draw`, { date: '2026-12-09' })).status).toBe(404);
    expect((await post(clerk, `/office/facilities/${KOMINKAN}/lotteries/${lottery.id}/draw`, { date: 'someday' })).status).toBe(400);

    const drawn = await post(clerk, `/office/facilities/${KOMINKAN}/lotteries/${lottery.id}/draw`, { date: '2026-12-09' });
    expect({ status: drawn.status, location: drawn.headers.location }).toEqual({ status: 303, location: `/office/facilities/${KOMINKAN}/day?date=2026-12-09&done=drawn` });
    const result = await lotteries.drawResult(CITY, lottery.id);
    const page = await get(clerk, drawn.headers.location);
    expect(page.text).toContain('抽選しました。結果とシードを公開しています。');
    expect(page.text).toContain(result.seed);
    expect(page.text).toContain(result.resultHash);
    for (const entry of result.order) expect(page.text).toContain(entry.key);
    expect(page.text).toContain('当選');
    // A second draw is the same published result.
    expect((await post(clerk, `/office/facilities/${KOMINKAN}/lotteries/${lottery.id}/draw`, { date: '2026-12-09' })).status).toBe(303);
    expect((await lotteries.drawResult(CITY, lottery.id)).resultHash).toBe(result.resultHash);
  });
});

describe('lobby display', () => {
  it('reloads itself without JavaScript (noscript meta refresh, no Refresh header that would also reload a scripted page) and names its update interval for the script', async () => {
    const lobby = await request(d.server).get('/lobby');
    expect(lobby.status).toBe(200);
    expect(lobby.headers.refresh).toBeUndefined();
    expect(lobby.text).toMatch(/<noscript><meta http-equiv="refresh" content="15"\/?><\/noscript>/);
    expect(lobby.text).toMatch(/data-mg-lobby-live="?[^ ]*"? data-mg-lobby-poll="5"/);
    const script = /<script src="([^"]+)"/.exec(lobby.text)![1];
    expect((await request(d.server).get(script)).text).toContain('[data-mg-lobby-board]');
  });
});
