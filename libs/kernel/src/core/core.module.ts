import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type AppConfig, MunicipalityDirectory, type Secrets } from '@madoguchi/config';
import { Clock, SystemClock } from '../clock/clock';
import { dataSourceOptions } from '../database/data-source-options';
import { ReadReplica, serviceDataSource } from '../database/read-replica';
import { PeriodicJobs } from '../jobs/periodic-jobs';
import { TENANT_DIRECTORY } from '../tenancy/tenant.middleware';

import { APP_CONFIG, SECRETS } from './app-config.token';
import { MailTransport } from '../mail/mail-transport';

export { APP_CONFIG, SECRETS };

export interface CoreOptions {
  config: AppConfig;
  databaseUrl: string;
  directory: MunicipalityDirectory;
  secrets: Secrets;
  clock?: Clock;
}

/** Process-wide providers every library may inject: database (and its read replica), clock, tenants, jobs. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(options: CoreOptions): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions({ url: options.databaseUrl, replicaUrl: options.config.databaseReplicaUrl, migrations: [], poolSize: options.config.databasePoolSize }),
            autoLoadEntities: true,
          }),
          dataSourceFactory: (dataSource) => serviceDataSource(dataSource!),
        }),
      ],
      providers: [
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
        { provide: MunicipalityDirectory, useValue: options.directory },
        { provide: TENANT_DIRECTORY, useExisting: MunicipalityDirectory },
        { provide: APP_CONFIG, useValue: options.config },
        { provide: SECRETS, useValue: options.secrets },
        PeriodicJobs,
        MailTransport,
        ReadReplica,
      ],
      exports: [Clock, MunicipalityDirectory, TENANT_DIRECTORY, APP_CONFIG, SECRETS, PeriodicJobs, MailTransport, ReadReplica],
    };
  }
}
