import { ApplicationsService } from '@madoguchi/applications';
import { ApplicationWorkflowService } from '@madoguchi/engine';
import { hashPassword, ResidentRepository, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId } from '@madoguchi/kernel';
import { randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SAMPLE_MUNICIPALITY } from '../support/test-app';
import { expectNoAxeViolations, launchBrowser, recordForeignRequests } from './support/browser';
import { startOfficeServer } from './support/office-server';

/**
 * The staff office in a real browser (issue 12): a clerk signs in with
 * password and TOTP, works a case from the queue to acceptance (with
 * JavaScript, without it, and by keyboard only); axe finds nothing on any
 * state reached, in Japanese and English; pages reflow at 320 px.
 */

const M1 = asMunicipalityId(SAMPLE_MUNICIPALITY);
const PASSWORD = 'office-browser-password-01';
const HOIKU_FORM = { applicantName: '窓口 花子', applicantKana: 'マドグチ ハナコ', phone: '03-1234-5678', childName: '窓口 太郎', facilityName: '桜ヶ丘保育園', reason: '就労', reasonContinues: true };

let server: Awaited<ReturnType<typeof startOfficeServer>>;
let browser: Browser;
let residentId: string;
const secrets: Record<string, string> = {};

async function clerk(loginId: string): Promise<void> {
  const admin = server.app.get(StaffAdminService);
  await admin.create(M1, 'office-setup', { loginId, password: PASSWORD, displayName: `保育 ${loginId}`, roles: ['clerk'], approvalLevel: null, departments: ['hoiku'], active: true });
}

async function hoikuCase(): Promise<string> {
  const draft = await server.app.get(ApplicationsService).createDraft(M1, { procedureCode: 'kosodate-13', channel: 'online', applicantId: residentId, formData: HOIKU_FORM, actor: { kind: 'resident', id: residentId } });
  await server.app.get(ApplicationWorkflowService).transition(M1, draft.id, { type: 'resident.submit', actor: { kind: 'resident', id: residentId }, payload: {} });
  return draft.id;
}

function code(secret: string): string {
  // Each code signs in once: the test clock moves a step on for every new code.
  server.app.clock.advance(30_000);
  return new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: server.app.clock.now().getTime() });
}

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startOfficeServer();
  residentId = randomUUID();
  await server.app.get(ResidentRepository).insert(M1, { id: residentId, email: 'office-browser@example.jp', passwordHash: await hashPassword(PASSWORD), jpkiSubject: null, now: server.app.clock.now() });
  const admin = await server.app.get(StaffAdminService).bootstrapAdministrator(M1, { loginId: 'browser-admin', displayName: '管理 一郎', password: PASSWORD });
  secrets['browser-admin'] = admin.totpSecret;
  for (const loginId of ['clerk-js', 'clerk-nojs', 'clerk-keys']) await clerk(loginId);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function contextFor(options: { javaScript?: boolean; width?: number; lang?: 'ja' | 'en' } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScript ?? true, viewport: { width: options.width ?? 1280, height: 900 }, locale: 'ja-JP' });
  if (options.lang) await context.addCookies([{ name: 'lang', value: options.lang, url: server.origin }]);
  return context;
}

async function signIn(page: Page, loginId: string, totp?: string, start = '/office/queue'): Promise<void> {
  await server.app.dataSource.query('DELETE FROM rate_limits');
  await page.goto(`${server.origin}${start}`);
  expect(new URL(page.url()).pathname).toBe('/office/sign-in');
  await page.fill('#loginId', loginId);
  await page.fill('#password', PASSWORD);
  if (totp) await page.fill('#totpCode', totp);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]:has-text("ログイン"), button[type=submit]:has-text("Sign in")')]);
}

/** Queue → case → claim → accept (confirm) → the result shown. `check` runs axe on each state when given. */
async function workCase(page: Page, id: string, check?: (label: string) => Promise<void>): Promise<void> {
  expect(new URL(page.url()).pathname).toBe('/office/queue');
  await check?.('queue');
  await Promise.all([page.waitForNavigation(), page.click(`a[href="/office/applications/${id}"]`)]);
  await check?.('case');
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("担当する")')]);
  expect(await page.textContent('main')).toContain('担当になりました');
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("受理する")')]);
  expect(await page.textContent('main')).toContain('確認：受理する');
  await check?.('confirm');
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("確定する")')]);
  expect(await page.textContent('main')).toContain('「受理する」を行いました');
  await check?.('result');
  const [row] = await server.app.dataSource.query('SELECT state FROM applications WHERE id = $1', [id]);
  expect(row.state).not.toBe('underReview');
}

it('an administrator signs in with password and TOTP; the page states errors and passes axe', async () => {
  const context = await contextFor();
  const page = await context.newPage();
  const foreign = recordForeignRequests(page, server.origin);
  try {
    await signIn(page, 'browser-admin', undefined, '/office/sign-in');
    expect(await page.textContent('.mg-error-summary')).toContain('確認コード');
    await expectNoAxeViolations(page, 'sign-in with errors');
    await page.fill('#password', PASSWORD);
    await page.fill('#totpCode', code(secrets['browser-admin']));
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]:has-text("ログイン")')]);
    expect(new URL(page.url()).pathname).toBe('/office');
    expect(await page.textContent('header')).toContain('管理 一郎');
    expect(await page.textContent('header')).toContain('システム管理者');
    // Administrators have no queue: no link to it.
    expect(await page.locator('a[href="/office/queue"]').count()).toBe(0);
    await expectNoAxeViolations(page, 'office home (administrator)');
    expect(foreign).toEqual([]);
  } finally {
    await context.close();
  }
}, 120_000);

it('a clerk enrols TOTP from the QR page, then works a case from the queue to acceptance; axe on every state', async () => {
  const id = await hoikuCase();
  const context = await contextFor();
  const page = await context.newPage();
  try {
    await signIn(page, 'clerk-js');
    await page.goto(`${server.origin}/office/totp`);
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("登録を始める")')]);
    expect(await page.getAttribute('img[alt]', 'src')).toMatch(/^data:image\/png;base64,/);
    await expectNoAxeViolations(page, 'totp QR');
    const secret = (await page.textContent('main code'))!.trim();
    await page.fill('#code', code(secret));
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("登録する")')]);
    expect(await page.textContent('main')).toContain('二要素認証を登録しました');
    // Enrolled: the next sign-in needs the code.
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("ログアウト")')]);
    await signIn(page, 'clerk-js', code(secret));
    await workCase(page, id, (label) => expectNoAxeViolations(page, `clerk flow: ${label}`));
  } finally {
    await context.close();
  }
}, 180_000);

it('the clerk flow works with JavaScript disabled', async () => {
  const id = await hoikuCase();
  const context = await contextFor({ javaScript: false });
  const page = await context.newPage();
  try {
    await signIn(page, 'clerk-nojs');
    await workCase(page, id);
  } finally {
    await context.close();
  }
}, 120_000);

it('the clerk flow works by keyboard alone', async () => {
  const id = await hoikuCase();
  const context = await contextFor();
  const page = await context.newPage();
  /** Tabs until the focused element matches, then presses Enter. */
  const tabTo = async (matches: (element: Element) => boolean, label: string) => {
    for (let step = 0; step < 80; step++) {
      await page.keyboard.press('Tab');
      const found = await page.evaluate(`(${matches.toString()})(document.activeElement)`);
      if (found) {
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        return;
      }
    }
    throw new Error(`${label} not reached by Tab on ${page.url()}: ${await page.textContent('main')}`);
  };
  try {
    await signIn(page, 'clerk-keys');
    // The queue filtered to cases nobody holds, then this case's link.
    await page.goto(`${server.origin}/office/queue?claimed=none&sort=submittedAt&order=desc`);
    await tabTo(new Function('element', `return element.getAttribute('href') === '/office/applications/${id}'`) as (element: Element) => boolean, 'case link');
    await tabTo((element) => element.tagName === 'BUTTON' && element.textContent?.includes('担当する') === true, 'claim');
    await tabTo((element) => element.tagName === 'BUTTON' && element.textContent?.includes('受理する') === true, 'accept');
    await tabTo((element) => element.tagName === 'BUTTON' && element.textContent?.includes('確定する') === true, 'confirm');
    expect(await page.textContent('main')).toContain('「受理する」を行いました');
  } finally {
    await context.close();
  }
}, 120_000);

it('office pages pass axe in English and reflow at 320 px', async () => {
  const id = await hoikuCase();
  const context = await contextFor({ lang: 'en', width: 320 });
  const page = await context.newPage();
  try {
    await page.goto(`${server.origin}/office/sign-in`);
    await expectNoAxeViolations(page, 'sign-in [en]');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await server.app.dataSource.query('DELETE FROM rate_limits');
    await page.fill('#loginId', 'clerk-nojs');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]:has-text("Sign in")')]);
    for (const path of ['/office/queue', '/office/queue?overdue=true&claimed=none', `/office/applications/${id}`, '/office/totp']) {
      await page.goto(`${server.origin}${path}`);
      await expectNoAxeViolations(page, `${path} [en]`);
      expect({ path, width: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ path, width: expect.any(Number) });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    }
  } finally {
    await context.close();
  }
}, 180_000);
