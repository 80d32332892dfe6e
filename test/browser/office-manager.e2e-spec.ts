import { StaffAdminService } from '@madoguchi/identity';
import { KpiRegisterService } from '@madoguchi/kpi';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { asMunicipalityId } from '@madoguchi/kernel';
import { SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';
import { launchBrowser, recordForeignRequests } from './support/browser';
import { startOfficeServer } from './support/office-server';
import { OfficePages, submit } from './support/office-pages';

const CITY = asMunicipalityId(SAMPLE_MUNICIPALITY);

/**
 * The managers' pages in a real browser (issue 13): a manager signs in,
 * sees every seeded plan KPI with its chart image and data table, enters a
 * month's value (errors first) and sees it on the dashboard; an
 * administrator edits the KPI register. With JavaScript (Japanese) and
 * without (English), axe on every state, 320 px without horizontal scroll,
 * nothing fetched from elsewhere. The dashboard is a long page (every KPI
 * with its table): axe on it takes a while, hence the longer timeouts.
 */

const PASSWORD = 'office-manager-browser-pw-01';
let server: { app: TestApp; origin: string; close(): Promise<void> };
let origin: string;
let browser: Browser;
let adminSecret: string;
let pages: OfficePages;

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startOfficeServer();
  origin = server.origin;
  pages = new OfficePages(browser, server.app, origin, PASSWORD);
  const staff = server.app.get(StaffAdminService);
  await staff.create(CITY, 'setup', { loginId: 'kpi-manager', password: PASSWORD, displayName: '情報 政策', roles: ['manager'], approvalLevel: null, departments: ['johoseisaku'], active: true });
  ({ totpSecret: adminSecret } = await staff.bootstrapAdministrator(CITY, { loginId: 'kpi-admin', displayName: '管理 一郎', password: PASSWORD }));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function expectNoHorizontalScroll(page: Page): Promise<void> {
  await page.setViewportSize({ width: 320, height: 800 });
  expect({ url: page.url(), width: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ url: page.url(), width: expect.any(Number) });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Every seeded KPI on the dashboard: its heading, an image that is an SVG chart from our origin, and its data table. */
async function expectEveryKpi(page: Page, lang: 'ja' | 'en'): Promise<void> {
  const cards = await server.app.get(KpiRegisterService).cards(CITY, {});
  expect(cards.length).toBeGreaterThanOrEqual(10);
  for (const card of cards) {
    await expect(page.locator(`#kpi-${card.code}-title`).textContent()).resolves.toBe(card.name[lang]);
    const src = await page.locator(`#kpi-${card.code}-chart img`).getAttribute('src');
    expect(src).toMatch(new RegExp(`^/office/kpis/${card.code}/chart\\.svg\\?`));
    const image = await page.request.get(`${origin}${src}`);
    expect({ code: card.code, status: image.status(), type: image.headers()['content-type'] }).toEqual({ code: card.code, status: 200, type: 'image/svg+xml; charset=utf-8' });
    expect(await page.locator(`#kpi-${card.code}-chart table tbody tr`).count()).toBeGreaterThan(0);
  }
}

/** The manager's flow: the dashboard, then a month's value for the LINE followers (errors first), seen on the dashboard. */
async function managerFlow(page: Page, lang: 'ja' | 'en', text: { enter: string; submit: string; recorded: string; shown: string }): Promise<void> {
  await expectEveryKpi(page, lang);
  await pages.axe(page, 'dashboard');
  await submit(page, `#kpi-line-followers-title ~ p a:has-text("${text.enter}")`);
  expect(new URL(page.url()).pathname).toBe('/office/kpis/line-followers');
  await pages.axe(page, 'KPI entry form');
  await page.fill('#month', '2026/10');
  await page.fill('#value', '');
  await submit(page, `main button:has-text("${text.submit}")`);
  expect(await page.locator('.mg-error-summary a').count()).toBe(2);
  await pages.axe(page, 'KPI entry form with errors');
  await page.fill('#month', '2026-10');
  await page.fill('#value', lang === 'ja' ? '4200' : '4300');
  await page.fill('#note', 'browser test');
  await submit(page, `main button:has-text("${text.submit}")`);
  expect(await page.locator('.mg-banner--success').textContent()).toContain(text.recorded);
  expect(await page.locator('main table').last().textContent()).toContain('情報 政策');
  await pages.axe(page, 'KPI entry recorded');
  await page.goto(`${origin}/office/dashboard`);
  expect(await page.locator('#kpi-line-followers-title ~ ul').textContent()).toContain(text.shown);
}

it('a manager sees every KPI with chart and table, enters a value and sees it (JavaScript on, Japanese)', async () => {
  const context = await pages.contextFor();
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const foreign = recordForeignRequests(page, origin);
  try {
    await pages.signIn(page, 'kpi-manager', '/office/dashboard');
    await managerFlow(page, 'ja', { enter: '値を入力する', submit: '記録する', recorded: '値を記録しました', shown: '4,200人' });
    // The filter form: another year and a department, on the server.
    await page.selectOption('#fiscalYear', '2025');
    await page.selectOption('#department', 'shimin');
    await submit(page, 'main form#filters button');
    expect(new URL(page.url()).search).toBe('?fiscalYear=2025&department=shimin');
    expect(await page.locator('#kpi-mynumber-card-uptake-title').count()).toBe(1);
    expect(await page.locator('#kpi-line-followers-title').count()).toBe(0);
    await pages.axe(page, 'dashboard filtered');
    expect(foreign).toEqual([]);
  } finally {
    await context.close();
  }
}, 300_000);

it('the same without JavaScript, in English; the pages reflow at 320 px', async () => {
  const context = await pages.contextFor({ javaScript: false, lang: 'en' });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  try {
    await pages.signIn(page, 'kpi-manager', '/office/dashboard');
    await managerFlow(page, 'en', { enter: 'Enter a value', submit: 'Record', recorded: 'The value was recorded', shown: '4,300 人' });
    await expectNoHorizontalScroll(page);
    await page.goto(`${origin}/office/kpis/line-followers`);
    // The correction is a new entry: both values stay listed.
    const history = await page.locator('main table').last().textContent();
    expect(history).toContain('4,200');
    expect(history).toContain('4,300');
    await expectNoHorizontalScroll(page);
  } finally {
    await context.close();
  }
}, 300_000);

it('an administrator changes a KPI of the register and sees the revision kept', async () => {
  const context = await pages.contextFor();
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  try {
    server.app.clock.advance(31_000);
    const code = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(adminSecret) }).generate({ timestamp: server.app.clock.now().getTime() });
    await pages.signIn(page, 'kpi-admin', '/office/admin/kpis', code);
    await pages.axe(page, 'KPI register');
    await submit(page, 'main a[href="/office/admin/kpis/smartphone-classes"]');
    await pages.axe(page, 'KPI edit form');
    await page.fill('#targetValue', '4');
    await submit(page, 'main form#kpi-form button[type=submit]');
    expect(await page.locator('.mg-error-summary a').count()).toBe(1);
    await pages.axe(page, 'KPI edit form with errors');
    await page.fill('#targetValue', '24');
    await submit(page, 'main form#kpi-form button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/office/admin/kpis');
    expect(await page.locator('.mg-banner--success').textContent()).toContain('スマートフォン教室');
    await page.goto(`${origin}/office/admin/kpis/smartphone-classes`);
    expect(await page.locator('#revisions-title ~ div table tbody tr').count()).toBe(2);
    await pages.axe(page, 'KPI edit form with revisions');
    await page.goto(`${origin}/office/admin/kpis/new`);
    await pages.axe(page, 'KPI new form');
    await expectNoHorizontalScroll(page);
  } finally {
    await context.close();
  }
}, 300_000);
