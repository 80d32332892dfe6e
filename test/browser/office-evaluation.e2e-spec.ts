import { SessionService, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId } from '@madoguchi/kernel';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { freePort } from '../support/free-port';
import { createTestApp, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';
import { expectNoAxeViolations, launchBrowser, recordForeignRequests } from './support/browser';

/**
 * Managers' reporting and the public pages in a real browser (issue 13): a
 * manager rates an area (errors first) and sees the rating's trail, opens
 * the printable annual report (print media hides the page furniture);
 * anyone reads the progress page in three languages and the open-data page
 * without signing in, with no CSP complaint about the embedded JSON-LD. Axe
 * on every state with JavaScript; the same rating without JavaScript; every
 * page at 320 px without horizontal scroll.
 */

const M1 = asMunicipalityId(SAMPLE_MUNICIPALITY);
let t: TestApp;
let origin: string;
let browser: Browser;
let managerCookie: string;

beforeAll(async () => {
  browser = await launchBrowser();
  t = await createTestApp({ portal: true, office: true, env: { DIGITAL_AUTH_ISSUER: 'off' } });
  const port = await freePort();
  await t.app.listen(port, '127.0.0.1');
  origin = `http://127.0.0.1:${port}`;
  const { account } = await t.get(StaffAdminService).create(M1, 'setup', { loginId: 'browser-manager', password: 'browser-manager-pw-0001', displayName: '情報 政策', roles: ['manager'], approvalLevel: null, departments: [], active: true });
  managerCookie = (await t.get(SessionService).issue(M1, { kind: 'staff', id: account.id }, 'cookie', 'password')).accessToken;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function contextFor(options: { javaScript?: boolean; width?: number; lang?: 'ja' | 'ja-easy' | 'en'; manager?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScript ?? true, viewport: { width: options.width ?? 1280, height: 900 }, locale: 'ja-JP' });
  const cookies = [];
  if (options.lang) cookies.push({ name: 'lang', value: options.lang, url: origin });
  if (options.manager) cookies.push({ name: 'madoguchi_session', value: managerCookie, url: origin });
  if (cookies.length > 0) await context.addCookies(cookies);
  return context;
}

async function submit(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

/** Every chart image on the page was fetched and drawn. */
async function expectImagesLoaded(page: Page): Promise<number> {
  const sizes = await page.$$eval('img.mg-chart__image', (images) => images.map((image) => (image as HTMLImageElement).naturalWidth));
  expect(sizes.every((width) => width > 0)).toBe(true);
  return sizes.length;
}

/** Rates 推進体制 through its form: first a row without a mark (refused), then three items. */
async function rateArea(page: Page, check: (label: string) => Promise<void>): Promise<void> {
  await page.goto(`${origin}/office/evaluation?fiscalYear=2026`);
  await check('evaluation list');
  await submit(page, 'main a[href="/office/evaluation/2026/areas/promotion"]');
  await check('area page, no items');
  await page.fill('#item-0-labelJa', 'DX推進本部の設置');
  await submit(page, 'main form[method="post"] button[type=submit]');
  expect(await page.locator('.mg-error-summary a[href="#item-0-mark"]').count()).toBe(1);
  await check('area form with errors');
  await page.selectOption('#item-0-mark', 'advanced');
  await page.fill('#item-1-labelJa', 'CIO補佐官の任用');
  await page.selectOption('#item-1-mark', 'advanced');
  await page.fill('#item-2-labelJa', '職員研修');
  await page.selectOption('#item-2-mark', 'needsStudy');
  await page.fill('#item-2-national', '48.2');
  await page.fill('#goodPoints', '全庁的な推進体制がある');
  await page.selectOption('#publishedRating', 'advanced');
  await submit(page, 'main form[method="post"] button[type=submit]');
  expect(new URL(page.url()).search).toBe('?saved=1');
}

it('a manager rates an area and sees the trail, then reads the printable annual report (JavaScript on, axe on each state)', async () => {
  const context = await contextFor({ manager: true });
  const page = await context.newPage();
  const foreign = recordForeignRequests(page, origin);
  await rateArea(page, (label) => expectNoAxeViolations(page, label));
  // 先進的 2, 検討が必要 1: (検討が必要+遅れている) is exactly 1/3, so both sides of the written rule hold; the lower applies.
  const main = await page.locator('main').innerText();
  expect(main).toContain('やや不備あり');
  expect(main).toContain('2/3');
  expect(main).toContain('最も低い「やや不備あり」');
  expect(main).toContain('不一致');
  await expectNoAxeViolations(page, 'area page with a rating');

  await page.goto(`${origin}/office/reports/annual/2026`);
  expect(await expectImagesLoaded(page)).toBeGreaterThanOrEqual(10);
  expect(await page.locator('main').innerText()).toContain('全庁的な推進体制がある');
  await expectNoAxeViolations(page, 'annual report');
  await page.emulateMedia({ media: 'print' });
  expect(await page.locator('header.mg-header').isVisible()).toBe(false);
  expect(await page.locator('.mg-report-screen-only').first().isVisible()).toBe(false);
  expect(await page.locator('img.mg-chart__image').first().isVisible()).toBe(true);
  await page.emulateMedia({ media: 'screen' });
  const pdf = await page.request.get(`${origin}/office/reports/annual/2026/report.pdf`);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect(foreign).toEqual([]);
  await context.close();
}, 180_000);

it.each(['ja', 'ja-easy', 'en'] as const)('anyone reads the progress and open-data pages without signing in (%s), axe clean, no CSP report', async (lang) => {
  const context = await contextFor({ lang });
  const page = await context.newPage();
  const complaints: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) complaints.push(message.text());
  });
  await page.goto(`${origin}/`);
  await submit(page, 'footer a[href="/progress"]');
  expect(await expectImagesLoaded(page)).toBeGreaterThanOrEqual(10);
  expect(await page.locator('main table').count()).toBe(1);
  await expectNoAxeViolations(page, `progress (${lang})`);
  await submit(page, 'main a[href="/opendata/"]');
  const catalog = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '{}');
  expect(catalog['@type']).toBe('dcat:Catalog');
  await expectNoAxeViolations(page, `open data (${lang})`);
  const csv = await page.request.get(`${origin}/opendata/facilities.csv`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-disposition']).toContain('attachment');
  expect(complaints).toEqual([]);
  await context.close();
}, 120_000);

it('the same rating without JavaScript; every page reflows at 320 px', async () => {
  const context = await contextFor({ manager: true, javaScript: false, lang: 'en' });
  const page = await context.newPage();
  await page.goto(`${origin}/office/evaluation/2027/areas/security`);
  await page.fill('#item-0-labelJa', 'セキュリティ研修');
  await page.fill('#item-0-labelEn', 'Security training');
  await page.selectOption('#item-0-mark', 'behind');
  await submit(page, 'main form[method="post"] button[type=submit]');
  expect(new URL(page.url()).pathname).toBe('/office/evaluation/2027/areas/security');
  const main = await page.locator('main').innerText();
  expect(main).toContain('Saved (revision 1).');
  expect(main).toContain('Deficient');

  await page.setViewportSize({ width: 320, height: 800 });
  for (const path of ['/office/evaluation', '/office/evaluation/2027/areas/security', '/office/reports/annual/2027', '/progress', '/opendata/']) {
    await page.goto(`${origin}${path}`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect({ path, fits: width <= 320 }).toEqual({ path, fits: true });
  }
  await context.close();
}, 180_000);
