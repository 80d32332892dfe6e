import { freePort } from './free-port';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { quoteIdentifier, startEmbeddedPostgres } from '../../libs/kernel/src/database/embedded-postgres';
import { dataSourceOptions } from '../../libs/kernel/src/database/data-source-options';
import { runMigrationsLocked } from '../../libs/kernel/src/database/migrate';
import { ensureServiceRole } from '../../libs/kernel/src/database/service-role';
import { MIGRATIONS } from '../../migrations';
import {
  assertTestDatabaseName,
  databaseNameOf,
  TEST_RUN_ENV,
  TEST_SERVER_URL_ENV,
  TEST_TEMPLATE_ENV,
  withDatabase,
} from './test-server';

declare global {
  var __madoguchiTestServerStop: (() => Promise<void>) | undefined;
}

/**
 * Starts (or adopts, with DATABASE_URL) the PostgreSQL server the suites use,
 * and builds one migrated template database that every test file clones.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl: string;
  const external = process.env.DATABASE_URL;
  if (external) {
    assertTestDatabaseName(databaseNameOf(external));
    serverUrl = external;
  } else {
    const port = await freePort();
    // A test run already going in this checkout owns the shared cluster and
    // stops it when it ends; a second run gets a private one.
    const shared = path.resolve(__dirname, '../../.data/test-postgres');
    const dataDir = ownerIsAlive(`${shared}.owner.json`) ? `${shared}-${process.pid}` : shared;
    const server = await startEmbeddedPostgres({ dataDir, port });
    globalThis.__madoguchiTestServerStop = async () => {
      await server.stop();
      if (dataDir !== shared) rmSync(dataDir, { recursive: true, force: true });
    };
    serverUrl = server.url('postgres');
  }
  const run = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const template = `madoguchi_test_${run}_tpl`;
  assertTestDatabaseName(template);

  // The app under test connects as the service role, as in production, so a
  // missing grant fails a test; migrations and tampering tests use the superuser.
  await ensureServiceRole(serverUrl);
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await dropLeftovers(admin);
    await admin.query(`CREATE DATABASE ${quoteIdentifier(template)}`);
  } finally {
    await admin.end();
  }
  const dataSource = new DataSource(dataSourceOptions({ url: withDatabase(serverUrl, template), migrations: MIGRATIONS, poolSize: 2 }));
  await dataSource.initialize();
  try {
    await runMigrationsLocked(dataSource);
  } finally {
    await dataSource.destroy();
  }
  process.env[TEST_SERVER_URL_ENV] = serverUrl;
  process.env[TEST_TEMPLATE_ENV] = template;
  process.env[TEST_RUN_ENV] = run;
}

/** Databases of earlier runs that were killed before their teardown. */
async function dropLeftovers(admin: Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database
      WHERE datname LIKE 'madoguchi\\_test\\_%'
        AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = pg_database.datname)`,
  );
  for (const { datname } of rows) {
    // Only databases older than an hour: a parallel run may be using others.
    const created = Number.parseInt(datname.split('_')[2]?.slice(0, 8) ?? '', 36);
    if (Number.isFinite(created) && Date.now() - created < 60 * 60 * 1000) continue;
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(datname)}`).catch(() => undefined);
  }
}

function ownerIsAlive(ownerFile: string): boolean {
  try {
    const { pid } = JSON.parse(readFileSync(ownerFile, 'utf8')) as { pid: number };
    process.kill(pid, 0);
    return pid !== process.pid;
  } catch {
    return false;
  }
}

