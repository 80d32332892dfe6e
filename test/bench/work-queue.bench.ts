/**
 * Work-queue pages on 100,000 applications, against baselines measured in
 * the same run on the same PostgreSQL (this machine is shared and noisy:
 * only the ratios mean much). No thresholds; it prints figures.
 *
 * Seeds the table with test/support/work-queue-seed.ts (half 市民課, 20,000
 * open cases in its queue), then for each sort and order times:
 *   first page      WorkQueueService.page, limit 50: page query + total + mapping
 *   page SQL        the page query alone (repository), first page
 *   total           the count query alone
 *   deep keyset     the page after row 10,000, from its cursor (page query alone)
 *   deep OFFSET     the same rows by OFFSET 10,000 LIMIT 51 on the same table: what keyset avoids
 *   PK lookup       the same 51 rows by primary key: the floor for reading them
 *
 *   npm run bench:queue
 *   DATABASE_URL=postgres://… npm run bench:queue        another server
 *   BENCH_QUEUE_ROWS=200000 BENCH_QUEUE_REPEAT=50 npm run bench:queue
 */
import 'reflect-metadata';
import { OutboxModule, asMunicipalityId, CoreModule, FixedClock } from '@madoguchi/kernel';
import { EngineOnlyOutbox } from './engine-only-outbox';
import { NestFactory } from '@nestjs/core';
import { Module, type DynamicModule } from '@nestjs/common';
import { loadAppConfig, loadMunicipalitySettings, loadSecrets, MunicipalityDirectory } from '@madoguchi/config';
import { ApplicationsModule } from '@madoguchi/applications';
import { WorkQueueService } from '@madoguchi/applications/work-queue/work-queue.service';
import { queuePageQuery, type QueueFilter, WorkQueueRepository } from '@madoguchi/applications/work-queue/work-queue.repository';
import type { QueueOrder, QueueSort } from '@madoguchi/applications/work-queue/work-queue.dto';
import type { StaffPrincipal } from '@madoguchi/identity';
import { CatalogSyncService, ProceduresModule } from '@madoguchi/procedures';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { SEED_STAFF, seedQueueRows, settle } from '../support/work-queue-seed';
import { benchDatabase } from './workflow.bench';

const ROWS = Number(process.env.BENCH_QUEUE_ROWS ?? 100_000);
const REPEAT = Number(process.env.BENCH_QUEUE_REPEAT ?? 30);
const DEEP = 10_000;
const LIMIT = 50;
const ROOT = path.resolve(__dirname, '../../..');
const CITY = asMunicipalityId('990001');
const TODAY = new Date('2026-03-01T01:00:00Z');

@Module({})
class BenchModule {
  static forRoot(options: Parameters<typeof CoreModule.forRoot>[0]): DynamicModule {
    return { module: BenchModule, imports: [CoreModule.forRoot(options), ProceduresModule, ApplicationsModule, OutboxModule], providers: [EngineOnlyOutbox] };
  }
}

const SORT_COLUMNS: Record<QueueSort, string> = { dueOn: 'due_on', submittedAt: 'submitted_at', updatedAt: 'updated_at' };

async function main(): Promise<void> {
  const { url, stop } = await benchDatabase();
  const config = loadAppConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', DATABASE_POOL_SIZE: '4' }, ROOT);
  const settings = loadMunicipalitySettings(config.configDir);
  const directory = MunicipalityDirectory.fromSettings(settings, null);
  const clock = new FixedClock(TODAY);
  const app = await NestFactory.createApplicationContext(
    BenchModule.forRoot({ config, databaseUrl: url, directory, secrets: loadSecrets(process.env, config.dataDir), clock }),
    { logger: false },
  );
  try {
    await app.get(CatalogSyncService).sync(config.configDir, settings);
    const dataSource = app.get(DataSource);
    const query = (sql: string, params?: unknown[]) => dataSource.query(sql, params);
    const seeded = process.hrtime.bigint();
    await seedQueueRows(query, CITY, ROWS);
    await settle(query);
    const seedSeconds = Number(process.hrtime.bigint() - seeded) / 1e9;
    const [{ open }] = await query(`SELECT count(*)::int AS open FROM applications WHERE department = 'shimin' AND phase = 'active'`);

    const service = app.get(WorkQueueService);
    const repository = app.get(WorkQueueRepository);
    const clerk: StaffPrincipal = {
      kind: 'staff',
      id: SEED_STAFF[0],
      municipalityId: CITY,
      sessionId: 'bench',
      authMethod: 'bench',
      transport: 'bearer',
      csrfHash: null,
      roles: ['clerk'],
      approvalLevel: null,
      departments: ['shimin'],
    };
    const filter: QueueFilter = {
      departments: ['shimin'],
      phases: ['active'],
      states: null,
      procedureCode: null,
      channel: null,
      submittedFrom: null,
      submittedTo: null,
      dueBefore: null,
      overdue: null,
      today: '2026-03-01',
      timeZone: 'Asia/Tokyo',
      claimed: 'any',
      staffId: clerk.id,
    };

    const results: Array<Record<string, string>> = [];
    for (const sort of ['dueOn', 'submittedAt', 'updatedAt'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const position = await positionAt(dataSource, sort, order, DEEP - 1);
        const deepRequest = { filter, sort, order, after: { sort, order, ...position }, limit: LIMIT + 1 };
        const deepIds = (await repository.page(CITY, deepRequest)).map((row) => row.id);
        const offsetSql = offsetQuery(sort, order);

        const firstPage = await timed(() => service.page(clerk, { sort, order, limit: LIMIT }));
        const pageSql = await timed(() => repository.page(CITY, { filter, sort, order, after: null, limit: LIMIT + 1 }));
        const total = await timed(() => repository.count(CITY, filter));
        const keyset = await timed(() => repository.page(CITY, deepRequest));
        const offset = await timed(() => query(offsetSql, [CITY, DEEP, LIMIT + 1]));
        const primaryKey = await timed(() =>
          query(
            `SELECT id, procedure_code, procedure_version, reference_number, state, phase, channel, submitted_at, due_on::text, due_paused_at,
                    due_remaining_days, claimed_by, updated_at FROM applications WHERE municipality_id = $1 AND id = ANY($2::uuid[])`,
            [CITY, deepIds],
          ),
        );
        // Same rows either way, or the comparison means nothing.
        const offsetIds = ((await query(offsetSql, [CITY, DEEP, LIMIT + 1])) as Array<{ id: string }>).map((row) => row.id);
        if (offsetIds.join() !== deepIds.join()) throw new Error(`${sort} ${order}: keyset and OFFSET pages differ`);
        results.push({
          sort: `${sort} ${order}`,
          'first page': fmt(firstPage),
          'page SQL': fmt(pageSql),
          total: fmt(total),
          'deep keyset': fmt(keyset),
          'deep OFFSET': fmt(offset),
          'PK lookup': fmt(primaryKey),
          'keyset / PK': (keyset.p50 / primaryKey.p50).toFixed(1),
          'OFFSET / keyset': (offset.p50 / keyset.p50).toFixed(1),
        });
      }
    }

    const first = queuePageQuery(CITY, { filter, sort: 'dueOn', order: 'asc', after: null, limit: LIMIT + 1 });
    const plan: Array<{ 'QUERY PLAN': string }> = await query(`EXPLAIN (ANALYZE, COSTS OFF) ${first.sql}`, first.params);
    process.stdout.write(`\nwork queue benchmark: ${ROWS} applications (seeded and vacuumed in ${seedSeconds.toFixed(1)} s), ${open} open in the 市民課 queue\n`);
    process.stdout.write(`page ${LIMIT}, deep page after row ${DEEP}; p50 / p95 ms over ${REPEAT} runs after a warm-up\n\n`);
    printTable(results);
    process.stdout.write(`\nfirst-page plan (dueOn asc):\n${plan.map((row) => `  ${row['QUERY PLAN']}`).join('\n')}\n`);
  } finally {
    await app.close();
    await stop();
  }
}

/** The row just before a deep page, as a cursor would carry it. */
async function positionAt(dataSource: DataSource, sort: QueueSort, order: QueueOrder, offset: number): Promise<{ key: string | null; id: string }> {
  const column = SORT_COLUMNS[sort];
  const key = sort === 'dueOn' ? 'due_on::text' : `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  const direction = order.toUpperCase();
  const [row] = await dataSource.query(
    `SELECT ${key} AS key, id FROM applications
      WHERE municipality_id = $1 AND department = 'shimin' AND phase = 'active' AND submitted_at IS NOT NULL
      ORDER BY ${column} ${direction} NULLS LAST, id ${direction} OFFSET $2 LIMIT 1`,
    [CITY, offset],
  );
  return row;
}

/** The obvious way to page: the same order, skipping rows. */
function offsetQuery(sort: QueueSort, order: QueueOrder): string {
  const column = SORT_COLUMNS[sort];
  const direction = order.toUpperCase();
  return `SELECT id FROM applications
           WHERE municipality_id = $1 AND department = 'shimin' AND phase = 'active' AND submitted_at IS NOT NULL
           ORDER BY ${column} ${direction} NULLS LAST, id ${direction} OFFSET $2 LIMIT $3`;
}

async function timed(work: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let warm = 0; warm < 3; warm += 1) await work();
  const samples: number[] = [];
  for (let run = 0; run < REPEAT; run += 1) {
    const started = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length * 0.5)], p95: samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.95))] };
}

function fmt({ p50, p95 }: { p50: number; p95: number }): string {
  return `${p50.toFixed(2)} / ${p95.toFixed(2)}`;
}

function printTable(rows: Array<Record<string, string>>): void {
  const columns = Object.keys(rows[0]);
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => row[column].length)) + 2);
  const line = (cells: string[]) => process.stdout.write(`${cells.map((cell, index) => cell.padEnd(widths[index])).join('')}\n`);
  line(columns);
  for (const row of rows) line(columns.map((column) => row[column]));
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
