import { freePort } from '../support/free-port';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { quoteIdentifier } from '../../libs/kernel/src/database/embedded-postgres';
import { MIGRATIONS } from '../../migrations';
import { withClient } from '../support/test-database';
import { assertTestDatabaseName, TEST_RUN_ENV, TEST_SERVER_URL_ENV, withDatabase } from '../support/test-server';

/**
 * The built service as a real child process: embedded PostgreSQL as root,
 * clean shutdown, data across restarts, recovery after SIGKILL, migrations
 * racing, and start-up refusing bad configuration. The embedded cases share
 * one data directory and run in order.
 */

const ROOT = path.resolve(__dirname, '../..');
const API_MAIN = path.join(ROOT, 'dist/apps/server/src/main.js');
const MIGRATE_MAIN = path.join(ROOT, 'dist/apps/api/src/migrate.js');
/** See libs/kernel/src/database/embedded-postgres.ts: a local-only password. */
const EMBEDDED_PASSWORD = 'madoguchi-local';
const READY_WITHIN_MS = 60_000;

jest.setTimeout(150_000);

interface RunningProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();

function run(script: string, env: NodeJS.ProcessEnv): RunningProcess {
  const child = spawn(process.execPath, [script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** The environment of a child: ours without anything that would change what it connects to. */
function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'DATA_DIR', 'EMBEDDED_PG_PORT', 'PORT', 'HOST', 'CONFIG_DIR', 'DEFAULT_MUNICIPALITY_ID', 'WORKER', 'LOG_LEVEL', 'BODY_LIMIT_BYTES']) {
    delete env[name];
  }
  return { ...env, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...overrides };
}


function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** Node processes whose parent is `pid` and that run the service's entry point (not PostgreSQL). */
function httpChildrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^[0-9]+$/.test(name))
    .map(Number)
    .filter((child) => {
      try {
        const stat = readFileSync(`/proc/${child}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return parent === pid && commandLineOf(child).includes('main.js');
      } catch {
        return false;
      }
    });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `condition` holds; fails with `what` after the deadline. */
async function waitFor(what: string, condition: () => boolean | Promise<boolean>, withinMs = 30_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await sleep(100);
  }
}

/** Waits for /health/ready to answer 200; fails early, with the output, if the process exits. */
async function waitReady(service: RunningProcess, port: number): Promise<void> {
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  void service.exited.then((result) => (exited = result));
  const deadline = Date.now() + READY_WITHIN_MS;
  for (;;) {
    if (exited) throw new Error(`the service exited (${JSON.stringify(exited)}) before it was ready:\n${service.stderr()}\n${service.stdout().slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`the service was not ready within ${READY_WITHIN_MS} ms:\n${service.stderr()}\n${service.stdout().slice(-2000)}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
}

/** Every line the service writes on stdout is one JSON object. */
function jsonLines(stdout: string): Array<Record<string, unknown>> {
  const lines = stdout.split('\n').filter((line) => line.length > 0);
  expect(lines.length).toBeGreaterThan(0);
  return lines.map((line) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`stdout line is not JSON: ${line}`);
    }
    expect(parsed).toEqual(expect.objectContaining({ level: expect.any(String), time: expect.any(String) }));
    return parsed as Record<string, unknown>;
  });
}

function postmasterPid(pgDataDir: string): number | null {
  const file = path.join(pgDataDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

describe('the service as a process', () => {
  const temporary: string[] = [];
  let dataDir: string;
  let pgDataDir: string;
  let pgPort: number;
  let httpPort: number;
  let embeddedUrl: string;
  let service: RunningProcess | null = null;

  const startService = (overrides: Record<string, string> = {}) =>
    run(API_MAIN, childEnv({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), PORT: String(httpPort), ...overrides }));

  const stopService = async (signal: NodeJS.Signals) => {
    const current = service!;
    service = null;
    current.child.kill(signal);
    return current.exited;
  };

  beforeAll(async () => {
    // Always build: dist/ must be what the sources say now.
    await promisify(execFile)('npm', ['run', 'build'], { cwd: ROOT, timeout: 120_000 });
    dataDir = mkdtempSync(path.join(tmpdir(), 'madoguchi-e2e-'));
    temporary.push(dataDir);
    pgDataDir = path.join(dataDir, 'postgres');
    [pgPort, httpPort] = await Promise.all([freePort(), freePort()]);
    embeddedUrl = `postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${pgPort}/madoguchi`;
  }, 150_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    // A postmaster our children left behind (a failed assertion mid-way).
    const pid = pgDataDir ? postmasterPid(pgDataDir) : null;
    if (pid !== null && isAlive(pid) && commandLineOf(pid).includes(pgDataDir)) {
      process.kill(pid, 'SIGINT');
      await waitFor('the leftover postmaster to stop', () => !isAlive(pid)).catch(() => process.kill(pid, 'SIGKILL'));
    }
    for (const directory of temporary) rmSync(directory, { recursive: true, force: true });
  }, 60_000);

  describe('on embedded PostgreSQL (one data directory, in order)', () => {
    let publishedAt: Array<{ code: string; published_at: Date }>;
    let firstPostmaster: number;

    it('starts with no DATABASE_URL, as root, and answers readiness and the KPI', async () => {
      service = startService();
      await waitReady(service, httpPort);

      const ready = await fetch(`http://127.0.0.1:${httpPort}/health/ready`);
      expect(await ready.json()).toEqual({ status: 'ok', database: 'up' });
      const kpi = await fetch(`http://127.0.0.1:${httpPort}/api/v1/kpi/online-procedures`);
      expect(kpi.status).toBe(200);
      expect(await kpi.json()).toMatchObject({ municipalityId: '990001', targetedCount: 37, target: { count: 30, date: '2026-03-31' } });

      // PostgreSQL refuses root: started by root (as here), the postmaster runs as another user.
      firstPostmaster = postmasterPid(pgDataDir)!;
      expect(firstPostmaster).not.toBeNull();
      expect(isAlive(firstPostmaster)).toBe(true);
      expect(statSync(`/proc/${firstPostmaster}`).uid).not.toBe(0);
      expect(await acceptsConnections(pgPort)).toBe(true);

      publishedAt = await withClient(embeddedUrl, async (client) => {
        await client.query(`INSERT INTO tenant_sequences (municipality_id, sequence, scope, last_value) VALUES ('990001', 'reference', 'e2e-marker', 4242)`);
        return (await client.query('SELECT code, published_at FROM procedure_definitions ORDER BY code, version')).rows;
      });
      expect(publishedAt).toHaveLength(37);

      const lines = jsonLines(service.stdout());
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'Madoguchi API listening', embeddedDatabase: true }));
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'catalog synced', municipalityId: '990001', inserted: 37 }));
      // The access log carries request ids and no query strings.
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'request', route: '/api/v1/kpi/online-procedures', status: 200, requestId: expect.any(String) }));
    });

    it('stops on SIGTERM with exit code 0 and takes PostgreSQL down with it', async () => {
      const stdout = service!.stdout;
      const exit = await stopService('SIGTERM');
      expect(exit).toEqual({ code: 0, signal: null });
      await waitFor('the postmaster to exit', () => !isAlive(firstPostmaster));
      expect(existsSync(path.join(pgDataDir, 'postmaster.pid'))).toBe(false);
      expect(await acceptsConnections(pgPort)).toBe(false);
      expect(await acceptsConnections(httpPort)).toBe(false);
      const lines = jsonLines(stdout());
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'shutting down', signal: 'SIGTERM' }));
      expect(lines[lines.length - 1]).toMatchObject({ msg: 'stopped' });
    });

    it('keeps its data across a restart', async () => {
      service = startService();
      await waitReady(service, httpPort);
      const after = await withClient(embeddedUrl, async (client) => ({
        marker: (await client.query(`SELECT last_value FROM tenant_sequences WHERE scope = 'e2e-marker'`)).rows,
        publishedAt: (await client.query('SELECT code, published_at FROM procedure_definitions ORDER BY code, version')).rows,
      }));
      expect(after.marker).toEqual([{ last_value: '4242' }]);
      // Re-inserted rows would carry a new published_at: these are the same rows.
      expect(after.publishedAt).toEqual(publishedAt);
      const lines = jsonLines(service.stdout());
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'catalog synced', inserted: 0, unchanged: 37 }));
      expect(lines.some((line) => line.msg === 'migrations applied')).toBe(false);
    });

    it('starts again after SIGKILL left PostgreSQL running without its owner', async () => {
      const orphan = postmasterPid(pgDataDir)!;
      expect(isAlive(orphan)).toBe(true);
      const exit = await stopService('SIGKILL');
      expect(exit.signal).toBe('SIGKILL');
      // Nobody stopped it: the postmaster outlives its parent and holds the directory.
      expect(isAlive(orphan)).toBe(true);
      expect(existsSync(path.join(pgDataDir, 'postmaster.pid'))).toBe(true);

      service = startService();
      await waitReady(service, httpPort);
      const current = postmasterPid(pgDataDir)!;
      expect(current).not.toBe(orphan);
      expect(isAlive(orphan)).toBe(false);
      const kpi = await fetch(`http://127.0.0.1:${httpPort}/api/v1/kpi/online-procedures`);
      expect(kpi.status).toBe(200);
      const marker = await withClient(embeddedUrl, (client) => client.query(`SELECT last_value FROM tenant_sequences WHERE scope = 'e2e-marker'`));
      expect(marker.rows).toEqual([{ last_value: '4242' }]);
      jsonLines(service.stdout());

      expect(await stopService('SIGTERM')).toEqual({ code: 0, signal: null });
      await waitFor('the postmaster to exit', () => !isAlive(current));
    });

    it('runs WEB_CONCURRENCY=2 HTTP processes on one port, replaces one that dies, and stops them all on SIGTERM', async () => {
      service = startService({ WEB_CONCURRENCY: '2' });
      const primary = service.child.pid!;
      await waitFor('both HTTP processes to start', () => service!.stdout().includes('HTTP processes started'), READY_WITHIN_MS);
      // In index order, from the primary's own log: pids wrap around on a long run, so their order says nothing.
      const first = (jsonLines(service.stdout()).find((line) => line.msg === 'HTTP processes started')?.pids ?? []) as number[];
      expect(first).toHaveLength(2);
      expect([...httpChildrenOf(primary)].sort()).toEqual([...first].sort());
      // A new connection per request: the cluster hands them to both processes.
      for (let i = 0; i < 12; i += 1) {
        const response = await fetch(`http://127.0.0.1:${httpPort}/api/v1/kpi/online-procedures`, { headers: { connection: 'close' } });
        expect(response.status).toBe(200);
      }
      const servedBy = () => new Set(jsonLines(service!.stdout()).filter((line) => line.msg === 'request').map((line) => line.pid));
      expect([...servedBy()].sort()).toEqual([...first].sort());
      // Each process synchronised the catalog at start, one after the other.
      const synced = jsonLines(service.stdout()).filter((line) => line.msg === 'catalog synced');
      expect(synced.map((line) => line.pid).sort()).toEqual([...first].sort());

      process.kill(first[1]!, 'SIGKILL');
      await waitFor('a replacement process', () => {
        const now = httpChildrenOf(primary);
        return now.length === 2 && !now.includes(first[1]!);
      });
      await waitFor('the replacement to listen', () => jsonLines(service!.stdout()).filter((line) => line.msg === 'Madoguchi API listening').length === 3, READY_WITHIN_MS);
      const replacement = httpChildrenOf(primary).find((pid) => pid !== first[0])!;
      for (let i = 0; i < 12; i += 1) {
        expect((await fetch(`http://127.0.0.1:${httpPort}/health/ready`, { headers: { connection: 'close' } })).status).toBe(200);
      }
      expect(servedBy().has(replacement)).toBe(true);
      expect(jsonLines(service.stdout())).toContainEqual(expect.objectContaining({ msg: 'HTTP process exited; starting another', index: 1, signal: 'SIGKILL' }));

      const postmaster = postmasterPid(pgDataDir)!;
      const stdout = service.stdout;
      expect(await stopService('SIGTERM')).toEqual({ code: 0, signal: null });
      for (const pid of [first[0]!, replacement]) expect(isAlive(pid)).toBe(false);
      await waitFor('the postmaster to exit', () => !isAlive(postmaster));
      expect(await acceptsConnections(httpPort)).toBe(false);
      const lines = jsonLines(stdout());
      expect(lines[lines.length - 1]).toMatchObject({ msg: 'stopped', pid: primary });
    });

    it('refuses to start on a broken procedure definition, naming file, path and reason, and leaves no PostgreSQL behind', async () => {
      const configDir = mkdtempSync(path.join(tmpdir(), 'madoguchi-e2e-config-'));
      temporary.push(configDir);
      cpSync(path.join(ROOT, 'config'), configDir, { recursive: true });
      const juminhyo = path.join(configDir, 'procedures', 'juminhyo.yaml');
      const original = readFileSync(juminhyo, 'utf8');
      expect(original).toContain('steps: [form, identity, fee, review, issue, notify]');
      writeFileSync(juminhyo, original.replace('steps: [form, identity, fee, review, issue, notify]', 'steps: [form, identity, fee, review, teleport, issue, notify]'));
      const gym = path.join(configDir, 'procedures', 'kominkan-yoyaku.yaml');
      writeFileSync(gym, readFileSync(gym, 'utf8').replace(/^department: .*$/m, 'department: nowhere'));

      const failing = startService({ CONFIG_DIR: configDir });
      const exit = await failing.exited;
      expect(exit.code).not.toBe(0);
      expect(exit.code).not.toBeNull();
      const stderr = failing.stderr();
      expect(stderr).toContain(`${juminhyo} /steps/4: unknown step kind "teleport"`);
      expect(stderr).toContain(`${gym} /department: unknown department "nowhere"`);
      jsonLines(failing.stdout());

      // The embedded server it started for the attempt does not outlive it.
      await waitFor('the postmaster of the failed start to exit', () => {
        const pid = postmasterPid(pgDataDir);
        return pid === null || !isAlive(pid);
      });
      expect(await acceptsConnections(pgPort)).toBe(false);
    });
  });

  it('refuses a bad configuration before starting anything, naming the variable', async () => {
    const neverCreated = path.join(tmpdir(), `madoguchi-e2e-unused-${randomBytes(4).toString('hex')}`);
    const failing = run(API_MAIN, childEnv({ PORT: 'abc', DATA_DIR: neverCreated, EMBEDDED_PG_PORT: String(await freePort()) }));
    const exit = await failing.exited;
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(failing.stderr()).toMatch(/PORT must be an integer .*"abc"/);
    expect(existsSync(neverCreated)).toBe(false);
  });

  it('two migrate processes on one fresh database: both succeed, each migration applied once', async () => {
    const serverUrl = process.env[TEST_SERVER_URL_ENV]!;
    const database = `madoguchi_test_${process.env[TEST_RUN_ENV]}_proc_${randomBytes(3).toString('hex')}`;
    assertTestDatabaseName(database);
    await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${quoteIdentifier(database)}`));
    try {
      const url = withDatabase(serverUrl, database);
      const migrators = [run(MIGRATE_MAIN, childEnv({ DATABASE_URL: url })), run(MIGRATE_MAIN, childEnv({ DATABASE_URL: url }))];
      const exits = await Promise.all(migrators.map((migrator) => migrator.exited));
      expect(exits).toEqual([
        { code: 0, signal: null },
        { code: 0, signal: null },
      ]);
      const outputs = migrators.map((migrator) => migrator.stdout().trim().split('\n').pop()).sort();
      expect(outputs).toEqual([`applied: ${MIGRATIONS.map((migration) => migration.name).join(', ')}`, 'schema is up to date']);

      const rows = await withClient(url, (client) => client.query<{ name: string; times: string }>('SELECT name, count(*) AS times FROM schema_migrations GROUP BY name ORDER BY name'));
      expect(rows.rows).toEqual(MIGRATIONS.map((migration) => ({ name: migration.name, times: '1' })).sort((a, b) => a.name.localeCompare(b.name)));
    } finally {
      await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`));
    }
  });
});
