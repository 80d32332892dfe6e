import { boot, SERVICE_ROLE } from '@madoguchi/kernel';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { MIGRATIONS } from '../../../migrations';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

/**
 * Production refuses to serve over a connection that could rewrite the
 * append-only records behind the triggers: a superuser or the tables' owner.
 */
describe('production start and the service database role (real PostgreSQL)', () => {
  let db: TestDatabase;
  const root = path.resolve(__dirname, '../../..');

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const productionEnv = (database: Record<string, string>): NodeJS.ProcessEnv => ({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    CONFIG_DIR: path.join(root, 'config'),
    DATA_DIR: path.join(root, '.data', `test-production-${db.name}`),
    MADOGUCHI_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    AUDIT_CHECKPOINT_KEY: randomBytes(32).toString('base64'),
    PAYMENT_WEBHOOK_SECRET: randomBytes(32).toString('hex'),
    SAMPLE_REGISTRY_IN_PRODUCTION: 'allow',
    SIMULATED_PROVIDER_IN_PRODUCTION: 'allow',
    // Production refuses the simulated card service too; sign-in with the card is not what this tests.
    DIGITAL_AUTH_ISSUER: 'off',
    ...database,
  });

  it('refuses a superuser DATABASE_URL (one account migrating and serving), naming what to set', async () => {
    await expect(boot(MIGRATIONS, productionEnv({ DATABASE_URL: db.ownerUrl }))).rejects.toThrow(
      /Refusing to start: DATABASE_URL connects as "postgres", a superuser.*MIGRATION_DATABASE_URL/s,
    );
  });

  it('refuses a service login that is a member of the owner role', async () => {
    const login = `madoguchi_owner_member_${randomBytes(3).toString('hex')}`;
    await db.asOwner(async (owner) => {
      await owner.query(`CREATE ROLE ${login} LOGIN PASSWORD 'x' IN ROLE ${SERVICE_ROLE}`);
      await owner.query(`CREATE ROLE ${login}_owner NOLOGIN; GRANT ${login}_owner TO ${login}; ALTER TABLE audit_log OWNER TO ${login}_owner`);
    });
    const url = new URL(db.ownerUrl);
    url.username = login;
    url.password = 'x';
    try {
      await expect(boot(MIGRATIONS, productionEnv({ DATABASE_URL: url.toString(), MIGRATION_DATABASE_URL: db.ownerUrl }))).rejects.toThrow(
        new RegExp(`DATABASE_URL connects as "${login}", which owns 1 table`),
      );
    } finally {
      await db.asOwner(async (owner) => {
        await owner.query(`ALTER TABLE audit_log OWNER TO current_user`);
        await owner.query(`DROP ROLE ${login}; DROP ROLE ${login}_owner`);
      });
    }
  });

  it('starts with the service role in DATABASE_URL and the owner in MIGRATION_DATABASE_URL', async () => {
    const context = await boot(MIGRATIONS, productionEnv({ DATABASE_URL: db.url, MIGRATION_DATABASE_URL: db.ownerUrl }));
    try {
      expect(context.database).toMatchObject({ url: db.url, embedded: false, appliedMigrations: [] });
    } finally {
      await context.database.stop();
    }
  });
});
