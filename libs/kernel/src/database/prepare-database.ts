import type { AppConfig } from '@madoguchi/config';
import { DataSource, type MixedList } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { ensureDatabase, startEmbeddedPostgres } from './embedded-postgres';
import { runMigrationsLocked } from './migrate';

export interface PreparedDatabase {
  url: string;
  embedded: boolean;
  appliedMigrations: string[];
  stop(): Promise<void>;
}

/**
 * Gives the process a migrated database: the one DATABASE_URL names, or an
 * embedded PostgreSQL whose data lives in the checkout and survives restarts.
 */
export async function prepareDatabase(
  config: AppConfig,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>,
  log: (message: string) => void,
): Promise<PreparedDatabase> {
  let url: string;
  let stop = async () => undefined as void;
  if (config.databaseUrl) {
    url = config.databaseUrl;
  } else {
    const { dataDir, port, database } = config.embeddedPostgres;
    log(`starting embedded PostgreSQL on 127.0.0.1:${port} with data in ${dataDir}`);
    const server = await startEmbeddedPostgres({ dataDir, port });
    await ensureDatabase(server.url('postgres'), database);
    url = server.url(database);
    stop = () => server.stop();
  }
  const dataSource = new DataSource(dataSourceOptions({ url, migrations, poolSize: 2, applicationName: 'madoguchi-migrate' }));
  try {
    await dataSource.initialize();
    const appliedMigrations = await runMigrationsLocked(dataSource);
    return { url, embedded: !config.databaseUrl, appliedMigrations, stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}
