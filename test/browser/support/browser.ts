import AxeBuilder from '@axe-core/playwright';
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's chromium; override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * A headless chromium, or a clear failure: browser tests never skip
 * silently. In CI (CI=true) a missing browser is a broken CI image (.ci/run
 * installs it); elsewhere the message says how to install it.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      process.env.CI === 'true'
        ? `Browser tests need chromium at ${CHROMIUM_PATH} and CI must not skip them: .ci/run installs it with apt-get; check the CI image.`
        : `Browser tests need chromium at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\` (or set CHROMIUM_PATH to a Chromium binary).`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}

/** WCAG 2.1 A and AA, which JIS X 8341-3:2016 AA corresponds to. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Runs axe on the page and fails listing each violation readably (rule, impact, help, the offending nodes). */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  if (results.violations.length === 0) return;
  const report = results.violations
    .map((violation) => {
      const nodes = violation.nodes.map((node) => `      ${node.target.join(' ')}\n        ${node.failureSummary?.replace(/\n/g, '\n        ')}`).join('\n');
      return `  [${violation.impact}] ${violation.id}: ${violation.help}\n    ${violation.helpUrl}\n${nodes}`;
    })
    .join('\n');
  throw new Error(`axe found ${results.violations.length} violation(s) on ${label} (${page.url()}):\n${report}`);
}

/** Records every request the page makes to anywhere but `origin`; the list must stay empty. */
export function recordForeignRequests(page: Page, origin: string): string[] {
  const foreign: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== origin) foreign.push(url);
  });
  return foreign;
}
