import { StaffAdminService } from '@madoguchi/identity';
import { randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { applyFor, as, KOMINKAN, kominkanForm, residentOf, TUESDAY } from '../support/bookings-e2e';
import { createTestPki, issueTestCrl } from '../support/jpki/test-pki';
import { CITY, PaymentsDriver, TEST_CARDS } from '../support/payments-driver';

/**
 * The office's administration pages and the facility day list over HTTP
 * (issue 12): each form's refusals with an error summary, the changes they
 * make (checked in the database), confirmations before a change that locks
 * someone out or flags bookings, and who may reach them. The browser flows
 * are in test/browser/office-admin.e2e-spec.ts.
 */

const PASSWORD = 'office-password-0001';
let d: PaymentsDriver;
let adminSecret: string;

/** Signs in through the page (TOTP for administrators: each code once, so the clock moves a period first). */
async function signIn(loginId: string, secret?: string): Promise<{ cookie: string; csrf: string }> {
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

async function clerk(loginId: string, departments: string[]): Promise<void> {
  await d.t.get(StaffAdminService).create(CITY, 'setup', { loginId, password: PASSWORD, displayName: `職員 ${loginId}`, roles: ['clerk'], approvalLevel: null, departments, active: true });
}

beforeAll(async () => {
  d = await PaymentsDriver.start({ office: true, env: { DIGITAL_AUTH_ISSUER: 'off' } });
  ({ totpSecret: adminSecret } = await d.t.get(StaffAdminService).bootstrapAdministrator(CITY, { loginId: 'page-admin', displayName: '管理 一郎', password: PASSWORD }));
  await clerk('kominkan-clerk', ['shogaigakushu']);
  await clerk('sports-clerk', ['sports']);
}, 180_000);
afterAll(() => d?.close());

describe('administration: staff', () => {
  it('refuses an incomplete form with an error summary linking to each field, then creates the account and lists it', async () => {
    const admin = await signIn('page-admin', adminSecret);
    const empty = await request(d.server).post('/office/admin/staff').set('Cookie', admin.cookie).type('form').send({ _csrf: admin.csrf, loginId: 'X' });
    expect(empty.status).toBe(400);
    for (const field of ['loginId', 'displayName', 'password', 'roles']) expect(empty.text).toContain(`href="#${field}"`);

    const weak = await request(d.server).post('/office/admin/staff').set('Cookie', admin.cookie).type('form').send({ _csrf: admin.csrf, loginId: 'new-reviewer', displayName: '審査 花子', password: 'short', roles: 'reviewer' });
    expect(weak.status).toBe(400);
    expect(weak.text).toContain('href="#password"');
    expect(weak.text).toContain('value="new-reviewer"');
    expect(weak.text).not.toContain('value="short"');

    const created = await request(d.server)
      .post('/office/admin/staff')
      .set('Cookie', admin.cookie)
      .type('form')
      .send(`_csrf=${admin.csrf}&loginId=new-reviewer&displayName=${encodeURIComponent('審査 花子')}&password=${PASSWORD}-x&roles=reviewer&roles=approver&approvalLevel=kacho&departments=hoiku`);
    expect({ status: created.status, location: created.headers.location }).toEqual({ status: 303, location: `/office/admin/staff?done=created&name=${encodeURIComponent('審査 花子')}` });
    const [row] = await d.t.dataSource.query(`SELECT roles, approval_level, departments, active FROM staff WHERE municipality_id = $1 AND login_id = 'new-reviewer'`, [CITY]);
    expect(row).toEqual({ roles: ['reviewer', 'approver'], approval_level: 'kacho', departments: ['hoiku'], active: true });
    const list = await request(d.server).get(created.headers.location).set('Cookie', admin.cookie);
    expect(list.status).toBe(200);
    expect(list.text).toContain('審査 花子さんを登録しました');
    expect(list.text).toContain('new-reviewer');

    const duplicate = await request(d.server).post('/office/admin/staff').set('Cookie', admin.cookie).type('form').send({ _csrf: admin.csrf, loginId: 'new-reviewer', displayName: '別人', password: `${PASSWORD}-y`, roles: 'clerk' });
    expect(duplicate.status).toBe(400);
    expect(duplicate.text).toContain('href="#loginId"');
  });

  it('shows a new administrator\'s TOTP key once, in the answer to the form', async () => {
    const admin = await signIn('page-admin', adminSecret);
    const created = await request(d.server).post('/office/admin/staff').set('Cookie', admin.cookie).type('form').send({ _csrf: admin.csrf, loginId: 'second-admin', displayName: '管理 二郎', password: `${PASSWORD}-z`, roles: 'administrator' });
    expect(created.status).toBe(200);
    expect(created.text).toMatch(/data-testid="totp-secret">[A-Z2-7]{32}</);
  });

  it('deactivates after a confirmation page and resets a colleague\'s TOTP (never one\'s own), each changing the account', async () => {
    const admin = await signIn('page-admin', adminSecret);
    const [{ id }] = await d.t.dataSource.query(`SELECT id FROM staff WHERE municipality_id = $1 AND login_id = 'sports-clerk'`, [CITY]);
    const confirm = await request(d.server).get(`/office/admin/staff/${id}/deactivate`).set('Cookie', admin.cookie);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('無効にしますか');
    const [{ active: stillActive }] = await d.t.dataSource.query(`SELECT active FROM staff WHERE id = $1`, [id]);
    expect(stillActive).toBe(true);

    const reset = await request(d.server).post(`/office/admin/staff/${id}/totp-reset`).set('Cookie', admin.cookie).type('form').send({ _csrf: admin.csrf });
    expect(reset.status).toBe(200);
    expect(reset.text).toMatch(/data-testid="totp-secret">[A-Z2-7]{32}</);
    const [{ id: selfId }] = await d.t.dataSource.query(`SELECT id FROM staff WHERE municipality_id = $1 AND login_id = 'page-admin'`, [CITY]);
    expect((await request(d.server).post(`/office/admin/staff/${selfId}/totp-reset`).set('Cookie', admin.cookie).type('form').send({ _csrf: admin.csrf })).status).toBe(403);

    const done = await request(d.server).post(`/office/admin/staff/${id}/deactivate`).set('Cookie', admin.cookie).type('form').send({ _csrf: admin.csrf });
    expect(done.status).toBe(303);
    const [{ active }] = await d.t.dataSource.query(`SELECT active FROM staff WHERE id = $1`, [id]);
    expect(active).toBe(false);
  });

  it('unlocks a locked account; unlocking one that is not locked is refused', async () => {
    const admin = await signIn('page-admin', adminSecret);
    const [{ id }] = await d.t.dataSource.query(`SELECT id FROM staff WHERE municipality_id = $1 AND login_id = 'new-reviewer'`, [CITY]);
    const notLocked = await request(d.server).post(`/office/admin/staff/${id}/unlock`).set('Cookie', admin.cookie).type('form').send({ _csrf: admin.csrf });
    expect(notLocked.status).toBe(409);
    await d.t.dataSource.query(`UPDATE staff SET locked_until = $2 WHERE id = $1`, [id, new Date(d.t.clock.now().getTime() + 3_600_000)]);
    const list = await request(d.server).get('/office/admin/staff').set('Cookie', admin.cookie);
    expect(list.text).toContain(`/office/admin/staff/${id}/unlock`);
    const unlocked = await request(d.server).post(`/office/admin/staff/${id}/unlock`).set('Cookie', admin.cookie).type('form').send({ _csrf: admin.csrf });
    expect(unlocked.status).toBe(303);
    const [{ locked_until }] = await d.t.dataSource.query(`SELECT locked_until FROM staff WHERE id = $1`, [id]);
    expect(locked_until).toBeNull();
  });

  it('is for administrators: anonymous to the sign-in, a clerk refused, a form without its CSRF token refused', async () => {
    const anonymous = await request(d.server).get('/office/admin/staff');
    expect({ status: anonymous.status, location: anonymous.headers.location }).toEqual({ status: 303, location: '/office/sign-in?next=%2Foffice%2Fadmin%2Fstaff' });
    const staff = await signIn('kominkan-clerk');
    for (const path of ['/office/admin', '/office/admin/staff', '/office/admin/audit', '/office/admin/jpki']) expect((await request(d.server).get(path).set('Cookie', staff.cookie)).status).toBe(403);
    const admin = await signIn('page-admin', adminSecret);
    const forged = await request(d.server).post('/office/admin/staff').set('Cookie', admin.cookie).type('form').send({ loginId: 'forged-user', displayName: 'x', password: `${PASSWORD}-f`, roles: 'clerk' });
    expect(forged.status).toBe(403);
    expect(await d.t.dataSource.query(`SELECT 1 FROM staff WHERE login_id = 'forged-user'`)).toEqual([]);
  });
});

describe('administration: audit log', () => {
  it('lists entries newest first, filters by action and actor, refuses a bad date by its field, and verifies the chain', async () => {
    const admin = await signIn('page-admin', adminSecret);
    const all = await request(d.server).get('/office/admin/audit').set('Cookie', admin.cookie);
    expect(all.status).toBe(200);
    expect(all.text).toContain('<code>auth.account.unlocked</code>');
    const [{ id: adminId }] = await d.t.dataSource.query(`SELECT id FROM staff WHERE municipality_id = $1 AND login_id = 'page-admin'`, [CITY]);
    const [{ count }] = await d.t.dataSource.query(`SELECT count(*)::int AS count FROM audit_log WHERE municipality_id = $1 AND actor_id = $2 AND action = 'auth.account.unlocked'`, [CITY, adminId]);
    expect(count).toBeGreaterThan(0);
    const filtered = await request(d.server).get(`/office/admin/audit?action=auth.account.unlocked&actorId=${adminId}`).set('Cookie', admin.cookie);
    expect(filtered.status).toBe(200);
    expect(filtered.text.match(/<code>auth\.account\.unlocked<\/code>/g)?.length).toBe(count);
    expect(filtered.text).not.toContain('<code>auth.login.succeeded</code>');
    const future = await request(d.server).get('/office/admin/audit?from=2099-01-01').set('Cookie', admin.cookie);
    expect(future.text).toContain('該当する記録はありません');
    const bad = await request(d.server).get('/office/admin/audit?from=2026-02-30').set('Cookie', admin.cookie);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('href="#from"');
    const verified = await request(d.server).get('/office/admin/audit/verify').set('Cookie', admin.cookie);
    expect(verified.status).toBe(200);
    expect(verified.text).toMatch(/改ざんは見つかりませんでした（\d+件を確認）/);
  });
});

describe('administration: JPKI trust', () => {
  it('lists the trusted anchors; refuses a file that is no CRL by its field; stores a CRL once', async () => {
    const admin = await signIn('page-admin', adminSecret);
    const page = await request(d.server).get('/office/admin/jpki').set('Cookie', admin.cookie);
    expect(page.status).toBe(200);
    const missing = await request(d.server).post('/office/admin/jpki/crls').set('Cookie', admin.cookie).field('_csrf', admin.csrf);
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('href="#crl"');
    const garbage = await request(d.server).post('/office/admin/jpki/crls').set('Cookie', admin.cookie).field('_csrf', admin.csrf).attach('crl', Buffer.from('not a crl'), 'x.crl');
    expect(garbage.status).toBe(400);
    expect(garbage.text).toContain('href="#crl"');
    const withoutCsrf = await request(d.server).post('/office/admin/jpki/crls').set('Cookie', admin.cookie).attach('crl', Buffer.from('not a crl'), 'x.crl');
    expect(withoutCsrf.status).toBe(403);

    const pki = await createTestPki({ now: d.t.clock.now() });
    const crl = await issueTestCrl(pki.root, { now: d.t.clock.now() });
    const uploaded = await request(d.server).post('/office/admin/jpki/crls').set('Cookie', admin.cookie).field('_csrf', admin.csrf).attach('crl', Buffer.from(crl.der), 'root.crl');
    expect(uploaded.status).toBe(303);
    expect(uploaded.headers.location).toMatch(/^\/office\/admin\/jpki\?done=added&issuer=/);
    const rows = await d.t.dataSource.query(`SELECT issuer FROM jpki_crls WHERE municipality_id = $1 AND issuer = $2`, [CITY, crl.issuer]);
    expect(rows).toHaveLength(1);
    const again = await request(d.server).post('/office/admin/jpki/crls').set('Cookie', admin.cookie).field('_csrf', admin.csrf).attach('crl', Buffer.from(crl.der), 'root.crl');
    expect(again.headers.location).toMatch(/done=already/);
    const listed = await request(d.server).get(uploaded.headers.location).set('Cookie', admin.cookie);
    expect(listed.text).toContain('の失効リストを登録しました');
  });
});

describe('facility day list', () => {
  async function confirmedBooking(form: Record<string, unknown>): Promise<string> {
    const resident = await residentOf(d.t);
    const { id, submitted } = await applyFor(as(d.server, resident), 'kominkan-yoyaku', form);
    if (submitted.status !== 200) throw new Error(`submit failed: ${submitted.status} ${JSON.stringify(submitted.body)}`);
    await d.runOutbox();
    const started = await d.started(resident, id, 'card');
    await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
    await d.settle();
    const [booking] = await d.t.dataSource.query(`SELECT id, status FROM bookings WHERE application_id = $1`, [id]);
    expect(booking.status).toBe('confirmed');
    return booking.id as string;
  }

  it('shows the day per room, previews a block with the bookings it would flag, blocks on confirmation, and records use', async () => {
    const bookingId = await confirmedBooking(kominkanForm({ room: 'kaigi-1', date: TUESDAY, slots: ['13:00'] }));
    const [{ booking_number: number }] = await d.t.dataSource.query(`SELECT booking_number FROM bookings WHERE id = $1`, [bookingId]);
    const staff = await signIn('kominkan-clerk');
    const day = await request(d.server).get(`/office/facilities/${KOMINKAN}/day?date=${TUESDAY}`).set('Cookie', staff.cookie);
    expect(day.status).toBe(200);
    expect(day.text).toContain(number);

    const invalid = await request(d.server).post(`/office/facilities/${KOMINKAN}/blocks`).set('Cookie', staff.cookie).type('form').send({ _csrf: staff.csrf, date: TUESDAY, start: '9', end: '' });
    expect(invalid.status).toBe(400);
    for (const field of ['rooms', 'start', 'end', 'reason']) expect(invalid.text).toContain(`href="#${field}"`);

    const block = { _csrf: staff.csrf, date: TUESDAY, rooms: 'kaigi-1', start: '12:00', end: '17:00', reason: 'municipalUse', note: '市民文化祭の準備' };
    const preview = await request(d.server).post(`/office/facilities/${KOMINKAN}/blocks`).set('Cookie', staff.cookie).type('form').send(block);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('次の予約が「要対応」になります');
    expect(preview.text).toContain(number);
    // A preview changes nothing.
    expect(await d.t.dataSource.query(`SELECT needs_attention FROM bookings WHERE id = $1`, [bookingId])).toEqual([{ needs_attention: false }]);
    expect(await d.t.dataSource.query(`SELECT 1 FROM facility_blocks WHERE facility_code = $1 AND use_date = $2`, [KOMINKAN, TUESDAY])).toEqual([]);

    const made = await request(d.server).post(`/office/facilities/${KOMINKAN}/blocks`).set('Cookie', staff.cookie).type('form').send({ ...block, commit: '1' });
    expect({ status: made.status, location: made.headers.location }).toEqual({ status: 303, location: `/office/facilities/${KOMINKAN}/day?date=${TUESDAY}&done=blocked&flagged=1` });
    expect(await d.t.dataSource.query(`SELECT needs_attention FROM bookings WHERE id = $1`, [bookingId])).toEqual([{ needs_attention: true }]);
    const overlap = await request(d.server).post(`/office/facilities/${KOMINKAN}/blocks`).set('Cookie', staff.cookie).type('form').send({ ...block, commit: '1' });
    expect(overlap.status).toBe(409);
    expect(overlap.text).toContain('href="#block-form"');

    // On the day, once the booking has begun: used.
    const early = await request(d.server).post(`/office/facilities/${KOMINKAN}/bookings/${bookingId}/use`).set('Cookie', staff.cookie).type('form').send({ _csrf: staff.csrf, date: TUESDAY, outcome: 'used' });
    expect(early.status).toBe(409);
    d.t.clock.set(new Date(`${TUESDAY}T13:30:00+09:00`));
    const later = await signIn('kominkan-clerk');
    const used = await request(d.server).post(`/office/facilities/${KOMINKAN}/bookings/${bookingId}/use`).set('Cookie', later.cookie).type('form').send({ _csrf: later.csrf, date: TUESDAY, outcome: 'used' });
    expect({ status: used.status, location: used.headers.location }).toEqual({ status: 303, location: `/office/facilities/${KOMINKAN}/day?date=${TUESDAY}&done=marked` });
    expect(await d.t.dataSource.query(`SELECT use_outcome FROM bookings WHERE id = $1`, [bookingId])).toEqual([{ use_outcome: 'used' }]);
  });

  it('is for staff of the facility\'s department: another department gets not found; a bad date is refused by its field', async () => {
    await clerk('sports-clerk-2', ['sports']);
    const other = await signIn('sports-clerk-2');
    expect((await request(d.server).get(`/office/facilities/${KOMINKAN}/day?date=${TUESDAY}`).set('Cookie', other.cookie)).status).toBe(404);
    expect((await request(d.server).post(`/office/facilities/${KOMINKAN}/bookings/${randomUUID()}/use`).set('Cookie', other.cookie).type('form').send({ _csrf: other.csrf, date: TUESDAY, outcome: 'used' })).status).toBe(404);
    const staff = await signIn('kominkan-clerk');
    const bad = await request(d.server).get(`/office/facilities/${KOMINKAN}/day?date=2026-13-01`).set('Cookie', staff.cookie);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('href="#date"');
    expect((await request(d.server).get(`/office/facilities/${KOMINKAN}/day?date=${TUESDAY}`)).status).toBe(303);
  });
});
