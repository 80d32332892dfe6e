import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestApp } from '../../support/test-app';
import { expectNoAxeViolations } from './browser';

/**
 * What the office's browser tests share: browser contexts (JavaScript on or
 * off, a language cookie, a width), signing in through the page, and axe
 * where it can run.
 */
export class OfficePages {
  /** The browser context with JavaScript off, where axe cannot run. */
  private noScript: BrowserContext | null = null;

  constructor(
    private readonly browser: Browser,
    private readonly t: TestApp,
    readonly origin: string,
    private readonly password: string,
  ) {}

  async contextFor(options: { javaScript?: boolean; width?: number; lang?: 'ja' | 'en' } = {}): Promise<BrowserContext> {
    const context = await this.browser.newContext({ javaScriptEnabled: options.javaScript ?? true, viewport: { width: options.width ?? 1280, height: 900 }, locale: 'ja-JP' });
    if (options.lang) await context.addCookies([{ name: 'lang', value: options.lang, url: this.origin }]);
    if (options.javaScript === false) this.noScript = context;
    return context;
  }

  /** Signs in on the page `start` sends to (TOTP when `code` is given) and lands back on `start`. */
  async signIn(page: Page, loginId: string, start: string, code?: string): Promise<void> {
    await this.t.dataSource.query('DELETE FROM rate_limits');
    await page.goto(`${this.origin}${start}`);
    await page.fill('#loginId', loginId);
    await page.fill('#password', this.password);
    if (code) await page.fill('#totpCode', code);
    await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
    expect(new URL(page.url()).pathname).toBe(start);
  }

  /** axe runs as a script in the page: only where JavaScript is on (the HTML is the same server-rendered markup without it). */
  async axe(page: Page, label: string): Promise<void> {
    if (page.context() !== this.noScript) await expectNoAxeViolations(page, label);
  }
}

/** Clicks and waits for the page it leads to. */
export async function submit(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}
