import 'reflect-metadata';
import { type AppConfig, loadAppConfig, loadSecrets, type Secrets } from '@madoguchi/config';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule, AuditService, describeVerification } from '@madoguchi/audit';
import {
  APP_CONFIG,
  asMunicipalityId,
  Clock,
  dataSourceOptions,
  type MunicipalityId,
  PeriodicJobs,
  prepareDatabase,
  SECRETS,
  SystemClock,
} from '@madoguchi/kernel';
import { MIGRATIONS } from '../../../migrations';

/** Only what AuditService needs: the database, a clock, the checkpoint settings; no HTTP or tenants (jobs are registered, never started). */
@Module({})
class AuditVerifyModule {
  static forRoot(url: string, config: AppConfig, secrets: Secrets): DynamicModule {
    return {
      module: AuditVerifyModule,
      global: true,
      imports: [TypeOrmModule.forRoot(dataSourceOptions({ url, migrations: [], poolSize: 2, applicationName: 'madoguchi-audit-verify' })), AuditModule],
      providers: [
        { provide: Clock, useClass: SystemClock },
        { provide: APP_CONFIG, useValue: config },
        { provide: SECRETS, useValue: secrets },
        PeriodicJobs,
      ],
      exports: [Clock, APP_CONFIG, SECRETS, PeriodicJobs],
    };
  }
}

/**
 * `npm run audit:verify [--checkpoint] [municipalityId]`: walks the audit
 * hash chain of one municipality (or of every municipality that has one),
 * holds it against the latest signed checkpoint (AUDIT_CHECKPOINT_DIR) and
 * prints the result. With --checkpoint, an intact chain's head is then
 * anchored in a new checkpoint (what the worker does every
 * AUDIT_CHECKPOINT_INTERVAL_SECONDS). Exit status: 0 every chain intact,
 * 1 a chain is broken or differs from its checkpoint, 2 the check could not run.
 *
 * Uses the database the service uses: DATABASE_URL, or the embedded server,
 * shared with a running API instead of started twice (prepareDatabase).
 */
async function main(argv: string[]): Promise<number> {
  const write = argv.includes('--checkpoint');
  const rest = argv.filter((arg) => arg !== '--checkpoint');
  if (rest.length > 1 || rest.some((arg) => arg.startsWith('-'))) throw new Error('usage: audit-verify [--checkpoint] [municipalityId]');
  const only = rest[0] === undefined ? null : asMunicipalityId(rest[0]);
  const config = loadAppConfig();
  const secrets = loadSecrets(process.env, config.dataDir);
  const database = await prepareDatabase(config, MIGRATIONS, (message) => process.stderr.write(`${message}\n`));
  try {
    const app = await NestFactory.createApplicationContext(AuditVerifyModule.forRoot(database.url, config, secrets), { logger: false });
    try {
      return await verifyAll(app.get(AuditService), only, write);
    } finally {
      await app.close();
    }
  } finally {
    await database.stop();
  }
}

export async function verifyAll(audit: AuditService, only: MunicipalityId | null, write: boolean, out: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<number> {
  const municipalities: MunicipalityId[] = only ? [only] : await audit.municipalitiesWithEntries();
  if (municipalities.length === 0) out('no audit entries');
  let broken = false;
  for (const municipalityId of municipalities) {
    const result = await audit.verify(municipalityId);
    out(describeVerification(municipalityId, result));
    broken ||= !result.ok;
    if (write && result.ok) {
      const anchored = await audit.checkpoint(municipalityId);
      out(`${municipalityId}: ${anchored === null ? 'checkpoint already at the head' : `checkpoint written at seq ${anchored}`}`);
    }
  }
  return broken ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`audit verification failed to run: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
