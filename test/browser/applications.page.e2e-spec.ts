import { csrfTokenOf, ResidentRepository, SESSION_COOKIE, SessionService, StaffAdminService } from '@madoguchi/identity';
import { SimulatedWebhookSender, TEST_CARDS } from '@madoguchi/payments';
import { OutboxDispatcher, asMunicipalityId } from '@madoguchi/kernel';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { freePort } from '../support/free-port';
import { createTestApp, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';
import { publishTestCertificate, TEST_CERTIFICATE } from '../support/test-procedures';
import { expectNoAxeViolations, launchBrowser, recordForeignRequests } from './support/browser';

/**
 * My applications, the application page, paying, withdrawing and
 * correcting (issue 11, items 6 and 7) in a real browser, on the simulated
 * provider's hosted pages: each flow with and without JavaScript, axe in
 * every state reached, three languages, 320 CSS px, and another resident's
 * pages are "not found".
 */

const CITY = asMunicipalityId(SAMPLE_MUNICIPALITY);
const LANGS = ['ja', 'ja-easy', 'en'] as const;

let t: TestApp;
let origin: string;
let browser: Browser;

interface Resident {
  id: string;
  bearer: string;
  cookie: string;
}

beforeAll(async () => {
  browser = await launchBrowser();
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  // The provider's return address is built on PUBLIC_BASE_URL: this server.
  t = await createTestApp({ portal: true, env: { PUBLIC_BASE_URL: origin } });
  await publishTestCertificate(t, [SAMPLE_MUNICIPALITY]);
  await t.app.listen(port, '127.0.0.1');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function resident(): Promise<Resident> {
  const id = randomUUID();
  await t.get(ResidentRepository).insert(CITY, { id, email: `${id}@example.jp`, passwordHash: null, jpkiSubject: null, now: t.clock.now() });
  const bearer = (await t.get(SessionService).issue(CITY, { kind: 'resident', id }, 'bearer', 'password')).accessToken;
  const cookie = (await t.get(SessionService).issue(CITY, { kind: 'resident', id }, 'cookie', 'password')).accessToken;
  return { id, bearer, cookie };
}

async function staffToken(): Promise<string> {
  const { account } = await t.get(StaffAdminService).create(CITY, 'test-setup', {
    loginId: `clerk-${randomUUID().slice(0, 8)}`,
    password: 'correct-horse-battery-staple',
    displayName: 'テスト職員',
    roles: ['clerk', 'reviewer'],
    approvalLevel: null,
    departments: ['shimin'],
    active: true,
  });
  return (await t.get(SessionService).issue(CITY, { kind: 'staff', id: account.id }, 'bearer', 'password')).accessToken;
}

async function api(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${origin}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Background work the worker would do: outbox, then the provider's webhooks, until quiet. */
async function settle(): Promise<void> {
  for (let round = 0; round < 10; round += 1) {
    let moved = 0;
    for (let inner = 0; inner < 20; inner += 1) {
      const result = await t.get(OutboxDispatcher).dispatchDue();
      moved += result.delivered;
      if (result.delivered === 0) break;
    }
    const sent = await t.get(SimulatedWebhookSender).deliverDue();
    moved += sent.delivered + sent.retried;
    if (moved === 0) return;
  }
}

/** A 住民票 (test copy: account, no card) submitted through the JSON API: it waits for its 300 yen. */
async function submitted(owner: Resident): Promise<string> {
  const created = await api(owner.bearer, 'POST', '/applications', { procedureCode: TEST_CERTIFICATE, formData: { scope: '本人のみ', purpose: '学校への提出', copies: 1 } });
  expect(created.status).toBe(201);
  const sent = await api(owner.bearer, 'POST', `/applications/${created.body.id}/submit`, {});
  expect(sent.status).toBe(200);
  await settle();
  return created.body.id as string;
}

async function state(id: string): Promise<string> {
  const rows: Array<{ state: string }> = await t.dataSource.query(`SELECT state FROM applications WHERE id = $1`, [id]);
  return rows[0].state;
}

/** Paid through the API and a QR app on the hosted page, then accepted or returned by staff as a test needs. */
async function paidByApi(owner: Resident, id: string): Promise<void> {
  const started = await api(owner.bearer, 'POST', `/applications/${id}/payments`, { method: 'paypay' });
  expect(started.status).toBe(201);
  const path = new URL(started.body.redirectUrl).pathname;
  await fetch(`${origin}${path}/qr`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '', redirect: 'manual' });
  await settle();
  expect(await state(id)).toBe('underReview');
}

async function browse(owner: Resident | null, options: { lang?: (typeof LANGS)[number]; javaScript?: boolean; width?: number } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScript ?? true, viewport: { width: options.width ?? 1280, height: 900 }, locale: 'ja-JP' });
  const cookies = [];
  if (owner) cookies.push({ name: SESSION_COOKIE, value: owner.cookie, url: origin });
  if (options.lang) cookies.push({ name: 'lang', value: options.lang, url: origin });
  if (cookies.length > 0) await context.addCookies(cookies);
  return context;
}

async function open(context: BrowserContext, path: string): Promise<{ page: Page; status: number; foreign: string[] }> {
  const page = await context.newPage();
  const foreign = recordForeignRequests(page, origin);
  const response = await page.goto(`${origin}${path}`, { waitUntil: 'load' });
  return { page, status: response?.status() ?? 0, foreign };
}

async function submitForm(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

const text = (page: Page, selector: string) => page.locator(selector).innerText();

describe.each([true, false])('with JavaScript %s', (javaScript) => {
  const axe = async (page: Page, label: string) => {
    // axe cannot run in a javaScriptEnabled:false context; the JS-on pass checks every state.
    if (javaScript) await expectNoAxeViolations(page, label);
  };

  it('pays a 住民票 by card on the provider’s page, sees 支払い済み from our own state, then the document', async () => {
    const owner = await resident();
    const id = await submitted(owner);
    const context = await browse(owner, { javaScript });
    try {
      const { page, foreign } = await open(context, '/applications');
      await axe(page, 'list with an application waiting for payment');
      expect(await text(page, `[data-application-id="${id}"] .mg-tag`)).toBe('お支払い待ち');
      await submitForm(page, `[data-application-id="${id}"] .mg-card__title a`);
      expect(new URL(page.url()).pathname).toBe(`/applications/${id}`);
      expect(await text(page, '#next-step')).toContain('300円');
      expect(await text(page, '#pay-by')).toContain('令和8年11月23日');
      await axe(page, 'application awaiting payment');
      await submitForm(page, '#next-action');
      expect(new URL(page.url()).pathname).toBe(`/applications/${id}/pay`);
      await axe(page, 'pay: choose a method');
      // No method chosen: the error summary links to the radios.
      await submitForm(page, '#pay-continue');
      expect(await page.locator('.mg-error-summary a').getAttribute('href')).toBe('#method');
      await axe(page, 'pay: with an error');
      await page.check('input[name=method][value=card]');
      await submitForm(page, '#pay-continue');
      expect(new URL(page.url()).pathname).toMatch(/^\/simulated-provider\//);
      await page.fill('#number', TEST_CARDS.success);
      await page.fill('#expiry', '12/34');
      await page.fill('#cvc', '123');
      await submitForm(page, 'form button[type=submit]');
      // Back on our page; the provider's ?result= says succeeded, but we have no word from it yet.
      const back = new URL(page.url());
      expect(back.pathname).toBe(`/applications/${id}`);
      expect(back.searchParams.get('result')).toBe('succeeded');
      expect(await page.getAttribute('#payment', 'data-payment-status')).toBe('started');
      expect(await text(page, '#payment-status')).toBe('支払い手続中');
      await axe(page, 'payment return, not yet confirmed');
      await t.get(SimulatedWebhookSender).deliverDue();
      if (javaScript) {
        // The page loads itself again while unconfirmed.
        await page.waitForSelector('#payment[data-payment-status=succeeded]', { timeout: 30_000 });
      } else {
        await submitForm(page, '#payment-refresh');
      }
      expect(await text(page, '#payment-status')).toBe('支払い済み');
      expect(await text(page, '#payment-result')).toContain('300円');
      await axe(page, 'payment confirmed');
      const clerk = await staffToken();
      expect((await api(clerk, 'POST', `/staff/applications/${id}/events`, { type: 'staff.accept' })).status).toBe(200);
      await settle();
      expect(await state(id)).toBe('completed');
      await page.goto(`${origin}/applications/${id}`);
      const link = page.locator('#documents a').first();
      expect(await link.innerText()).toContain('住民票の写し');
      const pdf = await context.request.get(`${origin}${await link.getAttribute('href')}`);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      await axe(page, 'completed with documents');
      expect(foreign).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('a declined card offers to try again on a fresh page; a good card then pays once', async () => {
    const owner = await resident();
    const id = await submitted(owner);
    const context = await browse(owner, { javaScript });
    try {
      const { page } = await open(context, `/applications/${id}/pay`);
      await page.check('input[name=method][value=card]');
      await submitForm(page, '#pay-continue');
      await page.fill('#number', TEST_CARDS.decline);
      await page.fill('#expiry', '12/34');
      await page.fill('#cvc', '123');
      await submitForm(page, 'form button[type=submit]');
      await t.get(SimulatedWebhookSender).deliverDue();
      await page.goto(page.url());
      expect(await text(page, '#payment-status')).toBe('支払えませんでした');
      await axe(page, 'declined card');
      await submitForm(page, '#payment-retry');
      await page.check('input[name=method][value=card]');
      await submitForm(page, '#pay-continue');
      await page.fill('#number', TEST_CARDS.success);
      await page.fill('#expiry', '12/34');
      await page.fill('#cvc', '123');
      await submitForm(page, 'form button[type=submit]');
      await settle();
      await page.goto(page.url());
      expect(await text(page, '#payment-status')).toBe('支払い済み');
      const paid: Array<{ n: number }> = await t.dataSource.query(`SELECT count(*)::int AS n FROM application_events WHERE application_id = $1 AND type = 'payment.succeeded'`, [id]);
      expect(paid[0].n).toBe(1);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('a convenience-store slip shows its number and deadline on our page; Pay-easy its three numbers', async () => {
    const owner = await resident();
    const id = await submitted(owner);
    const context = await browse(owner, { javaScript });
    try {
      const { page } = await open(context, `/applications/${id}/pay`);
      await page.check('input[name=method][value=konbini]');
      await submitForm(page, '#pay-continue');
      expect(new URL(page.url()).pathname).toBe(`/applications/${id}`);
      const payments = (await api(owner.bearer, 'GET', `/applications/${id}/payments`)).body as Array<{ method: string; konbini: { paymentNumber: string } | null }>;
      const slip = payments.find((payment) => payment.method === 'konbini')!.konbini!;
      expect(await text(page, '#konbini-number')).toBe(slip.paymentNumber);
      expect(await text(page, '#payment-deadline')).toMatch(/令和8年11月2[23]日/);
      expect(await page.locator('[data-mg-refresh-seconds]').count()).toBe(0);
      await axe(page, 'konbini numbers');
      await page.goto(`${origin}/applications/${id}/pay`);
      await page.check('input[name=method][value=payeasy]');
      await submitForm(page, '#pay-continue');
      expect(await page.locator('#payment-instructions .mg-code').count()).toBe(3);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('withdraws only after the confirmation page', async () => {
    const owner = await resident();
    const id = await submitted(owner);
    const context = await browse(owner, { javaScript });
    try {
      const { page } = await open(context, `/applications/${id}`);
      await submitForm(page, '#withdraw-link');
      expect(new URL(page.url()).pathname).toBe(`/applications/${id}/withdraw`);
      expect(await state(id)).toBe('awaitingPayment');
      await axe(page, 'withdraw confirmation');
      await page.fill('#reason', '別の方法で取得しました');
      await submitForm(page, '#withdraw-confirm');
      expect(new URL(page.url()).pathname).toBe(`/applications/${id}`);
      expect(await state(id)).toBe('withdrawn');
      expect(await text(page, '#done')).toContain('取り下げました');
      expect(await page.locator('#withdraw-link').count()).toBe(0);
      await axe(page, 'withdrawn');
    } finally {
      await context.close();
    }
  }, 180_000);

  it('after a return for correction: the staff message, only the flagged field, what changed, then resubmission', async () => {
    const owner = await resident();
    const id = await submitted(owner);
    await paidByApi(owner, id);
    const clerk = await staffToken();
    expect((await api(clerk, 'POST', `/staff/applications/${id}/events`, { type: 'staff.sendBack', payload: { fields: ['purpose'], message: '使用目的を選び直してください。' } })).status).toBe(200);
    const context = await browse(owner, { javaScript });
    try {
      const { page } = await open(context, `/applications/${id}`);
      await submitForm(page, '#next-action');
      expect(new URL(page.url()).pathname).toBe(`/applications/${id}/correct`);
      expect(await text(page, '#staff-message')).toContain('使用目的を選び直してください。');
      // Only the flagged field is on the form.
      const names = await page.locator('form[action$="/correct"] [name]:not([type=hidden])').evaluateAll((inputs) => [...new Set(inputs.map((input) => input.getAttribute('name')))]);
      expect(names).toEqual(['purpose']);
      expect(await page.locator('#changes-none').count()).toBe(1);
      await axe(page, 'correction form');
      await page.check('input[name=purpose][value=その他]');
      await submitForm(page, '#correct-save');
      expect(new URL(page.url()).search).toBe('?saved=1');
      expect(await text(page, '#changes')).toContain('学校への提出');
      expect(await text(page, '#changes')).toContain('その他');
      await axe(page, 'corrections saved');
      await submitForm(page, '#correct-resubmit');
      expect(new URL(page.url()).pathname).toBe(`/applications/${id}`);
      expect(await state(id)).toBe('underReview');
      expect(await text(page, '#done')).toContain('再提出');
      const [form]: Array<{ purpose: string }> = await t.dataSource.query(`SELECT form_data->>'purpose' AS purpose FROM applications WHERE id = $1`, [id]);
      expect(form.purpose).toBe('その他');
    } finally {
      await context.close();
    }
  }, 180_000);
});

describe('access, languages and layout', () => {
  it('anonymous → sign-in with the way back; another resident → not found on every page of A’s application', async () => {
    const owner = await resident();
    const other = await resident();
    const id = await submitted(owner);
    const anonymous = await fetch(`${origin}/applications/${id}`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe(`/account/sign-in?next=${encodeURIComponent(`/applications/${id}`)}`);
    const cookie = `${SESSION_COOKIE}=${other.cookie}`;
    for (const path of [`/applications/${id}`, `/applications/${id}/pay`, `/applications/${id}/withdraw`, `/applications/${id}/correct`, '/applications/not-a-uuid']) {
      const response = await fetch(`${origin}${path}`, { headers: { cookie }, redirect: 'manual' });
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
    // B's list does not show A's application.
    const list = await (await fetch(`${origin}/applications`, { headers: { cookie } })).text();
    expect(list).not.toContain(id);
    // Forms posted by B (with B's own valid CSRF token) to A's application: not found, nothing changes.
    for (const path of [`/applications/${id}/withdraw`, `/applications/${id}/pay`, `/applications/${id}/correct`, `/applications/${id}/resubmit`]) {
      const response = await fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrfTokenOf(other.cookie), method: 'card', revision: '1', purpose: 'その他' }).toString(),
        redirect: 'manual',
      });
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
    expect(await state(id)).toBe('awaitingPayment');
    const context = await browse(other);
    try {
      const { page } = await open(context, '/applications');
      expect(await page.locator('.mg-card').count()).toBe(0);
      await expectNoAxeViolations(page, 'empty list');
    } finally {
      await context.close();
    }
  }, 120_000);

  it.each(LANGS)('list and application pages in %s: axe, no foreign requests, 320 px without horizontal scroll', async (lang) => {
    const owner = await resident();
    const id = await submitted(owner);
    for (const width of [1280, 320]) {
      const context = await browse(owner, { lang, width });
      try {
        for (const path of ['/applications', `/applications/${id}`, `/applications/${id}/pay`, `/applications/${id}/withdraw`]) {
          const { page, foreign } = await open(context, path);
          expect(await page.getAttribute('html', 'lang')).toBe(lang === 'en' ? 'en' : 'ja');
          if (width === 1280) await expectNoAxeViolations(page, `${path} [${lang}]`);
          else expect({ path, width: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ path, width: 320 });
          expect(foreign).toEqual([]);
          await page.close();
        }
      } finally {
        await context.close();
      }
    }
  }, 180_000);
});
