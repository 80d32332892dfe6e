import { CounterAdminService } from '@madoguchi/counter';
import { SessionService, StaffAdminService, type StaffPrincipal } from '@madoguchi/identity';
import { asMunicipalityId } from '@madoguchi/kernel';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { SAMPLE_MUNICIPALITY } from '../support/test-app';
import { expectNoAxeViolations, launchBrowser, recordForeignRequests } from './support/browser';
import { startOfficeServer } from './support/office-server';

/**
 * The counter in a real browser (issue 12, 待たせない): the kiosk issues a
 * ticket in three languages with JavaScript off at 320 px; two desks press
 * "call next" at the same moment and exactly one gets the ticket; the lobby
 * display shows the call; a desk takes a fee in cash and shows the change.
 * axe on every state reached.
 */

const M1 = asMunicipalityId(SAMPLE_MUNICIPALITY);
const PASSWORD = 'office-counter-password-01';

let server: Awaited<ReturnType<typeof startOfficeServer>>;
let browser: Browser;
const counters: Record<string, string> = {};
const staffIds: Record<string, string> = {};

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startOfficeServer();
  const admin = { kind: 'staff', id: randomUUID(), municipalityId: M1, roles: ['administrator'], approvalLevel: null, departments: [] } as unknown as StaffPrincipal;
  const setup = server.app.get(CounterAdminService);
  await setup.createService(admin, { code: 'certificates', name: { ja: '住民票・印鑑証明', en: 'Certificates' }, ticketPrefix: 'A' } as never);
  await setup.createService(admin, { code: 'moving', name: { ja: '転入・転出', en: 'Moving in and out' }, ticketPrefix: 'B' } as never);
  counters.one = (await setup.createCounter(admin, { name: { ja: '市民課 1番窓口', en: 'Counter 1' }, serviceCodes: ['certificates'], open: true } as never)).id;
  counters.two = (await setup.createCounter(admin, { name: { ja: '市民課 2番窓口', en: 'Counter 2' }, serviceCodes: ['certificates'], open: true } as never)).id;
  for (const loginId of ['desk-1', 'desk-2']) {
    const created = await server.app
      .get(StaffAdminService)
      .create(M1, 'counter-setup', { loginId, password: PASSWORD, displayName: `窓口 ${loginId}`, roles: ['clerk'], approvalLevel: null, departments: ['shimin'], active: true });
    staffIds[loginId] = created.account.id;
  }
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

async function signIn(page: Page, loginId: string, start: string): Promise<void> {
  await server.app.dataSource.query('DELETE FROM rate_limits');
  await page.goto(`${server.origin}${start}`, DOM);
  expect(new URL(page.url()).pathname).toBe('/office/sign-in');
  await page.fill('#loginId', loginId);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForNavigation(DOM), page.click('button[type=submit]:has-text("ログイン"), button[type=submit]:has-text("Sign in")')]);
  await page.waitForLoadState('domcontentloaded');
  expect(new URL(page.url()).pathname).toBe(start);
}

/** Pages are judged once their HTML is in: waiting for every web font to load stalls on this loaded machine. */
const DOM = { waitUntil: 'domcontentloaded' } as const;

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

it('the kiosk issues a ticket in 日本語, やさしい日本語 and English with JavaScript off; axe, touch targets and 320 px with it on', async () => {
  // axe cannot run where JavaScript is off: the flow runs without it, the checks in a second pass with it.
  const off = await contextFor({ javaScript: false, width: 320 });
  const on = await contextFor({ width: 320 });
  try {
    const page = await off.newPage();
    const foreign = recordForeignRequests(page, server.origin);
    const numbers: string[] = [];
    for (const [lang, title] of [
      ['ja', 'あなたの番号'],
      ['ja-easy', 'あなたの ばんごう'],
      ['en', 'Your number'],
    ] as const) {
      await server.app.dataSource.query('DELETE FROM rate_limits');
      await page.goto(`${server.origin}/kiosk${lang === 'ja' ? '' : `?lang=${lang}`}`, DOM);
      await Promise.all([page.waitForNavigation(DOM), page.click('button[name=serviceCode][value=certificates]')]);
      expect(new URL(page.url()).pathname).toMatch(/^\/kiosk\/tickets\//);
      expect(await page.textContent('h1')).toContain(title);
      numbers.push((await page.textContent('[data-testid=kiosk-number]'))!.trim());
      // Without JavaScript there is nothing to print with: the button stays hidden.
      expect(await page.isVisible('[data-mg-print]')).toBe(false);
    }
    expect(numbers).toEqual(['A-001', 'A-002', 'A-003']);
    expect(foreign).toEqual([]);

    const checked = await on.newPage();
    await checked.goto(`${server.origin}/kiosk?lang=ja-easy`, DOM);
    await expectNoAxeViolations(checked, 'kiosk start');
    expect(await scrollWidth(checked)).toBeLessThanOrEqual(320);
    for (const selector of ['button[name=serviceCode]', '.mg-kiosk__langs a']) {
      const box = await checked.locator(selector).first().boundingBox();
      expect({ selector, size: Math.min(box!.width, box!.height) >= 44 }).toEqual({ selector, size: true });
    }
    await server.app.dataSource.query('DELETE FROM rate_limits');
    await Promise.all([checked.waitForNavigation(DOM), checked.click('button[name=serviceCode][value=moving]')]);
    expect(await checked.isVisible('[data-mg-print]')).toBe(true);
    await expectNoAxeViolations(checked, 'kiosk slip');
    expect(await scrollWidth(checked)).toBeLessThanOrEqual(320);
  } finally {
    await off.close();
    await on.close();
    await server.app.dataSource.query(`UPDATE counter_tickets SET status = 'cancelled', closed_at = now() WHERE status = 'waiting'`);
  }
}, 300_000);

it('two desks press "call next" together: one gets the ticket, the other is told nobody waits; the lobby display shows the call', async () => {
  const contexts = [await contextFor(), await contextFor()];
  try {
    const [one, two] = [await contexts[0].newPage(), await contexts[1].newPage()];
    await signIn(one, 'desk-1', `/office/counter/desks/${counters.one}`);
    await signIn(two, 'desk-2', `/office/counter/desks/${counters.two}`);
    await expectNoAxeViolations(one, 'desk console, nobody called');
    await server.app.dataSource.query('DELETE FROM rate_limits');
    await request(server.origin).post('/kiosk/tickets').type('form').send({ serviceCode: 'certificates' }).expect(303);
    await Promise.all([one.waitForNavigation(DOM), two.waitForNavigation(DOM), one.click('#desk-call-next'), two.click('#desk-call-next')]);
    const served = await Promise.all([one.locator('[data-testid=desk-number]').count(), two.locator('[data-testid=desk-number]').count()]);
    expect([...served].sort()).toEqual([0, 1]);
    const [winner, loser] = served[0] === 1 ? [one, two] : [two, one];
    expect(await loser.isVisible('#desk-problem')).toBe(true);
    await expectNoAxeViolations(winner, 'desk console, ticket called');
    await expectNoAxeViolations(loser, 'desk console, nobody waiting');
    const number = (await winner.textContent('[data-testid=desk-number]'))!.trim();

    const lobbyContext = await contextFor({ width: 320 });
    try {
      const lobby = await lobbyContext.newPage();
      const response = await lobby.goto(`${server.origin}/lobby`, DOM);
      // No Refresh header: with JavaScript the lobby script updates the page in place (the reload is a noscript meta refresh).
      expect(response!.headers().refresh).toBeUndefined();
      expect(await lobby.textContent('[aria-live=polite]')).toContain(number);
      await expectNoAxeViolations(lobby, 'lobby display with a call');
      expect(await scrollWidth(lobby)).toBeLessThanOrEqual(320);
    } finally {
      await lobbyContext.close();
    }

    await Promise.all([winner.waitForNavigation(DOM), winner.click('#desk-start')]);
    await Promise.all([winner.waitForNavigation(DOM), winner.click('#desk-finish')]);
    expect(await winner.textContent('#desk-notice')).toContain(number);
  } finally {
    for (const context of contexts) await context.close();
  }
}, 300_000);

it('a desk takes 住民票 fees in cash: errors, confirmation, receipt number and change (English)', async () => {
  const { accessToken } = await server.app.get(SessionService).issue(M1, { kind: 'staff', id: staffIds['desk-1'] }, 'bearer', 'password');
  const api = (path: string, body: object) => request(server.origin).post(`/api/v1${path}`).auth(accessToken, { type: 'bearer' }).send(body);
  const created = await api('/staff/counter/applications', { procedureCode: 'juminhyo', formData: { scope: '本人のみ', purpose: '学校への提出', copies: 2 } });
  await api(`/staff/counter/applications/${created.body.id}/identity`, { method: 'driversLicense' });
  expect((await api(`/staff/counter/applications/${created.body.id}/submit`, { revision: created.body.revision })).body).toMatchObject({ state: 'awaitingPayment', fee: 600 });

  const context = await contextFor({ lang: 'en' });
  try {
    const page = await context.newPage();
    await signIn(page, 'desk-1', `/office/counter/payments/${created.body.id}`);
    await expectNoAxeViolations(page, 'desk payment form');
    await Promise.all([page.waitForNavigation(DOM), page.click('#pay-check')]);
    expect(await page.textContent('.mg-error-summary')).toContain('Choose how the fee was paid');
    await expectNoAxeViolations(page, 'desk payment with errors');
    await page.check('input[name=method][value=cash]');
    await page.fill('#amountReceived', '1000');
    await Promise.all([page.waitForNavigation(DOM), page.click('#pay-check')]);
    await expectNoAxeViolations(page, 'desk payment confirmation');
    await Promise.all([page.waitForNavigation(DOM), page.click('#pay-commit')]);
    expect((await page.textContent('[data-testid=receipt-number]'))!.trim()).toMatch(/^C\d{4}-\d{6}$/);
    expect((await page.textContent('[data-testid=change]'))!.trim()).toBe('¥400');
    await expectNoAxeViolations(page, 'desk payment receipt');
  } finally {
    await context.close();
  }
}, 300_000);
