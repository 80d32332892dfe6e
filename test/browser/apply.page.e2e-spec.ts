import { ResidentRepository, SESSION_COOKIE, SessionService } from '@madoguchi/identity';
import { asMunicipalityId } from '@madoguchi/kernel';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SAMPLE_MUNICIPALITY } from '../support/test-app';
import { expectNoAxeViolations, launchBrowser } from './support/browser';
import { type PortalServer, startPortalServer } from './support/portal-server';

/**
 * Applying in the browser (issue 11, pages item 5): a page per section with
 * errors linked from the summary, repeatable rows without JavaScript, a
 * sensitive answer never shown back and kept when left blank, attachments by
 * plain upload, the draft resumed in another browser, check your answers,
 * the declaration, the card signature required before sending, sending
 * exactly once, the confirmation with the 受付番号 and the receipt; axe on
 * the states reached in three languages, 320 px, and the form page's weight.
 */

jest.setTimeout(300_000);

const CITY = asMunicipalityId(SAMPLE_MUNICIPALITY);
const LANGS = ['ja', 'ja-easy', 'en'] as const;
/** A minimal PDF: the attachment checks sniff the type from the first bytes. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

let server: PortalServer;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startPortalServer();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Resident {
  id: string;
  cookie: string;
}

/** A resident with a cookie session, as the sign-in page leaves one. */
async function resident(): Promise<Resident> {
  const id = randomUUID();
  const t = server.app;
  await t.get(ResidentRepository).insert(CITY, { id, email: `${id}@example.jp`, passwordHash: null, jpkiSubject: null, now: t.clock.now() });
  const tokens = await t.get(SessionService).issue(CITY, { kind: 'resident', id }, 'cookie', 'password');
  return { id, cookie: tokens.accessToken };
}

async function contextFor(who: Resident | null, options: { lang?: (typeof LANGS)[number]; javaScript?: boolean; width?: number } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScript ?? true, viewport: { width: options.width ?? 1280, height: 900 }, locale: 'ja-JP' });
  const cookies: Array<{ name: string; value: string; url: string }> = [{ name: 'lang', value: options.lang ?? 'ja', url: server.origin }];
  if (who) cookies.push({ name: SESSION_COOKIE, value: who.cookie, url: server.origin });
  await context.addCookies(cookies);
  return context;
}

async function click(page: Page, selector: string): Promise<number> {
  const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return response?.status() ?? 0;
}

const path = (page: Page) => new URL(page.url()).pathname;
const summaryLinks = (page: Page) => page.locator('.mg-error-summary a').evaluateAll((links) => links.map((link) => link.getAttribute('href')));

async function startDraft(page: Page, code: string): Promise<string> {
  await page.goto(`${server.origin}/apply/${code}`);
  await click(page, 'main form button[type=submit]');
  const match = /^\/applications\/([0-9a-f-]{36})\/form\/1$/.exec(path(page));
  if (!match) throw new Error(`starting ${code} ended on ${page.url()}: ${(await page.locator('main').innerText()).slice(0, 500)}`);
  return match[1];
}

async function submittedCount(residentId: string): Promise<number> {
  const rows: Array<{ count: string }> = await server.app.dataSource.query(
    `SELECT count(*) AS count FROM applications WHERE municipality_id = $1 AND applicant_id = $2 AND submitted_at IS NOT NULL`,
    [CITY, residentId],
  );
  return Number(rows[0].count);
}

describe('access', () => {
  it('asks an anonymous visitor to sign in, and shows another resident’s application as not found', async () => {
    const anonymous = await fetch(`${server.origin}/apply/juminhyo`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/account/sign-in?next=%2Fapply%2Fjuminhyo');

    const a = await resident();
    const b = await resident();
    const context = await contextFor(a, { javaScript: false });
    try {
      const page = await context.newPage();
      const id = await startDraft(page, 'juminhyo');
      for (const target of [`/applications/${id}/form/1`, `/applications/${id}/attachments`, `/applications/${id}/check`, `/applications/${id}/submitted`]) {
        const asB = await fetch(`${server.origin}${target}`, { headers: { cookie: `${SESSION_COOKIE}=${b.cookie}` }, redirect: 'manual' });
        expect({ target, status: asB.status }).toEqual({ target, status: 404 });
        const asNobody = await fetch(`${server.origin}${target}`, { redirect: 'manual' });
        expect({ target, status: asNobody.status }).toEqual({ target, status: 303 });
      }
      expect((await fetch(`${server.origin}/apply/no-such-procedure`, { headers: { cookie: `${SESSION_COOKIE}=${a.cookie}` } })).status).toBe(404);
    } finally {
      await context.close();
    }
  });
});

describe('a claim in sections (児童手当, kosodate-01)', () => {
  it('works without JavaScript: errors, rows added and removed, a masked account number kept, attachments, and the draft resumed elsewhere', async () => {
    const who = await resident();
    const noJs = await contextFor(who, { javaScript: false });
    let id: string;
    try {
      const page = await noJs.newPage();
      id = await startDraft(page, 'kosodate-01');
      expect(await page.locator('h1').innerText()).toBe('申請の内容');

      // Nothing entered: the summary links to each required field, the message stands by it.
      expect(await click(page, '#save')).toBe(400);
      expect(await summaryLinks(page)).toEqual(['#applicantName', '#applicantKana', '#individualNumber', '#phone', '#pensionType']);
      expect(await page.locator('#applicantName-error').innerText()).toContain('請求者氏名');

      await page.fill('#applicantName', '窓口 花子');
      await page.fill('#applicantKana', 'マドグチ ハナコ');
      await page.fill('#individualNumber', '123456789018');
      await page.fill('#phone', '０３-１２３４-５６７８');
      await page.check('#pensionType');
      expect(await click(page, '#save')).toBe(200);
      expect(path(page)).toBe(`/applications/${id}/form/2`);

      // The children: one row to start with; "add another" and "remove" are submit buttons.
      expect(await page.locator('fieldset.mg-repeat').count()).toBe(1);
      await page.fill('#children-0-name', '窓口 一郎');
      await page.selectOption('#children-0-birthDate', 'R');
      await page.fill('#children-0-birthDate-year', '5');
      await page.fill('#children-0-birthDate-month', '4');
      await page.fill('#children-0-birthDate-day', '1');
      await page.check('#children-0-relationship');
      await page.check('#children-0-livesTogether');
      await click(page, 'button[value="add:children"]');
      expect(await page.locator('fieldset.mg-repeat').count()).toBe(2);
      expect(await page.inputValue('#children-0-name')).toBe('窓口 一郎');
      await page.fill('#children-1-name', '窓口 二郎');
      await page.fill('#children-1-birthDate-year', '6');
      await page.fill('#children-1-birthDate-month', '13');
      await page.fill('#children-1-birthDate-day', '1');
      await page.check('#children-1-relationship');
      expect(await click(page, '#save')).toBe(400);
      expect(await summaryLinks(page)).toEqual(['#children-1-birthDate']);
      expect(await page.locator('#children-1-birthDate-error').innerText()).toContain('正しい日付');
      await click(page, 'button[value="remove:children.1"]');
      expect(await page.locator('fieldset.mg-repeat').count()).toBe(1);
      expect(await click(page, '#save')).toBe(200);
      expect(path(page)).toBe(`/applications/${id}/form/3`);

      await page.fill('#bankAccount-bankCode', '0001');
      await page.fill('#bankAccount-branchCode', '001');
      await page.check('#bankAccount-accountType');
      await page.fill('#bankAccount-accountNumber', '1234567');
      await page.fill('#bankAccount-accountHolderKana', 'マドグチ ハナコ');
      expect(await click(page, '#save')).toBe(200);
      expect(path(page)).toBe(`/applications/${id}/attachments`);

      // A plain multipart upload (the hidden _csrf travels in the multipart body); types and limit said first.
      expect(await page.locator('#file-limits').innerText()).toContain('PDF');
      expect(await click(page, '#upload')).toBe(400);
      expect(await summaryLinks(page)).toEqual(['#file']);
      await page.setInputFiles('#file', { name: '在学証明書.pdf', mimeType: 'application/pdf', buffer: PDF });
      expect(await click(page, '#upload')).toBe(200);
      expect(await page.locator('.mg-file-list').innerText()).toContain('在学証明書.pdf');
      await page.setInputFiles('#file', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
      expect(await click(page, '#upload')).toBe(415);
      expect(await page.locator('.mg-error-summary').innerText()).toContain('PDF');

      await click(page, '#continue');
      expect(path(page)).toBe(`/applications/${id}/check`);
      const answers = await page.locator('main').innerText();
      expect(answers).toContain('窓口 一郎');
      expect(answers).toContain('令和5年4月1日');
      expect(answers).toContain('***4567');
      expect(answers).not.toContain('1234567');
      expect(answers).not.toContain('123456789018');
      expect(answers).toContain('在学証明書.pdf');
      // Stored as the API stores it: the account number sealed, the phone in half-width digits.
      const rows: Array<{ form_data: Record<string, any> }> = await server.app.dataSource.query(`SELECT form_data FROM applications WHERE id = $1`, [id]);
      expect(rows[0].form_data.phone).toBe('03-1234-5678');
      expect(rows[0].form_data.bankAccount.accountNumber).toMatch(/^enc:/);
    } finally {
      await noJs.close();
    }

    // Another device (a context of its own, JavaScript on): the draft is offered, the answers are there.
    const other = await contextFor(who, { javaScript: true });
    try {
      const page = await other.newPage();
      await page.goto(`${server.origin}/apply/kosodate-01`);
      await click(page, `a[href="/applications/${id}/form/1"]`);
      expect(await page.inputValue('#applicantName')).toBe('窓口 花子');
      // The individual number is never shown back, not even masked in the box.
      expect(await page.inputValue('#individualNumber')).toBe('');
      await page.goto(`${server.origin}/applications/${id}/form/3`);
      expect(await page.inputValue('#bankAccount-accountNumber')).toBe('');
      expect(await page.locator('#bankAccount-accountNumber-hint').innerText()).toContain('***4567');
      await click(page, '#save');
      await page.goto(`${server.origin}/applications/${id}/check`);
      expect(await page.locator('main').innerText()).toContain('***4567');
      // Card signing is required before sending; without it the check page says so.
      expect(await page.locator('#sign-button').count()).toBe(1);
      await page.check('#declaration');
      expect(await click(page, '#submit')).toBe(422);
      expect(await summaryLinks(page)).toEqual(['#signature']);
      expect(await page.evaluate(() => document.activeElement?.className)).toBe('mg-error-summary');
      expect(await submittedCount(who.id)).toBe(0);
    } finally {
      await other.close();
    }
  });
});

describe('a notice without card signature (保育の現況届, kosodate-13)', () => {
  it('sends exactly once with JavaScript: double click, the same form posted again, back and send again', async () => {
    const who = await resident();
    const context = await contextFor(who, { javaScript: true });
    try {
      const page = await context.newPage();
      const id = await startDraft(page, 'kosodate-13');
      await page.fill('#applicantName', '窓口 花子');
      await page.fill('#applicantKana', 'マドグチ ハナコ');
      await page.fill('#phone', '03-1234-5678');
      await page.fill('#childName', '窓口 太郎');
      await page.fill('#facilityName', '桜ヶ丘保育園');
      await page.selectOption('#reason', '就労');
      await page.check('#reasonContinues');
      await page.fill('#monthlyWorkHours', '１２０');
      await click(page, '#save');
      await click(page, '#continue');
      expect(path(page)).toBe(`/applications/${id}/check`);

      // Without the declaration: the summary, focused by the script.
      expect(await click(page, '#submit')).toBe(400);
      expect(await summaryLinks(page)).toEqual(['#declaration']);
      expect(await page.evaluate(() => document.activeElement?.className)).toBe('mg-error-summary');

      // The same rendered form sent three times at once (a double click and a retry): one application.
      await page.check('#declaration');
      const form = await page.evaluate(() => Object.fromEntries(new FormData(document.querySelector('form[action$="/check"]') as HTMLFormElement) as unknown as Iterable<[string, string]>));
      const posts = await Promise.all(
        [1, 2, 3].map(() =>
          fetch(`${server.origin}/applications/${id}/check`, {
            method: 'POST',
            redirect: 'manual',
            headers: { cookie: `${SESSION_COOKIE}=${who.cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams(form).toString(),
          }),
        ),
      );
      expect(posts.map((post) => [post.status, post.headers.get('location')])).toEqual(Array(3).fill([303, `/applications/${id}/submitted`]));
      await page.dblclick('#submit');
      await page.waitForURL(`**/applications/${id}/submitted`);
      expect(await submittedCount(who.id)).toBe(1);

      const reference = await page.locator('#reference-number').innerText();
      expect(reference).toMatch(/\S/);
      expect(await page.locator('main').innerText()).toContain('これからの流れ');
      const receipt = await page.request.get(`${server.origin}${await page.locator('#receipt').getAttribute('href')}`);
      expect(receipt.status()).toBe(200);
      expect(receipt.headers()['content-type']).toContain('application/pdf');

      // Back to the check page and send again: it is the confirmation, still one application.
      await page.goto(`${server.origin}/applications/${id}/check`);
      expect(path(page)).toBe(`/applications/${id}/submitted`);
      expect(await page.locator('#reference-number').innerText()).toBe(reference);
      expect(await submittedCount(who.id)).toBe(1);
    } finally {
      await context.close();
    }
  });
});

describe('accessibility, reflow and weight', () => {
  it.each(LANGS)('every state of the form passes axe in %s (script on and blocked) and reflows at 320 px', async (lang) => {
    const who = await resident();
    for (const javaScript of [true, false]) {
      const context = await contextFor(who, { lang, width: 320 });
      if (!javaScript) await context.route(/\/assets\/portal\.[0-9a-f]+\.js$/, (route) => route.abort());
      try {
        const page = await context.newPage();
        const id = await startDraft(page, 'kosodate-01');
        const check = async (label: string) => {
          await expectNoAxeViolations(page, `${label} [${lang}, JS ${javaScript ? 'on' : 'off'}]`);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
          expect({ label, overflow }).toEqual({ label, overflow: false });
        };
        await page.goto(`${server.origin}/apply/kosodate-01`);
        await check('start with a draft');
        await page.goto(`${server.origin}/applications/${id}/form/1`);
        await check('section empty');
        await click(page, '#save');
        await check('section with errors');
        await page.goto(`${server.origin}/applications/${id}/form/2`);
        await click(page, 'button[value="add:children"]');
        await check('rows');
        await page.goto(`${server.origin}/applications/${id}/form/3`);
        await click(page, '#save');
        await check('nested group with errors');
        await page.goto(`${server.origin}/applications/${id}/attachments`);
        await check('attachments');
        await page.goto(`${server.origin}/applications/${id}/check`);
        await check('check your answers');
        await click(page, '#submit');
        await check('check your answers with errors');
      } finally {
        await context.close();
      }
    }
  });

  it('the application form page with its CSS and fonts is at most 150 KB on a first visit', async () => {
    const who = await resident();
    const setup = await contextFor(who, { javaScript: false });
    const id = await startDraft(await setup.newPage(), 'kosodate-01');
    await setup.close();
    const context = await contextFor(who);
    try {
      const page = await context.newPage();
      const responses: Array<Promise<number>> = [];
      page.on('requestfinished', (request) => {
        responses.push(request.sizes().then((sizes) => sizes.responseBodySize + sizes.responseHeadersSize));
      });
      await page.goto(`${server.origin}/applications/${id}/form/2`, { waitUntil: 'load' });
      await page.evaluate(async () => {
        await document.fonts.ready;
      });
      const bytes = (await Promise.all(responses)).reduce((sum, size) => sum + size, 0);
      process.stdout.write(`application form page first visit: ${bytes} bytes in ${responses.length} responses\n`);
      expect(bytes).toBeLessThanOrEqual(150 * 1024);
    } finally {
      await context.close();
    }
  });
});
