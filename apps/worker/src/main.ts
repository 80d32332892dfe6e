import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { boot, onShutdownSignal, PeriodicJobs } from '@madoguchi/kernel';
import { JpkiTrustStore } from '@madoguchi/identity';
import { MIGRATIONS } from '../../../migrations';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const { config, database, directory, logger, root, secrets } = await boot(MIGRATIONS);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config, databaseUrl: database.url, directory, secrets }), { logger });
  app.get(PeriodicJobs).start();
  // A CRL file dropped into JPKI_TRUST_DIR is stored within seconds, not at the next job run.
  app.get(JpkiTrustStore).startWatching({ loadCrls: true });
  root.info({ context: 'Worker' }, 'Madoguchi worker running');
  onShutdownSignal(async (signal) => {
    root.info({ context: 'Worker', signal }, 'shutting down');
    await app.close();
    await database.stop();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`Madoguchi worker failed to start:\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
