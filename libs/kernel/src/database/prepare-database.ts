import type { AppConfig } from '@madoguchi/config';
import { DataSource, type MixedList } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { ensureDatabase, startEmbeddedPostgres } from './embedded-postgres';
import { runMigrationsLocked } from './migrate';
import { ensureServiceRole, inspectServiceRole, serviceRoleProblem, serviceRoleUrl } from './service-role';

export interface PreparedDatabase {
  /** The service's connection: the service role, never the owner on the embedded server. */
  url: string;
  /** The schema owner's connection (migrations); equal to url when one role does both. */
  migrationUrl: string;
  embedded: boolean;
  appliedMigrations: string[];
  stop(): Promise<void>;
}

/**
 * Gives the process a migrated database: the one DATABASE_URL names, or an
 * embedded PostgreSQL whose data lives in the checkout and survives restarts.
 *
 * Two accounts: migrations run as the owner (MIGRATION_DATABASE_URL, else
 * DATABASE_URL as before; on the embedded server its superuser), the service
 * as the role in DATABASE_URL (on the embedded server madoguchi_app, created
 * here on first start), which owns nothing and so cannot switch triggers off.
 */
export async function prepareDatabase(
  config: AppConfig,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>,
  log: (message: string) => void,
): Promise<PreparedDatabase> {
  let url: string;
  let migrationUrl: string;
  let stop = async () => undefined as void;
  if (config.databaseUrl) {
    url = config.databaseUrl;
    migrationUrl = config.migrationDatabaseUrl ?? config.databaseUrl;
  } else {
    const { dataDir, port, database, walArchiveDir } = config.embeddedPostgres;
    log(`starting embedded PostgreSQL on 127.0.0.1:${port} with data in ${dataDir}`);
    const server = await startEmbeddedPostgres({ dataDir, port, walArchiveDir: walArchiveDir ?? undefined });
    try {
      await ensureDatabase(server.url('postgres'), database);
      await ensureServiceRole(server.url('postgres'));
    } catch (error) {
      await server.stop();
      throw error;
    }
    migrationUrl = server.url(database);
    url = serviceRoleUrl(migrationUrl);
    stop = () => server.stop();
  }
  const dataSource = new DataSource(dataSourceOptions({ url: migrationUrl, migrations, poolSize: 2, applicationName: 'madoguchi-migrate' }));
  try {
    await dataSource.initialize();
    const appliedMigrations = await runMigrationsLocked(dataSource);
    return { url, migrationUrl, embedded: !config.databaseUrl, appliedMigrations, stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

/**
 * In production the service refuses a connection that could rewrite the
 * append-only records behind the triggers (a superuser, or the tables'
 * owner). Throws with a message saying what to configure instead.
 */
export async function assertRestrictedServiceRole(url: string): Promise<void> {
  const problem = serviceRoleProblem(await inspectServiceRole(url));
  if (problem) throw new Error(`Refusing to start: ${problem}`);
}
