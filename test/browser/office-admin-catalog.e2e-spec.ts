import { LotteryService } from '@madoguchi/bookings';
import { CounterAdminService, CounterDeskService } from '@madoguchi/counter';
import { StaffAdminService, type StaffPrincipal } from '@madoguchi/identity';
import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { as, KOMINKAN, residentOf } from '../support/bookings-e2e';
import { CITY, PaymentsDriver } from '../support/payments-driver';
import { expectNoAxeViolations, launchBrowser } from './support/browser';

/**
 * The office's catalog administration, the lottery draw and the lobby
 * display in a real browser (issue 12): an administrator adds a department,
 * a service and a counter serving it, a facility with a room and then a
 * second room (errors first each time); a clerk draws a lottery from the
 * facility day list and sees the published seed and result; the lobby
 * display shows a new call without reloading when JavaScript is on, and
 * carries its own reload when it is off. With JavaScript and without, in
 * Japanese and English, axe on every state, 320 px without horizontal scroll.
 */

const PASSWORD = 'office-catalog-browser-pw-01';
const HOUR = 3600_000;
let d: PaymentsDriver;
let origin: string;
let browser: Browser;
let adminSecret: string;
let clerkId: string;
/** The browser context with JavaScript off, where axe cannot run. */
let noScript: BrowserContext | null = null;

function totp(): string {
  d.t.clock.advance(31_000);
  return new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(adminSecret) }).generate({ timestamp: d.t.clock.now().getTime() });
}

beforeAll(async () => {
  browser = await launchBrowser();
  d = await PaymentsDriver.start({ office: true, env: { DIGITAL_AUTH_ISSUER: 'off' } });
  origin = `http://127.0.0.1:${d.port}`;
  ({ totpSecret: adminSecret } = await d.t.get(StaffAdminService).bootstrapAdministrator(CITY, { loginId: 'catalog-admin', displayName: '管理 三郎', password: PASSWORD }));
  ({
    account: { id: clerkId },
  } = await d.t.get(StaffAdminService).create(CITY, 'setup', { loginId: 'lottery-clerk', password: PASSWORD, displayName: '公民館 担当', roles: ['clerk'], approvalLevel: null, departments: ['shimin', 'shogaigakushu'], active: true }));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await d?.close();
});

async function contextFor(options: { javaScript?: boolean; width?: number; lang?: 'ja' | 'en' } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScript ?? true, viewport: { width: options.width ?? 1280, height: 900 }, locale: 'ja-JP' });
  if (options.lang) await context.addCookies([{ name: 'lang', value: options.lang, url: origin }]);
  if (options.javaScript === false) noScript = context;
  return context;
}

async function signIn(page: Page, loginId: string, start: string, code?: string): Promise<void> {
  await d.t.dataSource.query('DELETE FROM rate_limits');
  await page.goto(`${origin}${start}`);
  await page.fill('#loginId', loginId);
  await page.fill('#password', PASSWORD);
  if (code) await page.fill('#totpCode', code);
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  expect(new URL(page.url()).pathname).toBe(start);
}

async function axe(page: Page, label: string): Promise<void> {
  if (page.context() !== noScript) await expectNoAxeViolations(page, label);
}

async function submit(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

interface Words {
  addDepartment: string;
  addService: string;
  addCounter: string;
  addFacility: string;
  addRoom: string;
  save: string;
}

/** The administrator's flow: department, service + counter, facility + rooms; each form refused once, then filled. */
async function catalogFlow(page: Page, suffix: string, words: Words): Promise<void> {
  await page.goto(`${origin}/office/admin/departments`);
  await axe(page, 'departments');
  await submit(page, `main button:has-text("${words.addDepartment}")`);
  expect(await page.locator('.mg-error-summary a').count()).toBe(3);
  await axe(page, 'department form with errors');
  await page.fill('#code', `hozen-${suffix}`);
  await page.fill('#nameJa', `環境課${suffix}`);
  await page.fill('#nameEn', `Environment ${suffix}`);
  await submit(page, `main button:has-text("${words.addDepartment}")`);
  expect(await page.textContent('main table')).toContain(`hozen-${suffix}`);
  await axe(page, 'departments after create');
  expect(await scrollWidth(page)).toBeLessThanOrEqual(page.viewportSize()!.width);

  await page.goto(`${origin}/office/admin/counters`);
  await axe(page, 'counters and services');
  await submit(page, `main a:has-text("${words.addService}")`);
  await submit(page, `main button:has-text("${words.save}")`);
  expect(await page.locator('.mg-error-summary a').count()).toBeGreaterThanOrEqual(3);
  await axe(page, 'service form with errors');
  await page.fill('#code', `zeimu-${suffix}`);
  await page.fill('#nameJa', `税証明${suffix}`);
  await page.fill('#nameEn', `Tax ${suffix}`);
  await page.fill('#ticketPrefix', suffix === 'js' ? 'J' : 'N');
  await submit(page, `main button:has-text("${words.save}")`);
  expect(await page.textContent('main')).toContain(`zeimu-${suffix}`);
  await submit(page, `main a:has-text("${words.addCounter}")`);
  await axe(page, 'counter form');
  await page.fill('#nameJa', `税務課 窓口${suffix}`);
  await page.fill('#nameEn', `Tax counter ${suffix}`);
  await submit(page, `main button:has-text("${words.save}")`);
  expect(await page.locator('.mg-error-summary a').count()).toBe(1);
  await axe(page, 'counter form with errors');
  await page.check(`input[name=serviceCodes][value=zeimu-${suffix}]`);
  await submit(page, `main button:has-text("${words.save}")`);
  expect(new URL(page.url()).pathname).toBe('/office/admin/counters');
  expect(await page.textContent('main')).toContain(words.save === 'Save' ? `Tax counter ${suffix}` : `税務課 窓口${suffix}`);
  const setup = { kind: 'staff', id: clerkId, municipalityId: CITY, roles: ['administrator'], approvalLevel: null, departments: [] } as unknown as StaffPrincipal;
  const counter = (await d.t.get(CounterAdminService).listCounters(setup)).find((item) => item.name.ja === `税務課 窓口${suffix}`);
  expect(counter).toMatchObject({ serviceCodes: [`zeimu-${suffix}`], open: true });
  await axe(page, 'counters after create');
  expect(await scrollWidth(page)).toBeLessThanOrEqual(page.viewportSize()!.width);

  await page.goto(`${origin}/office/admin/facilities`);
  await axe(page, 'facilities');
  await submit(page, `main a:has-text("${words.addFacility}")`);
  await submit(page, `main button:has-text("${words.save}")`);
  expect(await page.locator('.mg-error-summary a').count()).toBeGreaterThanOrEqual(8);
  await axe(page, 'facility form with errors');
  await page.fill('#code', `kita-${suffix}`);
  await page.fill('#nameJa', `北公民館${suffix}`);
  await page.fill('#nameEn', `North centre ${suffix}`);
  await page.check('input[name=kind][value=meetingRoom]');
  await page.selectOption('#department', 'shogaigakushu');
  await page.selectOption('#procedureCode', 'kominkan-yoyaku');
  await page.fill('#slotMinutes', '120');
  await page.fill('#roomCode', 'tamokuteki');
  await page.fill('#roomNameJa', '多目的室');
  await page.fill('#roomNameEn', 'Multipurpose room');
  await page.fill('#capacity', '40');
  await page.fill('#rateResident', '600');
  await page.fill('#rateNonResident', '1200');
  await submit(page, `main button:has-text("${words.save}")`);
  expect(await page.textContent('main table')).toContain(`kita-${suffix}`);
  await axe(page, 'facilities after create');
  await submit(page, `main a[href="/office/admin/facilities/kita-${suffix}/edit"]`);
  await axe(page, 'facility edit');
  await submit(page, `main a:has-text("${words.addRoom}")`);
  await page.fill('#roomCode', 'washitsu');
  await page.fill('#roomNameJa', '和室');
  await page.fill('#roomNameEn', 'Japanese room');
  await page.fill('#capacity', '0');
  await page.fill('#rateResident', '300');
  await page.fill('#rateNonResident', '600');
  await submit(page, `main button:has-text("${words.save}")`);
  expect(await page.locator('.mg-error-summary a').count()).toBe(1);
  await axe(page, 'room form with errors');
  await page.fill('#capacity', '12');
  await submit(page, `main button:has-text("${words.save}")`);
  expect(new URL(page.url()).pathname).toBe(`/office/admin/facilities/kita-${suffix}/edit`);
  expect(await page.textContent('#facility-rooms ~ table, main section table')).toContain('washitsu');
  await axe(page, 'facility with two rooms');
  expect(await scrollWidth(page)).toBeLessThanOrEqual(page.viewportSize()!.width);
  const [row] = await d.t.dataSource.query('SELECT count(*)::int AS rooms FROM facility_rooms WHERE municipality_id = $1 AND facility_code = $2', [CITY, `kita-${suffix}`]);
  expect(row.rooms).toBe(2);
}

it('an administrator adds a department, a service and its counter, a facility and its rooms (JavaScript on, Japanese)', async () => {
  const context = await contextFor();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  try {
    await signIn(page, 'catalog-admin', '/office/admin', totp());
    await axe(page, 'admin menu');
    await catalogFlow(page, 'js', { addDepartment: '追加する', addService: '用件を追加する', addCounter: '窓口を追加する', addFacility: '施設を追加する', addRoom: '部屋・コートを追加する', save: '保存する' });
  } finally {
    await context.close();
  }
}, 420_000);

it('the same without JavaScript, in English, at 320 px', async () => {
  const context = await contextFor({ javaScript: false, lang: 'en', width: 320 });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  try {
    await signIn(page, 'catalog-admin', '/office/admin', totp());
    await catalogFlow(page, 'nojs', { addDepartment: 'Add', addService: 'Add a service', addCounter: 'Add a counter', addFacility: 'Add a facility', addRoom: 'Add a room or court', save: 'Save' });
  } finally {
    await context.close();
  }
}, 240_000);

it('a clerk draws a lottery from the day list and sees the published seed and result, with JavaScript (ja) and without (en, 320 px)', async () => {
  const desk = { kind: 'staff', id: clerkId, municipalityId: CITY, roles: ['clerk'], approvalLevel: null, departments: ['shogaigakushu'] } as unknown as StaffPrincipal;
  const lotteries = d.t.get(LotteryService);
  const closesAt = new Date(d.t.clock.now().getTime() + HOUR).toISOString();
  const first = await lotteries.create(desk, KOMINKAN, { rooms: ['kaigi-1'], periodFrom: '2026-12-08', periodTo: '2026-12-10', entryClosesAt: closesAt });
  const second = await lotteries.create(desk, KOMINKAN, { rooms: ['kaigi-2'], periodFrom: '2026-12-15', periodTo: '2026-12-17', entryClosesAt: closesAt });
  for (const [lottery, room, date] of [
    [first, 'kaigi-1', '2026-12-09'],
    [second, 'kaigi-2', '2026-12-16'],
  ] as const) {
    for (const organizerName of ['読書会', '囲碁クラブ']) {
      const entered = await as(d.server, await residentOf(d.t)).post(`/api/v1/lotteries/${lottery.id}/entries`, { room, date, slots: ['09:00'], organizerName, purpose: '定例会', attendees: 8 });
      expect(entered.status).toBe(201);
    }
  }
  d.t.clock.advance(HOUR + 1000);

  async function draw(page: Page, lottery: { id: string; seed: string }, date: string, words: { draw: string; drawn: string }): Promise<void> {
    await page.goto(`${origin}/office/facilities/${KOMINKAN}/day?date=${date}`);
    expect(await page.textContent(`#lottery-${lottery.id} [data-testid=lottery-seed]`)).toBe(lottery.seed);
    await axe(page, 'day list with a lottery to draw');
    await submit(page, `#lottery-${lottery.id} button:has-text("${words.draw}")`);
    expect(await page.textContent('main')).toContain(words.drawn);
    const result = await lotteries.drawResult(CITY, lottery.id);
    const shown = (await page.textContent(`#lottery-${lottery.id}`))!;
    for (const text of [result.seed, result.resultHash, ...result.order.map((entry) => entry.key)]) expect(shown).toContain(text);
    await axe(page, 'day list with the draw result');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(page.viewportSize()!.width);
  }

  const withJs = await contextFor();
  const page = await withJs.newPage();
  page.setDefaultTimeout(20_000);
  try {
    await signIn(page, 'lottery-clerk', `/office/facilities/${KOMINKAN}/day`);
    await draw(page, first, '2026-12-09', { draw: '抽選する', drawn: '抽選しました' });
  } finally {
    await withJs.close();
  }
  const withoutJs = await contextFor({ javaScript: false, lang: 'en', width: 320 });
  const plain = await withoutJs.newPage();
  plain.setDefaultTimeout(20_000);
  try {
    await signIn(plain, 'lottery-clerk', `/office/facilities/${KOMINKAN}/day`);
    await draw(plain, second, '2026-12-16', { draw: 'Draw now', drawn: 'Drawn.' });
  } finally {
    await withoutJs.close();
  }
}, 240_000);

it('the lobby display shows a new call in place with JavaScript (no reload, announced in the live region); without it, it carries its own reload', async () => {
  const setup = { kind: 'staff', id: clerkId, municipalityId: CITY, roles: ['administrator'], approvalLevel: null, departments: [] } as unknown as StaffPrincipal;
  const admin = d.t.get(CounterAdminService);
  await admin.createService(setup, { code: 'lobby-test', name: { ja: '転入・転出', en: 'Moving in and out' }, ticketPrefix: 'L' } as never);
  const counter = await admin.createCounter(setup, { name: { ja: '市民課 3番窓口', en: 'Counter 3' }, serviceCodes: ['lobby-test'], open: true } as never);
  const desk = { kind: 'staff', id: clerkId, municipalityId: CITY, roles: ['clerk'], approvalLevel: null, departments: ['shimin'] } as unknown as StaffPrincipal;

  const withJs = await contextFor({ width: 320 });
  try {
    const lobby = await withJs.newPage();
    const response = await lobby.goto(`${origin}/lobby`);
    expect(response!.headers().refresh).toBeUndefined();
    // With scripting on, the noscript refresh is only text: nothing reloads the page but the script's updates.
    expect(await lobby.locator('meta[http-equiv=refresh]').count()).toBe(0);
    await axe(lobby, 'lobby display before the call');
    await lobby.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    await d.t.dataSource.query('DELETE FROM rate_limits');
    await request(d.server).post('/kiosk/tickets').type('form').send({ serviceCode: 'lobby-test' }).expect(303);
    const called = await d.t.get(CounterDeskService).callNext(desk, counter.id);
    await lobby.waitForFunction((number) => document.querySelector('[aria-live=polite]')?.textContent?.includes(number), called.number, { timeout: 30_000 });
    expect(await lobby.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(await lobby.textContent('[aria-live=polite]')).toContain('市民課 3番窓口');
    await axe(lobby, 'lobby display after the call, updated in place');
    expect(await scrollWidth(lobby)).toBeLessThanOrEqual(320);
  } finally {
    await withJs.close();
  }

  const withoutJs = await contextFor({ javaScript: false, width: 320 });
  try {
    const lobby = await withoutJs.newPage();
    await lobby.goto(`${origin}/lobby?lang=en`);
    expect(await lobby.getAttribute('meta[http-equiv=refresh]', 'content')).toBe('15');
    expect(await lobby.textContent('[aria-live=polite]')).toContain('Counter 3');
    expect(await scrollWidth(lobby)).toBeLessThanOrEqual(320);
  } finally {
    await withoutJs.close();
  }
}, 180_000);
