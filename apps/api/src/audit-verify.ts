import 'reflect-metadata';
import { loadAppConfig } from '@madoguchi/config';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule, AuditService, type AuditVerification } from '@madoguchi/audit';
import { asMunicipalityId, Clock, dataSourceOptions, type MunicipalityId, prepareDatabase, SystemClock } from '@madoguchi/kernel';
import { MIGRATIONS } from '../../../migrations';

/** Only what AuditService needs: the database and a clock, no HTTP, tenants or jobs. */
@Module({})
class AuditVerifyModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: AuditVerifyModule,
      global: true,
      imports: [TypeOrmModule.forRoot(dataSourceOptions({ url, migrations: [], poolSize: 2, applicationName: 'madoguchi-audit-verify' })), AuditModule],
      providers: [{ provide: Clock, useClass: SystemClock }],
      exports: [Clock],
    };
  }
}

/**
 * `npm run audit:verify [municipalityId]`: walks the audit hash chain of one
 * municipality (or of every municipality that has one) and prints the result.
 * Exit status: 0 every chain intact, 1 a chain is broken (the first broken
 * link is printed), 2 the check could not run.
 *
 * Uses the database the service uses: DATABASE_URL, or the embedded server,
 * shared with a running API instead of started twice (prepareDatabase).
 */
async function main(argv: string[]): Promise<number> {
  if (argv.length > 1) throw new Error('usage: audit-verify [municipalityId]');
  const only = argv[0] === undefined ? null : asMunicipalityId(argv[0]);
  const config = loadAppConfig();
  const database = await prepareDatabase(config, MIGRATIONS, (message) => process.stderr.write(`${message}\n`));
  try {
    const app = await NestFactory.createApplicationContext(AuditVerifyModule.forRoot(database.url), { logger: false });
    try {
      return await verifyAll(app.get(AuditService), only);
    } finally {
      await app.close();
    }
  } finally {
    await database.stop();
  }
}

async function verifyAll(audit: AuditService, only: MunicipalityId | null): Promise<number> {
  const municipalities: MunicipalityId[] = only ? [only] : await audit.municipalitiesWithEntries();
  if (municipalities.length === 0) process.stdout.write('no audit entries\n');
  let broken = false;
  for (const municipalityId of municipalities) {
    const result = await audit.verify(municipalityId);
    process.stdout.write(`${describe(municipalityId, result)}\n`);
    broken ||= !result.ok;
  }
  return broken ? 1 : 0;
}

function describe(municipalityId: MunicipalityId, result: AuditVerification): string {
  const head = result.head ? `seq ${result.head.seq}, hash ${result.head.hash}` : 'none';
  if (result.ok) return `${municipalityId}: intact, ${result.checked} entries checked (head: ${head})`;
  const { seq, reason } = result.firstBroken!;
  return `${municipalityId}: BROKEN at seq ${seq}: ${reason} (${result.checked} entries intact before it; last intact: ${head})`;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit verification failed to run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
