import { StaffAdminService } from '@madoguchi/identity';
import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { applyFor, as, KOMINKAN, kominkanForm, residentOf, TUESDAY } from '../support/bookings-e2e';
import { createTestPki, issueTestCrl } from '../support/jpki/test-pki';
import { CITY, PaymentsDriver, TEST_CARDS } from '../support/payments-driver';
import { launchBrowser } from './support/browser';
import { OfficePages, submit } from './support/office-pages';

/**
 * Office administration and the facility day list in a real browser
 * (issue 12): an administrator creates a staff member with roles and sees
 * them listed, verifies the audit chain and uploads a CRL; a clerk marks a
 * booking used and blocks slots after seeing what the block flags. With
 * JavaScript and without, in Japanese and English, axe on every state,
 * 320 px without horizontal scroll.
 */

const PASSWORD = 'office-admin-browser-pw-01';
let d: PaymentsDriver;
let origin: string;
let browser: Browser;
let adminSecret: string;
let pages: OfficePages;

function totp(): string {
  // Each code signs in once: the test clock moves a step on for every new code.
  d.t.clock.advance(31_000);
  return new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(adminSecret) }).generate({ timestamp: d.t.clock.now().getTime() });
}

beforeAll(async () => {
  browser = await launchBrowser();
  d = await PaymentsDriver.start({ office: true, env: { DIGITAL_AUTH_ISSUER: 'off' } });
  origin = `http://127.0.0.1:${d.port}`;
  pages = new OfficePages(browser, d.t, origin, PASSWORD);
  ({ totpSecret: adminSecret } = await d.t.get(StaffAdminService).bootstrapAdministrator(CITY, { loginId: 'browser-admin', displayName: '管理 一郎', password: PASSWORD }));
  await d.t.get(StaffAdminService).create(CITY, 'setup', { loginId: 'kominkan-clerk', password: PASSWORD, displayName: '公民館 担当', roles: ['clerk'], approvalLevel: null, departments: ['shogaigakushu'], active: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await d?.close();
});

const contextFor = (options: Parameters<OfficePages['contextFor']>[0] = {}): Promise<BrowserContext> => pages.contextFor(options);
const signIn = (page: Page, loginId: string, start: string, code?: string): Promise<void> => pages.signIn(page, loginId, start, code);
const axe = (page: Page, label: string): Promise<void> => pages.axe(page, label);

/** The administrator's flow: add a staff member (errors first), verify the audit chain, upload a CRL. */
async function adminFlow(page: Page, loginId: string, text: { create: string; add: string; verify: string; intact: RegExp; uploaded: string }): Promise<void> {
  await axe(page, 'staff list');
  await submit(page, `main a:has-text("${text.create}")`);
  await submit(page, `main button:has-text("${text.add}")`);
  expect(await page.locator('.mg-error-summary a').count()).toBeGreaterThanOrEqual(4);
  await axe(page, 'staff form with errors');
  await page.fill('#loginId', loginId);
  await page.fill('#displayName', `新任 ${loginId}`);
  await page.fill('#password', `${PASSWORD}-${loginId}`);
  await page.check('input[name=roles][value=reviewer]');
  await page.check('input[name=roles][value=approver]');
  await page.check('input[name=approvalLevel][value=kacho]');
  await page.check('input[name=departments][value=hoiku]');
  await submit(page, `main button:has-text("${text.add}")`);
  expect(new URL(page.url()).pathname).toBe('/office/admin/staff');
  expect(await page.textContent('main table')).toContain(loginId);
  await axe(page, 'staff list after create');
  const [row] = await d.t.dataSource.query('SELECT roles, approval_level, departments FROM staff WHERE login_id = $1', [loginId]);
  expect(row).toEqual({ roles: ['reviewer', 'approver'], approval_level: 'kacho', departments: ['hoiku'] });

  await page.goto(`${origin}/office/admin/audit`);
  await submit(page, `main button:has-text("${text.verify}")`);
  expect(await page.textContent('#verification')).toMatch(text.intact);
  await axe(page, 'audit verified');

  await page.goto(`${origin}/office/admin/jpki`);
  const pki = await createTestPki({ now: d.t.clock.now(), intermediate: true });
  const crl = await issueTestCrl(pki.intermediate!, { now: d.t.clock.now() });
  await page.setInputFiles('#crl', { name: 'issuing.crl', mimeType: 'application/pkix-crl', buffer: Buffer.from(crl.der) });
  await submit(page, 'main form[enctype] button[type=submit]');
  expect(await page.textContent('main')).toContain(text.uploaded);
  expect(await page.textContent('main table:last-of-type')).toContain(crl.issuer.split(',')[0].replace(/^.*?=/, ''));
  await axe(page, 'jpki after upload');
}

it('an administrator adds a staff member, verifies the audit chain and uploads a CRL (JavaScript on, Japanese)', async () => {
  const context = await contextFor();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  try {
    await signIn(page, 'browser-admin', '/office/admin/staff', totp());
    await adminFlow(page, 'reviewer-js', { create: '職員を登録する', add: '登録する', verify: '改ざんがないか検証する', intact: /改ざんは見つかりませんでした/, uploaded: 'の失効リストを登録しました' });
    // The same pages in English (with script, so axe can run).
    await context.addCookies([{ name: 'lang', value: 'en', url: origin }]);
    for (const path of ['/office/admin', '/office/admin/staff', '/office/admin/staff/new', '/office/admin/audit/verify', '/office/admin/jpki']) {
      await page.goto(`${origin}${path}`);
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      await axe(page, `${path} (en)`);
    }
  } finally {
    await context.close();
  }
}, 180_000);

it('the same flow without JavaScript, in English; the staff list reflows at 320 px', async () => {
  const context = await contextFor({ javaScript: false, lang: 'en' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  try {
    await signIn(page, 'browser-admin', '/office/admin/staff', totp());
    await adminFlow(page, 'reviewer-nojs', { create: 'Add a staff member', add: 'Add', verify: 'Verify the chain', intact: /Intact: \d+ entries checked/, uploaded: 'was loaded' });
    await page.setViewportSize({ width: 320, height: 800 });
    for (const path of ['/office/admin/staff', '/office/admin/audit', '/office/admin/jpki']) {
      await page.goto(`${origin}${path}`);
      expect({ path, width: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ path, width: expect.any(Number) });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    }
  } finally {
    await context.close();
  }
}, 180_000);

async function confirmedBooking(slot: string): Promise<{ id: string; number: string }> {
  const resident = await residentOf(d.t);
  const { id, submitted } = await applyFor(as(d.server, resident), 'kominkan-yoyaku', kominkanForm({ room: 'kaigi-1', date: TUESDAY, slots: [slot] }));
  if (submitted.status !== 200) throw new Error(`submit failed: ${submitted.status}`);
  await d.runOutbox();
  const started = await d.started(resident, id, 'card');
  await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
  await d.settle();
  const [booking] = await d.t.dataSource.query('SELECT id, booking_number FROM bookings WHERE application_id = $1', [id]);
  return { id: booking.id, number: booking.booking_number };
}

/** The clerk's day: block with a preview of the flagged booking, then (on the day) mark a booking used. */
async function dayFlow(page: Page, booking: { id: string; number: string }, text: { preview: string; affected: string; confirm: string; blocked: string; markUsed: string; used: string }, block: { start: string; end: string }): Promise<void> {
  const dayPath = `/office/facilities/${KOMINKAN}/day?date=${TUESDAY}`;
  await page.goto(`${origin}${dayPath}`);
  expect(await page.textContent('main')).toContain(booking.number);
  await axe(page, 'day list');
  await submit(page, `main button:has-text("${text.preview}")`);
  expect(await page.locator('.mg-error-summary a').count()).toBeGreaterThanOrEqual(3);
  await axe(page, 'block form with errors');
  await page.check('input[name=rooms][value=kaigi-1]');
  await page.fill('#start', block.start);
  await page.fill('#end', block.end);
  await page.check('input[name=reason][value=municipalUse]');
  await submit(page, `main button:has-text("${text.preview}")`);
  expect(await page.textContent('main')).toContain(text.affected);
  expect(await page.textContent('.mg-office-confirm')).toContain(booking.number);
  await axe(page, 'block preview');
  await submit(page, `main button:has-text("${text.confirm}")`);
  expect(await page.textContent('main')).toContain(text.blocked);
  await axe(page, 'blocked');
  const [{ needs_attention }] = await d.t.dataSource.query('SELECT needs_attention FROM bookings WHERE id = $1', [booking.id]);
  expect(needs_attention).toBe(true);
  await submit(page, `main button[aria-label^="${text.markUsed}: ${booking.number}"]`);
  expect(await page.textContent('main')).toContain(text.used);
  const [{ use_outcome }] = await d.t.dataSource.query('SELECT use_outcome FROM bookings WHERE id = $1', [booking.id]);
  expect(use_outcome).toBe('used');
}

it('a clerk blocks slots after seeing what it flags, and marks bookings used, with JavaScript (ja) and without (en)', async () => {
  const first = await confirmedBooking('09:00');
  const second = await confirmedBooking('13:00');
  // The day of use, after both bookings began.
  d.t.clock.set(new Date(`${TUESDAY}T14:00:00+09:00`));
  const withJs = await contextFor();
  const page = await withJs.newPage();
  page.setDefaultTimeout(20_000);
  try {
    await signIn(page, 'kominkan-clerk', `/office/facilities/${KOMINKAN}/day`);
    await dayFlow(page, first, { preview: '影響を確認する', affected: '次の予約が「要対応」になります', confirm: '利用停止にする', blocked: '要対応になった予約: 1件', markUsed: '利用ありにする', used: '利用の記録をしました' }, { start: '09:00', end: '11:00' });
  } finally {
    await withJs.close();
  }
  const withoutJs = await contextFor({ javaScript: false, lang: 'en', width: 320 });
  const plain = await withoutJs.newPage();
  plain.setDefaultTimeout(20_000);
  try {
    await signIn(plain, 'kominkan-clerk', `/office/facilities/${KOMINKAN}/day`);
    await dayFlow(plain, second, { preview: 'Check what it affects', affected: 'These bookings will be flagged', confirm: 'Block', blocked: 'flagged for attention: 1', markUsed: 'Mark used', used: 'Use recorded' }, { start: '13:00', end: '15:00' });
    expect(await plain.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  } finally {
    await withoutJs.close();
  }
}, 240_000);
