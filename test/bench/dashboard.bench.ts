/**
 * Dashboard queries at scale: 1,000,000 applications across 10
 * municipalities (two fiscal years, every channel, 80 % closed, 30 % with a
 * fee paid), generated in SQL with generate_series. Each query runs N times
 * for a random municipality after a warm-up; p50 / p95 are printed, beside
 * a baseline measured in the same run: the same aggregate over the raw
 * tables (applications, application_events + payments) instead of the
 * rollups, and the ratio. No thresholds: this machine is shared and noisy.
 *
 * Loading: the rollup trigger on applications is switched off for the bulk
 * insert (the bench runs as the schema owner) and the rollups are then built
 * in one statement each, as the migration's backfill and the business-day
 * sync do; the trigger path itself is covered by libs/kpi/src/dashboard.int-spec.ts.
 *
 *   npm run bench:dashboard
 *   DATABASE_URL=postgres://… npm run bench:dashboard
 *   BENCH_DASHBOARD_ROWS=200000 BENCH_DASHBOARD_REPEAT=50 npm run bench:dashboard
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadAppConfig, loadMunicipalitySettings, loadSecrets, MunicipalityDirectory, type MunicipalitySettings } from '@madoguchi/config';
import type { StaffPrincipal } from '@madoguchi/identity';
import { asMunicipalityId, FixedClock } from '@madoguchi/kernel';
import { BusinessDaysSync, DashboardService, KpiConfigSyncService, KpiRegisterService } from '@madoguchi/kpi';
import { CatalogSyncService } from '@madoguchi/procedures';
import { StaffAdminService } from '@madoguchi/identity';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { benchDatabase } from './workflow.bench';

const ROWS = Number(process.env.BENCH_DASHBOARD_ROWS ?? 1_000_000);
const REPEAT = Number(process.env.BENCH_DASHBOARD_REPEAT ?? 30);
const CITIES = 10;
const ROOT = path.resolve(__dirname, '../../..');
/** Late in fiscal year 2026: the default period is almost a whole year. */
const NOW = new Date('2027-03-15T01:00:00Z');
const FISCAL_YEAR = 2026;


async function main(): Promise<void> {
  const { url, stop } = await benchDatabase();
  const config = loadAppConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', DATABASE_POOL_SIZE: '4' }, ROOT);
  const [sample] = loadMunicipalitySettings(config.configDir);
  const settings: MunicipalitySettings[] = Array.from({ length: CITIES }, (_, index) => ({
    ...structuredClone(sample),
    id: `9900${String(index + 1).padStart(2, '0')}`,
    name: { ja: `試験市${index + 1}`, en: `Bench City ${index + 1}` },
  }));
  const directory = MunicipalityDirectory.fromSettings(settings, null);
  const app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot({ config, databaseUrl: url, directory, secrets: loadSecrets(process.env, config.dataDir), clock: new FixedClock(NOW) }),
    { logger: false },
  );
  // The worker's modules (every outbox topic has its handler); its jobs are not started.
  try {
    await app.get(CatalogSyncService).sync(config.configDir, settings);
    await app.get(StaffAdminService).seedDepartments(settings);
    // Every city gets the sample's register: 990001's from its file, copied to the others.
    await app.get(KpiConfigSyncService).sync(config.configDir, [settings[0]]);
    const dataSource = app.get(DataSource);
    const query = (sql: string, params?: unknown[]) => dataSource.query(sql, params);
    await query(`INSERT INTO kpis SELECT m.municipality_id, k.code, k.name_ja, k.name_en, k.unit, k.baseline_value, k.baseline_date, k.target_value, k.target_fiscal_year,
                   k.direction, k.source, k.measure, k.procedure_codes, k.department, k.sort_order, k.active, k.config_checksum, k.revision, k.updated_by, k.updated_at
                   FROM kpis k CROSS JOIN municipalities m WHERE k.municipality_id = '990001' AND m.municipality_id <> '990001'`);

    const started = process.hrtime.bigint();
    await generate(query);
    const loadSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const built = process.hrtime.bigint();
    await buildRollups(query);
    await app.get(BusinessDaysSync).sync();
    await query(`VACUUM ANALYZE`);
    const rollupSeconds = Number(process.hrtime.bigint() - built) / 1e9;
    const [{ applications, rollupRows }] = await query(
      `SELECT (SELECT count(*) FROM applications)::int AS applications,
              ((SELECT count(*) FROM kpi_submission_rollup) + (SELECT count(*) FROM kpi_processing_rollup) + (SELECT count(*) FROM kpi_fee_payment_rollup))::int AS "rollupRows"`,
    );

    const dashboard = app.get(DashboardService);
    const register = app.get(KpiRegisterService);
    const cities = settings.map((city) => asMunicipalityId(city.id));
    const manager = (): StaffPrincipal => ({
      kind: 'staff',
      id: 'bench',
      municipalityId: cities[Math.floor(Math.random() * cities.length)],
      sessionId: 'bench',
      authMethod: 'bench',
      transport: 'bearer',
      csrfHash: null,
      roles: ['manager'],
      approvalLevel: null,
      departments: [],
    });
    const city = () => cities[Math.floor(Math.random() * cities.length)];
    const filter = { fiscalYear: FISCAL_YEAR };
    const from = '2026-04-01';
    const to = '2027-03-15';

    const rows: Array<{ query: string; rollup: Timing; raw: Timing | null }> = [];
    const add = async (name: string, rollup: () => Promise<unknown>, raw?: () => Promise<unknown>) => {
      rows.push({ query: name, rollup: await timed(rollup), raw: raw ? await timed(raw) : null });
    };
    await add('kpis (register, 10 KPIs, live month)', () => register.list(manager(), filter));
    await add('online procedures by category/stage', () => dashboard.onlineProcedures(manager(), filter));
    await add('channels (share per procedure, mix per month)', () => dashboard.channels(manager(), filter), () =>
      query(
        `SELECT procedure_code, date_trunc('month', submitted_at AT TIME ZONE 'Asia/Tokyo') AS month, channel, count(*)
           FROM applications WHERE municipality_id = $1 AND submitted_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Tokyo'
            AND submitted_at < ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo' GROUP BY 1, 2, 3`,
        [city(), from, to],
      ),
    );
    await add('channels, one department', () => dashboard.channels(manager(), { ...filter, department: 'shimin' }), () =>
      query(
        `SELECT procedure_code, date_trunc('month', submitted_at AT TIME ZONE 'Asia/Tokyo') AS month, channel, count(*)
           FROM applications WHERE municipality_id = $1 AND department = 'shimin' AND submitted_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Tokyo'
            AND submitted_at < ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo' GROUP BY 1, 2, 3`,
        [city(), from, to],
      ),
    );
    await add('cashless share per month', () => dashboard.cashless(manager(), filter), () =>
      query(
        `SELECT date_trunc('month', e.occurred_at AT TIME ZONE 'Asia/Tokyo') AS month, p.method, count(*)
           FROM application_events e
           LEFT JOIN payments p ON p.municipality_id = e.municipality_id AND p.id::text = e.payload->>'paymentId' AND p.status = 'succeeded'
          WHERE e.municipality_id = $1 AND e.type = 'payment.succeeded' AND e.occurred_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Tokyo'
            AND e.occurred_at < ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo' GROUP BY 1, 2`,
        [city(), from, to],
      ),
    );
    await add('processing time median/p90 per procedure', () => dashboard.processingTimes(manager(), filter), () =>
      query(
        `SELECT procedure_code,
                percentile_disc(0.5) WITHIN GROUP (ORDER BY d) AS median, percentile_disc(0.9) WITHIN GROUP (ORDER BY d) AS p90
           FROM (SELECT procedure_code, kpi_business_days_between((submitted_at AT TIME ZONE 'Asia/Tokyo')::date, (closed_at AT TIME ZONE 'Asia/Tokyo')::date) AS d
                   FROM applications WHERE municipality_id = $1 AND submitted_at IS NOT NULL
                    AND closed_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Tokyo' AND closed_at < ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo') x
          GROUP BY 1`,
        [city(), from, to],
      ),
    );
    await add('counter waiting per service/hour, no-shows', () => dashboard.counter(manager(), filter));

    process.stdout.write(
      `\n${applications.toLocaleString('en')} applications in ${CITIES} municipalities (loaded in ${loadSeconds.toFixed(1)} s; rollups built in ${rollupSeconds.toFixed(1)} s, ${rollupRows.toLocaleString('en')} rollup rows)\n` +
        `fiscal year ${FISCAL_YEAR}, a random municipality per run; p50 / p95 ms over ${REPEAT} runs after a warm-up\n\n`,
    );
    console.table(
      rows.map((row) => ({
        query: row.query,
        'service (rollup) p50 / p95': fmt(row.rollup),
        'raw table p50 / p95': row.raw ? fmt(row.raw) : '—',
        'raw / rollup (p50)': row.raw ? (row.raw.p50 / row.rollup.p50).toFixed(1) : '—',
        'p95 < 100 ms': row.rollup.p95 < 100 ? 'yes' : 'NO',
      })),
    );
    process.stdout.write('Counter figures read the ticket event log; this bench generates no tickets, so that row times the query shape only.\n');
  } finally {
    await app.close();
    await stop();
  }
}

async function generate(query: (sql: string, params?: unknown[]) => Promise<unknown>): Promise<void> {
  await query(`ALTER TABLE applications DISABLE TRIGGER kpi_applications_rollup`);
  await query(`ALTER TABLE application_events DISABLE TRIGGER kpi_fee_payments_rollup`);
  await query(`
    CREATE TEMP TABLE bench_procedures AS
    SELECT row_number() OVER (ORDER BY code) - 1 AS idx, code, version, definition->>'department' AS department
      FROM (SELECT DISTINCT ON (code) code, version, definition FROM procedure_definitions WHERE municipality_id = '990001' ORDER BY code, version DESC) d`);
  const [{ n }] = (await query(`SELECT count(*)::int AS n FROM bench_procedures`)) as Array<{ n: number }>;
  // Two fiscal years (2025-04-01 .. 2027-03-15), channels 50 % online, 30 % counter, 10 % mail, 10 % convenience store;
  // 5 % drafts; 80 % of the submitted closed 0..29 days later.
  await query(
    `INSERT INTO applications (municipality_id, id, procedure_code, procedure_version, department, channel, state, phase, snapshot, revision, created_at, updated_at, submitted_at, closed_at)
     SELECT '9900' || lpad((g % 10 + 1)::text, 2, '0'), gen_random_uuid(), p.code, p.version, p.department,
            (ARRAY['online','online','online','online','online','counter','counter','counter','mail','convenienceStore'])[(g / 10) % 10 + 1],
            'x', CASE WHEN g % 20 = 0 THEN 'draft' WHEN g % 5 = 0 THEN 'active' ELSE 'final' END, '{}'::jsonb, 1, s, s,
            CASE WHEN g % 20 = 0 THEN NULL ELSE s END,
            CASE WHEN g % 20 = 0 OR g % 5 = 0 THEN NULL ELSE s + ((g % 30) || ' days')::interval + interval '3 hours' END
       FROM generate_series(1, $1::int) g
       JOIN bench_procedures p ON p.idx = (g / 100) % $2
       CROSS JOIN LATERAL (SELECT timestamptz '2025-04-01 09:00+09' + ((g::bigint * 7919) % (713 * 86400)) * interval '1 second' AS s) t`,
    [ROWS, n],
  );
  // A fee paid for 30 % of the applications: half through a payment of ours (card or paypay), the rest cash at the desk or reported without one.
  await query(
    `WITH paid AS (
       SELECT a.municipality_id, a.id, a.procedure_code, a.submitted_at, row_number() OVER () AS r
         FROM applications a WHERE a.submitted_at IS NOT NULL AND (hashtext(a.id::text) % 10) IN (1, 2, 3)
     ), payments_made AS (
       INSERT INTO payments (municipality_id, id, application_id, application_revision, attempt, procedure_code, reference_number, revenue_account_code, amount, captured_amount, method, status, provider, created_at, updated_at)
       SELECT municipality_id, gen_random_uuid(), id, 1, 1, procedure_code, 'B-' || r, '1', 300, 300,
              (ARRAY['card','paypay','cash'])[r % 3 + 1], 'succeeded', CASE WHEN r % 3 = 2 THEN 'counter' ELSE 'simulated' END, submitted_at, submitted_at
         FROM paid WHERE r % 2 = 0
       RETURNING municipality_id, id, application_id, created_at
     )
     INSERT INTO application_events (municipality_id, application_id, seq, type, payload, actor_kind, actor_id, from_state, to_state, occurred_at)
     SELECT p.municipality_id, p.id, 2, 'payment.succeeded', CASE WHEN m.id IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('paymentId', m.id) END,
            'system', 'bench', 'awaitingPayment', 'x', p.submitted_at + interval '1 hour'
       FROM paid p LEFT JOIN payments_made m ON m.municipality_id = p.municipality_id AND m.application_id = p.id`,
  );
  await query(`ALTER TABLE applications ENABLE TRIGGER kpi_applications_rollup`);
  await query(`ALTER TABLE application_events ENABLE TRIGGER kpi_fee_payments_rollup`);
}

/** The migration's backfill; the processing rollup is rebuilt by the business-day sync. */
async function buildRollups(query: (sql: string, params?: unknown[]) => Promise<unknown>): Promise<void> {
  await query(`
    INSERT INTO kpi_submission_rollup (municipality_id, month, procedure_code, department, channel, shard, submitted)
    SELECT municipality_id, date_trunc('month', submitted_at AT TIME ZONE kpi_local_zone(municipality_id))::date, procedure_code, coalesce(department, ''), channel, kpi_shard(id), count(*)
      FROM applications WHERE submitted_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6`);
  await query(`
    INSERT INTO kpi_fee_payment_rollup (municipality_id, month, procedure_code, department, method, shard, payments)
    SELECT e.municipality_id, date_trunc('month', e.occurred_at AT TIME ZONE kpi_local_zone(e.municipality_id))::date, a.procedure_code, coalesce(a.department, ''),
           coalesce(p.method, ''), kpi_shard(e.application_id), count(*)
      FROM application_events e
      JOIN applications a ON a.municipality_id = e.municipality_id AND a.id = e.application_id
      LEFT JOIN payments p ON p.municipality_id = e.municipality_id AND p.id::text = e.payload->>'paymentId' AND p.status = 'succeeded'
     WHERE e.type = 'payment.succeeded' GROUP BY 1, 2, 3, 4, 5, 6`);
}

interface Timing {
  p50: number;
  p95: number;
}

async function timed(work: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < 3; i += 1) await work();
  const samples: number[] = [];
  for (let i = 0; i < REPEAT; i += 1) {
    const start = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length * 0.5)], p95: samples[Math.min(samples.length - 1, Math.ceil(samples.length * 0.95) - 1)] };
}

function fmt({ p50, p95 }: Timing): string {
  return `${p50.toFixed(2)} / ${p95.toFixed(2)}`;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
