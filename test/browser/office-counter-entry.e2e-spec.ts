import { ApplicationsService } from '@madoguchi/applications';
import { ApplicationWorkflowService } from '@madoguchi/engine';
import { ResidentRepository, SessionService, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId } from '@madoguchi/kernel';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { freePort } from '../support/free-port';
import { createTestApp, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';
import { expectNoAxeViolations, launchBrowser, recordForeignRequests } from './support/browser';

/**
 * Cross-app flows of issue 12 in a real browser, the resident in one
 * browser context and the clerk in another, portal and office on one
 * server: (a) counter entry from a QR handover (the resident's draft, its
 * code, the clerk opening it, the identity check, submit, receipt; the
 * resident then sees the application as theirs), and a walk-in resident
 * with JavaScript off; (b) the 差戻し round trip: the clerk returns a case
 * for correction, the resident fixes the flagged field in the portal, the
 * clerk sees the resubmission and its diff. axe on every state, 320 px.
 */

const M1 = asMunicipalityId(SAMPLE_MUNICIPALITY);
const PASSWORD = 'counter-entry-browser-01';
const HOIKU_FORM = { applicantName: '窓口 花子', applicantKana: 'マドグチ ハナコ', phone: '03-1234-5678', childName: '窓口 太郎', facilityName: '桜ヶ丘保育園', reason: '就労', reasonContinues: true };
/** Pages are judged once their HTML is in: waiting for every web font to load stalls on this loaded machine. */
const DOM = { waitUntil: 'domcontentloaded' } as const;

let app: TestApp;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  app = await createTestApp({ portal: true, office: true, env: { DIGITAL_AUTH_ISSUER: 'off', PUBLIC_BASE_URL: origin } });
  await app.app.listen(port, '127.0.0.1');
  for (const [loginId, departments] of [
    ['entry-js', ['shimin']],
    ['entry-nojs', ['shimin']],
    ['hoiku-clerk', ['hoiku']],
  ] as const) {
    await app.get(StaffAdminService).create(M1, 'entry-setup', { loginId, password: PASSWORD, displayName: `窓口 ${loginId}`, roles: ['clerk'], approvalLevel: null, departments: [...departments], active: true });
  }
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** A resident signed in (a cookie session, as the sign-in page leaves one). */
async function resident(): Promise<{ id: string; cookie: string }> {
  const id = randomUUID();
  await app.get(ResidentRepository).insert(M1, { id, email: `${id}@example.jp`, passwordHash: null, jpkiSubject: null, now: app.clock.now() });
  const tokens = await app.get(SessionService).issue(M1, { kind: 'resident', id }, 'cookie', 'password');
  return { id, cookie: tokens.accessToken };
}

async function contextFor(options: { javaScript?: boolean; width?: number; session?: string } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScript ?? true, viewport: { width: options.width ?? 1280, height: 900 }, locale: 'ja-JP' });
  const cookies = [{ name: 'lang', value: 'ja', url: origin }];
  if (options.session) cookies.push({ name: 'madoguchi_session', value: options.session, url: origin });
  await context.addCookies(cookies);
  return context;
}

async function click(page: Page, selector: string): Promise<number> {
  const [response] = await Promise.all([page.waitForNavigation(DOM), page.click(selector)]);
  return response?.status() ?? 0;
}

const path = (page: Page) => new URL(page.url()).pathname;
const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

async function signIn(page: Page, loginId: string, start: string): Promise<void> {
  await app.dataSource.query('DELETE FROM rate_limits');
  await page.goto(`${origin}${start}`, DOM);
  expect(path(page)).toBe('/office/sign-in');
  await page.fill('#loginId', loginId);
  await page.fill('#password', PASSWORD);
  await click(page, 'button[type=submit]:has-text("ログイン")');
  expect(path(page)).toBe(start);
}

/** axe (where JavaScript runs) and no horizontal scroll at the context's width. */
async function checkPage(page: Page, label: string, javaScript: boolean): Promise<void> {
  if (javaScript) {
    await expectNoAxeViolations(page, label);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
  }
}

/** The clerk's part after the draft is open: the identity check, submit, the receipt; answers the 受付番号. */
async function identityAndSubmit(page: Page, javaScript: boolean): Promise<string> {
  await page.check('input[name=method][value=driversLicense]');
  await page.fill('#note', '顔写真を照合');
  await click(page, '#record-identity');
  expect(await page.textContent('main')).toContain('本人確認を記録しました');
  expect(await page.textContent('#identity-checks')).toContain('運転免許証を確認済み');
  await checkPage(page, 'counter entry: identity recorded', javaScript);
  await click(page, '#submit-application');
  expect(path(page)).toMatch(/^\/office\/counter\/entry\/[0-9a-f-]{36}\/receipt$/);
  await checkPage(page, 'counter entry: receipt', javaScript);
  return (await page.textContent('#reference-number'))!.trim();
}

it('(a) counter entry from a QR handover: the resident’s code, the clerk’s entry and submit, the resident sees it as theirs; axe and 320 px', async () => {
  const owner = await resident();
  const residentContext = await contextFor({ session: owner.cookie, width: 320 });
  const clerkContext = await contextFor({ width: 320 });
  try {
    // The resident fills a draft online and asks for the code to show at the counter.
    const mine = await residentContext.newPage();
    const foreign = recordForeignRequests(mine, origin);
    await mine.goto(`${origin}/apply/juminhyo`, DOM);
    await click(mine, 'main form button[type=submit]');
    const id = /^\/applications\/([0-9a-f-]{36})\/form\/1$/.exec(path(mine))![1];
    await mine.check('input[name=scope][value="本人のみ"]');
    await mine.selectOption('#purpose', '学校への提出');
    await mine.fill('#copies', '2');
    await click(mine, '#save');
    await mine.goto(`${origin}/applications/${id}/check`, DOM);
    await checkPage(mine, 'portal: check with the handover offer', true);
    await click(mine, '#handover-button');
    await checkPage(mine, 'portal: handover code', true);
    expect(await mine.getAttribute('#handover-qr', 'src')).toMatch(/^data:image\/svg\+xml;base64,/);
    const code = (await mine.textContent('#handover-code'))!.trim();
    expect(foreign).toEqual([]);

    // The clerk, in another browser, types the code read from the resident's screen.
    const desk = await clerkContext.newPage();
    await signIn(desk, 'entry-js', '/office/counter/entry');
    await checkPage(desk, 'counter entry: start', true);
    await desk.fill('#code', code.toLowerCase());
    await click(desk, '#open-handover');
    expect(path(desk)).toBe(`/office/counter/entry/${id}/check`);
    expect(await desk.textContent('main')).toContain('学校への提出');
    await checkPage(desk, 'counter entry: draft opened', true);
    // A change at the counter through the same schema-driven form page.
    await click(desk, `a[href="/office/counter/entry/${id}/form/1#copies"]`);
    await checkPage(desk, 'counter entry: form page', true);
    await desk.fill('#copies', '1');
    await click(desk, '#save');
    expect(path(desk)).toBe(`/office/counter/entry/${id}/check`);
    const reference = await identityAndSubmit(desk, true);
    const [row] = await app.dataSource.query('SELECT channel, applicant_id, entered_by IS NOT NULL AS entered, form_data->>\'copies\' AS copies FROM applications WHERE id = $1', [id]);
    expect(row).toEqual({ channel: 'counter', applicant_id: owner.id, entered: true, copies: '1' });

    // The code is used up; the resident follows the application as theirs.
    await desk.goto(`${origin}/office/counter/entry`, DOM);
    await desk.fill('#code', code);
    expect(await click(desk, '#open-handover')).toBe(410);
    expect(await desk.textContent('.mg-error-summary')).toContain('すでに使用されています');
    await checkPage(desk, 'counter entry: used code', true);
    await mine.goto(`${origin}/applications`, DOM);
    expect(await mine.textContent('main')).toContain(reference);
    await mine.goto(`${origin}/applications/${id}`, DOM);
    expect(await mine.textContent('main')).toContain(reference);
    await checkPage(mine, 'portal: the counter application as the resident’s', true);
  } finally {
    await residentContext.close();
    await clerkContext.close();
  }
}, 360_000);

it('(a) a walk-in resident, JavaScript off: the same form, the identity check, one application, the receipt', async () => {
  const context = await contextFor({ javaScript: false });
  try {
    const page = await context.newPage();
    await signIn(page, 'entry-nojs', '/office/counter/entry');
    await page.selectOption('#procedureCode', 'juminhyo');
    await click(page, '#start-walk-in');
    const id = /^\/office\/counter\/entry\/([0-9a-f-]{36})\/form\/1$/.exec(path(page))![1];
    // Nothing answered: the error summary, with the page's status.
    expect(await click(page, '#save')).toBe(400);
    expect(await page.textContent('.mg-error-summary')).toBeTruthy();
    await page.check('input[name=scope][value="本人のみ"]');
    await page.selectOption('#purpose', '学校への提出');
    await page.fill('#copies', '1');
    await click(page, '#save');
    expect(path(page)).toBe(`/office/counter/entry/${id}/check`);
    // Submitting before the identity check says why.
    expect(await click(page, '#submit-application')).toBe(422);
    expect(await page.textContent('main')).toContain('本人確認');
    const reference = await identityAndSubmit(page, false);
    expect(reference).toMatch(/\S/);
    // Back to the check page and send again: still the one application, its receipt.
    await page.goBack(DOM);
    await page.goto(`${origin}/office/counter/entry/${id}/check`, DOM);
    expect(path(page)).toBe(`/office/counter/entry/${id}/receipt`);
    const [count] = await app.dataSource.query(`SELECT count(*)::int AS n FROM applications WHERE entered_by = (SELECT id::text FROM staff WHERE login_id = 'entry-nojs')`);
    expect(count.n).toBe(1);
  } finally {
    await context.close();
  }
}, 180_000);

it('(b) 差戻し round trip, with JavaScript and without: the clerk returns a case, the resident corrects the flagged field in the portal, the clerk sees the resubmission and the diff', async () => {
  for (const javaScript of [true, false]) {
    const owner = await resident();
    const draft = await app.get(ApplicationsService).createDraft(M1, { procedureCode: 'kosodate-13', channel: 'online', applicantId: owner.id, formData: HOIKU_FORM, actor: { kind: 'resident', id: owner.id } });
    await app.get(ApplicationWorkflowService).transition(M1, draft.id, { type: 'resident.submit', actor: { kind: 'resident', id: owner.id }, payload: {} });
    const clerkContext = await contextFor({ javaScript, width: 320 });
    const residentContext = await contextFor({ javaScript, session: owner.cookie, width: 320 });
    try {
      const office = await clerkContext.newPage();
      await signIn(office, 'hoiku-clerk', `/office/applications/${draft.id}`);
      await click(office, 'button:has-text("担当する")');
      await office.check('input[name=fields][value=phone]');
      await office.fill('#message', '電話番号がつながりません。日中に連絡のつく番号をご記入ください。');
      await click(office, 'button:has-text("修正を依頼する（差戻し）")');
      await checkPage(office, 'case: return preview', javaScript);
      await click(office, 'button:has-text("確定する")');
      expect(await office.textContent('main')).toContain('修正を依頼する（差戻し）');

      const portal = await residentContext.newPage();
      await portal.goto(`${origin}/applications/${draft.id}/correct`, DOM);
      expect(await portal.textContent('#staff-message')).toContain('電話番号がつながりません');
      await checkPage(portal, 'portal: correction form', javaScript);
      await portal.fill('#phone', '090-1234-5678');
      await click(portal, '#correct-save');
      expect(await portal.textContent('#changes')).toContain('090-1234-5678');
      await checkPage(portal, 'portal: correction saved', javaScript);
      await click(portal, '#correct-resubmit');

      await office.goto(`${origin}/office/applications/${draft.id}`, DOM);
      const main = (await office.textContent('main'))!;
      expect(main).toContain('前回の提出からの変更');
      expect(main).toContain('090-1234-5678');
      expect(main).toContain('03-1234-5678');
      await checkPage(office, 'case: resubmission with its diff', javaScript);
      const [row] = await app.dataSource.query('SELECT state, form_data->>\'phone\' AS phone FROM applications WHERE id = $1', [draft.id]);
      expect(row).toEqual({ state: 'underReview', phone: '090-1234-5678' });
    } finally {
      await clerkContext.close();
      await residentContext.close();
    }
  }
}, 360_000);
