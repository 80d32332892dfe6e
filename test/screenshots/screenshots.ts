/**
 * Screenshots of the main pages for the README (issue 11): phone (390×844)
 * and desktop (1280×800), device scale 1, PNG, into docs/screenshots/.
 *
 * Starts what `npm start` serves (API + portal + office, ServerModule) on
 * a fresh migrated database (embedded PostgreSQL, or DATABASE_URL's server:
 * a database of its own that is dropped afterwards), with the clock fixed
 * so the dates in the pictures do not move between runs. Sample data is made
 * through the same services the routes call: a resident with an application
 * in progress, one being filled in online (its form page and check your
 * answers), one awaiting its fee and a paid certificate; a clerk of 市民課
 * with those in the queue. Sessions are browser cookies issued by the
 * session service, as signing in would.
 *
 *   npm run screenshots
 *   DATABASE_URL=postgres://…/postgres npm run screenshots
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadAppConfig, loadMunicipalitySettings, loadSecrets, MunicipalityDirectory } from '@madoguchi/config';
import { ApplicationsService } from '@madoguchi/applications';
import { ApplicationWorkflowService } from '@madoguchi/engine';
import { FacilityCatalogSyncService } from '@madoguchi/bookings';
import { ResidentRepository, SessionService, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId, FixedClock } from '@madoguchi/kernel';
import { BusinessDaysSync, KpiConfigSyncService } from '@madoguchi/kpi';
import { CatalogSyncService, ProcedurePublishingService } from '@madoguchi/procedures';
import type { ProcedureDefinition } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { parse } from 'yaml';
import { configureHttp } from '../../apps/api/src/http-setup';
import { ServerModule } from '../../apps/server/src/server.module';
import { benchDatabase } from '../bench/workflow.bench';

const ROOT = path.resolve(__dirname, '../../..');
const OUT = path.join(ROOT, 'docs/screenshots');
const CITY = asMunicipalityId('990001');
/** 2026-11-24 10:00 in Japan, a Tuesday. */
const NOW = new Date('2026-11-24T01:00:00Z');
/** 住民票 without the card-signature step, so an account can submit it here (as the benches do); same form, fee and department. */
const CERTIFICATE = 'juminhyo-account';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * The portal declares only the frequent slices of Noto Sans JP and leaves
 * rarer kanji to the system's Japanese gothic, which every phone and PC in
 * Japan has (libs/ui/src/assets/portal-assets.ts). A headless Debian box
 * has none, so those kanji would come out as boxes. The pictures add the
 * missing slices of the same font, in the browser only, standing in for the
 * system font a resident's device supplies; the pages are unchanged.
 */
const FONT_PACKAGE = path.dirname(require.resolve('@fontsource/noto-sans-jp/400.css'));
const FALLBACK_PREFIX = '/__screenshots-system-font/';

function systemFontStandIn(): string {
  return [400, 700]
    .map((weight) => readFileSync(path.join(FONT_PACKAGE, `${weight}.css`), 'utf8').replace(/url\(\.\/files\//g, `url(${FALLBACK_PREFIX}`))
    .join('\n')
    .replace(/font-family: 'Noto Sans JP'/g, "font-family: 'System Gothic Stand-in'");
}

const DEVICES = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
} as const;

interface Shot {
  name: string;
  path: string;
  session: 'resident' | 'staff' | 'manager' | null;
  /** The whole page, not just the first screen: where what matters (the timeline) is further down. */
  fullPage?: true;
}

async function main(): Promise<void> {
  const { url, stop } = await benchDatabase();
  const env = { DATABASE_URL: url, LOG_LEVEL: 'silent', WORKER: 'off', PORT: '0', DIGITAL_AUTH_ISSUER: 'off' };
  const config = loadAppConfig(env, ROOT);
  const settings = loadMunicipalitySettings(config.configDir);
  const directory = MunicipalityDirectory.fromSettings(settings, null);
  const clock = new FixedClock(NOW);
  const app = await NestFactory.create(ServerModule.forRoot({ config, databaseUrl: url, directory, secrets: loadSecrets(process.env, config.dataDir), clock }), { logger: false, bodyParser: false });
  configureHttp(app);
  await app.init();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--font-render-hinting=none'] });
  try {
    await app.get(CatalogSyncService).sync(config.configDir, settings);
    await app.get(StaffAdminService).seedDepartments(settings);
    await app.get(FacilityCatalogSyncService).sync(config.configDir, settings);
    await app.get(KpiConfigSyncService).sync(config.configDir, settings);
    await app.get(BusinessDaysSync).sync();
    const juminhyo = parse(readFileSync(path.join(config.configDir, 'procedures/juminhyo.yaml'), 'utf8')) as ProcedureDefinition;
    await app.get(ProcedurePublishingService).publish(CITY, { ...juminhyo, code: CERTIFICATE, version: 1, identity: 'account', steps: juminhyo.steps.filter((step) => step !== 'identity') }, 'screenshots');
    await app.listen(0, '127.0.0.1');
    const origin = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

    // The resident and their applications.
    const residentId = randomUUID();
    await app.get(ResidentRepository).insert(CITY, { id: residentId, email: 'hanako@example.jp', passwordHash: null, jpkiSubject: null, now: clock.now() });
    await app.get(ResidentRepository).markEmailVerified(CITY, residentId, clock.now());
    const resident = { kind: 'resident' as const, id: residentId };
    const applications = app.get(ApplicationsService);
    const workflow = app.get(ApplicationWorkflowService);
    const form = { scope: '本人のみ', purpose: '学校への提出', copies: 2 };
    // In progress: a 現況届 draft, half filled in.
    await applications.createDraft(CITY, { procedureCode: 'kosodate-13', channel: 'online', applicantId: residentId, formData: { applicantName: '窓口 花子', applicantKana: 'マドグチ ハナコ' }, actor: resident });
    // Awaiting its fee: the payment choice.
    const awaiting = await applications.createDraft(CITY, { procedureCode: CERTIFICATE, channel: 'online', applicantId: residentId, formData: form, actor: resident });
    clock.advance(-2 * 3600_000);
    await workflow.transition(CITY, awaiting.id, { type: 'resident.submit', actor: resident, payload: { amount: 600 } });
    // Paid and under review: the timeline.
    clock.set(new Date(NOW.getTime() - 26 * 3600_000));
    const paid = await applications.createDraft(CITY, { procedureCode: CERTIFICATE, channel: 'online', applicantId: residentId, formData: { ...form, copies: 1 }, actor: resident });
    await workflow.transition(CITY, paid.id, { type: 'resident.submit', actor: resident, payload: { amount: 300 } });
    clock.advance(4 * 60_000);
    await workflow.transition(CITY, paid.id, { type: 'payment.succeeded', actor: { kind: 'provider', id: 'screenshots' }, payload: {} });
    clock.set(NOW);
    // Being filled in online: every answer given, not yet sent (the form page and check your answers).
    const filling = await applications.createDraft(CITY, { procedureCode: CERTIFICATE, channel: 'online', applicantId: residentId, formData: form, actor: resident });

    // A clerk of 市民課 with that certificate in the queue.
    const clerk = await app.get(StaffAdminService).create(CITY, 'screenshots', {
      loginId: 'sato',
      password: 'screenshots-password-0001',
      displayName: '佐藤 一郎',
      roles: ['clerk'],
      approvalLevel: null,
      departments: ['shimin'],
      active: true,
    });
    // A manager of 情報政策課 for the dashboard and the evaluation.
    const manager = await app.get(StaffAdminService).create(CITY, 'screenshots', {
      loginId: 'tanaka',
      password: 'screenshots-password-0002',
      displayName: '田中 花子',
      roles: ['manager'],
      approvalLevel: null,
      departments: [],
      active: true,
    });
    const sessions = app.get(SessionService);
    const cookies = {
      manager: (await sessions.issue(CITY, { kind: 'staff', id: manager.account.id }, 'cookie', 'password')).accessToken,
      resident: (await sessions.issue(CITY, resident, 'cookie', 'password')).accessToken,
      staff: (await sessions.issue(CITY, { kind: 'staff', id: clerk.account.id }, 'cookie', 'password')).accessToken,
    };

    const shots: Shot[] = [
      { name: 'home', path: '/', session: null },
      { name: 'procedure-guide', path: '/procedures/juminhyo', session: null },
      { name: 'sign-in', path: '/account/sign-in', session: null },
      { name: 'my-applications', path: '/applications', session: 'resident' },
      { name: 'application-timeline', path: `/applications/${paid.id}`, session: 'resident', fullPage: true },
      { name: 'payment-choice', path: `/applications/${awaiting.id}/pay`, session: 'resident' },
      { name: 'application-form', path: `/applications/${filling.id}/form/1`, session: 'resident' },
      { name: 'check-answers', path: `/applications/${filling.id}/check`, session: 'resident', fullPage: true },
      { name: 'facility-availability', path: '/facilities/chuo-kominkan#availability', session: null },
      { name: 'office-queue', path: '/office/queue', session: 'staff' },
      { name: 'office-case', path: `/office/applications/${paid.id}`, session: 'staff' },
      { name: 'office-counter-entry', path: '/office/counter/entry', session: 'staff' },
      { name: 'office-dashboard', path: '/office/dashboard', session: 'manager' },
      { name: 'office-evaluation', path: '/office/evaluation', session: 'manager' },
      { name: 'progress', path: '/progress', session: null },
      { name: 'opendata', path: '/opendata/', session: null },
    ];
    mkdirSync(OUT, { recursive: true });
    let total = 0;
    const standIn = systemFontStandIn();
    for (const [device, viewport] of Object.entries(DEVICES)) {
      // bypassCSP only lets the stand-in stylesheet above in; the pages' own CSP is tested by the browser tests.
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'ja-JP', isMobile: device === 'phone', hasTouch: device === 'phone', bypassCSP: true });
      await context.route(`**${FALLBACK_PREFIX}*`, (route) => {
        const file = path.basename(new URL(route.request().url()).pathname);
        return route.fulfill({ status: 200, contentType: 'font/woff2', body: readFileSync(path.join(FONT_PACKAGE, 'files', file)) });
      });
      const host = new URL(origin).hostname;
      for (const shot of shots) {
        await context.clearCookies();
        if (shot.session) await context.addCookies([{ name: 'madoguchi_session', value: cookies[shot.session], domain: host, path: '/', httpOnly: true, sameSite: 'Lax' }]);
        const page = await context.newPage();
        const failed: string[] = [];
        page.on('response', (answer) => {
          if (answer.status() >= 400) failed.push(`${answer.status()} ${answer.url()}`);
        });
        page.on('requestfailed', (request) => failed.push(`failed ${request.url()} ${request.failure()?.errorText}`));
        const response = await page.goto(`${origin}${shot.path}`, { waitUntil: 'networkidle' });
        if (!response || response.status() !== 200) throw new Error(`${shot.path}: ${response?.status()} at ${page.url()}`);
        // Appended to the page's font stack as the system fallback would be.
        await page.addStyleTag({ content: `${standIn}\nbody, button, input, select, textarea { font-family: 'Noto Sans JP', 'System Gothic Stand-in', sans-serif !important; }` });
        await page.waitForLoadState('networkidle');
        // Every unicode-range slice of the font the page uses, loaded before the picture is taken.
        await page.evaluate(async () => {
          await document.fonts.ready;
          return document.fonts.status;
        });
        if (failed.length > 0) throw new Error(`${shot.path}: ${failed.join(', ')}`);
        const file = path.join(OUT, `${shot.name}-${device}.png`);
        await page.screenshot({ path: file, type: 'png', fullPage: shot.fullPage ?? false });
        total += statSync(file).size;
        process.stdout.write(`${path.relative(ROOT, file)}  ${(statSync(file).size / 1024).toFixed(0)} KiB\n`);
        await page.close();
      }
      await context.close();
    }
    process.stdout.write(`${shots.length * 2} screenshots, ${(total / 1024).toFixed(0)} KiB in all\n`);
  } finally {
    await browser.close();
    await app.close();
    await stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshots failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
