import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadAppConfig, loadMunicipalitySettings, loadSecrets, MunicipalityDirectory, type MunicipalitySettings } from '@madoguchi/config';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { FacilityCatalogSyncService } from '@madoguchi/bookings';
import { StaffAdminService } from '@madoguchi/identity';
import { BusinessDaysSync, KpiConfigSyncService } from '@madoguchi/kpi';
import { CatalogSyncService } from '@madoguchi/procedures';
import { createRootLogger, FixedClock, JsonLogger } from '@madoguchi/kernel';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { ApiModule } from '../../apps/api/src/api.module';
import { PortalModule } from '../../apps/portal/src/portal.module';
import { OfficeModule } from '../../apps/office/src/office.module';
import { configureHttp } from '../../apps/api/src/http-setup';
import { createTestDatabase, type TestDatabase } from './test-database';

export const CONFIG_DIR = path.resolve(__dirname, '../../config');
export const SAMPLE_MUNICIPALITY = '990001';
/** A second tenant with the same catalog, to prove isolation. */
export const OTHER_MUNICIPALITY = '990002';
/** 2026-11-22 10:00 in Japan. */
export const DEFAULT_TEST_NOW = new Date('2026-11-22T01:00:00Z');

/** One key per test process; a restarted app on the same database reads what it wrote. */
const TEST_ENCRYPTION_KEYS = `test1:${randomBytes(32).toString('base64')}`;
const TEST_AUDIT_CHECKPOINT_KEY = randomBytes(32).toString('base64');
/** Checkpoint files of the test databases: inside the checkout, one folder per database. */
export const TEST_CHECKPOINT_ROOT = path.resolve(__dirname, '../../.data/test-audit-checkpoints');

export interface TestApp {
  app: INestApplication;
  db: TestDatabase;
  dataSource: DataSource;
  clock: FixedClock;
  directory: MunicipalityDirectory;
  get<T>(type: new (...args: never[]) => T): T;
  close(): Promise<void>;
}

export function sampleSettings(): MunicipalitySettings[] {
  const [sample] = loadMunicipalitySettings(CONFIG_DIR);
  const other: MunicipalitySettings = {
    ...structuredClone(sample),
    id: OTHER_MUNICIPALITY,
    name: { ja: '試験町', en: 'Shiken Town' },
  };
  return [sample, other];
}

/**
 * The whole API on its own fresh database, with a clock the test controls.
 * Background jobs are not started: tests run them explicitly.
 */
export async function createTestApp(
  options: {
    now?: Date;
    settings?: MunicipalitySettings[];
    /** Reuse a database, e.g. to start a "new process" on the data of a closed one. */
    db?: TestDatabase;
    /** Extra environment for loadAppConfig, e.g. `{ SMTP_URL }`; merged over the fixed test env. */
    env?: Record<string, string>;
    /** Where the app's JSON log lines go (every level); without it the app logs nothing. */
    logStream?: NodeJS.WritableStream;
    /**
     * Serve the resident portal too, registered before the API so its pages
     * win the paths both serve today (/procedures/:code, /verify,
     * /verify/:code) until the JSON API moves under /api/v1.
     */
    portal?: boolean;
    /** Serve the staff office (/office) too. */
    office?: boolean;
  } = {},
): Promise<TestApp> {
  const ownsDatabase = !options.db;
  const db = options.db ?? (await createTestDatabase());
  const settings = options.settings ?? sampleSettings();
  const config = loadAppConfig(
    {
      DATABASE_URL: db.url,
      LOG_LEVEL: 'silent',
      WORKER: 'off',
      DATABASE_POOL_SIZE: '12',
      AUDIT_CHECKPOINT_DIR: path.join(TEST_CHECKPOINT_ROOT, db.name),
      ...options.env,
    },
    path.resolve(__dirname, '../..'),
  );
  const directory = MunicipalityDirectory.fromSettings(settings, SAMPLE_MUNICIPALITY);
  const clock = new FixedClock(options.now ?? DEFAULT_TEST_NOW);
  const secrets = loadSecrets(
    { MADOGUCHI_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS, AUDIT_CHECKPOINT_KEY: options.env?.AUDIT_CHECKPOINT_KEY ?? TEST_AUDIT_CHECKPOINT_KEY },
    config.dataDir,
  );
  const moduleRef = await Test.createTestingModule({
    imports: [...(options.portal ? [PortalModule] : []), ...(options.office ? [OfficeModule] : []), ApiModule.forRoot({ config, databaseUrl: db.url, directory, secrets, clock })],
  }).compile();
  const logger = options.logStream ? new JsonLogger(createRootLogger('trace', options.logStream)) : false;
  const app = moduleRef.createNestApplication({ bodyParser: false, logger });
  configureHttp(app);
  await app.init();
  await app.get(CatalogSyncService).sync(CONFIG_DIR, settings);
  await app.get(StaffAdminService).seedDepartments(settings);
  await app.get(FacilityCatalogSyncService).sync(CONFIG_DIR, settings);
  await app.get(KpiConfigSyncService).sync(CONFIG_DIR, settings);
  await app.get(BusinessDaysSync).sync();
  return {
    app,
    db,
    dataSource: app.get(DataSource),
    clock,
    directory,
    get: (type) => app.get(type),
    close: async () => {
      await app.close();
      if (ownsDatabase) {
        await db.drop();
        rmSync(config.auditCheckpoints.dir, { recursive: true, force: true });
      }
    },
  };
}
