/**
 * Workflow engine throughput against a plain-pg ceiling, in one run on one
 * PostgreSQL, because this machine is shared and noisy: only the ratio means
 * much. Drives N concurrent applications of the certificate procedure through
 * five transitions each (submit, payment, accept, issue, notify) straight
 * through ApplicationWorkflowService (no HTTP), then does the same number of
 * transactions with the same concurrency in plain `pg` with the fewest round
 * trips a read-decide-write can have through node-postgres: two (the row
 * with its version, then one statement, its own transaction, that updates
 * the row if still that version, appends the event, cancels and schedules a
 * timer and queues the effect and the audit outbox rows; the engine takes
 * four on its staff step, which runs under the row lock), then the same
 * five-step workflow on bpmn-engine with
 * its state stored in the same PostgreSQL after every step. Prints each
 * figure beside the target of issue 14, and where the engine's node CPU goes
 * (V8 sampling profile of the engine phase; BENCH_PROFILE=0 turns it off).
 *
 *   npm run bench                       embedded PostgreSQL
 *   DATABASE_URL=postgres://… npm run bench   another server (database name must contain "bench" or "test")
 *   BENCH_APPLICATIONS=400 BENCH_CONCURRENCY=16 npm run bench
 */
import { freePort } from '../support/free-port';
import 'reflect-metadata';
import { EngineOnlyOutbox } from './engine-only-outbox';
import { bpmnRun } from './bpmn-engine-run';
import { benchPool } from './bench-pool';
import { profiled } from './cpu-profile';
import { NestFactory } from '@nestjs/core';
import { loadAppConfig, loadMunicipalitySettings, loadSecrets, MunicipalityDirectory } from '@madoguchi/config';
import { ApplicationsModule, ApplicationsService } from '@madoguchi/applications';
import { ApplicationWorkflowService } from '@madoguchi/engine';
import { asMunicipalityId, CoreModule, ensureDatabase, quoteIdentifier, startEmbeddedPostgres, OutboxModule, dataSourceOptions, runMigrationsLocked } from '@madoguchi/kernel';
import { CatalogSyncService, ProcedureError, ProcedureErrorCode, ProcedurePublishingService, ProceduresModule } from '@madoguchi/procedures';
import { type ProcedureDefinition, type WorkflowActor } from '@madoguchi/workflow';
import { Module, type DynamicModule } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { parse } from 'yaml';
import { MIGRATIONS } from '../../migrations';

const APPLICATIONS = Number(process.env.BENCH_APPLICATIONS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROOT = path.resolve(__dirname, '../../..');
const CITY = asMunicipalityId('990001');
const TRANSITIONS_PER_APPLICATION = 5;
const PROFILE = process.env.BENCH_PROFILE !== '0';

/** The targets of issue 14 for this bench (same machine, same run). */
const TARGETS = { perSecond: 1000, ratioToCeiling: 0.6, timesBpmn: 8, cpuMsPerTransition: 0.7 };

@Module({})
class BenchModule {
  static forRoot(options: Parameters<typeof CoreModule.forRoot>[0]): DynamicModule {
    return { module: BenchModule, imports: [CoreModule.forRoot(options), ProceduresModule, ApplicationsModule, OutboxModule], providers: [EngineOnlyOutbox] };
  }
}

async function main(): Promise<void> {
  const { url, stop } = await benchDatabase();
  try {
    // The engine's CPU figure is taken without the profiler; a second, profiled run says where it goes.
    const engine = await engineRun(url);
    const ceiling = await ceilingRun(url, engine.transitions);
    const bpmn = await bpmnRun(url, APPLICATIONS, CONCURRENCY, inParallel);
    const ratio = engine.perSecond / ceiling.perSecond;
    const timesBpmn = engine.perSecond / bpmn.perSecond;
    const line = (label: string, value: string, target?: string) => process.stdout.write(`${label.padEnd(56)}${value.padEnd(16)}${target ?? ''}\n`);
    const against = (met: boolean, target: string) => `${met ? 'met' : 'MISSED'} (target ${target})`;
    process.stdout.write(`\nworkflow engine benchmark (${APPLICATIONS} applications, concurrency ${CONCURRENCY}, ${engine.transitions} transitions)\n`);
    line('engine transitions/s (ApplicationWorkflowService)', engine.perSecond.toFixed(0), against(engine.perSecond >= TARGETS.perSecond, `>= ${TARGETS.perSecond}`));
    line('engine p50 / p95 transition latency (ms)', `${engine.p50.toFixed(1)} / ${engine.p95.toFixed(1)}`);
    line('ceiling transitions/s (plain pg, 2 round trips)', ceiling.perSecond.toFixed(0));
    line('ratio engine / ceiling', ratio.toFixed(2), against(ratio >= TARGETS.ratioToCeiling, `>= ${TARGETS.ratioToCeiling}`));
    line('bpmn-engine transitions/s (state in PostgreSQL)', bpmn.perSecond.toFixed(0));
    line('ratio engine / bpmn-engine', timesBpmn.toFixed(1), against(timesBpmn >= TARGETS.timesBpmn, `>= ${TARGETS.timesBpmn}`));
    line('node CPU ms per transition: engine', engine.cpuMsPerTransition.toFixed(2), against(engine.cpuMsPerTransition <= TARGETS.cpuMsPerTransition, `<= ${TARGETS.cpuMsPerTransition}`));
    line('node CPU ms per transition: ceiling / bpmn-engine', `${ceiling.cpuMsPerTransaction.toFixed(2)} / ${bpmn.cpuMsPerTransition.toFixed(2)}`);
    if (PROFILE) {
      let breakdown: Array<{ kind: string; share: number }> = [];
      const result = await engineRun(url, async (work) => {
        breakdown = (await profiled(work)).breakdown;
      });
      process.stdout.write(`\nwhere the engine's node CPU goes (profiled run, ${result.cpuMsPerTransition.toFixed(2)} ms per transition with the profiler on):\n`);
      for (const { kind, share } of breakdown) line(`  ${kind}`, `${(share * 100).toFixed(1)}%`);
      process.stdout.write(`what is next for each MISSED target: docs/scaling.md, "Issue 14's targets"\n`);
    }
  } finally {
    await stop();
  }
}

/** The certificate of residence under a code of its own, without the card-signature step: an account (a bearer token, or the engine's resident actor) can submit it. */
export const BENCH_PROCEDURE = 'bench-certificate';

export async function publishBenchProcedure(publishing: ProcedurePublishingService, configDir: string): Promise<void> {
  const juminhyo = parse(readFileSync(path.join(configDir, 'procedures/juminhyo.yaml'), 'utf8')) as ProcedureDefinition;
  try {
    await publishing.publish(CITY, { ...juminhyo, code: BENCH_PROCEDURE, version: 1, identity: 'account', steps: juminhyo.steps.filter((step) => step !== 'identity') }, 'bench');
  } catch (error) {
    // The HTTP bench publishes it for its own run, then runs the engine on the same database.
    if (!(error instanceof ProcedureError && error.code === ProcedureErrorCode.VersionConflict)) throw error;
  }
}

/** `measured` wraps the timed phase only (the profiler, when asked): start-up and drafts stay out of it. */
export async function engineRun(
  url: string,
  measured: (work: () => Promise<void>) => Promise<void> = (work) => work(),
): Promise<{ transitions: number; perSecond: number; p50: number; p95: number; cpuMsPerTransition: number }> {
  const config = loadAppConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', DATABASE_POOL_SIZE: String(CONCURRENCY + 2) }, ROOT);
  const settings = loadMunicipalitySettings(config.configDir);
  const directory = MunicipalityDirectory.fromSettings(settings, null);
  const app = await NestFactory.createApplicationContext(BenchModule.forRoot({ config, databaseUrl: url, directory, secrets: loadSecrets(process.env, config.dataDir) }), { logger: false });
  try {
    await app.get(CatalogSyncService).sync(config.configDir, settings);
    await publishBenchProcedure(app.get(ProcedurePublishingService), config.configDir);
    const applications = app.get(ApplicationsService);
    const workflow = app.get(ApplicationWorkflowService);
    const resident: WorkflowActor = { kind: 'resident', id: 'bench' };
    const drafts: string[] = [];
    for (let index = 0; index < APPLICATIONS; index += 1) {
      const draft = await applications.createDraft(CITY, {
        procedureCode: BENCH_PROCEDURE,
        channel: 'online',
        formData: { scope: '本人のみ', purpose: '学校への提出', copies: 1 },
        actor: resident,
      });
      drafts.push(draft.id);
    }
    const steps: Array<{ type: string; actor: WorkflowActor; payload?: Record<string, unknown> }> = [
      { type: 'resident.submit', actor: resident, payload: { amount: 300 } },
      { type: 'payment.succeeded', actor: { kind: 'provider', id: 'bench' } },
      { type: 'staff.accept', actor: { kind: 'staff', id: 'bench' } },
      { type: 'document.issued', actor: { kind: 'system', id: 'bench' } },
      { type: 'notification.sent', actor: { kind: 'system', id: 'bench' } },
    ];
    const latencies: number[] = [];
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    await measured(() =>
      inParallel(drafts, CONCURRENCY, async (id) => {
        for (const step of steps) {
          const t0 = process.hrtime.bigint();
          await workflow.transition(CITY, id, step);
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpuMs = cpuMillis(cpu);
    const completed: Array<{ n: number }> = await app.get(DataSource).query(`SELECT count(*)::int AS n FROM applications WHERE state = 'completed' AND id = ANY($1)`, [drafts]);
    if (completed[0].n !== APPLICATIONS) throw new Error(`only ${completed[0].n} of ${APPLICATIONS} applications completed`);
    latencies.sort((a, b) => a - b);
    const transitions = APPLICATIONS * TRANSITIONS_PER_APPLICATION;
    return {
      transitions,
      cpuMsPerTransition: cpuMs / transitions,
      perSecond: transitions / seconds,
      p50: latencies[Math.floor(latencies.length * 0.5)],
      p95: latencies[Math.floor(latencies.length * 0.95)],
    };
  } finally {
    await app.close();
  }
}

/** The same transaction shape as a transition, with nothing but pg. */
async function ceilingRun(url: string, transactions: number): Promise<{ perSecond: number; cpuMsPerTransaction: number }> {
  const pool = benchPool(url, CONCURRENCY);
  try {
    await pool.query(`
      DROP TABLE IF EXISTS ceiling_rows, ceiling_events, ceiling_timers, ceiling_outbox;
      CREATE TABLE ceiling_rows (id int PRIMARY KEY, snapshot jsonb NOT NULL, revision int NOT NULL);
      CREATE TABLE ceiling_events (row_id int, seq int, payload jsonb, at timestamptz, PRIMARY KEY (row_id, seq));
      CREATE TABLE ceiling_timers (id bigserial PRIMARY KEY, row_id int, status text, fire_at timestamptz);
      CREATE INDEX ON ceiling_timers (row_id) WHERE status = 'scheduled';
      CREATE TABLE ceiling_outbox (id bigserial PRIMARY KEY, row_id int, payload jsonb, at timestamptz);
      INSERT INTO ceiling_rows SELECT g, '{"value":"draft","context":{}}'::jsonb, 1 FROM generate_series(1, ${APPLICATIONS}) g;
    `);
    const ids = Array.from({ length: APPLICATIONS }, (_, index) => index + 1);
    const perRow = Math.round(transactions / APPLICATIONS);
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    await inParallel(ids, CONCURRENCY, async (id) => {
      for (let step = 0; step < perRow; step += 1) {
        // The fewest round trips: the row with its version, then one statement that is its own
        // transaction, writing only if the row is still that version (as the engine's path without lock).
        const { rows } = await pool.query('SELECT snapshot, revision, xmin::text AS version FROM ceiling_rows WHERE id = $1', [id]);
        const snapshot = { ...rows[0].snapshot, value: `s${step}` };
        // Everything a transition writes, in one statement, as the engine's writeTransition does.
        const written = await pool.query(
          `WITH target AS (
             SELECT id FROM ceiling_rows WHERE id = $1 AND revision = $3 AND xmin = $6::xid FOR UPDATE
           ), moved AS (
             UPDATE ceiling_rows SET snapshot = $2, revision = revision + 1 WHERE id IN (SELECT id FROM target) RETURNING id, revision
           ), event AS (
             INSERT INTO ceiling_events SELECT id, revision, $4::jsonb, now() FROM moved
           ), cancelled AS (
             UPDATE ceiling_timers SET status = 'cancelled' WHERE row_id IN (SELECT id FROM target) AND status = 'scheduled'
           ), timer AS (
             INSERT INTO ceiling_timers (row_id, status, fire_at) SELECT id, 'scheduled', now() + interval '1 day' FROM target
           )
           INSERT INTO ceiling_outbox (row_id, payload, at) SELECT target.id, payload, now() FROM target, jsonb_array_elements($5::jsonb) AS payload`,
          [id, snapshot, rows[0].revision, { type: 'e' }, JSON.stringify([{ topic: 't' }, { topic: 'audit.record' }]), rows[0].version],
        );
        if (written.rowCount !== 2) throw new Error('the ceiling loop lost a write');
      }
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { perSecond: (perRow * APPLICATIONS) / seconds, cpuMsPerTransaction: cpuMillis(cpu) / (perRow * APPLICATIONS) };
  } finally {
    await pool.end();
  }
}

function cpuMillis(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

export async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next];
        next += 1;
        await work(item);
      }
    }),
  );
}

/** A fresh, migrated database for one run. */
export async function benchDatabase(): Promise<{ url: string; stop: () => Promise<void> }> {
  let serverUrl = process.env.DATABASE_URL;
  let stopServer = async () => undefined as void;
  if (!serverUrl) {
    const server = await startEmbeddedPostgres({
      dataDir: path.join(ROOT, '.data/bench-postgres'),
      port: await freePort(),
      // A bench that dies with "Connection terminated unexpectedly" says why, from the server's side.
      onLog: (line) => {
        if (/PANIC|FATAL|terminated by signal/.test(line)) process.stderr.write(`postgres: ${line}\n`);
      },
    });
    serverUrl = server.url('postgres');
    stopServer = () => server.stop();
  }
  const database = `madoguchi_bench_${process.pid}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)}`);
  await admin.end();
  const parsed = new URL(serverUrl);
  await ensureDatabase(serverUrl, database);
  parsed.pathname = `/${database}`;
  const url = parsed.toString();
  const dataSource = new DataSource(dataSourceOptions({ url, migrations: MIGRATIONS, poolSize: 2 }));
  await dataSource.initialize();
  await runMigrationsLocked(dataSource);
  await dataSource.destroy();
  return {
    url,
    stop: async () => {
      const cleanup = new Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`);
      await cleanup.end();
      await stopServer();
    },
  };
}


// Also imported by http.bench.ts for the engine-only figure; run only when started directly.
if (require.main === module) main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
