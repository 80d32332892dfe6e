import { SimulatedCardStore, SIMULATED_CARD_PIN } from '@madoguchi/identity';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TestMailbox } from '../support/test-mailbox';
import { expectNoAxeViolations, launchBrowser } from './support/browser';
import { type PortalServer, startPortalServer } from './support/portal-server';
import { createVerifiedResident, deliverMail, PASSWORD, registerAndSignIn, signInThroughPage } from './support/resident-session';

/**
 * The resident account pages in chromium (issue 11): register → mailed
 * link → confirm → sign in → change password → devices → sign out
 * everywhere, and password reset, with JavaScript and without; axe with
 * zero violations on each state in ja, ja-easy and en; 320 px without
 * horizontal scrolling; the error summary takes focus (JavaScript on); a
 * brute force shows the wait; My Number Card sign-in through the
 * simulated digital authentication pages comes back to `next`.
 */

const LANGS = ['ja', 'ja-easy', 'en'] as const;
const NEW_PASSWORD = 'glacier-violin-compass-tulip';

let server: PortalServer;
let browser: Browser;
let mailbox: TestMailbox;
let dataDir: string;
let people = 0;
const nextEmail = (label: string) => `${label}-${(people += 1)}@example.jp`;

beforeAll(async () => {
  browser = await launchBrowser();
  mailbox = await TestMailbox.start();
  dataDir = mkdtempSync(path.join(tmpdir(), 'madoguchi-account-'));
  server = await startPortalServer({ env: { SMTP_URL: mailbox.url, DATA_DIR: dataDir } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await mailbox?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function contextFor(options: { lang?: (typeof LANGS)[number]; javaScript?: boolean; width?: number } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScript ?? true, viewport: { width: options.width ?? 1280, height: 900 }, locale: 'ja-JP' });
  if (options.lang) await context.addCookies([{ name: 'lang', value: options.lang, url: server.origin }]);
  return context;
}

async function submit(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

const pathOf = (page: Page) => {
  const url = new URL(page.url());
  return `${url.pathname}${url.search}`;
};

/** The link of the last mail to `email`, on this server. */
async function mailedLink(email: string, page: 'verify-email' | 'reset-password'): Promise<string> {
  await deliverMail(server);
  const match = new RegExp(`https?://\\S+(/${page}\\?m=\\d{6}&token=[A-Za-z0-9_-]+)`).exec(mailbox.take(email).text);
  if (!match) throw new Error(`no ${page} link`);
  return `${server.origin}${match[1]}`;
}

async function noHorizontalScroll(page: Page, label: string): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect({ label, width: width <= 320 }).toEqual({ label, width: true });
}

describe.each([true, false])('the whole account journey, JavaScript %s', (javaScript) => {
  it('register → mailed link → confirm → sign in → change password → devices → sign out everywhere', async () => {
    const context = await contextFor({ javaScript });
    // axe cannot run with JavaScript off: the JS-on run checks each state.
    const axe = javaScript ? (page: Page, label: string) => expectNoAxeViolations(page, label) : async () => undefined;
    const email = nextEmail(javaScript ? 'journey-js' : 'journey-nojs');
    try {
      const page = await context.newPage();
      await page.goto(`${server.origin}/account/register`);
      await axe(page, 'register (empty)');
      await page.fill('#name', '窓口 太郎');
      await page.fill('#nameKana', 'まどぐち たろう');
      await page.fill('#email', email);
      await page.fill('#password', 'password');
      await submit(page, '#register');
      expect(await page.locator('.mg-error-summary a').getAttribute('href')).toBe('#password');
      expect(await page.locator('#password-error').innerText()).toContain('12文字以上');
      await axe(page, 'register (weak password)');
      await page.fill('#password', PASSWORD);
      await submit(page, '#register');
      expect(pathOf(page)).toBe('/account/register/sent');
      await axe(page, 'register sent');

      await page.goto(await mailedLink(email, 'verify-email'));
      await axe(page, 'verify-email landing');
      await submit(page, '#verify-email');
      expect(pathOf(page)).toBe('/verify-email/done');
      await axe(page, 'verify-email done');
      await submit(page, 'main a[href="/account/sign-in"]');

      await page.fill('#email', email);
      await page.fill('#password', 'not-the-password-at-all');
      await submit(page, '#sign-in');
      expect(await page.locator('.mg-error-summary').innerText()).toContain('メールアドレスまたはパスワードが正しくありません');
      const focused = await page.evaluate(() => document.activeElement?.className ?? '');
      if (javaScript) expect(focused).toBe('mg-error-summary');
      await axe(page, 'sign-in (wrong password)');
      await page.fill('#password', PASSWORD);
      await submit(page, '#sign-in');
      expect(pathOf(page)).toBe('/account');
      expect(await page.locator('.mg-account-nav').innerText()).toContain('ログイン中');
      await axe(page, 'account home');

      await submit(page, 'main a[href="/account/password"]');
      await axe(page, 'change password (empty)');
      await page.fill('#currentPassword', 'wrong-current-password');
      await page.fill('#newPassword', NEW_PASSWORD);
      await submit(page, '#change-password');
      expect(await page.locator('.mg-error-summary a').getAttribute('href')).toBe('#currentPassword');
      await axe(page, 'change password (wrong current)');
      await page.fill('#currentPassword', PASSWORD);
      await page.fill('#newPassword', NEW_PASSWORD);
      await submit(page, '#change-password');
      expect(pathOf(page)).toBe('/account?changed=1');
      expect(await page.locator('#password-changed').count()).toBe(1);
      await axe(page, 'account home (password changed)');

      // A second device: an app with a bearer token.
      const app = await fetch(`${server.origin}/api/v1/auth/residents/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: NEW_PASSWORD }),
      });
      expect(app.status).toBe(200);
      await submit(page, 'main a[href="/account/devices"]');
      expect(await page.locator('main tbody tr').count()).toBe(2);
      expect(await page.locator('[data-current-session]').count()).toBe(1);
      await axe(page, 'devices');
      await submit(page, '#sign-out-everywhere');
      expect(pathOf(page)).toBe('/account/sign-in?out=everywhere');
      expect(await page.locator('#signed-out').innerText()).toContain('すべての端末からログアウトしました');
      expect(await page.locator('.mg-header__account a').getAttribute('href')).toBe('/account/sign-in');
      await axe(page, 'signed out everywhere');
      const { accessToken } = (await app.json()) as { accessToken: string };
      expect((await fetch(`${server.origin}/api/v1/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(401);
      await page.goto(`${server.origin}/account`);
      expect(pathOf(page)).toBe('/account/sign-in?next=%2Faccount');
    } finally {
      await context.close();
    }
  }, 240_000);

  it('password reset: request → mail → new password → sign in with it', async () => {
    const context = await contextFor({ javaScript });
    const email = nextEmail(javaScript ? 'reset-js' : 'reset-nojs');
    try {
      await createVerifiedResident(server, mailbox, email);
      const page = await context.newPage();
      await page.goto(`${server.origin}/account/sign-in`);
      await submit(page, 'main a[href="/account/password-reset"]');
      if (javaScript) await expectNoAxeViolations(page, 'reset request');
      await page.fill('#email', email);
      await submit(page, '#request-reset');
      expect(pathOf(page)).toBe('/account/password-reset/sent');
      await page.goto(await mailedLink(email, 'reset-password'));
      if (javaScript) await expectNoAxeViolations(page, 'reset form');
      await page.fill('#password', NEW_PASSWORD);
      await submit(page, '#reset-password');
      expect(pathOf(page)).toBe('/reset-password/done');
      if (javaScript) await expectNoAxeViolations(page, 'reset done');
      await submit(page, 'main a[href="/account/sign-in"]');
      await signInThroughPage(page, server.origin, email, NEW_PASSWORD);
      expect(pathOf(page)).toBe('/account');
    } finally {
      await context.close();
    }
  }, 120_000);
});

describe.each(LANGS)('in %s', (lang) => {
  it('every account page state passes axe (with and without our script) and reflows at 320 px', async () => {
    const email = nextEmail(`lang-${lang}`);
    await createVerifiedResident(server, mailbox, email);
    for (const javaScript of [true, false]) {
      const context = await contextFor({ lang, width: 320 });
      if (!javaScript) await context.route(/\/assets\/portal\.[0-9a-f]+\.js$/, (route) => route.abort());
      try {
        const page = await context.newPage();
        const check = async (label: string) => {
          expect(await page.getAttribute('html', 'lang')).toBe(lang === 'en' ? 'en' : 'ja');
          await expectNoAxeViolations(page, `${label} [${lang}, JS ${javaScript ? 'on' : 'off'}]`);
          await noHorizontalScroll(page, `${label} [${lang}]`);
        };
        for (const target of ['/account/sign-in', '/account/register', '/account/password-reset', '/verify-email?m=990001&token=x', '/reset-password?token=x']) {
          await page.goto(`${server.origin}${target}`);
          await check(target);
        }
        await page.goto(`${server.origin}/account/register`);
        await page.fill('#email', 'x');
        await page.fill('#password', 'aaaaaaaaaaaaaaaa');
        await submit(page, '#register');
        await check('register with errors');
        await signInThroughPage(page, server.origin, email);
        for (const target of ['/account', '/account/password', '/account/devices']) {
          await page.goto(`${server.origin}${target}`);
          await check(target);
        }
      } finally {
        await context.close();
      }
    }
  }, 240_000);
});

it('a brute force on the sign-in page shows how long to wait', async () => {
  const email = nextEmail('brute');
  await createVerifiedResident(server, mailbox, email);
  const context = await contextFor({ javaScript: false });
  try {
    const page = await context.newPage();
    await page.goto(`${server.origin}/account/sign-in`);
    for (let attempt = 0; attempt < 6; attempt += 1) {
      await page.fill('#email', email);
      await page.fill('#password', `guess-number-${attempt}`);
      await submit(page, '#sign-in');
    }
    const summary = await page.locator('.mg-error-summary').innerText();
    expect(summary).toMatch(/約\d+分後にもう一度お試しください/);
  } finally {
    await context.close();
  }
}, 120_000);

it('anonymous visitors of account pages are sent to sign in and come back after', async () => {
  const email = nextEmail('back');
  await createVerifiedResident(server, mailbox, email);
  const context = await contextFor();
  try {
    const page = await context.newPage();
    await page.goto(`${server.origin}/account/devices`);
    expect(pathOf(page)).toBe('/account/sign-in?next=%2Faccount%2Fdevices');
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await submit(page, '#sign-in');
    expect(pathOf(page)).toBe('/account/devices');
  } finally {
    await context.close();
  }
}, 60_000);

it('My Number Card sign-in through the simulated digital authentication pages lands on `next`, signed in', async () => {
  const cards = (await server.app.get(SimulatedCardStore).state()).cards;
  const card = cards.find((item) => item.status === 'valid')!;
  const context = await contextFor();
  try {
    const page = await context.newPage();
    await page.goto(`${server.origin}/account/sign-in?next=${encodeURIComponent('/procedures/juminhyo')}`);
    await submit(page, '#card-sign-in');
    expect(new URL(page.url()).pathname).toMatch(/^\/simulated-digital-auth\/interaction\//);
    await page.check(`input[name=card][value="${card.id}"]`);
    await page.fill('#secret', SIMULATED_CARD_PIN);
    await submit(page, 'button[name=action][value=submit]');
    expect(pathOf(page)).toBe('/procedures/juminhyo');
    expect(await page.locator('.mg-account-nav').innerText()).toContain('ログイン中');
    await page.goto(`${server.origin}/account`);
    expect(await page.locator('main').innerText()).toContain('マイナンバーカード');
    // A forged callback is refused with the portal's own error page.
    await page.goto(`${server.origin}/mynumber/callback?state=forged&code=forged`);
    expect(await page.locator('h1').innerText()).toBe('マイナンバーカードで続けられませんでした');
    expect(await page.locator('main a[href="/mynumber/login"]').count()).toBe(1);
    await expectNoAxeViolations(page, 'card sign-in error');
  } finally {
    await context.close();
  }
}, 120_000);

it('registerAndSignIn gives a signed-in page for other page tests', async () => {
  const context = await contextFor();
  try {
    const page = await registerAndSignIn(context, server, mailbox, nextEmail('helper'), { next: '/' });
    expect(pathOf(page)).toBe('/');
    expect(await page.locator('.mg-account-nav').count()).toBe(1);
  } finally {
    await context.close();
  }
}, 60_000);
