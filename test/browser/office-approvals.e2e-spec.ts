import { ApplicationsService } from '@madoguchi/applications';
import { ApplicationWorkflowService } from '@madoguchi/engine';
import { hashPassword, ResidentRepository, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId, isoDateIn } from '@madoguchi/kernel';
import type { ApprovalLevel, StaffRole } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SAMPLE_MUNICIPALITY } from '../support/test-app';
import { publishTestSubsidy, TEST_SUBSIDY } from '../support/test-procedures';
import { expectNoAxeViolations, launchBrowser } from './support/browser';
import { startOfficeServer } from './support/office-server';

/**
 * E-approval in the office in a real browser (issue 12): a taiyoko-hojo
 * subsidy at the maximum amount goes 係長 → 財政課 合議 → 課長 (by 代決) →
 * 部長 through the pages, with JavaScript and without; axe on every state
 * reached; separation of duties said in words; an approver of another
 * department sees nothing; the pages reflow at 320 px in English.
 */

const M1 = asMunicipalityId(SAMPLE_MUNICIPALITY);
const PASSWORD = 'office-browser-password-02';
const FORM = {
  applicantName: '窓口 花子',
  applicantKana: 'マドグチ ハナコ',
  phone: '03-1234-5678',
  installationAddress: '桜ヶ丘市本町1-2-3',
  buildingType: '既存住宅',
  capacityKw: 5,
  installationCost: 1200000,
  requestedAmount: 100000,
  installerName: '桜ヶ丘電設株式会社',
  plannedCompletionDate: '2027-02-28',
};

let server: Awaited<ReturnType<typeof startOfficeServer>>;
let browser: Browser;
let residentId: string;
const ids: Record<string, string> = {};

async function staff(loginId: string, roles: StaffRole[], departments: string[], approvalLevel: ApprovalLevel | null): Promise<void> {
  const created = await server.app.get(StaffAdminService).create(M1, 'office-setup', { loginId, password: PASSWORD, displayName: `職員 ${loginId}`, roles, approvalLevel, departments, active: true });
  ids[loginId] = created.account.id;
}

async function caseInApproval(): Promise<string> {
  const workflow = server.app.get(ApplicationWorkflowService);
  const draft = await server.app.get(ApplicationsService).createDraft(M1, { procedureCode: TEST_SUBSIDY, channel: 'online', applicantId: residentId, formData: FORM, actor: { kind: 'resident', id: residentId } });
  await workflow.transition(M1, draft.id, { type: 'resident.submit', actor: { kind: 'resident', id: residentId }, payload: {} });
  await workflow.transition(M1, draft.id, { type: 'staff.accept', actor: { kind: 'staff', id: ids['kankyo-reviewer-approver'] }, payload: {} });
  return draft.id;
}

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startOfficeServer();
  await publishTestSubsidy(server.app);
  residentId = randomUUID();
  await server.app.get(ResidentRepository).insert(M1, { id: residentId, email: 'approvals-browser@example.jp', passwordHash: await hashPassword(PASSWORD), jpkiSubject: null, now: server.app.clock.now() });
  await staff('kankyo-kakaricho', ['approver'], ['kankyo'], 'kakaricho');
  await staff('kankyo-kakaricho-b', ['approver'], ['kankyo'], 'kakaricho');
  await staff('zaisei-kakaricho', ['approver'], ['zaisei'], 'kakaricho');
  await staff('kankyo-kacho', ['approver'], ['kankyo'], 'kacho');
  await staff('kankyo-bucho', ['approver'], ['kankyo'], 'bucho');
  await staff('kankyo-reviewer-approver', ['reviewer', 'approver'], ['kankyo'], 'kacho');
  await staff('shimin-bucho', ['approver'], ['shimin'], 'bucho');
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

async function signIn(page: Page, loginId: string, start = '/office/approvals'): Promise<void> {
  await server.app.dataSource.query('DELETE FROM rate_limits');
  await page.context().clearCookies();
  await page.goto(`${server.origin}${start}`);
  expect(new URL(page.url()).pathname).toBe('/office/sign-in');
  await page.fill('#loginId', loginId);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]:has-text("ログイン"), button[type=submit]:has-text("Sign in")')]);
  expect(new URL(page.url()).pathname).toBe(start);
}

const click = (page: Page, selector: string) => Promise.all([page.waitForNavigation(), page.click(selector)]);

/** Chooses and records a decision through form, confirmation and result. `check` runs axe on each state when given. */
async function decide(page: Page, id: string, choice: string, comment: string, check?: (label: string) => Promise<void>): Promise<void> {
  await page.goto(`${server.origin}/office/approvals/${id}`);
  await page.check(`input[name=choice][value=${choice}]`);
  if (comment) await page.fill('#comment', comment);
  await click(page, 'button:has-text("決裁する")');
  expect(await page.textContent('main')).toContain('決裁の確認');
  await check?.('confirm');
  await click(page, 'button:has-text("決裁を確定する")');
  expect(page.url()).toContain(`/office/approvals/${id}?done=`);
  expect(await page.textContent('main')).toContain('決裁を記録しました');
  await check?.('result');
}

it('係長 decides from the inbox with JavaScript; errors, confirmation and result pass axe; the reviewer is told why not; 代決 is set', async () => {
  const id = await caseInApproval();
  const context = await contextFor();
  const page = await context.newPage();
  const check = (label: string) => expectNoAxeViolations(page, label);
  try {
    // Whoever reviewed the case sees why they cannot decide it (its step is theirs by level and department).
    await signIn(page, 'kankyo-reviewer-approver', `/office/approvals/${id}`);
    expect(await page.textContent('main')).toContain('審査したため、決裁できません');
    expect(await page.locator('input[name=choice]').count()).toBe(0);
    await check('case, separation of duties');

    await signIn(page, 'kankyo-kakaricho');
    const step = page.locator('[aria-current="step"]');
    expect(await step.textContent()).toContain('係長');
    expect(await step.textContent()).toContain('現在の段階');
    await check('inbox');
    await click(page, `a[href="/office/approvals/${id}"]`);
    expect(await page.textContent('main')).toContain('決裁記録：まだ決裁はありません');
    await check('case');
    await click(page, 'button:has-text("決裁する")');
    expect(await page.textContent('.mg-error-summary')).toContain('決裁の内容を選んでください');
    await check('case with errors');
    await decide(page, id, 'approve', '内容確認済み', (label) => check(`decision ${label}`));
    expect(await page.textContent('main')).toContain('決裁記録：改ざんなし（1件を検証）');
    expect(await page.textContent('main')).toContain('現在の段階を決裁する職位または所属ではありません');

    // The 課長 names a colleague for today.
    await signIn(page, 'kankyo-kacho', '/office/approvals/delegations');
    await check('delegations empty');
    await click(page, 'button:has-text("代決を設定する")');
    expect(await page.locator('.mg-error-summary a').count()).toBe(4);
    await check('delegations with errors');
    const today = isoDateIn(server.app.clock.now(), 'Asia/Tokyo');
    await page.selectOption('#delegateId', ids['kankyo-kakaricho-b']);
    await page.fill('#startsOn', today);
    await page.fill('#endsOn', today);
    await page.fill('#reason', '出張のため');
    await click(page, 'button:has-text("代決を設定する")');
    expect(await page.textContent('main')).toContain('代決を設定しました');
    await check('delegations set');
  } finally {
    await context.close();
  }
}, 240_000);

it('合議, 代決 and the last step with JavaScript disabled; another department sees nothing', async () => {
  const [{ application_id: id }] = await server.app.dataSource.query(`SELECT application_id FROM approval_progress WHERE status = 'open' ORDER BY opened_at LIMIT 1`);
  const context = await contextFor({ javaScript: false });
  const page = await context.newPage();
  try {
    await signIn(page, 'zaisei-kakaricho');
    expect(await page.textContent('main')).toContain('合議（財政課）');
    await decide(page, id, 'approve', '予算の範囲内');

    await signIn(page, 'kankyo-kakaricho-b');
    expect(await page.textContent('main')).toContain('代決：職員 kankyo-kacho さんに代わって決裁します');
    await decide(page, id, 'approve', '');
    expect(await page.textContent('main')).toContain('職員 kankyo-kakaricho-b が 職員 kankyo-kacho さんに代わって（代決）');

    await signIn(page, 'kankyo-bucho');
    await decide(page, id, 'approve', '交付決定');
    expect(await page.textContent('main')).toContain('決裁記録：改ざんなし（4件を検証）');
    expect(await page.textContent('main')).toContain('いま決裁中ではありません');

    await signIn(page, 'shimin-bucho');
    expect(await page.textContent('main')).toContain('決裁待ちの申請はありません');
    const other = await page.goto(`${server.origin}/office/approvals/${id}`);
    expect(other?.status()).toBe(404);
  } finally {
    await context.close();
  }
}, 240_000);

it('the approval pages pass axe in English and reflow at 320 px', async () => {
  const id = await caseInApproval();
  const context = await contextFor({ lang: 'en', width: 320 });
  const page = await context.newPage();
  try {
    await signIn(page, 'kankyo-kacho');
    for (const path of ['/office/approvals', `/office/approvals/${id}`, '/office/approvals/delegations']) {
      await page.goto(`${server.origin}${path}`);
      await expectNoAxeViolations(page, `${path} [en]`);
      expect({ path, width: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ path, width: expect.any(Number) });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    }
  } finally {
    await context.close();
  }
}, 180_000);
