import { StaffAdminService } from '@madoguchi/identity';
import type { StaffRole } from '@madoguchi/workflow';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type CaseRecordsFixture, deskRefund, RECORDS_INDIVIDUAL_NUMBER, seedCaseRecords } from '../support/office-case-records';
import { CITY, PaymentsDriver } from '../support/payments-driver';
import { expectNoAxeViolations, launchBrowser, recordForeignRequests } from './support/browser';

/** The flows run axe on every state with JavaScript; without it the same states are checked for behaviour only. */
const axeCheck = expectNoAxeViolations;

/**
 * The office case page's records in a real browser (issue 12): a reviewer
 * reveals an individual number for a reason, opens an attachment,
 * downloads and revokes (or reissues) a document, and a clerk pays out a
 * desk refund; with JavaScript and without; axe finds nothing on any state
 * reached; the pages reflow at 320 px.
 */

const PASSWORD = 'office-case-browser-0001';

let d: PaymentsDriver;
let browser: Browser;
let origin: string;

async function account(loginId: string, roles: StaffRole[], departments: string[]): Promise<void> {
  await d.t.get(StaffAdminService).create(CITY, 'office-case-setup', { loginId, password: PASSWORD, displayName: `職員 ${loginId}`, roles, approvalLevel: null, departments, active: true });
}

beforeAll(async () => {
  browser = await launchBrowser();
  d = await PaymentsDriver.start({ office: true, env: { DIGITAL_AUTH_ISSUER: 'off', PUBLIC_BASE_URL: 'https://madoguchi.example.jp' } });
  origin = `http://127.0.0.1:${d.port}`;
  await account('case-reviewer', ['reviewer'], ['shimin', 'kodomo']);
  await account('case-clerk', ['clerk'], ['shimin', 'kodomo']);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await d?.close();
});

async function contextFor(options: { javaScript?: boolean; width?: number; lang?: 'ja' | 'en' } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScript ?? true, viewport: { width: options.width ?? 1280, height: 900 }, locale: 'ja-JP', acceptDownloads: true });
  if (options.lang) await context.addCookies([{ name: 'lang', value: options.lang, url: origin }]);
  return context;
}

async function signIn(page: Page, loginId: string, start: string): Promise<void> {
  await d.t.dataSource.query('DELETE FROM rate_limits');
  await page.goto(`${origin}${start}`);
  expect(new URL(page.url()).pathname).toBe('/office/sign-in');
  await page.fill('#loginId', loginId);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]:has-text("ログイン"), button[type=submit]:has-text("Sign in")')]);
  expect(new URL(page.url()).pathname).toBe(start);
}

/** Reveal, attachment, document download and `action` (revoke or reissue) on the fixture's cases; axe on each state. */
async function reviewerFlow(page: Page, fixture: CaseRecordsFixture, action: 'revoke' | 'reissue', axe: boolean): Promise<void> {
  const expectNoAxeViolations = axe ? axeCheck : async () => undefined;
  await signIn(page, 'case-reviewer', `/office/applications/${fixture.allowanceCase}`);
  expect(await page.textContent('main')).toContain(`********${RECORDS_INDIVIDUAL_NUMBER.slice(-4)}`);
  await expectNoAxeViolations(page, 'case with individual number and attachment');

  // Without a reason: the error summary links to the field.
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("理由を記録して表示する")')]);
  expect(await page.textContent('.mg-error-summary')).toContain('表示する理由を2文字以上200文字以内で入力してください。');
  await expectNoAxeViolations(page, 'reveal refused');
  await page.fill('#purpose', '児童手当の認定審査');
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("理由を記録して表示する")')]);
  expect(await page.textContent('main')).toContain(RECORDS_INDIVIDUAL_NUMBER);
  expect(page.url()).not.toContain(RECORDS_INDIVIDUAL_NUMBER);
  await expectNoAxeViolations(page, 'revealed');
  await Promise.all([page.waitForNavigation(), page.click('a:has-text("案件に戻る")')]);
  expect(await page.textContent('main')).not.toContain(RECORDS_INDIVIDUAL_NUMBER);

  // The attachment as the browser receives it (a PDF viewer is not part of headless chromium).
  const view = await page.getAttribute('a:has-text("診断書.pdf を表示")', 'href');
  const viewed = await page.context().request.get(`${origin}${view}`);
  expect({ status: viewed.status(), type: viewed.headers()['content-type'], disposition: viewed.headers()['content-disposition'], nosniff: viewed.headers()['x-content-type-options'] }).toEqual({
    status: 200,
    type: 'application/pdf',
    disposition: `inline; filename*=UTF-8''${encodeURIComponent('診断書.pdf')}`,
    nosniff: 'nosniff',
  });
  expect((await viewed.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

  await page.goto(`${origin}/office/applications/${fixture.certificateCase}`);
  expect(await page.textContent('main')).toContain(fixture.payment.receiptNumber);
  await expectNoAxeViolations(page, 'case with payment and document');
  const serial = /R8-C\d{6}/.exec((await page.textContent('main')) ?? '')![0];
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`a:has-text("${serial} の PDF をダウンロード")`)]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);

  const label = action === 'revoke' ? '取り消す' : '再発行する';
  await page.fill(`textarea[name=reason][id^="reason-${action}-"]`, '宛名の誤りのため');
  await Promise.all([page.waitForNavigation(), page.click(`form[action$="/${action}"] button:has-text("${label}")`)]);
  expect(await page.textContent('main')).toContain(`${serial} を${label}`);
  await expectNoAxeViolations(page, `${action} confirmation`);
  await Promise.all([page.waitForNavigation(), page.click(`.mg-office-confirm button:has-text("${label}")`)]);
  const main = (await page.textContent('main')) ?? '';
  expect(main).toContain(action === 'revoke' ? `${serial} を取り消しました。` : '再発行しました。');
  expect(main).toContain('取消し済み');
  await expectNoAxeViolations(page, `${action} done`);
}

async function payoutFlow(page: Page, fixture: CaseRecordsFixture, axe: boolean): Promise<void> {
  const expectNoAxeViolations = axe ? axeCheck : async () => undefined;
  await deskRefund(d, fixture.payment.id);
  await signIn(page, 'case-clerk', '/office/counter/refunds');
  expect(await page.textContent('main')).toContain(fixture.payment.receiptNumber);
  await expectNoAxeViolations(page, 'refunds waiting');
  const row = page.locator('tr', { hasText: fixture.payment.receiptNumber });
  await Promise.all([page.waitForNavigation(), row.locator('button').click()]);
  expect(await page.textContent('main')).toContain('を返金します');
  await expectNoAxeViolations(page, 'payout confirmation');
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("返金済みにする")')]);
  const main = (await page.textContent('main')) ?? '';
  expect(main).toContain('返金しました');
  expect(main).toContain(fixture.payment.receiptNumber);
  await expectNoAxeViolations(page, 'payout done');
}

it('with JavaScript: reveal, attachment, document download and revoke, desk refund payout; axe on every state', async () => {
  const fixture = await seedCaseRecords(d);
  const context = await contextFor();
  const page = await context.newPage();
  const foreign = recordForeignRequests(page, origin);
  try {
    await reviewerFlow(page, fixture, 'revoke', true);
    await context.clearCookies();
    await payoutFlow(page, fixture, true);
    expect(foreign).toEqual([]);
  } finally {
    await context.close();
  }
}, 360_000);

it('without JavaScript: the same forms post and answer, reissuing this time', async () => {
  const fixture = await seedCaseRecords(d);
  const context = await contextFor({ javaScript: false });
  const page = await context.newPage();
  try {
    await reviewerFlow(page, fixture, 'reissue', false);
    await context.clearCookies();
    await payoutFlow(page, fixture, false);
  } finally {
    await context.close();
  }
}, 360_000);

it('in English at 320 px: the case page and the refunds page reflow and pass axe', async () => {
  const fixture = await seedCaseRecords(d);
  const context = await contextFor({ lang: 'en', width: 320 });
  const page = await context.newPage();
  try {
    await signIn(page, 'case-reviewer', `/office/applications/${fixture.certificateCase}`);
    for (const path of [`/office/applications/${fixture.allowanceCase}`, `/office/applications/${fixture.certificateCase}`, `/office/applications/${fixture.allowanceCase}/signature`, '/office/counter/refunds']) {
      await page.goto(`${origin}${path}`);
      expect({ path, width: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ path, width: 320 });
      await expectNoAxeViolations(page, `${path} (en, 320 px)`);
    }
  } finally {
    await context.close();
  }
}, 240_000);
