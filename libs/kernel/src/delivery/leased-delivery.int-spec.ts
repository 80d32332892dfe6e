import { DataSource } from 'typeorm';
import { sqlSent } from '../../../../test/support/sent-statements';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { FixedClock } from '../clock/clock';
import { dataSourceOptions } from '../database/data-source-options';
import { asMunicipalityId } from '../tenancy/municipality-id';
import { backoffMs, type DeliveryOutcome, type DeliveryPolicy, LeasedDelivery, type LeasedItem } from './leased-delivery';

const CITY = asMunicipalityId('990001');
const POLICY: DeliveryPolicy = { batchSize: 5, leaseMs: 30_000, maxAttempts: 4, backoffBaseMs: 1_000, backoffMaxMs: 3_000 };

interface TestItem extends LeasedItem {
  body: string;
}

/** A queue table of the shape every leased queue has, with one extra column and one end status. */
const queue = new LeasedDelivery<TestItem, 'last_code', 'dropped'>({
  table: 'leased_delivery_test',
  dueColumn: 'due_at',
  columns: ['body'],
  toItem: (row) => ({ municipalityId: row.municipality_id, id: row.id, attempts: row.attempts, body: row.body as string }),
  extraColumns: ['last_code'],
  endStatuses: ['dropped'],
});

describe('LeasedDelivery (real PostgreSQL)', () => {
  let db: TestDatabase;
  /** Two pools: two worker processes. */
  let first: DataSource;
  let second: DataSource;
  const clock = new FixedClock(new Date('2026-11-22T01:00:00Z'));

  beforeAll(async () => {
    db = await createTestDatabase();
    first = await new DataSource(dataSourceOptions({ url: db.ownerUrl, migrations: [], poolSize: 4 })).initialize();
    second = await new DataSource(dataSourceOptions({ url: db.ownerUrl, migrations: [], poolSize: 4 })).initialize();
    await first.query(`
      CREATE TABLE leased_delivery_test (
        municipality_id text NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead', 'dropped')),
        attempts integer NOT NULL DEFAULT 0,
        due_at timestamptz NOT NULL,
        last_error text,
        last_code integer,
        delivered_at timestamptz,
        PRIMARY KEY (municipality_id, id)
      )`);
  });
  afterAll(async () => {
    await first.destroy();
    await second.destroy();
    await db.drop();
  });
  beforeEach(async () => {
    await first.query(`TRUNCATE leased_delivery_test`);
  });

  const enqueue = async (count: number) => {
    for (let index = 0; index < count; index += 1) {
      await first.query(`INSERT INTO leased_delivery_test (municipality_id, body, due_at) VALUES ($1, $2, $3)`, [CITY, `m${index}`, clock.now()]);
    }
  };
  const rows = async () =>
    (await first.query(`SELECT status, attempts, due_at, last_error, last_code, delivered_at FROM leased_delivery_test ORDER BY id`)) as Array<{
      status: string;
      attempts: number;
      due_at: Date;
      last_error: string | null;
      last_code: number | null;
      delivered_at: Date | null;
    }>;
  const always = (outcome: DeliveryOutcome<'last_code', 'dropped'>) => ({ deliver: async () => outcome });

  it('backs off base * 2^(n-1) capped at the maximum, and keeps the row dead after the last attempt', async () => {
    await enqueue(1);
    const failing = always({ kind: 'failed', error: 'HTTP 503', columns: { last_code: 503 } });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= POLICY.maxAttempts; attempt += 1) {
      const start = clock.now().getTime();
      const counts = await queue.deliverDue(first.manager, clock, POLICY, failing);
      const [row] = await rows();
      expect(row.attempts).toBe(attempt);
      expect(row.last_error).toBe('HTTP 503');
      expect(row.last_code).toBe(503);
      if (attempt < POLICY.maxAttempts) {
        expect(counts).toEqual({ delivered: 0, retried: 1, dead: 0, dropped: 0 });
        expect(row.status).toBe('pending');
        waits.push(row.due_at.getTime() - start);
        // Not due a millisecond early.
        clock.advance(waits[waits.length - 1] - 1);
        expect(await queue.deliverDue(first.manager, clock, POLICY, failing)).toEqual({ delivered: 0, retried: 0, dead: 0, dropped: 0 });
        clock.advance(1);
      } else {
        expect(counts).toEqual({ delivered: 0, retried: 0, dead: 1, dropped: 0 });
        expect(row.status).toBe('dead');
      }
    }
    expect(waits).toEqual([1_000, 2_000, 3_000]);
    expect(waits).toEqual([1, 2, 3].map((attempt) => backoffMs(POLICY, attempt)));
    // A dead row is never claimed again, however long we wait.
    clock.advance(24 * 3_600_000);
    expect(await queue.claim(first.manager, clock.now(), POLICY)).toEqual([]);
  });

  it('delivers again once the lease of a worker that vanished has expired', async () => {
    await enqueue(1);
    // A worker claims it and dies without settling.
    const claimed = await queue.claim(first.manager, clock.now(), POLICY);
    expect(claimed.map((item) => item.attempts)).toEqual([1]);
    const delivered: TestItem[] = [];
    const work = {
      deliver: async (item: TestItem): Promise<DeliveryOutcome<'last_code', 'dropped'>> => {
        delivered.push(item);
        return { kind: 'delivered', columns: { last_code: 200 } };
      },
    };
    clock.advance(POLICY.leaseMs - 1);
    expect(await queue.deliverDue(second.manager, clock, POLICY, work)).toEqual({ delivered: 0, retried: 0, dead: 0, dropped: 0 });
    clock.advance(1);
    expect(await queue.deliverDue(second.manager, clock, POLICY, work)).toEqual({ delivered: 1, retried: 0, dead: 0, dropped: 0 });
    expect(delivered.map((item) => [item.id, item.attempts, item.body])).toEqual([[claimed[0].id, 2, 'm0']]);
    // The due time stays at the end of the lease it was delivered under.
    expect(await rows()).toEqual([
      { status: 'delivered', attempts: 2, due_at: new Date(clock.now().getTime() + POLICY.leaseMs), last_error: null, last_code: 200, delivered_at: clock.now() },
    ]);
  });

  it('two dispatchers racing never deliver the same row twice within one lease', async () => {
    await enqueue(40);
    const deliveries = new Map<string, number>();
    const work = {
      deliver: async (item: TestItem): Promise<DeliveryOutcome<'last_code', 'dropped'>> => {
        deliveries.set(item.id, (deliveries.get(item.id) ?? 0) + 1);
        // Yield so the two really overlap.
        await new Promise((resolve) => setTimeout(resolve, 2));
        return { kind: 'delivered' };
      },
      lane: (item: TestItem) => item.id,
    };
    // The clock stands still: every round is within the first lease.
    for (let round = 0; round < 10; round += 1) {
      await Promise.all([
        queue.deliverDue(first.manager, clock, POLICY, work),
        queue.deliverDue(second.manager, clock, POLICY, work),
        queue.deliverDue(first.manager, clock, POLICY, work),
        queue.deliverDue(second.manager, clock, POLICY, work),
      ]);
    }
    expect(deliveries.size).toBe(40);
    expect([...deliveries.values()].every((count) => count === 1)).toBe(true);
    expect((await rows()).every((row) => row.status === 'delivered' && row.attempts === 1)).toBe(true);
  });

  it('claims taken at the same moment are disjoint, and each is oldest first', async () => {
    await enqueue(12);
    const claims = await Promise.all([1, 2, 3].map((index) => queue.claim((index % 2 ? first : second).manager, clock.now(), { ...POLICY, batchSize: 4 })));
    const ids = claims.flat().map((item) => item.id);
    expect(new Set(ids).size).toBe(12);
    for (const claim of claims) expect(claim.map((item) => Number(item.id))).toEqual(claim.map((item) => Number(item.id)).sort((a, b) => a - b));
  });

  it('a postponed row stays pending past the last attempt; an ended one stops in its own status', async () => {
    await enqueue(2);
    const postponeFirst = {
      deliver: async (item: TestItem): Promise<DeliveryOutcome<'last_code', 'dropped'>> =>
        item.body === 'm0' ? { kind: 'postponed', error: 'nobody handles it yet', delayMs: 10 } : { kind: 'ended', status: 'dropped', error: 'dropped' },
    };
    for (let round = 0; round < POLICY.maxAttempts + 2; round += 1) {
      await queue.deliverDue(first.manager, clock, POLICY, postponeFirst);
      clock.advance(10);
    }
    const [postponed, dropped] = await rows();
    expect([postponed.status, postponed.attempts, postponed.last_error]).toEqual(['pending', POLICY.maxAttempts + 2, 'nobody handles it yet']);
    expect([dropped.status, dropped.attempts, dropped.last_error]).toEqual(['dropped', 1, 'dropped']);
  });

  it('counts a delivery that throws as a failed attempt', async () => {
    await enqueue(1);
    const failures: Array<[string, boolean]> = [];
    const counts = await queue.deliverDue(first.manager, clock, POLICY, {
      deliver: async () => {
        throw new Error('connection refused');
      },
      failed: (_item, error, dead) => failures.push([error, dead]),
    });
    expect(counts).toEqual({ delivered: 0, retried: 1, dead: 0, dropped: 0 });
    expect(failures).toEqual([['connection refused', false]]);
    expect((await rows())[0]).toMatchObject({ status: 'pending', attempts: 1, last_error: 'connection refused', last_code: null });
  });

  describe('writing outcomes', () => {
    /** The UPDATEs of the queue table `work` sends. */
    const updatesDuring = async (work: () => Promise<unknown>): Promise<number> =>
      (await sqlSent(work)).filter((sql) => /^UPDATE leased_delivery_test/.test(sql)).length;

    it('a round writes all its outcomes in one statement after the claim, each row its own', async () => {
      await enqueue(4);
      const mixed = {
        deliver: async (item: TestItem): Promise<DeliveryOutcome<'last_code', 'dropped'>> =>
          [
            { kind: 'delivered', columns: { last_code: 200 } } as const,
            { kind: 'failed', error: 'HTTP 503', columns: { last_code: 503 } } as const,
            { kind: 'ended', status: 'dropped', error: 'gone' } as const,
            { kind: 'postponed', error: 'later', delayMs: 5_000 } as const,
          ][Number(item.body.slice(1))],
      };
      const start = clock.now().getTime();
      // The claim and the one write of all four outcomes.
      expect(await updatesDuring(() => queue.deliverDue(first.manager, clock, POLICY, mixed))).toBe(2);
      const [delivered, failed, dropped, postponed] = await rows();
      expect(delivered).toMatchObject({ status: 'delivered', attempts: 1, last_error: null, last_code: 200 });
      expect(delivered.delivered_at?.getTime()).toBe(start);
      expect(failed).toMatchObject({ status: 'pending', attempts: 1, last_error: 'HTTP 503', last_code: 503, delivered_at: null });
      expect(failed.due_at.getTime()).toBe(start + backoffMs(POLICY, 1));
      expect(dropped).toMatchObject({ status: 'dropped', last_error: 'gone', last_code: null, delivered_at: null });
      expect(postponed).toMatchObject({ status: 'pending', last_error: 'later' });
      expect(postponed.due_at.getTime()).toBe(start + 5_000);
    });

    it('past half the lease, a slow round writes each outcome as it comes, before its lease can end', async () => {
      await enqueue(3);
      const slow = {
        deliver: async (): Promise<DeliveryOutcome<'last_code', 'dropped'>> => {
          clock.advance(POLICY.leaseMs / 2 + 1);
          return { kind: 'delivered' };
        },
      };
      expect(await updatesDuring(() => queue.deliverDue(first.manager, clock, POLICY, slow))).toBe(1 + 3);
      expect((await rows()).map((row) => row.status)).toEqual(['delivered', 'delivered', 'delivered']);
    });
  });
});
