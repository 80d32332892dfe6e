import { Logger } from '@nestjs/common';
import type { StaffPrincipal } from '@madoguchi/identity';
import { DashboardService, KpiRegisterService } from '@madoguchi/kpi';
import {
  asMunicipalityId,
  dataSourceOptions,
  ensureDatabase,
  ensureServiceRole,
  type EmbeddedPostgresServer,
  ReadReplica,
  REPLICA_RETRY_MS,
  runMigrationsLocked,
  serviceRoleUrl,
  startEmbeddedPostgres,
} from '@madoguchi/kernel';
import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { freePort } from '../support/free-port';
import { embeddedPgCtl, pauseReplay, startStreamingStandby, type StreamingStandby, waitForReplay } from '../support/streaming-standby';
import { createTestApp, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';
import { databaseOn, withClient } from '../support/test-database';
import { withDatabase } from '../support/test-server';

const CITY = asMunicipalityId(SAMPLE_MUNICIPALITY);
const DATABASE = 'madoguchi_replica_test';
const manager: StaffPrincipal = {
  kind: 'staff',
  municipalityId: CITY,
  id: randomUUID(),
  sessionId: 's',
  authMethod: 'password',
  transport: 'bearer',
  csrfHash: null,
  roles: ['manager'],
  approvalLevel: null,
  departments: [],
};

const pgCtl = embeddedPgCtl();
const withBinaries = 'pgCtl' in pgCtl ? describe : describe.skip;

/**
 * DATABASE_REPLICA_URL against a real streaming standby: a primary and a
 * standby of our own (embedded binaries, base backup through the low-level
 * API, test/support/streaming-standby.ts), so this runs whatever server the
 * other suites use. Which server answered is proven by pausing WAL replay on
 * the standby and writing on the primary: a read that misses the new row
 * came from the standby.
 */
withBinaries(`read replica: lag-tolerant reads on a streaming standby, the primary when it is gone${'unusable' in pgCtl ? ` (skipped: ${pgCtl.unusable})` : ''}`, () => {
  const root = path.resolve(__dirname, `../../.data/read-replica-${process.pid}-${randomBytes(3).toString('hex')}`);
  const env = { AUDIT_CHECKPOINT_DIR: path.join(root, 'audit-checkpoints') };
  let primary: EmbeddedPostgresServer | null = null;
  let standby: StreamingStandby | null = null;
  const apps: TestApp[] = [];

  const primaryAdmin = () => primary!.url('postgres');
  const standbyAdmin = () => standby!.url('postgres');
  const database = () => databaseOn(primary!.url('postgres'), DATABASE);
  const replicaUrl = () => serviceRoleUrl(withDatabase(standby!.url('postgres'), DATABASE));
  const caughtUp = () => waitForReplay(primaryAdmin(), standbyAdmin());

  async function start(): Promise<{ t: TestApp; log: string[] }> {
    const log: string[] = [];
    const logStream = new PassThrough();
    logStream.on('data', (chunk: Buffer) => log.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    const t = await createTestApp({ db: database(), env: { ...env, DATABASE_REPLICA_URL: replicaUrl() }, logStream });
    apps.push(t);
    return { t, log };
  }

  /** A submitted online application, written through the app's own connection (so a write routed to the standby would fail). */
  async function submit(t: TestApp): Promise<void> {
    await t.dataSource.query(
      `INSERT INTO applications (municipality_id, id, procedure_code, procedure_version, channel, state, phase, snapshot, revision, created_at, updated_at, submitted_at)
       SELECT $1, $2, 'juminhyo', max(version), 'online', 'x', 'active', '{}'::jsonb, 1, now(), now(), '2026-11-10T10:00:00+09:00'
         FROM procedure_definitions WHERE municipality_id = $1 AND code = 'juminhyo'`,
      [CITY, randomUUID()],
    );
  }

  /** Submitted applications this fiscal year as the dashboard (rollups) and the public KPI (applications) count them. */
  async function counted(t: TestApp): Promise<{ dashboard: number; publicKpi: number }> {
    const dashboard = (await t.get(DashboardService).channels(manager, {})).total;
    const kpi = await request(t.app.getHttpServer()).get('/api/v1/kpi/online-procedures').expect(200);
    return { dashboard, publicKpi: (kpi.body as { applicationsByChannel: { total: number } }).applicationsByChannel.total };
  }

  const onPrimary = async (t: TestApp) => Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM applications WHERE submitted_at IS NOT NULL`))[0].n);
  const warnings = (log: string[], text: string) => log.filter((line) => line.includes(text) && line.includes('"level":"warn"'));

  beforeAll(async () => {
    if (!('pgCtl' in pgCtl)) return;
    primary = await startEmbeddedPostgres({ dataDir: path.join(root, 'primary'), port: await freePort() });
    await ensureDatabase(primaryAdmin(), DATABASE);
    await ensureServiceRole(primaryAdmin());
    const migrate = new DataSource(dataSourceOptions({ url: database().ownerUrl, migrations: MIGRATIONS, poolSize: 2 }));
    await migrate.initialize();
    await runMigrationsLocked(migrate);
    await migrate.destroy();
    standby = await startStreamingStandby({
      pgCtl: pgCtl.pgCtl,
      primaryAdminUrl: primaryAdmin(),
      primaryDataDir: path.join(root, 'primary'),
      dataDir: path.join(root, 'standby'),
      port: await freePort(),
      slot: 'madoguchi_test_standby',
    });
  }, 240_000);

  afterAll(async () => {
    for (const t of apps) await t.close().catch(() => undefined);
    await standby?.stop().catch(() => undefined);
    await primary?.stop();
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(`${root}.owner.json`, { force: true });
  }, 120_000);

  it('reads the dashboard from the standby, writes on the primary, and answers from the primary while the standby is gone', async () => {
    const { t, log } = await start();
    const replica = t.get(ReadReplica);
    expect(replica.configured).toBe(true);
    expect(await withClient(standbyAdmin(), async (client) => (await client.query('SELECT pg_is_in_recovery() AS r')).rows[0].r)).toBe(true);

    await submit(t);
    await caughtUp();
    expect(await counted(t)).toEqual({ dashboard: 1, publicKpi: 1 });
    // The app holds connections on the standby as its service role.
    const onStandby = await withClient(standbyAdmin(), async (client) => (await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'madoguchi_app'`)).rows[0].n);
    expect(onStandby).toBeGreaterThan(0);

    // Replay held: a second application is on the primary only.
    const replay = await pauseReplay(standbyAdmin());
    await submit(t);
    await replay.paused();
    expect(await onPrimary(t)).toBe(2);
    // The lag-tolerant reads still see one: they came from the standby.
    expect(await counted(t)).toEqual({ dashboard: 1, publicKpi: 1 });
    // Everything else reads the primary: a plain query above, and a query builder (TypeORM's own default would be the replica).
    const built = await t.dataSource.createQueryBuilder().select('count(*)::int', 'n').from('applications', 'a').where('a.submitted_at IS NOT NULL').getRawOne<{ n: number }>();
    expect(built?.n).toBe(2);
    // One repository, two callers: the value a manager just entered is on the detail page (primary), not yet on the cards (replica).
    const entered = await t.get(KpiRegisterService).enterValue(manager, 'mynumber-card-uptake', { month: '2026-11', value: 71.5 });
    expect(entered.values.map((value) => value.value)).toEqual([71.5]);
    const card = (await t.get(KpiRegisterService).cards(CITY, {})).find((kpi) => kpi.code === 'mynumber-card-uptake');
    expect(card?.current).toBeNull();
    await replay.resume();
    await caughtUp();
    expect(await counted(t)).toEqual({ dashboard: 2, publicKpi: 2 });
    expect((await t.get(KpiRegisterService).cards(CITY, {})).find((kpi) => kpi.code === 'mynumber-card-uptake')?.current).toEqual({ month: '2026-11-01', value: 71.5 });

    // The standby goes away: the same reads answer, from the primary, with one warning that names no data.
    await standby!.stop();
    await submit(t);
    expect(await counted(t)).toEqual({ dashboard: 3, publicKpi: 3 });
    const gone = warnings(log, 'read replica unavailable');
    expect(gone).toHaveLength(1);
    expect(gone[0]).not.toMatch(/SELECT|applications|990001|juminhyo/);

    // Back again, but not tried before REPLICA_RETRY_MS has passed (by the app's clock): reads stay on the primary.
    await standby!.start();
    await caughtUp();
    const again = await pauseReplay(standbyAdmin());
    await submit(t);
    await again.paused();
    expect(await counted(t)).toEqual({ dashboard: 4, publicKpi: 4 });
    t.clock.advance(REPLICA_RETRY_MS);
    // Tried again: the standby answers, with replay held at three.
    expect(await counted(t)).toEqual({ dashboard: 3, publicKpi: 3 });
    expect(log.filter((line) => line.includes('read replica answers again'))).toHaveLength(1);
    await again.resume();
    await caughtUp();
  }, 240_000);

  it('starts with the standby down, and serves every read from the primary', async () => {
    await standby!.stop();
    // The data source opens while the test module compiles, before the app's logger is attached: catch Nest's logger itself.
    const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const { t } = await start();
      expect(t.get(ReadReplica).configured).toBe(false);
      expect(warned.mock.calls.map(([message]) => message)).toContainEqual(expect.objectContaining({ msg: expect.stringContaining('read replica unavailable at start') }));
      expect(await counted(t)).toEqual({ dashboard: 4, publicKpi: 4 });
    } finally {
      warned.mockRestore();
    }
  }, 240_000);
});
