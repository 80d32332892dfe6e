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
 *   BENCH_HTTP_PROCESSES=1,2,4 npm run bench:http
 *
 * Then the built service (`dist/apps/server/src/main.js`) runs as a child
 * with WEB_CONCURRENCY set to each of BENCH_HTTP_PROCESSES (default 1,2; `off`
 * skips) on the same database, driven by the same client: flows/s per
 * process count, node CPU of the service's processes per flow, and the
 * scaling factor against one process.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadAppConfig, loadMunicipalitySettings, loadSecrets, MunicipalityDirectory } from '@madoguchi/config';
import { ResidentRepository, SessionService, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId, PeriodicJobs } from '@madoguchi/kernel';
import { CatalogSyncService, ProcedurePublishingService } from '@madoguchi/procedures';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { freePort } from '../support/free-port';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureHttp } from '../../apps/api/src/http-setup';
import { BENCH_PROCEDURE, benchDatabase, engineRun, inParallel, publishBenchProcedure } from './workflow.bench';
import { profiled } from './cpu-profile';

const APPLICATIONS = Number(process.env.BENCH_HTTP_APPLICATIONS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_HTTP_CONCURRENCY ?? 16);
const PROCESSES = (process.env.BENCH_HTTP_PROCESSES ?? '1,2') === 'off' ? [] : (process.env.BENCH_HTTP_PROCESSES ?? '1,2').split(',').map(Number);
const TIME_LIMIT_MS = Number(process.env.BENCH_HTTP_SECONDS ?? 180) * 1000;
const ROOT = path.resolve(__dirname, '../../..');
const CITY = asMunicipalityId('990001');
const PROCEDURE = BENCH_PROCEDURE;
const CARD = { number: '4242424242424242', expiry: '12/34', cvc: '123' };
const PROFILE = process.env.BENCH_PROFILE !== '0';
/** The targets of issue 14 for this bench: flows/s with 16 residents, node CPU of the service per flow. */
const TARGETS = { flowsPerSecond: 100, cpuMsPerFlow: 10 };

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
  /** Where the in-process run's node CPU went (API, client, outbox, simulated provider together). */
  profile: Array<{ kind: string; share: number }>;
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
    const runs: ProcessRun[] = [];
    for (const processes of PROCESSES) runs.push(await processRun(url, processes));
    if (runs.length > 0) {
      process.stdout.write(`\nThe built service as a child process, WEB_CONCURRENCY=N, same client and database\n`);
      for (const run of runs) {
        line(`N=${run.processes}: flows/s · node CPU ms per flow · p50 flow (ms)`, `${run.perSecond.toFixed(1)} · ${run.cpuMsPerFlow.toFixed(1)} · ${run.p50Flow.toFixed(1)}`);
      }
      const one = runs.find((run) => run.processes === 1);
      for (const run of runs.filter((candidate) => candidate.processes > 1 && one)) line(`scaling factor N=${run.processes} / N=1`, (run.perSecond / one!.perSecond).toFixed(2));
    }
    // The targets against the service on its own (N=1: its CPU excludes the client), else the in-process run.
    const service = runs.find((run) => run.processes === 1);
    const flowsPerSecond = service?.perSecond ?? http.perSecond;
    const cpuMsPerFlow = service?.cpuMsPerFlow ?? http.cpuMsPerSubmission;
    const against = (met: boolean, target: string) => `${met ? 'met' : 'MISSED'} (target ${target})`;
    process.stdout.write(`\nTargets (${service ? 'the built service, WEB_CONCURRENCY=1' : 'in-process run'})\n`);
    line('submit + pay flows/s, 16 residents', `${flowsPerSecond.toFixed(1)}  ${against(flowsPerSecond >= TARGETS.flowsPerSecond, `>= ${TARGETS.flowsPerSecond}`)}`);
    line('node CPU ms per flow', `${cpuMsPerFlow.toFixed(1)}  ${against(cpuMsPerFlow <= TARGETS.cpuMsPerFlow, `<= ${TARGETS.cpuMsPerFlow}`)}`);
    if (http.profile.length > 0) {
      process.stdout.write(`\nwhere the in-process run's node CPU goes (API, client, outbox and simulated provider in one process):\n`);
      for (const { kind, share } of http.profile) line(`  ${kind}`, `${(share * 100).toFixed(1)}%`);
      process.stdout.write(`what is next for each MISSED target: docs/scaling.md, "Issue 14's targets"\n`);
    }
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

    const tokens = await residentTokens(app);
    const dataSource = app.get(DataSource);
    const cpu = process.cpuUsage();
    const measured = () => drive(base, tokens, dataSource);
    const { result: driven, breakdown } = PROFILE ? await profiled(measured) : { result: await measured(), breakdown: [] };
    const { started, requests, flows } = driven;
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
      profile: breakdown,
      cpuShare: cpuMs / 1000 / seconds,
    };
  } finally {
    await app.get(PeriodicJobs).stop();
    await app.close();
  }
}

/**
 * The residents' side: APPLICATIONS create → submit → pay flows, CONCURRENCY
 * at once, against `base`; resolves when the provider's webhooks have made
 * every one of them paid (`underReview`).
 */
async function drive(base: string, tokens: string[], dataSource: DataSource): Promise<{ started: number; requests: Record<string, number[]>; flows: number[] }> {
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
  const ids: string[] = [];
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
    ids.push(id);
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
  for (;;) {
    const [{ n }]: Array<{ n: number }> = await dataSource.query(`SELECT count(*)::int AS n FROM applications WHERE id = ANY($1::uuid[]) AND state = 'underReview'`, [ids]);
    if (n === APPLICATIONS) break;
    if (Date.now() > deadline) throw new Error(`only ${n} of ${APPLICATIONS} paid within ${TIME_LIMIT_MS / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { started, requests, flows };
}

/** CONCURRENCY residents of the bench city, each with a bearer token. */
async function residentTokens(app: INestApplication): Promise<string[]> {
  const tokens: string[] = [];
  for (let index = 0; index < CONCURRENCY; index += 1) {
    const id = randomUUID();
    await app.get(ResidentRepository).insert(CITY, { id, email: `bench-${id}@example.jp`, passwordHash: null, jpkiSubject: null, now: new Date() });
    tokens.push((await app.get(SessionService).issue(CITY, { kind: 'resident', id }, 'bearer', 'password')).accessToken);
  }
  return tokens;
}

interface ProcessRun {
  processes: number;
  perSecond: number;
  cpuMsPerFlow: number;
  p50Flow: number;
}

/**
 * The built service as a child with WEB_CONCURRENCY=processes on the same
 * database; this process only seeds (through a Nest application that does
 * not listen) and drives the residents.
 */
async function processRun(url: string, processes: number): Promise<ProcessRun> {
  const port = await freePort();
  const env = { DATABASE_URL: url, LOG_LEVEL: 'warn', WORKER: 'inline', DATABASE_POOL_SIZE: String(Math.min(CONCURRENCY + 8, 100)), PORT: '0' };
  const config = loadAppConfig(env, ROOT);
  const settings = loadMunicipalitySettings(config.configDir);
  const seeder = await NestFactory.create(ApiModule.forRoot({ config, databaseUrl: url, directory: MunicipalityDirectory.fromSettings(settings, null), secrets: loadSecrets(process.env, config.dataDir) }), { logger: false });
  await seeder.init();
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/apps/server/src/main.js')], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'info', PORT: String(port), WEB_CONCURRENCY: String(processes), APPS: 'api' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Started: one process has listened, or the parent of N says all of them have.
  let serving = false;
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    if (chunk.includes(processes === 1 ? '"Madoguchi API listening"' : '"HTTP processes started"')) serving = true;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 120_000;
    while (!serving || !(await ready(base))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the service with WEB_CONCURRENCY=${processes} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await publishBenchProcedure(seeder.get(ProcedurePublishingService), config.configDir);
    const tokens = await residentTokens(seeder);
    const cpuBefore = treeCpuMs(child.pid!);
    const { started, flows } = await drive(base, tokens, seeder.get(DataSource));
    const seconds = (Date.now() - started) / 1000;
    const cpuMs = treeCpuMs(child.pid!) - cpuBefore;
    return { processes, perSecond: APPLICATIONS / seconds, cpuMsPerFlow: cpuMs / APPLICATIONS, p50Flow: percentile(flows, 0.5) };
  } finally {
    child.kill('SIGTERM');
    await exited;
    await seeder.close();
  }
}

async function ready(base: string): Promise<boolean> {
  try {
    return (await fetch(`${base}/health/ready`)).status === 200;
  } catch {
    return false;
  }
}

/** `pid` and its descendants, from /proc. */
function serviceTree(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const tree = [pid];
  for (let grew = true; grew; ) {
    grew = false;
    for (const [child, parent] of parents) {
      if (tree.includes(parent) && !tree.includes(child)) {
        tree.push(child);
        grew = true;
      }
    }
  }
  return tree;
}

/** User + system CPU of the process tree, in ms (clock ticks of 10 ms). */
function treeCpuMs(pid: number): number {
  let ticks = 0;
  for (const member of serviceTree(pid)) {
    try {
      const fields = readFileSync(`/proc/${member}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks * 10;
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
