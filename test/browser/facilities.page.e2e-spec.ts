import { ResidentRepository, SessionService } from '@madoguchi/identity';
import { SimulatedWebhookSender } from '@madoguchi/payments';
import { OutboxDispatcher } from '@madoguchi/kernel';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { CITY, staffOf } from '../support/bookings-e2e';
import { freePort } from '../support/free-port';
import { createTestApp, type TestApp } from '../support/test-app';
import { expectNoAxeViolations, launchBrowser, recordForeignRequests } from './support/browser';

/**
 * Facility booking in a real browser (issue 11, pages item 8): a resident
 * finds a free slot in the week grid, holds it, applies, pays on the
 * simulated provider's page and downloads the use permit; cancels with the
 * refund shown first; enters a lottery, withdraws, and after the draw
 * applies with the win. Each flow completes with JavaScript and without it.
 * Every page state reached passes axe in three languages, with and without
 * our script; the grid is a keyboard-usable table; 320 px reflows; another
 * resident's booking is 404 and a signed-out visitor is sent to sign in.
 * The clock starts on Sunday 2026-11-22 10:00 in Japan.
 */

const LANGS = ['ja', 'ja-easy', 'en'] as const;
const KOMINKAN = 'chuo-kominkan';

let t: TestApp;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  // The provider's hosted page and its way back are addresses of this server.
  t = await createTestApp({ portal: true, env: { PUBLIC_BASE_URL: origin } });
  await t.app.listen(port, '127.0.0.1');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** What the worker does: the outbox (booking step, document issue) and the provider's webhooks, until quiet. */
async function settle(): Promise<void> {
  for (let round = 0; round < 10; round += 1) {
    let delivered = 0;
    for (let inner = 0; inner < 20; inner += 1) {
      const result = await t.get(OutboxDispatcher).dispatchDue();
      delivered += result.delivered;
      if (result.delivered === 0) break;
    }
    const sent = await t.get(SimulatedWebhookSender).deliverDue({});
    if (delivered === 0 && sent.delivered + sent.retried === 0) return;
  }
}

async function newResident(): Promise<{ id: string; cookie: string; bearer: string }> {
  const id = randomUUID();
  await t.get(ResidentRepository).insert(CITY, { id, email: `${id}@example.jp`, passwordHash: null, jpkiSubject: null, now: t.clock.now() });
  return { id, ...(await sessionsOf(id)) };
}

/** A cookie session for the browser and a bearer one for set-up over the API (fresh after the clock moved). */
async function sessionsOf(id: string): Promise<{ cookie: string; bearer: string }> {
  const cookie = await t.get(SessionService).issue(CITY, { kind: 'resident', id }, 'cookie', 'password');
  const bearer = await t.get(SessionService).issue(CITY, { kind: 'resident', id }, 'bearer', 'password');
  return { cookie: cookie.accessToken, bearer: bearer.accessToken };
}

async function contextFor(options: { lang?: (typeof LANGS)[number]; javaScript?: boolean; width?: number; cookie?: string } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScript ?? true, viewport: { width: options.width ?? 1280, height: 900 }, locale: 'ja-JP', acceptDownloads: true });
  const cookies = [];
  if (options.lang) cookies.push({ name: 'lang', value: options.lang, url: origin });
  if (options.cookie) cookies.push({ name: 'madoguchi_session', value: options.cookie, url: origin });
  if (cookies.length > 0) await context.addCookies(cookies);
  return context;
}

const text = (page: Page, selector: string) => page.locator(selector).innerText();

/** Fills the booking application form as a resident would. */
async function fillApplication(page: Page): Promise<void> {
  await page.fill('#organizerName', '桜ヶ丘読書会');
  await page.fill('#phone', '03-1234-5678');
  await page.fill('#email', 'dokusho@example.jp');
  await page.fill('#purpose', '定例会');
  await page.fill('#attendees', '12');
  await page.check('#residency');
}

describe.each([true, false])('booking flow, JavaScript %s', (javaScript) => {
  // JS on books a Tuesday 9 days ahead (full refund); JS off this week's Tuesday (2 days: no refund).
  const date = javaScript ? '2026-12-01' : '2026-11-24';
  const slot = javaScript ? '13:00' : '15:00';
  let resident: { id: string; cookie: string };
  let bookingId: string;

  beforeAll(async () => {
    resident = await newResident();
  });

  it('finds a free slot in the grid, holds it, applies, pays by card and downloads the use permit', async () => {
    const context = await contextFor({ javaScript, cookie: resident.cookie });
    try {
      const page = await context.newPage();
      const foreign = recordForeignRequests(page, origin);
      await page.goto(`${origin}/facilities`);
      await page.click(`a[href="/facilities/${KOMINKAN}"]`);
      expect(await page.title()).toContain('中央公民館');
      if (javaScript) await page.click('a[rel="next"]');
      const checkbox = `#slot-kaigi-1-${date}-${slot.replace(':', '')}`;
      expect(await page.locator(`${checkbox}`).isChecked()).toBe(false);
      await page.check(checkbox);
      await page.click('#hold');
      expect(page.url()).toMatch(/\/bookings\/[0-9a-f-]{36}$/);
      bookingId = page.url().split('/').pop()!;
      // The time left, in words: the hold lasts 15 minutes online.
      expect(await text(page, '#hold-expiry')).toContain('10:15');
      expect(await text(page, '#hold-expiry')).toContain('残り約15分');

      // Sent empty first: the error summary links to each field.
      await page.click('#apply');
      expect(await page.locator('.mg-error-summary a').evaluateAll((links) => links.map((link) => link.getAttribute('href')))).toEqual(['#organizerName', '#phone', '#email', '#purpose', '#attendees', '#residency']);
      await fillApplication(page);
      await page.click('#apply');
      expect(await page.locator('#processing').count()).toBe(1);
      await settle();
      await page.goto(`${origin}/bookings/${bookingId}`);
      expect(await text(page, 'main')).toContain('お支払いいただく額は500円です。');
      await page.check('#method');
      await page.click('#pay');
      expect(page.url()).toContain('/simulated-provider/');
      await page.fill('#number', '4242424242424242');
      await page.fill('#expiry', '12/34');
      await page.fill('#cvc', '123');
      await page.click('button[type="submit"]');
      // Back at the application's page (the payment pages' branch); the booking page tells the rest.
      expect(page.url()).toContain('/applications/');
      await settle();
      await page.goto(`${origin}/bookings/${bookingId}`);
      expect(await text(page, '#confirmed')).toContain('予約が確定しました');
      // The link downloads the permit with this browser's session (fetched by the context: a download leaves no page to read).
      const href = await page.getAttribute('a[download]', 'href');
      expect(href).toBe(`/bookings/${bookingId}/permit.pdf`);
      const permit = await context.request.get(`${origin}${href}`);
      expect({ status: permit.status(), type: permit.headers()['content-type'], disposition: permit.headers()['content-disposition'] }).toEqual({
        status: 200,
        type: 'application/pdf',
        disposition: expect.stringMatching(/^attachment; filename\*=UTF-8''/),
      });
      expect((await permit.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(foreign).toEqual([]);
      // The grid now says the slot is booked, in words.
      await page.goto(`${origin}/facilities/${KOMINKAN}?from=${date}`);
      expect(await page.locator(checkbox).count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('cancels with the refund shown before confirming', async () => {
    const context = await contextFor({ javaScript, cookie: resident.cookie });
    try {
      const page = await context.newPage();
      await page.goto(`${origin}/bookings`);
      await page.click(`a[href="/bookings/${bookingId}"]`);
      await page.click(`a[href="/bookings/${bookingId}/cancel"]`);
      // Community centre: 7+ days' notice 100 %, less than 3 days 0 %.
      expect(await text(page, '#refund-amount')).toBe(javaScript ? '500円' : '0円');
      await page.click('#confirm-cancel');
      expect(page.url()).toBe(`${origin}/bookings/${bookingId}/cancelled`);
      expect(await text(page, '#refund-done')).toBe(javaScript ? '500円を返金します。お支払いに使った方法に戻ります。' : '返金はありません。');
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('pages in every language, with and without our script', () => {
  it('pass axe with zero violations in every state reached (empty, with errors, filled)', async () => {
    const resident = await newResident();
    const held = await request(t.app.getHttpServer())
      .post('/api/v1/bookings/holds')
      .auth(resident.bearer, { type: 'bearer' })
      .send({ facility: KOMINKAN, room: 'washitsu', date: '2026-11-25', slots: ['09:00'] })
      .expect(201);
    const paths = [
      { name: 'facilities', path: '/facilities' },
      { name: 'facility grid', path: `/facilities/${KOMINKAN}` },
      { name: 'facility grid with an error', path: `/facilities/${KOMINKAN}?error=noSlot` },
      { name: 'gymnasium (holidays open)', path: '/facilities/shimin-taiikukan' },
      { name: 'my bookings', path: '/bookings' },
      { name: 'held booking', path: `/bookings/${held.body.id}` },
      { name: 'cancel a hold', path: `/bookings/${held.body.id}/cancel` },
      { name: 'lotteries (none)', path: '/lotteries' },
    ];
    for (const lang of LANGS) {
      for (const script of [true, false]) {
        if (!script && lang !== 'ja') continue;
        const context = await contextFor({ lang, cookie: resident.cookie });
        if (!script) await context.route(/\/assets\/portal\.[0-9a-f]+\.js$/, (route) => route.abort());
        try {
          const page = await context.newPage();
          for (const { name, path } of paths) {
            const response = await page.goto(`${origin}${path}`);
            expect({ name, status: response?.status() }).toEqual({ name, status: name.includes('error') ? 422 : 200 });
            await expectNoAxeViolations(page, `${name} [${lang}, script ${script ? 'on' : 'off'}]`);
          }
          // The application form sent empty (errors), then half filled.
          await page.goto(`${origin}/bookings/${held.body.id}`);
          await page.click('#apply');
          await expectNoAxeViolations(page, `application with errors [${lang}]`);
          await page.fill('#organizerName', '桜ヶ丘読書会');
          await page.fill('#attendees', '99');
          await page.click('#apply');
          await expectNoAxeViolations(page, `application partly filled [${lang}]`);
        } finally {
          await context.close();
        }
      }
    }
  }, 600_000);

  it('the grid: a table with caption and headers, states in words, a focusable scrolling region, checkboxes by keyboard; 320 px does not scroll sideways', async () => {
    const context = await contextFor({ width: 320 });
    try {
      const page = await context.newPage();
      await page.goto(`${origin}/facilities/${KOMINKAN}`);
      const grid = await page.evaluate(() => {
        const table = document.querySelector('.mg-grid table')!;
        const region = table.closest('[role="region"]')!;
        return {
          caption: table.querySelector('caption')!.textContent,
          region: { tabindex: region.getAttribute('tabindex'), labelledBy: document.getElementById(region.getAttribute('aria-labelledby')!)?.textContent },
          columns: Array.from(table.querySelectorAll('thead th'), (th) => `${th.getAttribute('scope')} ${th.textContent}`),
          rows: Array.from(table.querySelectorAll('tbody th'), (th) => `${th.getAttribute('scope')} ${th.textContent}`),
          monday: Array.from(table.querySelectorAll('tbody tr'), (tr) => tr.children[2].textContent),
          sunday: Array.from(table.querySelectorAll('tbody tr'), (tr) => tr.children[1].textContent?.trim()),
          pageWidth: document.documentElement.scrollWidth,
        };
      });
      expect(grid.caption).toBe('第1会議室の空き状況（令和8年11月22日（2026年11月22日）から令和8年11月28日（2026年11月28日）まで）');
      expect(grid.region).toEqual({ tabindex: '0', labelledBy: grid.caption });
      // 勤労感謝の日 on Monday 23 November names the holiday in its column header.
      expect(grid.columns.slice(0, 3)).toEqual(['col 時間帯', 'col 11月22日（日）', 'col 11月23日（月）勤労感謝の日']);
      expect(grid.rows).toEqual(['row 09:00〜11:00', 'row 11:00〜13:00', 'row 13:00〜15:00', 'row 15:00〜17:00', 'row 17:00〜19:00', 'row 19:00〜21:00']);
      expect(grid.monday).toEqual(Array(6).fill('休館'));
      // Sunday 10:00: the first slot has begun; Sunday closes at 17:00.
      expect(grid.sunday).toEqual(['受付なし', expect.stringContaining('空き'), expect.stringContaining('空き'), expect.stringContaining('空き'), 'この時間帯はありません', 'この時間帯はありません']);
      if (grid.pageWidth > 320) {
        const wide = await page.evaluate(() => Array.from(document.querySelectorAll('body *')).filter((element) => element.getBoundingClientRect().right > 320 && !element.parentElement?.closest('.mg-table-wrap')).map((element) => `${element.tagName}.${element.className}#${element.id}:${Math.round(element.getBoundingClientRect().right)}`).slice(0, 20));
        throw new Error(`wider than 320: ${wide.join(', ')}`);
      }
      // Keyboard: the region takes focus, Tab reaches the first free slot, Space chooses it.
      await page.focus('.mg-grid');
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => ({ id: document.activeElement?.id, label: document.querySelector(`label[for="${document.activeElement?.id}"]`)?.textContent }));
      // Row by row: the 09:00 row's first free cell is Tuesday's (Sunday's has begun, Monday is closed).
      expect(focused).toEqual({ id: 'slot-kaigi-1-2026-11-24-0900', label: '空き 第1会議室 11月24日（火） 09:00〜11:00' });
      await page.keyboard.press('Space');
      expect(await page.isChecked('#slot-kaigi-1-2026-11-24-0900')).toBe(true);
      // A signed-out visitor who sends the choice is asked to sign in, and comes back to the facility's page
      // (the way back of a POST is its same-origin Referer).
      await page.click('#hold');
      expect(new URL(page.url()).pathname).toBe('/account/sign-in');
      expect(new URL(page.url()).searchParams.get('next')).toMatch(/^\/facilities\/[a-z0-9-]+$/);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('another resident\'s booking is 404 on every booking page; signed out, the booking page asks to sign in', async () => {
    const owner = await newResident();
    const other = await newResident();
    const held = await request(t.app.getHttpServer())
      .post('/api/v1/bookings/holds')
      .auth(owner.bearer, { type: 'bearer' })
      .send({ facility: KOMINKAN, room: 'washitsu', date: '2026-11-26', slots: ['09:00'] })
      .expect(201);
    const context = await contextFor({ cookie: other.cookie });
    try {
      const page = await context.newPage();
      for (const path of ['', '/cancel', '/cancelled', '/permit.pdf']) {
        const response = await page.goto(`${origin}/bookings/${held.body.id}${path}`).catch(() => null);
        expect({ path, status: response?.status() }).toEqual({ path, status: 404 });
      }
      // A forged cancel from the other resident (with their own valid CSRF token) is refused too.
      await page.goto(`${origin}/facilities/${KOMINKAN}`);
      const status = await page.evaluate(async (id) => {
        const form = new URLSearchParams({ _csrf: document.querySelector<HTMLInputElement>('input[name=_csrf]')?.value ?? '' });
        return (await fetch(`/bookings/${id}/cancel`, { method: 'POST', body: form })).status;
      }, held.body.id);
      expect(status).toBe(404);
    } finally {
      await context.close();
    }
    const anonymous = await contextFor();
    try {
      const page = await anonymous.newPage();
      await page.goto(`${origin}/bookings/${held.body.id}`);
      expect(new URL(page.url()).pathname).toBe('/account/sign-in');
      expect(new URL(page.url()).searchParams.get('next')).toBe(`/bookings/${held.body.id}`);
    } finally {
      await anonymous.close();
    }
  }, 60_000);
});

describe('lottery', () => {
  it('enter (with and without JavaScript), withdraw, and after the draw see the result and apply with the win', async () => {
    const staff = await staffOf(t, ['clerk'], ['sports']);
    const created = await request(t.app.getHttpServer())
      .post('/api/v1/staff/facilities/shimin-taiikukan/lotteries')
      .auth(staff.token, { type: 'bearer' })
      .send({ rooms: ['arena-a'], periodFrom: '2026-12-07', periodTo: '2026-12-13', entryClosesAt: '2026-11-29T15:00:00Z' })
      .expect(201);
    const lotteryId = created.body.id as string;
    const residents = [await newResident(), await newResident()];
    for (const [index, javaScript] of [true, false].entries()) {
      const context = await contextFor({ javaScript, cookie: residents[index].cookie });
      try {
        const page = await context.newPage();
        await page.goto(`${origin}/lotteries`);
        await page.click(`a[href="/lotteries/${lotteryId}"]`);
        expect(await text(page, '#lottery-seed')).toBe(created.body.seed);
        await page.click(`a[href="/lotteries/${lotteryId}/entries"]`);
        await page.click('#enter');
        expect(await page.locator('.mg-error-summary a').evaluateAll((links) => links.map((link) => link.getAttribute('href')))).toEqual(['#room', '#date', '#slots', '#organizerName', '#purpose', '#attendees']);
        if (javaScript) await expectNoAxeViolations(page, 'lottery entry with errors');
        await page.selectOption('#room', 'arena-a');
        await page.selectOption('#date', '2026-12-08');
        await page.check('#slots-6');
        await page.fill('#organizerName', index === 0 ? '桜ヶ丘バレーボールクラブ' : '河辺バドミントン会');
        await page.fill('#purpose', '練習');
        await page.fill('#attendees', '20');
        expect(await page.locator('label[for="slots-6"]').innerText()).toBe('19:00');
        await page.click('#enter');
        expect(await text(page, '#lottery-notice')).toContain('応募番号は');
        if (javaScript) {
          await expectNoAxeViolations(page, 'lottery entries');
          // Withdraw and enter again: the entries table says which.
          await page.click('button[id^="withdraw-"]');
          expect(await text(page, '#lottery-notice')).toContain('応募を取り下げました。');
          expect(await text(page, 'main table')).toContain('取下げ済み');
          await page.selectOption('#room', 'arena-a');
          await page.selectOption('#date', '2026-12-08');
          await page.check('#slots-6');
          await page.fill('#organizerName', '桜ヶ丘バレーボールクラブ');
          await page.fill('#purpose', '練習');
          await page.fill('#attendees', '20');
          await page.click('#enter');
        }
        expect(await text(page, 'main table')).toContain('応募中');
      } finally {
        await context.close();
      }
    }

    // After the deadline, staff draw; both entries want the same slot: one wins, one waits.
    t.clock.advance(8 * 24 * 60 * 60_000);
    const freshStaff = await staffOf(t, ['clerk'], ['sports']);
    await request(t.app.getHttpServer()).post(`/api/v1/staff/lotteries/${lotteryId}/draw`).auth(freshStaff.token, { type: 'bearer' }).expect(200);
    const outcomes: string[] = [];
    for (const resident of residents) {
      const { cookie } = await sessionsOf(resident.id);
      const context = await contextFor({ cookie });
      try {
        const page = await context.newPage();
        await page.goto(`${origin}/lotteries/${lotteryId}`);
        expect(await page.locator('main table tbody tr').count()).toBe(2);
        await page.goto(`${origin}/lotteries/${lotteryId}/entries`);
        const table = await text(page, 'main table');
        outcomes.push(table.includes('当選') ? 'won' : table.includes('補欠') ? 'waitlisted' : table);
        if (table.includes('当選')) {
          await page.click('a:has-text("当選した予約を申し込む")');
          expect(page.url()).toMatch(/\/bookings\/[0-9a-f-]{36}$/);
          expect(await page.locator('#organizerName').count()).toBe(1);
        }
      } finally {
        await context.close();
      }
    }
    expect(outcomes.sort()).toEqual(['waitlisted', 'won']);
  }, 240_000);
});
