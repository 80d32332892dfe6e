/**
 * What a server-rendered page costs against the JSON it is made from
 * (issue 11): the catalog page `/` against `GET /api/v1/procedures`, and a
 * resident's application page `/applications/:id` against
 * `GET /api/v1/applications/:id`, each pair measured back to back on the
 * same app, the same database and the same resident (a cookie session for
 * the page, a bearer session for the JSON, as each is used). The machine is shared
 * and noisy: the ratio page/JSON means more than either number.
 *
 * The server module (`npm start`'s composition: API + portal + office)
 * listens on 127.0.0.1 with no background jobs; 32 clients (fetch, keep-alive)
 * each loop until the fixed number of requests is done. Pages are asked for
 * gzipped, as browsers ask. No assertions: figures only.
 *
 *   npm run bench:pages
 *   BENCH_PAGES_REQUESTS=4000 BENCH_PAGES_CONCURRENCY=32 npm run bench:pages
 *   DATABASE_URL=postgres://…/bench npm run bench:pages
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadAppConfig, loadMunicipalitySettings, loadSecrets, MunicipalityDirectory } from '@madoguchi/config';
import { ApplicationsService } from '@madoguchi/applications';
import { ApplicationWorkflowService } from '@madoguchi/engine';
import { ResidentRepository, SessionService, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId } from '@madoguchi/kernel';
import { CatalogSyncService, ProcedurePublishingService } from '@madoguchi/procedures';
import type { ProcedureDefinition } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import { configureHttp } from '../../apps/api/src/http-setup';
import { ServerModule } from '../../apps/server/src/server.module';
import { benchDatabase, inParallel } from './workflow.bench';

const REQUESTS = Number(process.env.BENCH_PAGES_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_PAGES_CONCURRENCY ?? 32);
const ROOT = path.resolve(__dirname, '../../..');
const CITY = asMunicipalityId('990001');
const PROCEDURE = 'bench-certificate';

interface Run {
  label: string;
  perSecond: number;
  p50: number;
  p99: number;
  /** Content-Length as sent (gzipped when the server gzips), else the decoded size marked so. */
  size: string;
}

async function main(): Promise<void> {
  if (!Number.isInteger(REQUESTS) || REQUESTS < 1 || REQUESTS > 200_000) throw new Error('BENCH_PAGES_REQUESTS must be 1..200000');
  if (!Number.isInteger(CONCURRENCY) || CONCURRENCY < 1 || CONCURRENCY > 256) throw new Error('BENCH_PAGES_CONCURRENCY must be 1..256');
  const { url, stop } = await benchDatabase();
  const env = { DATABASE_URL: url, LOG_LEVEL: 'silent', WORKER: 'off', DATABASE_POOL_SIZE: String(Math.min(CONCURRENCY + 8, 100)), PORT: '0', DIGITAL_AUTH_ISSUER: 'off' };
  const config = loadAppConfig(env, ROOT);
  const settings = loadMunicipalitySettings(config.configDir);
  const directory = MunicipalityDirectory.fromSettings(settings, null);
  const app = await NestFactory.create(ServerModule.forRoot({ config, databaseUrl: url, directory, secrets: loadSecrets(process.env, config.dataDir) }), { logger: false, bodyParser: false });
  configureHttp(app);
  await app.init();
  try {
    await app.get(CatalogSyncService).sync(config.configDir, settings);
    await app.get(StaffAdminService).seedDepartments(settings);
    await publishBenchProcedure(app.get(ProcedurePublishingService), config.configDir);
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

    // One resident with one submitted application awaiting payment: a timeline of two events and a fee.
    const residentId = randomUUID();
    await app.get(ResidentRepository).insert(CITY, { id: residentId, email: `bench-${residentId}@example.jp`, passwordHash: null, jpkiSubject: null, now: new Date() });
    const actor = { kind: 'resident' as const, id: residentId };
    const draft = await app.get(ApplicationsService).createDraft(CITY, { procedureCode: PROCEDURE, channel: 'online', applicantId: residentId, formData: { scope: '本人のみ', purpose: '学校への提出', copies: 1 }, actor });
    await app.get(ApplicationWorkflowService).transition(CITY, draft.id, { type: 'resident.submit', actor, payload: { amount: 300 } });
    // The page reads the browser's session cookie; the JSON API takes a bearer token (it does not read cookies).
    const cookie = await app.get(SessionService).issue(CITY, actor, 'cookie', 'password');
    const bearer = await app.get(SessionService).issue(CITY, actor, 'bearer', 'password');
    const pageSession = { cookie: `madoguchi_session=${cookie.accessToken}` };
    const apiSession = { authorization: `Bearer ${bearer.accessToken}` };

    const runs: Array<[Run, Run]> = [];
    // A short warm-up of each, so the first pair does not pay for the JIT alone.
    for (const [target, headers] of [['/', {}], ['/api/v1/procedures', {}], [`/applications/${draft.id}`, pageSession], [`/api/v1/applications/${draft.id}`, apiSession]] as const) {
      await measure(base, target, 'warm-up', headers, Math.min(200, REQUESTS));
    }
    runs.push([await measure(base, '/', 'catalog page  GET /', {}, REQUESTS), await measure(base, '/api/v1/procedures', 'catalog JSON  GET /api/v1/procedures', {}, REQUESTS)]);
    runs.push([
      await measure(base, `/applications/${draft.id}`, 'application page  GET /applications/:id', pageSession, REQUESTS),
      await measure(base, `/api/v1/applications/${draft.id}`, 'application JSON  GET /api/v1/applications/:id', apiSession, REQUESTS),
    ]);

    const line = (label: string, value: string) => process.stdout.write(`${label.padEnd(50)}${value}\n`);
    process.stdout.write(`\nPage render benchmark (${REQUESTS} requests per target, ${CONCURRENCY} clients at once, loopback, gzip accepted)\n`);
    for (const [page, json] of runs) {
      for (const run of [page, json]) line(run.label, `${run.perSecond.toFixed(0)} req/s, p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms, ${run.size}`);
      line('  ratio page/JSON (req/s; p50)', `${(page.perSecond / json.perSecond).toFixed(2)}; ${(page.p50 / json.p50).toFixed(2)}`);
    }
    process.stdout.write('One node process serves the app and runs the clients; figures move with the machine\'s load.\n');
  } finally {
    await app.close();
    await stop();
  }
}

async function measure(base: string, target: string, label: string, headers: Record<string, string>, requests: number): Promise<Run> {
  const times: number[] = [];
  let size = '';
  const started = process.hrtime.bigint();
  await inParallel(
    Array.from({ length: requests }, (_, index) => index),
    CONCURRENCY,
    async () => {
      const begun = process.hrtime.bigint();
      const response = await fetch(`${base}${target}`, { headers: { ...headers, 'accept-encoding': 'gzip' } });
      const body = await response.arrayBuffer();
      times.push(Number(process.hrtime.bigint() - begun) / 1e6);
      if (response.status !== 200) throw new Error(`${target}: ${response.status} ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
      const sent = response.headers.get('content-length');
      size = sent ? `${sent} B sent${response.headers.get('content-encoding') === 'gzip' ? ' gzipped' : ''}` : `${body.byteLength} B decoded (chunked)`;
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { label, perSecond: requests / seconds, p50: percentile(times, 0.5), p99: percentile(times, 0.99), size };
}

/** The certificate procedure without the card-signature step, so an account can submit it (as http.bench.ts does). */
async function publishBenchProcedure(publishing: ProcedurePublishingService, configDir: string): Promise<void> {
  const juminhyo = parse(readFileSync(path.join(configDir, 'procedures/juminhyo.yaml'), 'utf8')) as ProcedureDefinition;
  await publishing.publish(CITY, { ...juminhyo, code: PROCEDURE, version: 1, identity: 'account', steps: juminhyo.steps.filter((step) => step !== 'identity') }, 'bench');
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
