import { DataSource, type EntityManager } from 'typeorm';
import { TenantSequences1795930000000 } from '../../../../migrations/1795930000000-TenantSequences';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { dataSourceOptions } from '../database/data-source-options';
import { asMunicipalityId } from '../tenancy/municipality-id';
import { nextInSequence, sequenceScope } from './gapless-sequence';

/**
 * The gap-free per-municipality sequences on a real PostgreSQL, drawn as
 * the service role (madoguchi_app): concurrency, rollback, independence of
 * keys, and the migration that moved the five old tables' values over.
 */

const CITY = asMunicipalityId('990001');
const TOWN = asMunicipalityId('990002');

describe('gap-free sequences (real PostgreSQL)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.asOwner((client) =>
      client.query(
        `INSERT INTO municipalities (municipality_id, name_ja, name_en, settings) VALUES ('990001', '見本市', 'Sample City', '{}'), ('990002', '見本町', 'Sample Town', '{}')
         ON CONFLICT (municipality_id) DO NOTHING`,
      ),
    );
    // As many connections as concurrent transactions below: each holds one while it waits for the row.
    dataSource = new DataSource(dataSourceOptions({ url: db.url, migrations: [], poolSize: 21, applicationName: 'gapless-sequence-int-spec' }));
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const draw = (municipalityId = CITY, scope = 'concurrent') => dataSource.transaction((manager) => nextInSequence(manager, municipalityId, 'ticket', scope));
  const lastValue = async (municipalityId: string, sequence: string, scope: string) =>
    ((await dataSource.query(`SELECT last_value::int AS v FROM tenant_sequences WHERE municipality_id = $1 AND sequence = $2 AND scope = $3`, [municipalityId, sequence, scope])) as Array<{ v: number }>)[0]?.v;

  it('hands out 1..N without gaps or duplicates to 20 concurrent transactions', async () => {
    // Each transaction holds the row a moment after drawing, so the others really queue on it.
    const numbers = await Promise.all(
      Array.from({ length: 20 }, () =>
        dataSource.transaction(async (manager) => {
          const number = await nextInSequence(manager, CITY, 'receipt', '2026');
          await manager.query('SELECT pg_sleep(0.01)');
          return number;
        }),
      ),
    );
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(await lastValue(CITY, 'receipt', '2026')).toBe(20);
  });

  it('gives a rolled-back number to the next caller', async () => {
    expect(await draw()).toBe(1);
    await expect(
      dataSource.transaction(async (manager) => {
        expect(await nextInSequence(manager, CITY, 'ticket', 'concurrent')).toBe(2);
        throw new Error('the caller failed after drawing');
      }),
    ).rejects.toThrow('the caller failed');
    expect(await draw()).toBe(2);
    expect(await draw()).toBe(3);
  });

  it('keeps municipalities, sequences and scopes apart', async () => {
    const inTown = async (work: (manager: EntityManager) => Promise<number>) => dataSource.transaction(work);
    expect(await inTown((manager) => nextInSequence(manager, TOWN, 'booking', '2026'))).toBe(1);
    expect(await inTown((manager) => nextInSequence(manager, TOWN, 'booking', '2026'))).toBe(2);
    expect(await inTown((manager) => nextInSequence(manager, CITY, 'booking', '2026'))).toBe(1);
    expect(await inTown((manager) => nextInSequence(manager, CITY, 'booking', '2027'))).toBe(1);
    expect(await inTown((manager) => nextInSequence(manager, CITY, 'receipt', 'booking-year-is-not-a-receipt-year'))).toBe(1);
    expect(await inTown((manager) => nextInSequence(manager, TOWN, 'document-serial', sequenceScope('C', 2026)))).toBe(1);
    expect(await inTown((manager) => nextInSequence(manager, TOWN, 'document-serial', sequenceScope('U', 2026)))).toBe(1);
    expect(await inTown((manager) => nextInSequence(manager, TOWN, 'booking', '2026'))).toBe(3);
    // One municipality's open draw does not hold up another's.
    await dataSource.transaction(async (holding) => {
      expect(await nextInSequence(holding, CITY, 'booking', '2026')).toBe(2);
      expect(await inTown((manager) => nextInSequence(manager, TOWN, 'booking', '2026'))).toBe(4);
    });
  });

  it('joins scope parts in the documented order', () => {
    expect(sequenceScope('juminhyo', '2026-12-06')).toBe('juminhyo|2026-12-06');
    expect(sequenceScope('C', 2026)).toBe('C|2026');
  });

  it('moves the five old tables over: the next number continues where each stopped', async () => {
    const migration = new TenantSequences1795930000000();
    const owner = new DataSource(dataSourceOptions({ url: db.ownerUrl, migrations: [], poolSize: 1, applicationName: 'gapless-sequence-migration' }));
    await owner.initialize();
    try {
      const runner = owner.createQueryRunner();
      // Back to the old tables (the rows so far go with them), then old-style rows as the previous schema wrote them.
      await runner.query(`DELETE FROM tenant_sequences`);
      await migration.down(runner);
      await runner.query(`
        INSERT INTO counter_services (municipality_id, code, name_ja, name_en, ticket_prefix, created_at, updated_at)
        VALUES ('990001', 'juminhyo', '住民票', 'Residence certificate', 'A', now(), now()) ON CONFLICT DO NOTHING;
        INSERT INTO reference_sequences VALUES ('990001', 'R8-{seq}', 41), ('990002', 'R8-{seq}', 7), ('990001', 'grant:R8-kankyo-{seq}', 3);
        INSERT INTO counter_ticket_sequences VALUES ('990001', 'juminhyo', '2026-12-06', 12);
        INSERT INTO payment_receipt_sequences VALUES ('990001', 2026, 99);
        INSERT INTO booking_number_sequences VALUES ('990002', 2026, 5);
        INSERT INTO document_serials VALUES ('990001', 'C', 2026, 17), ('990001', 'U', 2026, 2);
      `);
      await migration.up(runner);
      await runner.release();
    } finally {
      await owner.destroy();
    }
    // Drawn as the service role: it may use the new table as it used the old ones.
    const next = (municipalityId: typeof CITY, sequence: Parameters<typeof nextInSequence>[2], scope: string) =>
      dataSource.transaction((manager) => nextInSequence(manager, municipalityId, sequence, scope));
    expect(await next(CITY, 'reference', 'R8-{seq}')).toBe(42);
    expect(await next(TOWN, 'reference', 'R8-{seq}')).toBe(8);
    expect(await next(CITY, 'decision', 'R8-kankyo-{seq}')).toBe(4);
    expect(await next(CITY, 'ticket', sequenceScope('juminhyo', '2026-12-06'))).toBe(13);
    expect(await next(CITY, 'receipt', sequenceScope(2026))).toBe(100);
    expect(await next(TOWN, 'booking', sequenceScope(2026))).toBe(6);
    expect(await next(CITY, 'document-serial', sequenceScope('C', 2026))).toBe(18);
    expect(await next(CITY, 'document-serial', sequenceScope('U', 2026))).toBe(3);
    const oldTables: unknown[] = await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'
          AND table_name IN ('reference_sequences', 'counter_ticket_sequences', 'payment_receipt_sequences', 'booking_number_sequences', 'document_serials')`,
    );
    expect(oldTables).toEqual([]);
  });
});
