import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, recordForeignRequests } from './support/browser';
import { type PortalServer, startPortalServer } from './support/portal-server';

/**
 * The first portal pages in a real browser (issue 11): every page in every
 * language, with and without JavaScript, passes axe with zero violations,
 * makes no request off our origin, reflows at 320 CSS px and survives 200%
 * text; the skip link, the search form and the language switch work from
 * the keyboard and without JavaScript; the procedure guide stays within
 * 150 KB on a first visit.
 */

const PAGES = [
  { name: 'home', path: '/' },
  { name: 'search results', path: '/?q=%E3%81%98%E3%82%85%E3%81%86%E3%81%BF%E3%82%93%E3%81%B2%E3%82%87%E3%81%86&online=1' },
  { name: 'life event', path: '/?event=kosodate' },
  { name: 'no results', path: '/?q=zzzz-no-such' },
  { name: 'procedure guide (online)', path: '/procedures/juminhyo' },
  { name: 'procedure guide (counter only)', path: '/procedures/kaigo-04' },
  { name: 'verify form', path: '/verify' },
  { name: 'verify result', path: '/verify/ABCD-EFGH-JKLM-NPQR' },
  { name: 'verify with errors', path: '/verify?code=&sha256=xyz' },
  { name: 'not found', path: '/procedures/no-such-procedure' },
] as const;
const LANGS = ['ja', 'ja-easy', 'en'] as const;

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

async function contextFor(options: { lang?: (typeof LANGS)[number]; javaScript?: boolean; width?: number } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScript ?? true,
    viewport: { width: options.width ?? 1280, height: 900 },
    locale: 'ja-JP',
  });
  if (options.lang) await context.addCookies([{ name: 'lang', value: options.lang, url: server.origin }]);
  return context;
}

async function open(context: BrowserContext, path: string): Promise<{ page: Page; foreign: string[]; status: number }> {
  const page = await context.newPage();
  const foreign = recordForeignRequests(page, server.origin);
  const response = await page.goto(`${server.origin}${path}`, { waitUntil: 'load' });
  return { page, foreign, status: response?.status() ?? 0 };
}

describe.each([true, false])('with our script %s', (javaScript) => {
  it.each(LANGS)('every page in %s passes axe with zero violations and requests nothing off our origin', async (lang) => {
    // axe runs as a script in the page, which a javaScriptEnabled:false context cannot run (it hangs). The
    // no-JS state is the same DOM without our enhancement script: block that file instead. The flows
    // below run in real javaScriptEnabled:false contexts.
    const context = await contextFor({ lang });
    if (!javaScript) await context.route(/\/assets\/portal\.[0-9a-f]+\.js$/, (route) => route.abort());
    try {
      for (const { name, path } of PAGES) {
        const { page, foreign } = await open(context, path);
        expect(await page.getAttribute('html', 'lang')).toBe(lang === 'en' ? 'en' : 'ja');
        await expectNoAxeViolations(page, `${name} [${lang}, JS ${javaScript ? 'on' : 'off'}]`);
        expect({ name, foreign }).toEqual({ name, foreign: [] });
        await page.close();
      }
    } finally {
      await context.close();
    }
  }, 300_000);
});

describe('layout', () => {
  it.each(LANGS)('reflows at 320 CSS px without horizontal scrolling (%s)', async (lang) => {
    const context = await contextFor({ lang, width: 320 });
    try {
      for (const { name, path } of PAGES) {
        const { page } = await open(context, path);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect({ name, width }).toEqual({ name, width: expect.any(Number) });
        expect(width).toBeLessThanOrEqual(320);
        await page.close();
      }
    } finally {
      await context.close();
    }
  });

  it('keeps every page readable at 200% text size: no horizontal scrolling, the heading shown', async () => {
    const context = await contextFor({ width: 1280 });
    try {
      for (const { name, path } of PAGES) {
        const { page } = await open(context, path);
        // Text-only zoom, as a browser's "text size" setting does: the root font size doubles.
        await page.evaluate(() => {
          document.documentElement.style.fontSize = '200%';
        });
        const { scrollWidth, clientWidth, headingVisible } = await page.evaluate(() => {
          const heading = document.querySelector('h1')!.getBoundingClientRect();
          return { scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth, headingVisible: heading.width > 0 && heading.right <= document.documentElement.clientWidth };
        });
        expect({ name, overflow: scrollWidth > clientWidth, headingVisible }).toEqual({ name, overflow: false, headingVisible: true });
        await page.close();
      }
    } finally {
      await context.close();
    }
  });

  it('the skip link is the first Tab stop, is visibly focused, and moves focus to main', async () => {
    const context = await contextFor();
    try {
      const { page } = await open(context, '/procedures/juminhyo');
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement;
        const style = getComputedStyle(element);
        const box = element.getBoundingClientRect();
        return { className: element.className, href: element.getAttribute('href'), outline: style.outlineStyle, outlineWidth: style.outlineWidth, onScreen: box.top >= 0 && box.left >= 0 && box.width > 0 };
      });
      expect(focused).toEqual({ className: 'mg-skip-link', href: '#main', outline: 'solid', outlineWidth: '4px', onScreen: true });
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
      // The next Tab stop is inside main, not back in the header.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest('main')))).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('with JavaScript, a form with errors starts at the error summary; without, the summary is first in main', async () => {
    for (const javaScript of [true, false]) {
      const context = await contextFor({ javaScript });
      try {
        const { page, status } = await open(context, '/verify?code=&sha256=xyz');
        expect(status).toBe(400);
        const state = await page.evaluate(() => ({
          active: (document.activeElement as HTMLElement | null)?.className ?? '',
          firstInMain: document.querySelector('main')!.firstElementChild!.className,
          links: Array.from(document.querySelectorAll('.mg-error-summary a'), (link) => link.getAttribute('href')),
        }));
        expect(state.firstInMain).toBe('mg-error-summary');
        expect(state.links).toEqual(['#code', '#sha256']);
        if (javaScript) expect(state.active).toBe('mg-error-summary');
        else expect(state.active).not.toBe('mg-error-summary');
        await page.close();
      } finally {
        await context.close();
      }
    }
  });
});

describe('without JavaScript', () => {
  it('the search form finds a procedure typed in kana and marks it as online', async () => {
    const context = await contextFor({ javaScript: false });
    try {
      const { page } = await open(context, '/');
      await page.fill('#q', 'じゅうみんひょう');
      await Promise.all([page.waitForNavigation(), page.click('form[role=search] button[type=submit]')]);
      expect(new URL(page.url()).searchParams.get('q')).toBe('じゅうみんひょう');
      const card = page.locator('.mg-card', { hasText: '住民票の写しの交付請求' });
      expect(await card.count()).toBe(1);
      expect(await card.locator('.mg-tag').innerText()).toBe('オンライン申請できます');
      await Promise.all([page.waitForNavigation(), card.locator('a').click()]);
      expect(new URL(page.url()).pathname).toBe('/procedures/juminhyo');
      expect(await page.locator('a.mg-button--start').getAttribute('href')).toBe('/apply/juminhyo');
    } finally {
      await context.close();
    }
  });

  it('a life event lists only its procedures', async () => {
    const context = await contextFor({ javaScript: false });
    try {
      const { page } = await open(context, '/');
      await Promise.all([page.waitForNavigation(), page.click('.mg-life-events a:text-is("介護")')]);
      const names = await page.locator('.mg-card__title').allInnerTexts();
      expect(names.length).toBeGreaterThan(5);
      expect(names.some((name) => name.includes('住民票'))).toBe(false);
    } finally {
      await context.close();
    }
  });

  it('the language switch keeps the page and remembers the choice', async () => {
    const context = await contextFor({ javaScript: false });
    try {
      const { page } = await open(context, '/procedures/juminhyo');
      expect(await page.locator('h1').innerText()).toBe('住民票の写しの交付請求');
      await Promise.all([page.waitForNavigation(), page.click('.mg-language a[lang=en]')]);
      expect(new URL(page.url()).pathname).toBe('/procedures/juminhyo');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await page.locator('h1').innerText()).toBe('Request for a certificate of residence');
      await page.goto(`${server.origin}/`);
      expect(await page.locator('h1').innerText()).toBe('Find a procedure');
      await Promise.all([page.waitForNavigation(), page.click('.mg-language a:text-is("やさしい にほんご")')]);
      expect(await page.locator('h1').innerText()).toBe('手続（てつづき）を さがす');
    } finally {
      await context.close();
    }
  });
});

describe('weight and headers', () => {
  it('the procedure guide with its CSS and fonts is at most 150 KB on a first visit', async () => {
    const context = await contextFor();
    try {
      const page = await context.newPage();
      const responses: Array<Promise<number>> = [];
      page.on('requestfinished', (request) => {
        responses.push(request.sizes().then((sizes) => sizes.responseBodySize + sizes.responseHeadersSize));
      });
      await page.goto(`${server.origin}/procedures/juminhyo`, { waitUntil: 'load' });
      await page.evaluate(async () => {
        await document.fonts.ready;
      });
      const bytes = (await Promise.all(responses)).reduce((sum, size) => sum + size, 0);
      process.stdout.write(`procedure guide first visit: ${bytes} bytes in ${responses.length} responses\n`);
      expect(bytes).toBeLessThanOrEqual(150 * 1024);
    } finally {
      await context.close();
    }
  });

  it('pages send a CSP without unsafe-inline and the other security headers; assets are long-cached with an ETag', async () => {
    const page = await fetch(`${server.origin}/procedures/juminhyo`);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    // Same-origin only: a form posted signed out comes back to its page after sign-in; no other site learns the address.
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    const html = await page.text();
    expect(html).not.toMatch(/<script>|<style|\sstyle="/);
    const stylesheet = /href="(\/assets\/portal\.[0-9a-f]{12}\.css)"/.exec(html)![1];
    const css = await fetch(`${server.origin}${stylesheet}`);
    expect(css.headers.get('cache-control')).toContain('max-age=31536000');
    const etag = css.headers.get('etag')!;
    expect((await fetch(`${server.origin}${stylesheet}`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    expect((await fetch(`${server.origin}/assets/portal.000000000000.css`)).status).toBe(404);
    expect((await fetch(`${server.origin}/assets/fonts/..%2F400.css`)).status).toBe(404);
  });

  it('the language switch goes back only to a path on this site', async () => {
    for (const [back, expected] of [
      ['/procedures/juminhyo?x=1', '/procedures/juminhyo?x=1'],
      ['//evil.example/', '/'],
      ['/\\evil.example', '/'],
      ['https://evil.example/', '/'],
      ['javascript:alert(1)', '/'],
    ]) {
      const response = await fetch(`${server.origin}/lang?to=en&back=${encodeURIComponent(back)}`, { redirect: 'manual' });
      expect({ back, status: response.status, location: response.headers.get('location') }).toEqual({ back, status: 303, location: expected });
      expect(response.headers.get('set-cookie')).toMatch(/^lang=en; Max-Age=\d+; Path=\/; Expires=.*; HttpOnly; SameSite=Lax$/);
    }
    const unknown = await fetch(`${server.origin}/lang?to=fr&back=/`, { redirect: 'manual' });
    expect(unknown.headers.get('set-cookie')).toMatch(/^lang=ja;/);
  });
});
