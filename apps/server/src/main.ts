import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadAppConfig } from '@madoguchi/config';
import { boot, onShutdownSignal, PeriodicJobs } from '@madoguchi/kernel';
import { FacilityCatalogSyncService } from '@madoguchi/bookings';
import { JpkiTrustStore, StaffAdminService } from '@madoguchi/identity';
import { BusinessDaysSync, KpiConfigSyncService } from '@madoguchi/kpi';
import { CatalogSyncService } from '@madoguchi/procedures';
import cluster from 'node:cluster';
import { MIGRATIONS } from '../../../migrations';
import { configureHttp } from '../../api/src/http-setup';
import { runHttpProcesses } from './http-processes';
import { ServerModule } from './server.module';

/** One HTTP process: the Nest application on the configured port. */
async function serve(): Promise<void> {
  const context = await boot(MIGRATIONS);
  const { config, database, directory, logger, root, secrets } = context;
  const app = await NestFactory.create(ServerModule.forRoot({ config, databaseUrl: database.url, directory, secrets }), {
    logger,
    bodyParser: false,
  });
  configureHttp(app);
  // Modules register their background jobs in onModuleInit, which runs here.
  await app.init();
  await app.get(CatalogSyncService).sync(config.configDir, context.settings);
  await app.get(StaffAdminService).seedDepartments(context.settings);
  // Facilities name departments and booking procedures: after both are in place.
  await app.get(FacilityCatalogSyncService).sync(config.configDir, context.settings);
  // Plan KPIs name departments and procedures; the business calendar feeds the processing-time rollup.
  await app.get(KpiConfigSyncService).sync(config.configDir, context.settings);
  await app.get(BusinessDaysSync).sync();
  if (config.inlineWorker) app.get(PeriodicJobs).start();
  // The API reads trust anchors from the folder; with the worker inline it also stores the folder's CRLs.
  app.get(JpkiTrustStore).startWatching({ loadCrls: config.inlineWorker });
  await app.listen(config.port, config.host);
  root.info({ context: 'Api', url: `http://${config.host}:${config.port}`, docs: '/api/docs', embeddedDatabase: database.embedded }, 'Madoguchi API listening');

  onShutdownSignal(async (signal) => {
    root.info({ context: 'Api', signal }, 'shutting down');
    await app.close();
    await database.stop();
    root.info({ context: 'Api' }, 'stopped');
  });
  // Under WEB_CONCURRENCY the first process stops its children with SIGTERM;
  // a terminal's Ctrl-C reaches the whole group and must not count twice.
  if (cluster.isWorker) process.removeAllListeners('SIGINT').on('SIGINT', () => undefined);
}

async function main(): Promise<void> {
  const { webConcurrency } = loadAppConfig(process.env);
  if (cluster.isPrimary && webConcurrency > 1) return runHttpProcesses(webConcurrency, MIGRATIONS);
  return serve();
}

main().catch((error: unknown) => {
  process.stderr.write(`Madoguchi API failed to start:\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
