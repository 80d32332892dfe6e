import { ResidentRepository, SESSION_COOKIE, SessionService, SIMULATED_CARD_PIN, SIMULATED_CARD_SIGNING_PASSWORD, SimulatedCardStore, type SimulatedCard, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId, OutboxDispatcher } from '@madoguchi/kernel';
import { SimulatedWebhookSender, TEST_CARDS } from '@madoguchi/payments';
import { formatYen, type Lang, t as translate } from '@madoguchi/ui';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { pdfText } from '../support/pdf-text';
import { SAMPLE_MUNICIPALITY } from '../support/test-app';
import { TestMailbox } from '../support/test-mailbox';
import { expectNoAxeViolations, launchBrowser, recordForeignRequests } from './support/browser';
import { type PortalServer, startPortalServer } from './support/portal-server';
import { deliverMail, PASSWORD } from './support/resident-session';

/**
 * The main flows joined end to end in a real browser on a phone-sized
 * window (issue 11, "done when"): register → the mailed link → sign in →
 * sign in with the simulated My Number Card → apply for 住民票 and sign it
 * with the card on the simulated service's page → pay on the simulated
 * provider's page → download the certificate → verify it at /verify; apply
 * for a subsidy (signed), fix what staff returned (差戻し) and sign again;
 * book a room, pay, cancel with the refund shown first. Each flow runs in
 * ja, ja-easy and en, with JavaScript on and off; axe finds nothing on
 * every page reached with JavaScript on; a few pages are checked at 320 px.
 * One server for the file; every run has residents of its own. Staff's
 * side (accepting, returning) goes through the JSON API as a staff client.
 */

jest.setTimeout(600_000);

const CITY = asMunicipalityId(SAMPLE_MUNICIPALITY);
const LANGS = ['ja', 'ja-easy', 'en'] as const satisfies readonly Lang[];
const RUNS = LANGS.flatMap((lang) => [true, false].map((javaScript) => ({ lang, javaScript, label: `${lang}, JavaScript ${javaScript ? 'on' : 'off'}` })));
type Run = (typeof RUNS)[number];
const PHONE = { width: 375, height: 812 };
const KOMINKAN = 'chuo-kominkan';

let server: PortalServer;
let browser: Browser;
let mailbox: TestMailbox;
let dataDir: string;
let validCards: SimulatedCard[];
const staffTokens: Record<string, string> = {};

beforeAll(async () => {
  browser = await launchBrowser();
  mailbox = await TestMailbox.start();
  dataDir = mkdtempSync(path.join(tmpdir(), 'madoguchi-main-flows-'));
  server = await startPortalServer({ env: { SMTP_URL: mailbox.url, DATA_DIR: dataDir } });
  validCards = (await server.app.get(SimulatedCardStore).state()).cards.filter((card) => card.status === 'valid');
  for (const department of ['shimin', 'kankyo']) staffTokens[department] = await staffToken(department);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await mailbox?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- helpers

async function staffToken(department: string): Promise<string> {
  const { account } = await server.app.get(StaffAdminService).create(CITY, 'test-setup', {
    loginId: `clerk-${department}`,
    password: PASSWORD,
    displayName: `${department} 担当`,
    roles: ['clerk', 'reviewer'],
    approvalLevel: null,
    departments: [department],
    active: true,
  });
  return (await server.app.get(SessionService).issue(CITY, { kind: 'staff', id: account.id }, 'bearer', 'password')).accessToken;
}

/** Staff's side through the JSON API, as the office's client would send it. */
async function staffEvent(department: string, id: string, event: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${server.origin}/api/v1/staff/applications/${id}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${staffTokens[department]}`, 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });
  if (response.status !== 200) throw new Error(`staff event ${JSON.stringify(event)} on ${id}: ${response.status} ${await response.text()}`);
}

/** What the worker does: the outbox (mail, payment requests, issuing) and the provider's webhooks, until quiet. */
async function settle(): Promise<void> {
  for (let round = 0; round < 10; round += 1) {
    let moved = 0;
    for (let inner = 0; inner < 20; inner += 1) {
      const result = await server.app.get(OutboxDispatcher).dispatchDue();
      moved += result.delivered;
      if (result.delivered === 0) break;
    }
    const sent = await server.app.get(SimulatedWebhookSender).deliverDue();
    moved += sent.delivered + sent.retried;
    if (moved === 0) return;
  }
}

/** A resident made directly (the registration pages are walked by the certificate flow), named, with a cookie session. */
async function namedResident(): Promise<string> {
  const id = randomUUID();
  const app = server.app;
  await app.get(ResidentRepository).insert(CITY, { id, email: `${id}@example.jp`, passwordHash: null, jpkiSubject: null, now: app.clock.now(), name: { name: '窓口 花子', kana: 'マドグチ ハナコ' } });
  return (await app.get(SessionService).issue(CITY, { kind: 'resident', id }, 'cookie', 'password')).accessToken;
}

async function phone(run: Run, cookie?: string): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled: run.javaScript, viewport: PHONE, locale: 'ja-JP', isMobile: true, hasTouch: true });
  const cookies: Array<{ name: string; value: string; url: string }> = [{ name: 'lang', value: run.lang, url: server.origin }];
  if (cookie) cookies.push({ name: SESSION_COOKIE, value: cookie, url: server.origin });
  await context.addCookies(cookies);
  return context;
}

/** Clicks what navigates (a link or a form's button) and waits for the page it leads to. */
async function go(page: Page, selector: string): Promise<number> {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
  return response?.status() ?? 0;
}

const pathOf = (page: Page) => new URL(page.url()).pathname;
const text = (page: Page, selector: string) => page.locator(selector).innerText();

/**
 * Checks made on every page reached: our pages are in the run's language
 * (the simulated services' hosted pages are bilingual Japanese pages of
 * their own), and axe (it needs script in the page, so with JavaScript on).
 */
function checker(run: Run) {
  return async (page: Page, label: string): Promise<void> => {
    const ours = !/^\/simulated-(digital-auth|provider)\//.test(pathOf(page));
    if (ours) expect({ label, lang: await page.getAttribute('html', 'lang') }).toEqual({ label, lang: run.lang === 'en' ? 'en' : 'ja' });
    if (run.javaScript) await expectNoAxeViolations(page, `${label} [${run.label}]`);
  };
}

/** The page reflows at 320 CSS px: nothing scrolls sideways. */
async function reflowsAt320(page: Page, label: string): Promise<void> {
  await page.setViewportSize({ width: 320, height: 800 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  await page.setViewportSize(PHONE);
  expect({ label, width }).toEqual({ label, width: 320 });
}

/** On the simulated digital authentication page: a test card and its PIN (sign-in) or signing password (signing). */
async function useCard(page: Page, card: SimulatedCard, secret: string): Promise<void> {
  if (!/^\/simulated-digital-auth\/interaction\//.test(pathOf(page))) throw new Error(`not on the card page but ${page.url()}: ${(await page.locator('body').innerText()).slice(0, 600)}`);
  await page.check(`input[name=card][value="${card.id}"]`);
  await page.fill('#secret', secret);
  await go(page, 'button[name=action][value=submit]');
}

/** The form's pages, in order, answered from `answers` (a field not on a page is left alone), until the attachments page. */
async function answerForm(page: Page, answers: Record<string, (page: Page) => Promise<void>>, check: (page: Page, label: string) => Promise<void>): Promise<void> {
  for (let number = 1; /\/form\/\d+$/.test(pathOf(page)); number += 1) {
    if (number > 10) throw new Error(`still on the form at ${page.url()}`);
    for (const [field, answer] of Object.entries(answers)) {
      if ((await page.locator(`#${field}`).count()) > 0) await answer(page);
    }
    await check(page, `form page ${number}`);
    expect(await go(page, '#save')).toBe(200);
    if ((await page.locator('.mg-error-summary').count()) > 0) throw new Error(`form page ${number} refused: ${await text(page, '.mg-error-summary')}`);
  }
  expect(pathOf(page)).toMatch(/\/attachments$/);
}

/** Check your answers: sign with the card on the simulated service, come back signed, declare and send. Returns the application id. */
async function signAndSend(page: Page, run: Run, card: SimulatedCard, check: (page: Page, label: string) => Promise<void>): Promise<string> {
  await go(page, '#continue');
  const id = /^\/applications\/([0-9a-f-]{36})\/check$/.exec(pathOf(page))?.[1];
  if (!id) throw new Error(`not on the check page: ${page.url()}`);
  await check(page, 'check your answers, not signed');
  await go(page, '#sign-button');
  await check(page, 'simulated card: sign');
  await useCard(page, card, SIMULATED_CARD_SIGNING_PASSWORD);
  expect(pathOf(page)).toBe(`/applications/${id}/check`);
  expect(await text(page, '#signature')).toContain(translate(run.lang, 'apply.signed'));
  await check(page, 'check your answers, signed');
  await page.check('#declaration');
  await go(page, '#submit');
  expect(pathOf(page)).toBe(`/applications/${id}/submitted`);
  expect(await text(page, '#reference-number')).toMatch(/\S/);
  await check(page, 'submitted');
  return id;
}

async function stateOf(id: string): Promise<string> {
  const rows: Array<{ state: string }> = await server.app.dataSource.query(`SELECT state FROM applications WHERE id = $1`, [id]);
  return rows[0].state;
}

/** The provider's hosted card form, a card that pays. */
async function payByCard(page: Page): Promise<void> {
  expect(pathOf(page)).toMatch(/^\/simulated-provider\//);
  await page.fill('#number', TEST_CARDS.success);
  await page.fill('#expiry', '12/34');
  await page.fill('#cvc', '123');
  await go(page, 'form button[type=submit]');
}

let people = 0;

// ---------------------------------------------------------------- flows

describe.each(RUNS)('certificate of residence ($label)', (run) => {
  it('register → mailed link → sign in → card sign-in → apply and sign with the card → pay → download → verify', async () => {
    const check = checker(run);
    const email = `main-flow-${(people += 1)}@example.jp`;
    const card = validCards[people % validCards.length];
    const context = await phone(run);
    try {
      const page = await context.newPage();
      const foreign = recordForeignRequests(page, server.origin);
      await page.goto(`${server.origin}/`);
      await check(page, 'home');
      await go(page, 'header a[href^="/account/sign-in"]');
      await go(page, 'main a[href="/account/register"]');
      await check(page, 'register');
      await page.fill('#name', '窓口 太郎');
      await page.fill('#nameKana', 'まどぐち たろう');
      await page.fill('#email', email);
      await page.fill('#password', PASSWORD);
      await go(page, '#register');
      expect(pathOf(page)).toBe('/account/register/sent');
      await check(page, 'register: mail sent');

      // The link in the mail (test mailbox), opened in the same browser.
      await deliverMail(server);
      const link = /https?:\/\/\S+(\/verify-email\?m=\d{6}&token=[A-Za-z0-9_-]+)/.exec(mailbox.take(email).text);
      if (!link) throw new Error('no verify-email link in the mail');
      await page.goto(`${server.origin}${link[1]}`);
      await check(page, 'verify email');
      await go(page, '#verify-email');
      expect(pathOf(page)).toBe('/verify-email/done');
      await check(page, 'verify email: done');
      await go(page, 'main a[href="/account/sign-in"]');
      await page.fill('#email', email);
      await page.fill('#password', PASSWORD);
      await go(page, '#sign-in');
      await page.goto(`${server.origin}/account`);
      expect(await text(page, 'main')).toContain('窓口 太郎');
      expect(await text(page, 'main')).toContain('マドグチ タロウ');
      await check(page, 'account');

      // The certificate asks for the card: signed out, Start leads to sign-in, and the card signs in.
      await go(page, 'form[action="/account/sign-out"] button');
      await page.goto(`${server.origin}/procedures/juminhyo`);
      await check(page, 'procedure guide');
      await go(page, `main a[href="/apply/juminhyo"]`);
      expect(pathOf(page)).toBe('/account/sign-in');
      await go(page, '#card-sign-in');
      await check(page, 'simulated card: sign in');
      await useCard(page, card, SIMULATED_CARD_PIN);
      expect(pathOf(page)).toBe('/apply/juminhyo');
      await check(page, 'apply: start');
      await go(page, 'main form button[type=submit]');

      await answerForm(
        page,
        {
          scope: (p) => p.check('#scope'),
          purpose: async (p) => {
            await p.selectOption('#purpose', '学校への提出');
          },
          copies: (p) => p.fill('#copies', '１'),
        },
        check,
      );
      await check(page, 'attachments');
      const id = await signAndSend(page, run, card, check);
      await reflowsAt320(page, 'submitted');
      await settle();

      // Pay from the application page, on the provider's page; the outcome from our own state.
      await page.goto(`${server.origin}/applications/${id}`);
      await check(page, 'application: awaiting payment');
      await go(page, '#next-action');
      expect(pathOf(page)).toBe(`/applications/${id}/pay`);
      await check(page, 'pay: choose');
      await reflowsAt320(page, 'pay: choose');
      await page.check('input[name=method][value=card]');
      await go(page, '#pay-continue');
      await payByCard(page);
      expect(pathOf(page)).toBe(`/applications/${id}`);
      await check(page, 'payment return');
      await settle();
      if (run.javaScript) await page.waitForSelector('#payment[data-payment-status=succeeded]', { timeout: 30_000 });
      else await go(page, '#payment-refresh');
      expect(await page.getAttribute('#payment', 'data-payment-status')).toBe('succeeded');
      await check(page, 'paid');

      // The clerk accepts; the certificate is issued and downloaded with this browser's session.
      await staffEvent('shimin', id, { type: 'staff.accept' });
      await settle();
      expect(await stateOf(id)).toBe('completed');
      await page.goto(`${server.origin}/applications/${id}`);
      await check(page, 'completed with the certificate');
      const download = await context.request.get(`${server.origin}${await page.locator('#documents a').first().getAttribute('href')}`);
      expect({ status: download.status(), type: download.headers()['content-type'] }).toEqual({ status: 200, type: 'application/pdf' });
      const pdf = await download.body();
      const code = /[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/.exec((await pdfText(pdf)).join('\n'))?.[0];
      if (!code) throw new Error('no verification code printed on the certificate');

      // Anyone holding the paper (or the file) checks it at /verify: the footer links there.
      await go(page, 'footer a[href="/verify"]');
      await check(page, 'verify');
      await page.fill('#code', code);
      await page.fill('#sha256', createHash('sha256').update(pdf).digest('hex'));
      await go(page, 'main form button[type=submit]');
      expect(await text(page, '#verify-result')).toBe(translate(run.lang, 'verify.status.valid'));
      await check(page, 'verify: valid');
      expect(foreign).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe.each(RUNS)('subsidy with a return for correction ($label)', (run) => {
  it('apply for 太陽光 subsidy with the name filled in, sign, send; staff return it; fix only the flagged field, sign again, resubmit', async () => {
    const check = checker(run);
    const card = validCards[(people += 1) % validCards.length];
    const context = await phone(run, await namedResident());
    try {
      const page = await context.newPage();
      await page.goto(`${server.origin}/procedures/taiyoko-hojo`);
      await check(page, 'subsidy guide');
      await go(page, 'main a[href="/apply/taiyoko-hojo"]');
      await go(page, 'main form button[type=submit]');
      // The name registered with the account is already there.
      expect(await page.inputValue('#applicantName')).toBe('窓口 花子');
      expect(await page.inputValue('#applicantKana')).toBe('マドグチ ハナコ');
      await answerForm(
        page,
        {
          phone: (p) => p.fill('#phone', '03-1234-5678'),
          installationAddress: (p) => p.fill('#installationAddress', '桜ヶ丘市本町1-2-3'),
          buildingType: (p) => p.check('#buildingType'),
          capacityKw: (p) => p.fill('#capacityKw', '4.5'),
          installationCost: (p) => p.fill('#installationCost', '1000000'),
          requestedAmount: (p) => p.fill('#requestedAmount', '90000'),
          installerName: (p) => p.fill('#installerName', '桜ヶ丘電気'),
          plannedCompletionDate: async (p) => {
            await p.selectOption('#plannedCompletionDate', 'R');
            await p.fill('#plannedCompletionDate-year', '9');
            await p.fill('#plannedCompletionDate-month', '2');
            await p.fill('#plannedCompletionDate-day', '28');
          },
        },
        check,
      );
      const id = await signAndSend(page, run, card, check);
      await settle();
      expect(await stateOf(id)).toBe('underReview');

      await staffEvent('kankyo', id, { type: 'staff.sendBack', payload: { fields: ['installerName'], message: '施工業者の正式な名称を書いてください。' } });
      await settle();
      await page.goto(`${server.origin}/applications/${id}`);
      await check(page, 'returned for correction');
      await go(page, '#next-action');
      expect(pathOf(page)).toBe(`/applications/${id}/correct`);
      expect(await text(page, '#staff-message')).toContain('施工業者の正式な名称を書いてください。');
      const fields = await page.locator('form[action$="/correct"] [name]:not([type=hidden])').evaluateAll((inputs) => [...new Set(inputs.map((input) => input.getAttribute('name')))]);
      expect(fields).toEqual(['installerName']);
      await check(page, 'correction form');
      await reflowsAt320(page, 'correction form');
      await page.fill('#installerName', '桜ヶ丘電設株式会社');
      await go(page, '#correct-save');
      expect(await text(page, '#changes')).toContain('桜ヶ丘電設株式会社');
      await check(page, 'corrections saved');
      // The corrected content is signed again before it goes back.
      await go(page, '#correct-sign');
      await useCard(page, card, SIMULATED_CARD_SIGNING_PASSWORD);
      expect(pathOf(page)).toBe(`/applications/${id}/correct`);
      await check(page, 'correction signed');
      await go(page, '#correct-resubmit');
      expect(pathOf(page)).toBe(`/applications/${id}`);
      expect(await page.locator('#done').count()).toBe(1);
      await check(page, 'resubmitted');
      expect(await stateOf(id)).toBe('underReview');
      const [form]: Array<{ installer: string }> = await server.app.dataSource.query(`SELECT form_data->>'installerName' AS installer FROM applications WHERE id = $1`, [id]);
      expect(form.installer).toBe('桜ヶ丘電設株式会社');
    } finally {
      await context.close();
    }
  });
});

describe.each(RUNS.map((run, index) => ({ ...run, slot: ['09:00', '11:00', '13:00', '15:00', '17:00', '19:00'][index] })))('booking a room ($label)', (run) => {
  it('finds a free slot, holds it, applies, pays, then cancels with the refund shown before confirming', async () => {
    const check = checker(run);
    // Tuesday 1 December, nine days ahead of the test clock: cancelling refunds everything.
    const date = '2026-12-01';
    const context = await phone(run, await namedResident());
    try {
      const page = await context.newPage();
      await page.goto(`${server.origin}/facilities`);
      await check(page, 'facilities');
      await go(page, `main a[href="/facilities/${KOMINKAN}"]`);
      await check(page, 'facility: this week');
      await page.goto(`${server.origin}/facilities/${KOMINKAN}?from=${date}`);
      const slot = `#slot-kaigi-1-${date}-${run.slot.replace(':', '')}`;
      await page.check(slot);
      await go(page, '#hold');
      const bookingId = /^\/bookings\/([0-9a-f-]{36})$/.exec(pathOf(page))?.[1];
      if (!bookingId) throw new Error(`holding ended on ${page.url()}: ${await text(page, 'main')}`);
      await check(page, 'held');
      await page.fill('#organizerName', '桜ヶ丘読書会');
      await page.fill('#phone', '03-1234-5678');
      await page.fill('#email', 'dokusho@example.jp');
      await page.fill('#purpose', '定例会');
      await page.fill('#attendees', '12');
      await page.check('#residency');
      await go(page, '#apply');
      await settle();
      await page.goto(`${server.origin}/bookings/${bookingId}`);
      await check(page, 'booking: pay');
      await page.check('#method');
      await go(page, '#pay');
      await payByCard(page);
      await settle();
      await page.goto(`${server.origin}/bookings/${bookingId}`);
      expect(await page.locator('#confirmed').count()).toBe(1);
      await check(page, 'booking confirmed');

      await page.goto(`${server.origin}/bookings`);
      await check(page, 'my bookings');
      await go(page, `main a[href="/bookings/${bookingId}"]`);
      await go(page, `main a[href="/bookings/${bookingId}/cancel"]`);
      expect(await text(page, '#refund-amount')).toBe(formatYen(run.lang, 500));
      await check(page, 'cancel: refund shown');
      await reflowsAt320(page, 'cancel: refund shown');
      await go(page, '#confirm-cancel');
      expect(pathOf(page)).toBe(`/bookings/${bookingId}/cancelled`);
      expect(await text(page, '#refund-done')).toContain(formatYen(run.lang, 500));
      await check(page, 'cancelled');
    } finally {
      await context.close();
    }
  });
});
