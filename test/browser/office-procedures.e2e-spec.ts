import { ApplicationsService } from '@madoguchi/applications';
import { ApplicationWorkflowService } from '@madoguchi/engine';
import { SessionService, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId } from '@madoguchi/kernel';
import type { ProcedureDefinition, WorkflowActor } from '@madoguchi/workflow';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { parse, stringify } from 'yaml';
import { CONFIG_DIR, SAMPLE_MUNICIPALITY } from '../support/test-app';
import { publishTestCertificate, TEST_CERTIFICATE } from '../support/test-procedures';
import { expectNoAxeViolations, launchBrowser } from './support/browser';
import { startOfficeServer } from './support/office-server';

/**
 * Procedure versions tried before they go live, in a real browser (issue
 * 13): an administrator uploads a changed definition (a refused one first),
 * reads the diff, dry-runs it against cases recorded by the real engine and
 * publishes it after the confirmation. With JavaScript (Japanese, axe on
 * every state) and without (English, 320 px, typed into the textarea).
 */

const M1 = asMunicipalityId(SAMPLE_MUNICIPALITY);
const CODE = TEST_CERTIFICATE;
const BASE = '/office/admin/procedures';
const resident: WorkflowActor = { kind: 'resident', id: 'resident-browser' };

let server: Awaited<ReturnType<typeof startOfficeServer>>;
let browser: Browser;
let adminCookie: string;

function definitionText(version: number, change: (definition: ProcedureDefinition) => void): string {
  const definition = parse(readFileSync(path.join(CONFIG_DIR, 'procedures/juminhyo.yaml'), 'utf8')) as ProcedureDefinition;
  definition.code = CODE;
  definition.version = version;
  definition.identity = 'account';
  definition.steps = definition.steps.filter((step) => step !== 'identity');
  change(definition);
  return stringify(definition);
}
/** At most `copies` copies per request: every recorded case asked for two. */
const copiesAtMost = (copies: number) => (definition: ProcedureDefinition) => {
  (definition.form.schema.properties as Record<string, Record<string, unknown>>).copies.maximum = copies;
};

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startOfficeServer();
  const t = server.app;
  await publishTestCertificate(t, [SAMPLE_MUNICIPALITY]);
  const admin = await t.get(StaffAdminService).create(M1, 'browser-setup', { loginId: 'procedures-admin', password: 'procedures-browser-pw-01', displayName: '管理 三郎', roles: ['administrator'], approvalLevel: null, departments: [], active: true });
  adminCookie = (await t.get(SessionService).issue(M1, { kind: 'staff', id: admin.account.id }, 'cookie', 'password')).accessToken;
  // Three recorded cases of version 1, submitted and paid, each asking for two copies.
  for (let index = 0; index < 3; index += 1) {
    const draft = await t.get(ApplicationsService).createDraft(M1, { procedureCode: CODE, channel: 'online', formData: { scope: '本人のみ', purpose: '学校への提出', copies: 2 }, actor: resident });
    await t.get(ApplicationWorkflowService).transition(M1, draft.id, { type: 'resident.submit', actor: resident, payload: { amount: 600 } });
    await t.get(ApplicationWorkflowService).transition(M1, draft.id, { type: 'payment.succeeded', actor: { kind: 'provider', id: 'sim' } });
  }
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function contextFor(options: { javaScript: boolean; lang: 'ja' | 'en'; width: number }): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScript, viewport: { width: options.width, height: 900 }, locale: 'ja-JP' });
  await context.addCookies([
    { name: 'lang', value: options.lang, url: server.origin },
    { name: 'madoguchi_session', value: adminCookie, url: server.origin },
  ]);
  return context;
}

async function submit(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

/** Each state: axe where script runs; no horizontal scroll at the viewport's width. */
async function check(page: Page, label: string, javaScript: boolean): Promise<void> {
  if (javaScript) await expectNoAxeViolations(page, label);
  const width = page.viewportSize()!.width;
  expect({ label, scrollWidth: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ label, scrollWidth: expect.any(Number) });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

const texts = {
  ja: { start: '今の版から下書きを作る', create: '下書きとして登録する', errors: '定義の誤り', diff: '第{from}版との違い', run: '試行する', ran: '件の申請で試行しました', publish: '版を公開する', done: '版を公開しました' },
  en: { start: 'Start a draft from the current version', create: 'Save as a draft', errors: 'Problems in the definition', diff: 'Changes against version {from}', run: 'Dry-run', ran: 'Dry-run against', publish: 'Publish version', done: 'was published' },
};

/** The whole flow for the next version; the definition uploaded as a file (with script) or typed (without). */
async function flow(page: Page, options: { lang: 'ja' | 'en'; javaScript: boolean; version: number; by: 'file' | 'textarea' }): Promise<void> {
  const text = texts[options.lang];
  const { javaScript } = options;
  await page.goto(`${server.origin}${BASE}`);
  expect(await page.textContent('main table')).toContain(CODE);
  await check(page, 'procedure list', javaScript);
  await submit(page, `main a[href="${BASE}/new?code=${CODE}"]`);
  expect(await page.inputValue('#yaml')).toContain(`version: ${options.version}`);
  await check(page, 'new draft form', javaScript);

  // A definition with an unknown step first: the error summary, and the table of file, path and reason.
  const broken = definitionText(options.version, (definition) => definition.steps.push('teleport' as never));
  const good = definitionText(options.version, copiesAtMost(options.version === 2 ? 1 : 5));
  const send = async (yaml: string) => {
    if (options.by === 'file') await page.setInputFiles('#file', { name: 'juminhyo.yaml', mimeType: 'application/yaml', buffer: Buffer.from(yaml, 'utf8') });
    else await page.fill('#yaml', yaml);
    await submit(page, `main button:has-text("${text.create}")`);
  };
  await send(broken);
  expect(await page.locator('.mg-error-summary a[href="#yaml"]').count()).toBeGreaterThanOrEqual(1);
  expect(await page.textContent('#definition-errors')).toContain(text.errors);
  expect(await page.textContent('#definition-errors')).toContain('/steps/');
  await check(page, 'refused definition', javaScript);
  await send(good);

  // The draft: its diff against the published version.
  expect(new URL(page.url()).pathname).toMatch(/\/drafts\/[0-9a-f-]{36}$/);
  expect(await page.textContent('main')).toContain(text.diff.replace('{from}', String(options.version - 1)));
  expect(await page.textContent('main')).toContain('copies');
  expect(await page.locator(`main a[href$="/publish"]`).count()).toBe(0);
  await check(page, 'draft with diff', javaScript);

  await page.fill('#sample', '50');
  await submit(page, `main button:has-text("${text.run}")`);
  expect(new URL(page.url()).pathname).toMatch(/\/dry-run$/);
  expect(await page.textContent('main')).toContain(text.ran);
  await check(page, 'dry-run report', javaScript);

  await submit(page, `main a:has-text("${text.publish}")`);
  await check(page, 'publish confirmation', javaScript);
  await submit(page, `main button:has-text("${text.publish}")`);
  expect(await page.textContent('[data-testid=published-version]')).toBe(String(options.version));
  expect(await page.textContent('main')).toContain(text.done);
  await check(page, 'published', javaScript);
}

it('an administrator uploads a changed definition, reads the diff, dry-runs it and publishes it (JavaScript on, Japanese)', async () => {
  const context = await contextFor({ javaScript: true, lang: 'ja', width: 1280 });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  try {
    await flow(page, { lang: 'ja', javaScript: true, version: 2, by: 'file' });
    // The dry run named the cases whose two copies the new version refuses.
    const [{ count }] = await server.app.dataSource.query(`SELECT count(*)::int AS count FROM procedure_definitions WHERE municipality_id = $1 AND code = $2`, [M1, CODE]);
    expect(count).toBe(2);
  } finally {
    await context.close();
  }
}, 240_000);

it('the same flow without JavaScript, in English, typed into the textarea, at 320 px', async () => {
  const context = await contextFor({ javaScript: false, lang: 'en', width: 320 });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  try {
    await flow(page, { lang: 'en', javaScript: false, version: 3, by: 'textarea' });
  } finally {
    await context.close();
  }
}, 240_000);
