/**
 * Submit + pay over HTTP, the way residents do it, against the engine-only
 * figure of workflow.bench.ts measured in the same run on the same
 * PostgreSQL (the machine is shared and noisy: the ratio means more than
 * either number).
 *
 * The whole API listens on 127.0.0.1 with the background jobs inline (outbox,
 * timers, the simulated provider's webhook sender), as `npm start` runs it.
 * Each virtual resident, in a loop: create the application, submit it, start
 * a card payment, load the hosted page and post its form (test card 4242…).
 * The provider's webhooks then settle the application asynchronously; the
 * run ends when every application is `underReview` (paid).
 *
 * Reported: submissions/s (submitted and paid, wall clock), p50/p99 of each
 * HTTP request and of the client-side flow, p50/p99 from submission to the
 * paid transition (application_events), and the ratio to the engine.
 *
 *   npm run bench:http
 *   BENCH_HTTP_APPLICATIONS=400 BENCH_HTTP_CONCURRENCY=32 BENCH_HTTP_SECONDS=120 npm run bench:http
 *   DATABASE_URL=postgres://…/bench npm run bench:http
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadAppConfig, loadMunicipalitySettings, loadSecrets, MunicipalityDirectory } from '@madoguchi/config';
import { ResidentRepository, SessionService, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId, PeriodicJobs } from '@madoguchi/kernel';
import { CatalogSyncService, ProcedurePublishingService } from '@madoguchi/procedures';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureHttp } from '../../apps/api/src/http-setup';
import { BENCH_PROCEDURE, benchDatabase, engineRun, inParallel, publishBenchProcedure } from './workflow.bench';

const APPLICATIONS = Number(process.env.BENCH_HTTP_APPLICATIONS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_HTTP_CONCURRENCY ?? 16);
const TIME_LIMIT_MS = Number(process.env.BENCH_HTTP_SECONDS ?? 180) * 1000;
const ROOT = path.resolve(__dirname, '../../..');
const CITY = asMunicipalityId('990001');
const PROCEDURE = BENCH_PROCEDURE;
const CARD = { number: '4242424242424242', expiry: '12/34', cvc: '123' };

interface HttpRun {
  submissions: number;
  seconds: number;
  perSecond: number;
  requests: Record<string, number[]>;
  flows: number[];
  toPaid: number[];
  webhooks: Record<string, number>;
  cpuMsPerSubmission: number;
  cpuShare: number;
}

async function main(): Promise<void> {
  if (!Number.isInteger(APPLICATIONS) || APPLICATIONS < 1 || APPLICATIONS > 20_000) throw new Error('BENCH_HTTP_APPLICATIONS must be 1..20000');
  if (!Number.isInteger(CONCURRENCY) || CONCURRENCY < 1 || CONCURRENCY > 256) throw new Error('BENCH_HTTP_CONCURRENCY must be 1..256');
  const { url, stop } = await benchDatabase();
  try {
    const http = await httpRun(url);
    // Engine-only, same process, same database server, right after.
    const engine = await engineRun(url);
    const enginePairsPerSecond = engine.perSecond / 2;
    const line = (label: string, value: string) => process.stdout.write(`${label.padEnd(52)}${value}\n`);
    const pct = (values: number[]) => `${percentile(values, 0.5).toFixed(1)} / ${percentile(values, 0.99).toFixed(1)}`;
    process.stdout.write(`\nHTTP submit + pay benchmark (${APPLICATIONS} applications, ${CONCURRENCY} residents at once, loopback, simulated provider)\n`);
    line('submissions/s (submitted and paid, wall clock)', http.perSecond.toFixed(1));
    line('p50 / p99 whole client flow, 5 requests (ms)', pct(http.flows));
    for (const [name, values] of Object.entries(http.requests)) line(`p50 / p99 ${name} (ms)`, pct(values));
    line('p50 / p99 submission → paid transition (ms)', pct(http.toPaid));
    line('node CPU ms per submission / share of one core', `${http.cpuMsPerSubmission.toFixed(1)} / ${(http.cpuShare * 100).toFixed(0)}%`);
    line('webhook deliveries (status: count)', Object.entries(http.webhooks).map(([status, n]) => `${status}: ${n}`).join(', '));
    line('engine-only transitions/s (workflow.bench)', engine.perSecond.toFixed(0));
    line('engine-only submit+pay pairs/s (transitions/s ÷ 2)', enginePairsPerSecond.toFixed(1));
    line('ratio HTTP submit+pay / engine submit+pay', (http.perSecond / enginePairsPerSecond).toFixed(3));
    process.stdout.write(
      'One node process serves the API, runs the client, the outbox, the webhook sender and the simulated provider; the engine run is the engine alone.\n',
    );
  } finally {
    await stop();
  }
}

async function httpRun(url: string): Promise<HttpRun> {
  const env = { DATABASE_URL: url, LOG_LEVEL: 'silent', WORKER: 'inline', DATABASE_POOL_SIZE: String(Math.min(CONCURRENCY + 8, 100)), PORT: '0' };
  const config = loadAppConfig(env, ROOT);
  const settings = loadMunicipalitySettings(config.configDir);
  const directory = MunicipalityDirectory.fromSettings(settings, null);
  const app = await NestFactory.create(ApiModule.forRoot({ config, databaseUrl: url, directory, secrets: loadSecrets(process.env, config.dataDir) }), {
    logger: false,
    bodyParser: false,
  });
  configureHttp(app);
  await app.init();
  try {
    await app.get(CatalogSyncService).sync(config.configDir, settings);
    await app.get(StaffAdminService).seedDepartments(settings);
    await publishBenchProcedure(app.get(ProcedurePublishingService), config.configDir);
    await app.listen(0, '127.0.0.1');
    app.get(PeriodicJobs).start();
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

    const tokens: string[] = [];
    for (let index = 0; index < CONCURRENCY; index += 1) {
      const id = randomUUID();
      await app.get(ResidentRepository).insert(CITY, { id, email: `bench-${id}@example.jp`, passwordHash: null, jpkiSubject: null, now: new Date() });
      tokens.push((await app.get(SessionService).issue(CITY, { kind: 'resident', id }, 'bearer', 'password')).accessToken);
    }

    const requests: Record<string, number[]> = { 'POST /applications': [], 'POST …/submit': [], 'POST …/payments': [], 'GET hosted page': [], 'POST hosted card form': [] };
    const flows: number[] = [];
    const deadline = Date.now() + TIME_LIMIT_MS;
    const timed = async (name: string, work: () => Promise<Response>, expected: number): Promise<Response> => {
      const started = process.hrtime.bigint();
      const response = await work();
      requests[name].push(Number(process.hrtime.bigint() - started) / 1e6);
      if (response.status !== expected) throw new Error(`${name}: ${response.status} ${await response.text()}`);
      return response;
    };
    let worker = 0;
    const cpu = process.cpuUsage();
    const started = Date.now();
    const slots = Array.from({ length: APPLICATIONS }, (_, index) => index);
    await inParallel(slots, CONCURRENCY, async () => {
      if (Date.now() > deadline) throw new Error(`time limit of ${TIME_LIMIT_MS / 1000}s reached`);
      const token = tokens[worker++ % tokens.length];
      const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const flowStarted = process.hrtime.bigint();
      const created = await timed(
        'POST /applications',
        () => fetch(`${base}/api/v1/applications`, { method: 'POST', headers: auth, body: JSON.stringify({ procedureCode: PROCEDURE, formData: { scope: '本人のみ', purpose: '学校への提出', copies: 1 } }) }),
        201,
      );
      const { id } = (await created.json()) as { id: string };
      await (await timed('POST …/submit', () => fetch(`${base}/api/v1/applications/${id}/submit`, { method: 'POST', headers: auth, body: '{}' }), 200)).arrayBuffer();
      const payment = (await (await timed('POST …/payments', () => fetch(`${base}/api/v1/applications/${id}/payments`, { method: 'POST', headers: auth, body: JSON.stringify({ method: 'card' }) }), 201)).json()) as {
        redirectUrl: string;
      };
      const page = `${base}${new URL(payment.redirectUrl).pathname}`;
      await (await timed('GET hosted page', () => fetch(page), 200)).arrayBuffer();
      await (
        await timed(
          'POST hosted card form',
          () => fetch(`${page}/card`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(CARD).toString(), redirect: 'manual' }),
          303,
        )
      ).arrayBuffer();
      flows.push(Number(process.hrtime.bigint() - flowStarted) / 1e6);
    });

    // Paid is when the webhooks have been applied: wait for the last one.
    const dataSource = app.get(DataSource);
    for (;;) {
      const [{ n }]: Array<{ n: number }> = await dataSource.query(`SELECT count(*)::int AS n FROM applications WHERE procedure_code = $1 AND state = 'underReview'`, [PROCEDURE]);
      if (n === APPLICATIONS) break;
      if (Date.now() > deadline) throw new Error(`only ${n} of ${APPLICATIONS} paid within ${TIME_LIMIT_MS / 1000}s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seconds = (Date.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    const toPaid: Array<{ ms: number }> = await dataSource.query(
      `SELECT extract(epoch FROM (paid.occurred_at - submitted.occurred_at)) * 1000 AS ms
         FROM application_events paid
         JOIN application_events submitted ON submitted.application_id = paid.application_id AND submitted.type = 'resident.submit'
        WHERE paid.type = 'payment.succeeded'`,
    );
    const [{ n: paidTransitions }]: Array<{ n: number }> = await dataSource.query(`SELECT count(*)::int AS n FROM application_events WHERE type = 'payment.succeeded'`);
    if (paidTransitions !== APPLICATIONS) throw new Error(`${paidTransitions} paid transitions for ${APPLICATIONS} applications`);
    const deliveries: Array<{ status: string; n: number }> = await dataSource.query(`SELECT status, count(*)::int AS n FROM sim_webhook_deliveries GROUP BY status ORDER BY status`);
    return {
      submissions: APPLICATIONS,
      seconds,
      perSecond: APPLICATIONS / seconds,
      requests,
      flows,
      toPaid: toPaid.map((row) => Number(row.ms)),
      webhooks: Object.fromEntries(deliveries.map((row) => [row.status, row.n])),
      cpuMsPerSubmission: cpuMs / APPLICATIONS,
      cpuShare: cpuMs / 1000 / seconds,
    };
  } finally {
    await app.get(PeriodicJobs).stop();
    await app.close();
  }
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
