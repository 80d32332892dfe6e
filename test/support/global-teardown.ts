import { Client } from 'pg';
import { quoteIdentifier } from '../../libs/kernel/src/database/embedded-postgres';
import { TEST_RUN_ENV, TEST_SERVER_URL_ENV } from './test-server';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env[TEST_SERVER_URL_ENV];
  const run = process.env[TEST_RUN_ENV];
  if (serverUrl && run) {
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE $1`,
        [`madoguchi\\_test\\_${run}\\_%`],
      );
      for (const { datname } of rows) {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(datname)} WITH (FORCE)`).catch(() => undefined);
      }
    } finally {
      await admin.end();
    }
  }
  await globalThis.__madoguchiTestServerStop?.();
}
