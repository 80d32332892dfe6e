import type { Browser, BrowserContext, Page } from 'playwright-core';
import { IdentityDriver, withCheckDigit } from '../support/identity-e2e';
import { CERTIFICATE_FORM, client, markPaid, SECOND, submitted } from '../support/submission-e2e';
import { SAMPLE_MUNICIPALITY } from '../support/test-app';
import { TestMailbox } from '../support/test-mailbox';
import { publishTestCertificate, TEST_CERTIFICATE } from '../support/test-procedures';
import { expectNoAxeViolations, launchBrowser } from './support/browser';
import { type PortalServer, startPortalServer } from './support/portal-server';
import { signInThroughPage } from './support/resident-session';

/**
 * "Who has looked at my information" in chromium (issue 15): reached from
 * the account page by keyboard, axe with zero violations in ja, ja-easy
 * and en (with reads listed and with none), the same list with JavaScript
 * off, no horizontal scrolling at 320 px, and the CSV link downloads the
 * signed-in resident's file.
 */

jest.setTimeout(180_000);

const LANGS = ['ja', 'ja-easy', 'en'] as const;
const READER = 'access-browser@example.jp';
const NOBODY = 'access-browser-none@example.jp';

let server: PortalServer;
let browser: Browser;
let mailbox: TestMailbox;

beforeAll(async () => {
  browser = await launchBrowser();
  mailbox = await TestMailbox.start();
  server = await startPortalServer({ env: { SMTP_URL: mailbox.url } });
  await publishTestCertificate(server.app, [SAMPLE_MUNICIPALITY]);
  const identity = new IdentityDriver(server.app, mailbox);
  const resident = await identity.resident(READER);
  await identity.resident(NOBODY);
  const residentClient = client(identity.server, resident.token);
  const application = await submitted(residentClient, TEST_CERTIFICATE, CERTIFICATE_FORM);
  await markPaid(server.app, application.id);
  await residentClient.put('/api/v1/residents/me/individual-number', { individualNumber: withCheckDigit('12345678901') }).expect(200);
  const clerk = client(identity.server, (await identity.staff('clerk.accessbrowser', ['clerk'], { departments: ['shimin'] })).token);
  const reviewer = client(identity.server, (await identity.staff('reviewer.accessbrowser', ['reviewer'], { departments: ['shimin'] })).token);
  server.app.clock.advance(SECOND);
  await clerk.get(`/api/v1/staff/applications/${application.id}`).expect(200);
  server.app.clock.advance(SECOND);
  await clerk.get(`/api/v1/staff/applications/${application.id}/notes`).expect(200);
  server.app.clock.advance(SECOND);
  await reviewer.post(`/api/v1/staff/residents/${resident.id}/individual-number/reveal`, { purpose: '課税資料との照合のため' }).expect(200);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await mailbox?.close();
});

async function signedIn(email: string, options: { lang?: (typeof LANGS)[number]; javaScript?: boolean; width?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScript ?? true, viewport: { width: options.width ?? 1280, height: 900 }, locale: 'ja-JP' });
  if (options.lang) await context.addCookies([{ name: 'lang', value: options.lang, url: server.origin }]);
  const page = await context.newPage();
  await signInThroughPage(page, server.origin, email);
  return { context, page };
}

const rowsOf = (page: Page) => page.locator('main table tbody tr');

describe.each(LANGS)('access log page in %s', (lang) => {
  it('is reached from the account page by keyboard and passes axe, with reads and with none', async () => {
    const { context, page } = await signedIn(READER, { lang });
    try {
      await page.goto(`${server.origin}/account`);
      const link = page.locator('main a[href="/account/access-log"]');
      await link.focus();
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      expect(new URL(page.url()).pathname).toBe('/account/access-log');
      expect(await rowsOf(page).count()).toBe(3);
      const text = await page.locator('main').innerText();
      expect(text).toContain('課税資料との照合のため');
      expect(text).toContain(lang === 'en' ? 'Citizens Division' : '市民課');
      expect(text).not.toContain('accessbrowser');
      await expectNoAxeViolations(page, `access log (${lang})`);
    } finally {
      await context.close();
    }
    const none = await signedIn(NOBODY, { lang });
    try {
      await none.page.goto(`${server.origin}/account/access-log`);
      expect(await none.page.locator('#access-log-empty').count()).toBe(1);
      await expectNoAxeViolations(none.page, `access log, empty (${lang})`);
    } finally {
      await none.context.close();
    }
  });
});

it('works with JavaScript off, fits 320 px, and the CSV link downloads the resident’s file', async () => {
  const { context, page } = await signedIn(READER, { javaScript: false, width: 320 });
  try {
    await page.goto(`${server.origin}/account/access-log`);
    expect(await rowsOf(page).count()).toBe(3);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(320);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#access-log-csv')]);
    expect(download.suggestedFilename()).toBe('access-log.csv');
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const csv = Buffer.concat(chunks).toString('utf8');
    expect(csv.startsWith('\uFEFF日時 (at)')).toBe(true);
    expect(csv.trim().split('\r\n')).toHaveLength(1 + 3);
    expect(csv).toContain('課税資料との照合のため');
  } finally {
    await context.close();
  }
});
