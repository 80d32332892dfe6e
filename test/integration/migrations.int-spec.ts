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
 * suites clone: the advisory lock and no schema synchronisation anywhere.
 * The tenancy column on every table, and every key including it, is
 * citus-ready-keys.int-spec.ts.
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
