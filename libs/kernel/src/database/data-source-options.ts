import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

export interface DatabaseOptions {
  url: string;
  /**
   * A streaming replica of `url` (DATABASE_REPLICA_URL). Only reads that ask
   * for it go there (read-replica.ts); everything else stays on `url`.
   */
  replicaUrl?: string | null;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  poolSize?: number;
  applicationName?: string;
}

/** The one place TypeORM is configured. The schema changes only by migration. */
export function dataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    ...(options.replicaUrl
      ? {
          // TypeORM sends SELECT query builders without a query runner to a
          // replica by default; 'master' keeps every read on the primary
          // unless it asks for the replica itself (read-your-writes by default).
          replication: { master: { url: options.url }, slaves: [{ url: options.replicaUrl }], defaultMode: 'master' as const },
        }
      : {}),
    entities: options.entities ?? [],
    migrations: options.migrations,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? 'madoguchi',
    },
  };
}
