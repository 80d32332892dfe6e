import { asMunicipalityId, dataSourceOptions } from '@madoguchi/kernel';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { Bookings1795420100000 } from '../../../migrations/1795420100000-Bookings';
import { Lottery1795420200000 } from '../../../migrations/1795420200000-Lottery';
import { TenantSequences1795930000000 } from '../../../migrations/1795930000000-TenantSequences';
import { CONFIG_DIR, createTestApp, SAMPLE_MUNICIPALITY, sampleSettings, type TestApp } from '../../../test/support/test-app';
import { createTestDatabase } from '../../../test/support/test-database';
import { AvailabilityService } from './availability/availability.service';
import { TAKEN_BETWEEN_SQL } from './bookings/booking.repository';
import { FacilityCatalogSyncService, FacilityConfigError } from './facilities/facility-catalog-sync.service';

const CITY = asMunicipalityId(SAMPLE_MUNICIPALITY);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(node: PlanNode, into: PlanNode[] = []): PlanNode[] {
  into.push(node);
  for (const child of node.Plans ?? []) nodes(child, into);
  return into;
}

/** A booking row written straight in SQL, past every check of the service. */
function insertBooking(query: (sql: string, params?: unknown[]) => Promise<unknown>, room: string, from: string, to: string, status = 'confirmed') {
  return query(
    `INSERT INTO bookings (municipality_id, id, booking_number, facility_code, room_code, use_date, slot_starts, slot_minutes, slots, starts_at, status, origin,
       channel, holder_kind, holder_id, expires_at, needs_attention, revision, created_at, updated_at)
     VALUES ($1, gen_random_uuid(), 'raw-' || gen_random_uuid(), 'chuo-kominkan', $2, ($3::timestamptz AT TIME ZONE 'Asia/Tokyo')::date, ARRAY['--:--'], 120,
       tstzmultirange(tstzrange($3, $4, '[)')), $3, $5, 'hold', 'online', 'resident', 'raw', now() + interval '1 hour', false, 1, now(), now())`,
    [CITY, room, from, to, status],
  );
}

/**
 * Booking rules that live in PostgreSQL: the exclusion constraints hold
 * against SQL that bypasses the service and against concurrent writers on
 * separate connections; availability reads through an index at 100,000
 * stored bookings; the migration goes down and up again; the facilities
 * file is applied only when it changes.
 */
describe('bookings in PostgreSQL', () => {
  let t: TestApp;
  const query = (sql: string, params?: unknown[]) => t.dataSource.query(sql, params);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('no double booking, ever', () => {
    it('the exclusion constraint refuses an overlapping live booking written straight in SQL', async () => {
      await insertBooking(query, 'kaigi-1', '2026-12-08T13:00:00+09:00', '2026-12-08T15:00:00+09:00');
      await expect(insertBooking(query, 'kaigi-1', '2026-12-08T14:00:00+09:00', '2026-12-08T16:00:00+09:00', 'held')).rejects.toMatchObject({
        driverError: expect.objectContaining({ code: '23P01', constraint: 'bookings_no_double_booking' }),
      });
      // Touching ends, another room, and bookings that no longer hold their slots are fine.
      await insertBooking(query, 'kaigi-1', '2026-12-08T15:00:00+09:00', '2026-12-08T17:00:00+09:00');
      await insertBooking(query, 'kaigi-2', '2026-12-08T13:00:00+09:00', '2026-12-08T15:00:00+09:00');
      for (const status of ['expired', 'released']) await insertBooking(query, 'kaigi-1', '2026-12-08T13:00:00+09:00', '2026-12-08T15:00:00+09:00', status);
      // A booking that lets go of its slots frees them in the same statement.
      await query(`UPDATE bookings SET status = 'expired' WHERE room_code = 'kaigi-1' AND starts_at = '2026-12-08T13:00:00+09:00' AND status = 'confirmed'`);
      await insertBooking(query, 'kaigi-1', '2026-12-08T14:00:00+09:00', '2026-12-08T15:00:00+09:00', 'held');
      // …and a stale one cannot be brought back over a live one.
      await expect(query(`UPDATE bookings SET status = 'held' WHERE room_code = 'kaigi-1' AND starts_at = '2026-12-08T13:00:00+09:00' AND status = 'expired'`)).rejects.toMatchObject({
        driverError: expect.objectContaining({ code: '23P01' }),
      });
    });

    it('forty writers on forty connections inserting the same slot at once: one row', async () => {
      const url = t.db.url;
      const clients = await Promise.all(
        Array.from({ length: 40 }, async () => {
          const client = new Client({ connectionString: url });
          await client.connect();
          return client;
        }),
      );
      try {
        await Promise.all(clients.map((client) => client.query('BEGIN')));
        const results = await Promise.allSettled(clients.map((client) => insertBooking((sql, params) => client.query(sql, params), 'washitsu', '2026-12-09T09:00:00+09:00', '2026-12-09T11:00:00+09:00', 'held').then(() => client.query('COMMIT'))));
        await Promise.all(clients.map((client) => client.query('ROLLBACK').catch(() => undefined)));
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        // Each loser is refused by the constraint (23P01). Waiters on an exclusion
        // constraint can also deadlock among themselves (PostgreSQL 15 shows it
        // under load): the victim is refused too (40P01), nothing written. The
        // service never meets this: it takes the room's lock before inserting.
        const codes = results.filter((result) => result.status === 'rejected').map((result) => ((result as PromiseRejectedResult).reason as { code: string }).code);
        expect(codes).toHaveLength(39);
        expect(codes.filter((code) => code !== '23P01' && code !== '40P01')).toEqual([]);
      } finally {
        await Promise.all(clients.map((client) => client.end()));
      }
      const rows: Array<{ n: number }> = await query(`SELECT count(*)::int AS n FROM bookings WHERE room_code = 'washitsu' AND use_date = '2026-12-09' AND status IN ('held', 'confirmed')`);
      expect(rows[0].n).toBe(1);
    });

    it('two live blocks never overlap in a room; a lifted one leaves the time free', async () => {
      const block = (from: string, to: string) =>
        query(
          `INSERT INTO facility_blocks (municipality_id, id, facility_code, room_code, use_date, during, reason, created_by, created_at)
           VALUES ($1, gen_random_uuid(), 'chuo-kominkan', 'chori', '2026-12-10', tstzrange($2, $3, '[)'), 'maintenance', 'raw', now()) RETURNING id`,
          [CITY, from, to],
        );
      const [first] = (await block('2026-12-10T09:00:00+09:00', '2026-12-10T12:00:00+09:00')) as Array<{ id: string }>;
      await expect(block('2026-12-10T11:00:00+09:00', '2026-12-10T13:00:00+09:00')).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '23P01', constraint: 'facility_blocks_no_overlap' }) });
      await query(`UPDATE facility_blocks SET lifted_at = now(), lifted_by = 'raw' WHERE id = $1`, [first.id]);
      await block('2026-12-10T11:00:00+09:00', '2026-12-10T13:00:00+09:00');
    });
  });

  describe('availability at 100,000 stored bookings', () => {
    it('reads the live bookings of the dates asked for through an index, not the table', async () => {
      // Two years of history for the facility (expired holds, no longer taking slots), and the live calendar of the next months.
      await query(
        `INSERT INTO bookings (municipality_id, id, booking_number, facility_code, room_code, use_date, slot_starts, slot_minutes, slots, starts_at, status, origin,
           channel, holder_kind, holder_id, expires_at, needs_attention, revision, created_at, updated_at)
         SELECT $1, gen_random_uuid(), 'seed-' || n, 'chuo-kominkan', (ARRAY['kaigi-1', 'kaigi-2', 'washitsu', 'chori'])[1 + n % 4], local, ARRAY['09:00'], 120,
                tstzmultirange(tstzrange(day + interval '9 hours', day + interval '11 hours', '[)')), day + interval '9 hours', 'expired', 'hold', 'online', 'resident',
                'seed', day, false, 2, day, day
           FROM generate_series(1, 100000) AS n,
                LATERAL (SELECT (date '2025-01-01' + n % 730) AS local, (timestamp '2025-01-01' + (n % 730) * interval '1 day') AT TIME ZONE 'Asia/Tokyo' AS day) AS d`,
        [CITY],
      );
      await query(
        `INSERT INTO bookings (municipality_id, id, booking_number, facility_code, room_code, use_date, slot_starts, slot_minutes, slots, starts_at, status, origin,
           channel, holder_kind, holder_id, expires_at, needs_attention, revision, created_at, updated_at)
         SELECT $1, gen_random_uuid(), 'live-' || local || '-' || room, 'chuo-kominkan', room, local, ARRAY['19:00'], 120,
                tstzmultirange(tstzrange(day + interval '19 hours', day + interval '21 hours', '[)')), day + interval '19 hours', 'confirmed', 'hold', 'online', 'resident',
                'seed', NULL, false, 2, now(), now()
           FROM generate_series(0, 120) AS g,
                LATERAL (SELECT (date '2027-01-05' + g) AS local, (timestamp '2027-01-05' + g * interval '1 day') AT TIME ZONE 'Asia/Tokyo' AS day) AS d,
                unnest(ARRAY['kaigi-1', 'kaigi-2', 'washitsu', 'chori']) AS room`,
        [CITY],
      );
      // Statistics are the owner's (autovacuum's) job, not the service role's.
      await t.db.asOwner((owner) => owner.query('ANALYZE bookings; ANALYZE facility_blocks'));
      const [{ 'QUERY PLAN': [plan] }]: Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }> = await query(`EXPLAIN (FORMAT JSON) ${TAKEN_BETWEEN_SQL}`, [
        CITY,
        'chuo-kominkan',
        '2027-02-01',
        '2027-03-03',
      ]);
      const onBookings = nodes(plan.Plan).filter((node) => node['Relation Name'] === 'bookings' || node['Index Name']?.startsWith('bookings'));
      expect(onBookings.map((node) => node['Node Type'])).not.toContain('Seq Scan');
      expect(onBookings.map((node) => node['Index Name']).filter(Boolean)).toContain('bookings_live_by_day');

      // What a resident waits for: a month of one facility, read and computed, through the service.
      const availability = t.get(AvailabilityService);
      const timings: number[] = [];
      for (let run = 0; run < 20; run += 1) {
        const started = process.hrtime.bigint();
        const answer = await availability.availability(CITY, 'chuo-kominkan', { from: '2027-02-01', to: '2027-03-03' });
        timings.push(Number(process.hrtime.bigint() - started) / 1e6);
        expect(answer.days).toHaveLength(31);
      }
      const answer = await availability.availability(CITY, 'chuo-kominkan', { from: '2027-02-02', to: '2027-02-02', room: 'kaigi-1' });
      expect(answer.days[0].rooms[0].slots.map((slot) => slot.status)).toEqual(['free', 'free', 'free', 'free', 'free', 'booked']);
      timings.sort((a, b) => a - b);
      process.stdout.write(`availability over 31 days with ${100_000 + 121 * 4} stored bookings: p50 ${timings[10].toFixed(1)} ms, max ${timings[19].toFixed(1)} ms\n`);
    });
  });

  describe('the migration', () => {
    it('goes down and up again on its own database', async () => {
      const db = await createTestDatabase();
      const dataSource = new DataSource(dataSourceOptions({ url: db.ownerUrl, migrations: MIGRATIONS, poolSize: 1 }));
      await dataSource.initialize();
      try {
        const runner = dataSource.createQueryRunner();
        // Booking numbers now live in tenant_sequences: that migration gives the
        // booking table its own sequence table back first and takes it last.
        const sequences = new TenantSequences1795930000000();
        await sequences.down(runner);
        // The lottery builds on the booking tables: it goes down first and comes back last.
        const lottery = new Lottery1795420200000();
        await lottery.down(runner);
        expect(await runner.query(`SELECT 1 FROM information_schema.tables WHERE table_name IN ('lotteries', 'lottery_entries')`)).toEqual([]);
        const migration = new Bookings1795420100000();
        await migration.down(runner);
        const gone: unknown[] = await runner.query(`SELECT 1 FROM information_schema.tables WHERE table_name IN ('facilities', 'bookings', 'facility_blocks')`);
        expect(gone).toEqual([]);
        await migration.up(runner);
        await lottery.up(runner);
        await sequences.up(runner);
        const origin: Array<{ definition: string }> = await runner.query(`SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conname = 'bookings_origin_check'`);
        expect(origin[0].definition).toContain('lottery');
        const back: Array<{ conname: string }> = await runner.query(`SELECT conname FROM pg_constraint WHERE contype = 'x' ORDER BY conname`);
        expect(back.map((row) => row.conname)).toEqual(['bookings_no_double_booking', 'facility_blocks_no_overlap']);
        await runner.release();
      } finally {
        await dataSource.destroy();
        await db.drop();
      }
    });
  });

  describe('the facilities file', () => {
    it('is applied again only when an entry changes, and a broken one stops the start with file, path and reason', async () => {
      const sync = t.get(FacilityCatalogSyncService);
      expect(await sync.sync(CONFIG_DIR, sampleSettings())).toEqual([{ municipalityId: CITY, applied: [], unchanged: 3 }]);
      const configDir = mkdtempSync(path.join(tmpdir(), 'madoguchi-facilities-'));
      try {
        cpSync(CONFIG_DIR, configDir, { recursive: true });
        const file = path.join(configDir, 'facilities', `${SAMPLE_MUNICIPALITY}.yaml`);
        const original = readFileSync(file, 'utf8');
        writeFileSync(file, original.replace('bookingWindowDays: 60', 'bookingWindowDays: 45'));
        expect(await sync.sync(configDir, sampleSettings())).toEqual([{ municipalityId: CITY, applied: ['kawabe-undojo'], unchanged: 2 }]);
        const rows: Array<{ window: number; source: string; revision: number }> = await query(
          `SELECT (rules ->> 'bookingWindowDays')::int AS window, source, revision FROM facilities WHERE municipality_id = $1 AND code = 'kawabe-undojo'`,
          [CITY],
        );
        expect(rows).toEqual([{ window: 45, source: 'config', revision: 2 }]);

        writeFileSync(
          file,
          original
            .replace('department: shogaigakushu', 'department: nowhere')
            .replace('      - { daysBefore: 0, refundPercent: 0 }\n    reductions:\n      - { code: registered-group, label: { ja: 登録団体による利用, en: Use by a registered group }, percent: 50 }\n\n', '    reductions: []\n\n')
            .replace('slotMinutes: 120\n    holidays: open\n    holidayHours', 'slotMinutes: 7\n    holidays: open\n    holidayHours'),
        );
        const failure = await sync.sync(configDir, sampleSettings()).catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(FacilityConfigError);
        expect((failure as FacilityConfigError).lines).toEqual([
          'facilities/990001.yaml /facilities/0/department: unknown department "nowhere"',
          'facilities/990001.yaml /facilities/0/cancellation/1/daysBefore: the last tier must start at 0 days (a cancellation on the day of use)',
          'facilities/990001.yaml /facilities/1/slotMinutes: slotMinutes must not be less than 15',
        ]);
        // Nothing was written: the sports ground keeps what the last good file said.
        const kept: Array<{ window: number }> = await query(`SELECT (rules ->> 'bookingWindowDays')::int AS window FROM facilities WHERE municipality_id = $1 AND code = 'kawabe-undojo'`, [CITY]);
        expect(kept).toEqual([{ window: 45 }]);
      } finally {
        rmSync(configDir, { recursive: true, force: true });
      }
    });
  });
});
