import path from 'node:path';
import { SHORT_RETENTION_KINDS } from './retention-config';
import { ConfigError, loadAppConfig } from './app-config';

const CWD = path.resolve('/srv/madoguchi');

/** The ConfigError thrown for `env`; fails the test when nothing is thrown. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadAppConfig(env, CWD);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const DEFAULT_PAYMENTS = {
  provider: 'simulated',
  webhookSecret: null,
  simulatedWebhookUrl: null,
  simulatedFaults: { duplicate: false, reorder: false, dropRate: 0 },
  reconcileAfterMinutes: 10,
};

describe('loadAppConfig', () => {
  it('has a default for everything', () => {
    expect(loadAppConfig({}, CWD)).toEqual({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: null,
      migrationDatabaseUrl: null,
      databaseReplicaUrl: null,
      production: false,
      auditCheckpoints: { dir: path.join(CWD, '.data', 'audit-checkpoints'), intervalSeconds: 300 },
      embeddedPostgres: { port: 54320, dataDir: path.join(CWD, '.data', 'postgres'), database: 'madoguchi', walArchiveDir: path.join(CWD, '.data', 'wal-archive') },
      logLevel: 'info',
      configDir: path.join(CWD, 'config'),
      defaultMunicipalityId: null,
      inlineWorker: true,
      apps: ['api', 'portal', 'office'],
      bodyLimitBytes: 1048576,
      databasePoolSize: 10,
      webConcurrency: 1,
      dataDir: path.join(CWD, '.data'),
      publicBaseUrl: 'http://127.0.0.1:3000',
      smtpUrl: null,
      mailFrom: 'Madoguchi <no-reply@madoguchi.invalid>',
      cookieSecure: false,
      jpkiTrustDir: path.join(CWD, 'config', 'jpki'),
      jpkiTrustReloadSeconds: 60,
      openDataMinCellCount: 3,
      trustProxy: false,
      maxDraftsPerResident: 20,
      maxAttachmentBytesPerResident: 209715200,
      draftTtlDays: 30,
      shortRetentionDays: SHORT_RETENTION_KINDS,
      claimIdleMinutes: 120,
      payments: DEFAULT_PAYMENTS,
      idempotencyTestPause: null,
      digitalAuth: expect.objectContaining({ mode: 'simulated', issuer: 'http://127.0.0.1:3000/simulated-digital-auth' }),
    });
  });

  it('reads every variable', () => {
    const config = loadAppConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        DATABASE_URL: 'postgresql://app:secret@db:5432/madoguchi',
        MIGRATION_DATABASE_URL: 'postgresql://owner:secret@db:5432/madoguchi',
        DATABASE_REPLICA_URL: 'postgresql://app:secret@db-standby:5432/madoguchi',
        AUDIT_CHECKPOINT_DIR: '/srv/anchor/madoguchi',
        AUDIT_CHECKPOINT_INTERVAL_SECONDS: '60',
        EMBEDDED_PG_PORT: '55000',
        DATA_DIR: '/var/lib/madoguchi',
        LOG_LEVEL: 'debug',
        CONFIG_DIR: 'deploy/config',
        DEFAULT_MUNICIPALITY_ID: '131016',
        WORKER: 'off',
        APPS: 'portal, api',
        BODY_LIMIT_BYTES: '2048',
        DATABASE_POOL_SIZE: '50',
        PUBLIC_BASE_URL: 'https://madoguchi.example.jp/',
        SMTP_URL: 'smtp://mail.example.jp:25',
        MAIL_FROM: '桜ヶ丘市 <no-reply@example.jp>',
        JPKI_TRUST_DIR: '/etc/madoguchi/jpki',
        DRAFT_TTL_DAYS: '14',
        CLAIM_IDLE_MINUTES: '45',
        JPKI_TRUST_RELOAD_SECONDS: '300',
        TRUST_PROXY: 'loopback, 10.0.0.0/8, 192.0.2.1, fd00::/8',
        MAX_DRAFTS_PER_RESIDENT: '5',
        MAX_ATTACHMENT_BYTES_PER_RESIDENT: '10485760',
        WEB_CONCURRENCY: '4',
      },
      CWD,
    );
    expect(config).toEqual({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgresql://app:secret@db:5432/madoguchi',
      migrationDatabaseUrl: 'postgresql://owner:secret@db:5432/madoguchi',
      databaseReplicaUrl: 'postgresql://app:secret@db-standby:5432/madoguchi',
      production: false,
      auditCheckpoints: { dir: '/srv/anchor/madoguchi', intervalSeconds: 60 },
      embeddedPostgres: { port: 55000, dataDir: '/var/lib/madoguchi/postgres', database: 'madoguchi', walArchiveDir: '/var/lib/madoguchi/wal-archive' },
      logLevel: 'debug',
      configDir: path.join(CWD, 'deploy/config'),
      defaultMunicipalityId: '131016',
      inlineWorker: false,
      apps: ['portal', 'api'],
      bodyLimitBytes: 2048,
      databasePoolSize: 50,
      webConcurrency: 4,
      dataDir: '/var/lib/madoguchi',
      publicBaseUrl: 'https://madoguchi.example.jp',
      smtpUrl: 'smtp://mail.example.jp:25',
      mailFrom: '桜ヶ丘市 <no-reply@example.jp>',
      // An https public URL turns secure cookies on.
      cookieSecure: true,
      jpkiTrustDir: '/etc/madoguchi/jpki',
      jpkiTrustReloadSeconds: 300,
      openDataMinCellCount: 3,
      trustProxy: ['loopback', '10.0.0.0/8', '192.0.2.1', 'fd00::/8'],
      maxDraftsPerResident: 5,
      maxAttachmentBytesPerResident: 10485760,
      draftTtlDays: 14,
      shortRetentionDays: SHORT_RETENTION_KINDS,
      claimIdleMinutes: 45,
      // Payment variables are covered by payments-config.spec.ts, digital authentication by digital-auth-config.spec.ts.
      payments: DEFAULT_PAYMENTS,
      idempotencyTestPause: null,
      digitalAuth: expect.objectContaining({ issuer: 'https://madoguchi.example.jp/simulated-digital-auth' }),
    });
  });

  it('takes MIGRATION_DATABASE_URL and DATABASE_REPLICA_URL only beside DATABASE_URL, and checks each', () => {
    expect(() => loadAppConfig({ MIGRATION_DATABASE_URL: 'postgres://owner@db/madoguchi' }, CWD)).toThrow(/MIGRATION_DATABASE_URL is for an external database: set DATABASE_URL/);
    expect(() => loadAppConfig({ DATABASE_URL: 'postgres://app@db/m', MIGRATION_DATABASE_URL: 'mysql://owner@db/m' }, CWD)).toThrow(/MIGRATION_DATABASE_URL must start with postgres/);
    expect(() => loadAppConfig({ DATABASE_REPLICA_URL: 'postgres://app@standby/madoguchi' }, CWD)).toThrow(/DATABASE_REPLICA_URL is a standby of an external primary: set DATABASE_URL/);
    expect(() => loadAppConfig({ DATABASE_URL: 'postgres://app@db/m', DATABASE_REPLICA_URL: 'standby:5432' }, CWD)).toThrow(/DATABASE_REPLICA_URL must start with postgres/);
    expect(() => loadAppConfig({ AUDIT_CHECKPOINT_INTERVAL_SECONDS: '1' }, CWD)).toThrow(/AUDIT_CHECKPOINT_INTERVAL_SECONDS must be an integer from 5 to 86400/);
  });

  it('accepts the ends of each range', () => {
    const low = loadAppConfig({ PORT: '0', EMBEDDED_PG_PORT: '1024', BODY_LIMIT_BYTES: '1024', DATABASE_POOL_SIZE: '1' }, CWD);
    expect([low.port, low.embeddedPostgres.port, low.bodyLimitBytes, low.databasePoolSize]).toEqual([0, 1024, 1024, 1]);
    const high = loadAppConfig({ PORT: '65535', EMBEDDED_PG_PORT: '65535', BODY_LIMIT_BYTES: String(64 * 1024 * 1024), DATABASE_POOL_SIZE: '200' }, CWD);
    expect([high.port, high.embeddedPostgres.port, high.bodyLimitBytes, high.databasePoolSize]).toEqual([65535, 65535, 64 * 1024 * 1024, 200]);
    expect([loadAppConfig({ WEB_CONCURRENCY: '1' }, CWD).webConcurrency, loadAppConfig({ WEB_CONCURRENCY: '64' }, CWD).webConcurrency]).toEqual([1, 64]);
    expect(() => loadAppConfig({ WEB_CONCURRENCY: '0' }, CWD)).toThrow(/WEB_CONCURRENCY must be an integer from 1 to 64/);
    expect([loadAppConfig({ CLAIM_IDLE_MINUTES: '5' }, CWD).claimIdleMinutes, loadAppConfig({ CLAIM_IDLE_MINUTES: '10080' }, CWD).claimIdleMinutes]).toEqual([5, 10080]);
  });

  it('reads the test-only idempotency pause outside production, and refuses it in production or malformed', () => {
    expect(loadAppConfig({ MADOGUCHI_TEST_IDEMPOTENCY_PAUSE: 'afterCommit:30000' }, CWD).idempotencyTestPause).toEqual({ at: 'afterCommit', ms: 30000 });
    expect(() => loadAppConfig({ MADOGUCHI_TEST_IDEMPOTENCY_PAUSE: 'beforeCommit:10', NODE_ENV: 'production' }, CWD)).toThrow(/MADOGUCHI_TEST_IDEMPOTENCY_PAUSE is for tests only/);
    expect(() => loadAppConfig({ MADOGUCHI_TEST_IDEMPOTENCY_PAUSE: 'sometimes' }, CWD)).toThrow(/MADOGUCHI_TEST_IDEMPOTENCY_PAUSE must be/);
  });

  it('treats an empty or blank variable as unset', () => {
    const blank = ['PORT', 'HOST', 'DATABASE_URL', 'EMBEDDED_PG_PORT', 'DATA_DIR', 'LOG_LEVEL', 'CONFIG_DIR', 'DEFAULT_MUNICIPALITY_ID', 'WORKER', 'BODY_LIMIT_BYTES', 'DATABASE_POOL_SIZE'];
    expect(loadAppConfig(Object.fromEntries(blank.map((name) => [name, ''])), CWD)).toEqual(loadAppConfig({}, CWD));
    expect(loadAppConfig(Object.fromEntries(blank.map((name) => [name, '  '])), CWD)).toEqual(loadAppConfig({}, CWD));
  });

  it.each([
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['PORT', 'http'],
    ['PORT', '30.5'],
    ['PORT', '0x50'],
    ['PORT', '1e3'],
    ['EMBEDDED_PG_PORT', '80'],
    ['BODY_LIMIT_BYTES', '1023'],
    ['BODY_LIMIT_BYTES', String(64 * 1024 * 1024 + 1)],
    ['DATABASE_POOL_SIZE', '0'],
    ['DATABASE_POOL_SIZE', '201'],
    ['CLAIM_IDLE_MINUTES', '4'],
    ['CLAIM_IDLE_MINUTES', '10081'],
    ['JPKI_TRUST_RELOAD_SECONDS', '4'],
    ['JPKI_TRUST_RELOAD_SECONDS', '86401'],
    ['MAX_DRAFTS_PER_RESIDENT', '0'],
    ['MAX_DRAFTS_PER_RESIDENT', '1001'],
    ['MAX_ATTACHMENT_BYTES_PER_RESIDENT', '1048575'],
    ['MAX_ATTACHMENT_BYTES_PER_RESIDENT', '200MB'],
  ])('refuses %s=%s, naming the variable and the value', (name, value) => {
    const error = configError({ [name]: value });
    expect(error.message).toMatch(new RegExp(`^Invalid configuration:\\n  - ${name} must be an integer from \\d+ to \\d+, got "${value.replace('.', '\\.')}"$`));
  });

  it.each([
    ['DATABASE_URL', 'mysql://db/madoguchi', 'DATABASE_URL must start with postgres:// or postgresql://'],
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"'],
    ['DEFAULT_MUNICIPALITY_ID', '13101', 'DEFAULT_MUNICIPALITY_ID must be six digits'],
    ['DEFAULT_MUNICIPALITY_ID', 'tokyo1', 'DEFAULT_MUNICIPALITY_ID must be six digits'],
    ['WORKER', 'inline,off', 'WORKER must be "inline" or "off", got "inline,off"'],
    ['APPS', 'portal,admin', 'APPS must be a comma list of api, portal, office, got "portal,admin"'],
    ['APPS', ',', 'APPS must be a comma list of api, portal, office, got ","'],
  ])('refuses %s=%s', (name, value, problem) => {
    const error = configError({ [name]: value });
    expect(error.name).toBe('ConfigError');
    expect(error.message).toBe(`Invalid configuration:\n  - ${problem}`);
  });

  it('reads TRUST_PROXY as a hop count or a list, and refuses trusting everything or a malformed entry', () => {
    expect(loadAppConfig({ TRUST_PROXY: '2' }, CWD).trustProxy).toBe(2);
    expect(loadAppConfig({ TRUST_PROXY: 'loopback' }, CWD).trustProxy).toEqual(['loopback']);
    expect(configError({ TRUST_PROXY: 'true' }).message).toMatch(/TRUST_PROXY must be a hop count or a comma list .*got "true"/);
    expect(configError({ TRUST_PROXY: '0' }).message).toMatch(/TRUST_PROXY as a hop count must be from 1 to 10, got "0"/);
    expect(configError({ TRUST_PROXY: 'loopback,10.0.0.0/33' }).message).toMatch(/got "10\.0\.0\.0\/33"/);
    expect(configError({ TRUST_PROXY: '10.0.0.300' }).message).toMatch(/TRUST_PROXY must be/);
  });

  it('refuses the fictitious sample registry in production unless told it is a demonstration', () => {
    const production = { NODE_ENV: 'production', MADOGUCHI_ENCRYPTION_KEYS: 'k', PAYMENT_WEBHOOK_SECRET: 'y'.repeat(40), SIMULATED_PROVIDER_IN_PRODUCTION: 'allow' };
    expect(() => loadAppConfig(production, CWD)).toThrow(/resident registry is fictitious sample data/);
    expect(() => loadAppConfig({ ...production, SAMPLE_REGISTRY_IN_PRODUCTION: 'allow', SIMULATED_DIGITAL_AUTH_IN_PRODUCTION: 'allow' }, CWD)).not.toThrow();
  });

  it('reports every problem at once, one per line', () => {
    const error = configError({ PORT: 'abc', LOG_LEVEL: 'loud', WORKER: 'sometimes', DATABASE_POOL_SIZE: '0', DATABASE_URL: 'mysql://x' });
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    expect(lines.slice(1).map((line) => line.replace(/^ {2}- /, '').split(' ')[0])).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'WORKER', 'PORT', 'DATABASE_POOL_SIZE']);
  });
});
