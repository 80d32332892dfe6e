import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { quoteIdentifier } from '../../libs/kernel/src/database/embedded-postgres';
import { serviceRoleUrl } from '../../libs/kernel/src/database/service-role';
import { assertTestDatabaseName, TEST_RUN_ENV, TEST_SERVER_URL_ENV, TEST_TEMPLATE_ENV, withDatabase } from './test-server';

export interface TestDatabase {
  name: string;
  /** As the service role (madoguchi_app): what the app under test uses. */
  url: string;
  /** As the superuser that ran the migrations: for tests that play an attacker with the owner's rights. */
  ownerUrl: string;
  /** Runs `work` on a connection of its own as the superuser, closed afterwards. */
  asOwner<T>(work: (client: Client) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file, cloned from the template
 * global-setup built. Files run in parallel without seeing each other's rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env[TEST_SERVER_URL_ENV];
  const template = process.env[TEST_TEMPLATE_ENV];
  const run = process.env[TEST_RUN_ENV];
  if (!serverUrl || !template || !run) throw new Error('The test database server is not set up (jest globalSetup did not run)');
  const name = `madoguchi_test_${run}_${randomBytes(4).toString('hex')}`;
  assertTestDatabaseName(name);
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await admin.query(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(template)}`);
        break;
      } catch (error) {
        // Two files cloning at the same instant: "source database is being accessed".
        if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  return databaseOn(serverUrl, name, async () => {
    await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`));
  });
}

/**
 * The handle of database `name` on `serverUrl` (superuser): the app's URL as
 * the service role, the owner's, and `drop` (nothing unless given: a server
 * a test started itself goes as a whole).
 */
export function databaseOn(serverUrl: string, name: string, drop: () => Promise<void> = async () => undefined): TestDatabase {
  const ownerUrl = withDatabase(serverUrl, name);
  return {
    name,
    url: serviceRoleUrl(ownerUrl),
    ownerUrl,
    asOwner: (work) => withClient(ownerUrl, work),
    drop,
  };
}

/** Runs `work` on a connection of its own to `url`, closed afterwards. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
