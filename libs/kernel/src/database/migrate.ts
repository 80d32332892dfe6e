import type { DataSource } from 'typeorm';

/** Constant key of the advisory lock that serialises migration runs. */
export const MIGRATION_LOCK_KEY = 7_342_001;

/**
 * Applies pending migrations while holding a PostgreSQL advisory lock on a
 * dedicated connection, so two processes starting together never both
 * migrate: the second waits, then finds nothing pending. Returns the names of
 * the migrations this call applied.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lockRunner.release();
  }
}
