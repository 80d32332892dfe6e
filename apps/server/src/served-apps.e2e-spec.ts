import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadAppConfig, loadSecrets, MunicipalityDirectory } from '@madoguchi/config';
import { FixedClock } from '@madoguchi/kernel';
import { CatalogSyncService } from '@madoguchi/procedures';
import path from 'node:path';
import request from 'supertest';
import { configureHttp } from '../../api/src/http-setup';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { CONFIG_DIR, DEFAULT_TEST_NOW, SAMPLE_MUNICIPALITY, sampleSettings } from '../../../test/support/test-app';
import { appOfPath } from './served-apps.middleware';
import { ServerModule } from './server.module';

describe('APPS: one process serves a chosen subset of the apps', () => {
  it('sorts paths into apps; health checks and the simulated outside parties belong to none', () => {
    expect(appOfPath('/')).toBe('portal');
    expect(appOfPath('/procedures/juminhyo')).toBe('portal');
    expect(appOfPath('/api/v1/procedures')).toBe('api');
    expect(appOfPath('/api/docs')).toBe('api');
    expect(appOfPath('/apix')).toBe('portal');
    expect(appOfPath('/office')).toBe('office');
    expect(appOfPath('/office/queue')).toBe('office');
    expect(appOfPath('/officer')).toBe('portal');
    expect(appOfPath('/health/ready')).toBeNull();
    expect(appOfPath('/simulated-provider/990001/pay/x')).toBeNull();
  });

  describe.each([
    ['portal,api', { portal: 200, api: 200 }],
    ['portal', { portal: 200, api: 404 }],
    ['api', { portal: 404, api: 200 }],
    ['office,api', { portal: 404, api: 200 }],
  ])('APPS=%s', (apps, expected) => {
    let db: TestDatabase;
    let app: INestApplication;

    beforeAll(async () => {
      db = await createTestDatabase();
      const settings = sampleSettings();
      const config = loadAppConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', WORKER: 'off', APPS: apps }, path.resolve(__dirname, '../../..'));
      const moduleRef = await Test.createTestingModule({
        imports: [
          ServerModule.forRoot({
            config,
            databaseUrl: db.url,
            directory: MunicipalityDirectory.fromSettings(settings, SAMPLE_MUNICIPALITY),
            secrets: loadSecrets({}, config.dataDir),
            clock: new FixedClock(DEFAULT_TEST_NOW),
          }),
        ],
      }).compile();
      app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
      configureHttp(app);
      await app.init();
      await app.get(CatalogSyncService).sync(CONFIG_DIR, settings);
    });

    afterAll(async () => {
      await app?.close();
      await db?.drop();
    });

    it('serves its apps, answers 404 for the others, and always answers health checks', async () => {
      const server = app.getHttpServer();
      expect((await request(server).get('/')).status).toBe(expected.portal);
      expect((await request(server).get('/procedures/juminhyo')).status).toBe(expected.portal);
      expect((await request(server).get('/api/v1/procedures')).status).toBe(expected.api);
      expect((await request(server).get('/health/live')).status).toBe(200);
    });
  });
});
