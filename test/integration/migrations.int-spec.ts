import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/kernel/src/database/data-source-options';
import { quoteIdentifier } from '../../libs/kernel/src/database/embedded-postgres';
import { runMigrationsLocked } from '../../libs/kernel/src/database/migrate';
import { MIGRATIONS } from '../../migrations';
import { createTestApp } from '../support/test-app';
import { withClient } from '../support/test-database';
import { assertTestDatabaseName, TEST_RUN_ENV, TEST_SERVER_URL_ENV, withDatabase } from '../support/test-server';

/**
 * Migrations on an empty database, not the pre-migrated template the other
 * suites clone: the advisory lock, the tenancy column on every table, and no
 * schema synchronisation anywhere.
 */

const migrationNames = MIGRATIONS.map((migration) => migration.name).sort();

describe('migrations (real PostgreSQL, empty database)', () => {
  const serverUrl = process.env[TEST_SERVER_URL_ENV]!;
  // Named under this run's prefix so global teardown drops it even if we fail.
  const database = `madoguchi_test_${process.env[TEST_RUN_ENV]}_mig_${randomBytes(3).toString('hex')}`;
  const url = withDatabase(serverUrl, database);
  const dataSources: DataSource[] = [];

  const newDataSource = async () => {
    const dataSource = new DataSource(dataSourceOptions({ url, migrations: MIGRATIONS, poolSize: 2, applicationName: 'migrations-int-spec' }));
    dataSources.push(dataSource);
    await dataSource.initialize();
    return dataSource;
  };

  beforeAll(async () => {
    assertTestDatabaseName(database);
    await withClient(serverUrl, (admin) => admin.query(`CREATE DATABASE ${quoteIdentifier(database)}`));
  });

  afterAll(async () => {
    await Promise.all(dataSources.filter((dataSource) => dataSource.isInitialized).map((dataSource) => dataSource.destroy()));
    await withClient(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`));
  });

  it('starts from a database with no tables', async () => {
    const dataSource = await newDataSource();
    const tables: unknown[] = await dataSource.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'`);
    expect(tables).toEqual([]);
  });

  it('two runners migrating at once apply each migration exactly once', async () => {
    const [first, second] = await Promise.all([newDataSource(), newDataSource()]);
    const results = await Promise.all([runMigrationsLocked(first), runMigrationsLocked(second)]);

    // One runner applied everything; the other waited on the lock and found nothing pending.
    expect(results.map((applied) => applied.length).sort()).toEqual([0, MIGRATIONS.length]);
    expect(results.flat().sort()).toEqual(migrationNames);

    const rows: Array<{ name: string; times: string }> = await first.query(
      'SELECT name, count(*) AS times FROM schema_migrations GROUP BY name ORDER BY name',
    );
    expect(rows.map((row) => row.name)).toEqual(migrationNames);
    expect(rows.every((row) => Number(row.times) === 1)).toBe(true);

    // The lock was released: a later run goes through and has nothing to do.
    expect(await runMigrationsLocked(second)).toEqual([]);
    const locks: unknown[] = await first.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
    expect(locks).toEqual([]);
  });

  /**
   * Tables that hold no municipality's data, each with the reason. Keep this short: a table
   * belongs here only when no municipality owns its rows.
   */
  const NOT_MUNICIPALITY_DATA = new Map([
    // Wrong-PIN counts of the simulated digital authentication service's software cards
    // (migration MyNumberOidc). The simulator stands in for another organisation's service
    // (the national one behind My Number Card sign-in): a card, and its lock, is the same card
    // whichever municipality's portal the resident came from, as on a real card.
    ['simulated_digital_auth_card_locks', 'the simulated national service, not a municipality'],
    // The kernel's business calendar as a table (migration KpiRegister), filled at start from
    // isBusinessDay, which takes no municipality: one national calendar (holidays and the
    // year-end closing) that every municipality's processing-time figures count in.
    ['kpi_business_days', 'the national business calendar of libs/kernel, one for all'],
  ]);

  it('gives every table a non-null municipality_id', async () => {
    const dataSource = dataSources[0];
    const tables: Array<{ table_name: string }> = await dataSource.query(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
        ORDER BY table_name`,
    );
    expect(tables.length).toBeGreaterThanOrEqual(6);
    expect(tables.map((table) => table.table_name)).toEqual(expect.arrayContaining(['applications', 'application_events', 'procedure_definitions', 'timers', 'outbox']));

    const columns: Array<{ table_name: string; is_nullable: string; data_type: string }> = await dataSource.query(
      `SELECT table_name, is_nullable, data_type FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'municipality_id'`,
    );
    const byTable = new Map(columns.map((column) => [column.table_name, column]));
    const missing = tables
      .map((table) => table.table_name)
      .filter((name) => !byTable.has(name) && !NOT_MUNICIPALITY_DATA.has(name));
    expect(missing).toEqual([]);
    const nullable = [...byTable.values()].filter((column) => column.is_nullable !== 'NO').map((column) => column.table_name);
    expect(nullable).toEqual([]);
    // An exemption that no longer names a table (renamed or dropped) must not linger.
    expect([...NOT_MUNICIPALITY_DATA.keys()].filter((name) => !tables.some((table) => table.table_name === name))).toEqual([]);
  });

  it('never synchronises the schema from entities', async () => {
    const options = dataSourceOptions({ url, migrations: MIGRATIONS });
    expect(options.synchronize).toBe(false);
    expect(options.migrationsRun).toBe(false);
    expect(options.migrationsTableName).toBe('schema_migrations');

    // The application's own DataSource, as Nest builds it, agrees.
    const t = await createTestApp();
    try {
      expect(t.dataSource.options.synchronize).toBe(false);
      expect(t.dataSource.options.migrationsRun).toBe(false);
    } finally {
      await t.close();
    }
  });
});
