import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { quoteIdentifier } from '../../libs/kernel/src/database/embedded-postgres';
import { freePort } from '../support/free-port';
import { assertTestDatabaseName, TEST_RUN_ENV, TEST_SERVER_URL_ENV, withDatabase } from '../support/test-server';

/**
 * Idempotent submission survives a crash (issue 10, "Trust"): the built API
 * as a child process, concurrent keyed submits, SIGKILL while they are in
 * flight, a restart, and a retry of every key. The kill lands in the window
 * deterministically through the test-only MADOGUCHI_TEST_IDEMPOTENCY_PAUSE:
 * once just before the transaction commits (nothing committed: the retry
 * does the work now) and once just after (committed, response never sent:
 * the retry replays it). Never a 409 "in progress", never a second
 * submission. 17 submits in flight in all, as in the incident.
 */

const ROOT = path.resolve(__dirname, '../..');
const API_MAIN = path.join(ROOT, 'dist/apps/server/src/main.js');
const PROCEDURE = 'kosodate-13';
const FORM = {
  applicantName: '窓口 花子',
  applicantKana: 'マドグチ ハナコ',
  phone: '03-1234-5678',
  childName: '窓口 太郎',
  facilityName: '桜ヶ丘保育園',
  reason: '就労',
  reasonContinues: true,
};
const PASSWORD = 'correct-horse-battery-staple';
/** Long enough that only the kill ends the pause. */
const PAUSE_MS = 120_000;

jest.setTimeout(240_000);

interface RunningProcess {
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, withinMs = 60_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await sleep(100);
  }
}

describe('idempotent submission across a process crash (child process, real PostgreSQL)', () => {
  const children = new Set<ChildProcess>();
  let serverUrl: string;
  let database: string;
  let url: string;
  let dataDir: string;
  let port: number;
  let service: RunningProcess | null = null;
  let token: string;

  const db = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  };

  function start(pause?: 'beforeCommit' | 'afterCommit'): RunningProcess {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of ['DATA_DIR', 'EMBEDDED_PG_PORT', 'CONFIG_DIR', 'DEFAULT_MUNICIPALITY_ID', 'MADOGUCHI_TEST_IDEMPOTENCY_PAUSE']) delete env[name];
    const child = spawn(process.execPath, [API_MAIN], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...env,
        DATABASE_URL: url,
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        WORKER: 'off',
        LOG_LEVEL: 'info',
        // Every paused request holds a connection: room for all of them and more.
        DATABASE_POOL_SIZE: '40',
        ...(pause ? { MADOGUCHI_TEST_IDEMPOTENCY_PAUSE: `${pause}:${PAUSE_MS}` } : {}),
      },
    });
    children.add(child);
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.resume();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => {
        children.delete(child);
        resolve({ code, signal });
      }),
    );
    return { child, stdout: () => stdout, exited };
  }

  async function startReady(pause?: 'beforeCommit' | 'afterCommit'): Promise<void> {
    service = start(pause);
    const current = service;
    let gone = false;
    void current.exited.then(() => (gone = true));
    await waitFor('the service to be ready', async () => {
      if (gone) throw new Error(`the service exited before it was ready:\n${current.stdout().slice(-3000)}`);
      try {
        return (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200;
      } catch {
        return false;
      }
    });
  }

  async function kill(): Promise<void> {
    const current = service!;
    service = null;
    current.child.kill('SIGKILL');
    expect((await current.exited).signal).toBe('SIGKILL');
  }

  const pauses = () => (service ? service.stdout().split('\n').filter((line) => line.includes('idempotency test pause')).length : 0);
  /** Waits until `count` requests sit in the pause; says what the service logged if they never do. */
  const paused = (count: number) =>
    waitFor(`${count} submits to reach the pause`, () => pauses() === count).catch((error: Error) => {
      throw new Error(`${error.message}\n${service?.stdout().slice(-4000)}`);
    });

  function call(method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`http://127.0.0.1:${port}${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function drafts(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const response = await call('POST', '/api/v1/applications', { procedureCode: PROCEDURE, formData: FORM });
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as { id: string }).id);
    }
    return ids;
  }

  /** Fires the submits and leaves them in flight; their promises settle (or fail) when the process dies. */
  function fire(submits: Array<{ id: string; key: string }>): void {
    for (const { id, key } of submits) void call('POST', `/api/v1/applications/${id}/submit`, { revision: 1 }, { 'Idempotency-Key': key }).catch(() => undefined);
  }

  /** Requests of the service waiting on a row or key lock in its database. */
  async function lockWaiters(): Promise<number> {
    const [row] = await db<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    return row.n;
  }

  async function submitEvents(id: string): Promise<number> {
    const [row] = await db<{ n: number }>(`SELECT count(*)::int AS n FROM application_events WHERE application_id = $1 AND type = 'resident.submit'`, [id]);
    return row.n;
  }

  beforeAll(async () => {
    // dist/ must be what the sources say now.
    await promisify(execFile)('npm', ['run', 'build'], { cwd: ROOT, timeout: 120_000 });
    serverUrl = process.env[TEST_SERVER_URL_ENV]!;
    database = `madoguchi_test_${process.env[TEST_RUN_ENV]}_idem_${randomBytes(3).toString('hex')}`;
    assertTestDatabaseName(database);
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${quoteIdentifier(database)}`);
    await admin.end();
    url = withDatabase(serverUrl, database);
    dataDir = mkdtempSync(path.join(tmpdir(), 'madoguchi-idem-'));
    port = await freePort();

    await startReady();
    const email = 'crash-resident@example.jp';
    expect((await call('POST', '/api/v1/auth/residents/register', { email, password: PASSWORD })).status).toBe(202);
    // The mailed link is covered elsewhere; here the address is simply verified.
    await db(`UPDATE residents SET email_verified_at = now() WHERE email = $1`, [email]);
    const login = await call('POST', '/api/v1/auth/residents/login', { email, password: PASSWORD });
    expect(login.status).toBe(200);
    token = ((await login.json()) as { accessToken: string }).accessToken;
    await kill();
  }, 200_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    if (serverUrl && database) {
      const admin = new Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`);
      await admin.end();
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  afterEach(async () => {
    if (service) await kill();
  });

  it('killed before the commit: nothing was kept, and each retry after the restart submits once', async () => {
    await startReady('beforeCommit');
    const ids = await drafts(9);
    const submits = ids.map((id, index) => ({ id, key: `before-${index}` }));
    fire(submits);
    // Two duplicates of keys already in flight wait on the key, not beside it.
    fire(submits.slice(0, 2));
    // Reference numbers are gapless, so submissions take the municipality's
    // sequence row in turn: one sits in the pause holding it, the other eight
    // wait for it, and the duplicates wait on their keys, all uncommitted.
    await paused(1);
    await waitFor('the other submits and the duplicates to wait on locks', async () => (await lockWaiters()) === 10);
    await kill();

    const [kept] = await db<{ keys: number; submitted: number }>(
      `SELECT (SELECT count(*)::int FROM idempotency_keys WHERE key LIKE 'before-%') AS keys,
              (SELECT count(*)::int FROM applications WHERE id = ANY($1::uuid[]) AND state <> 'draft') AS submitted`,
      [ids],
    );
    expect(kept).toEqual({ keys: 0, submitted: 0 });

    await startReady();
    for (const { id, key } of submits) {
      const first = await call('POST', `/api/v1/applications/${id}/submit`, { revision: 1 }, { 'Idempotency-Key': key });
      expect(first.status).toBe(200);
      const body = (await first.json()) as { state: string; referenceNumber: string | null };
      expect(body).toMatchObject({ state: 'underReview', referenceNumber: expect.any(String) });
      const again = await call('POST', `/api/v1/applications/${id}/submit`, { revision: 1 }, { 'Idempotency-Key': key });
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual(body);
      expect(await submitEvents(id)).toBe(1);
    }
    await kill();
  });

  it('killed after the commit, before the answer: each retry after the restart replays the committed submission', async () => {
    await startReady('afterCommit');
    const ids = await drafts(8);
    const submits = ids.map((id, index) => ({ id, key: `after-${index}` }));
    fire(submits);
    await paused(8);
    await kill();

    // Committed: the resident never heard back, but the submission is there.
    const committed = await db<{ id: string; reference_number: string }>(
      `SELECT id, reference_number FROM applications WHERE id = ANY($1::uuid[]) AND state = 'underReview' AND reference_number IS NOT NULL`,
      [ids],
    );
    expect(committed).toHaveLength(8);
    const references = new Map(committed.map((row) => [row.id, row.reference_number]));
    const [{ n: keysBefore }] = await db<{ n: number }>(`SELECT count(*)::int AS n FROM idempotency_keys`);

    await startReady();
    for (const { id, key } of submits) {
      const retry = await call('POST', `/api/v1/applications/${id}/submit`, { revision: 1 }, { 'Idempotency-Key': key });
      expect(retry.status).toBe(200);
      expect(await retry.json()).toMatchObject({ id, state: 'underReview', referenceNumber: references.get(id) });
      expect(await submitEvents(id)).toBe(1);
    }
    const [{ n: keysAfter }] = await db<{ n: number }>(`SELECT count(*)::int AS n FROM idempotency_keys`);
    expect(keysAfter).toBe(keysBefore);
    await kill();
  });
});
