import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, promises as fs } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { type EmbeddedPostgresServer, startEmbeddedPostgres } from '../database/embedded-postgres';
import { ProgressLine } from './progress';
import { type BackupKey, backupOpener, backupSealer, FileOpener, SEALED_SUFFIX, SealedFileError } from './sealed-file';

/**
 * Physical backups of one instance with point-in-time recovery.
 *
 * The database part is a base backup taken with PostgreSQL's low-level API
 * (pg_backup_start / copy the cluster / pg_backup_stop): the embedded-postgres
 * package ships only initdb, pg_ctl and postgres, and a pg_basebackup older
 * than the server refuses it. The WAL from the backup's start to its end is
 * copied from the archive into the backup, so the backup restores on its own;
 * later WAL in the archive (WAL_ARCHIVE_DIR) takes it to any moment after.
 * The files the system keeps outside PostgreSQL (audit checkpoints, simulated
 * services' state, mail drops) are copied beside it.
 *
 * Every file is an age file (sealed-file.ts) under the key from
 * configuration; the manifest lists each with the SHA-256 of its content and
 * of its sealed form, and is kept twice: `manifest.json` for people and
 * `manifest.json.age`, which restore reads (an age file authenticates its
 * content; the plain copy must match it). Work is written to a hidden folder renamed at the end, so an
 * interrupted run leaves nothing that looks like a backup, and a rerun
 * starts afresh.
 */

// 2: age files (1 was the home-made sealing, which nothing reads any more).
export const BACKUP_FORMAT = 'madoguchi-backup/2';
const MANIFEST = 'manifest.json';
const SEALED_MANIFEST = `manifest.json${SEALED_SUFFIX}`;

/** A folder kept outside PostgreSQL, backed up and restored as a whole. */
export interface BackedUpFolder {
  /** Stable name in the backup, e.g. `audit-checkpoints`. */
  name: string;
  dir: string;
}

export interface BackupSource {
  /** A superuser connection to the cluster (pg_backup_start needs it or a role granted it). */
  adminUrl: string;
  /** The cluster's data directory, readable by this process. */
  dataDir: string;
  /** Where the server archives WAL (archive_command). */
  walArchiveDir: string;
  folders: BackedUpFolder[];
}

export interface ManifestFile {
  /** `pgdata/<path>`, `wal/<segment>` or `files/<folder>/<path>`. */
  path: string;
  bytes: number;
  sha256: string;
  sealedSha256: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  sealing: string;
  postgres: { version: string; timeline: number; startWal: string; stopWal: string; startLsn: string; stopLsn: string; endTime: string };
  /** Every directory of the cluster, so empty ones are recreated. */
  directories: string[];
  folders: string[];
  files: ManifestFile[];
}

export interface BackupResult {
  path: string;
  manifest: BackupManifest;
}

// PostgreSQL documents these as safe to leave out of a base backup
// (recreated at start, or meaningless in a copy). Exported for the test
// that builds a streaming standby the same way (test/support/streaming-standby.ts).
export const BASE_BACKUP_SKIPPED_CONTENTS: ReadonlySet<string> = new Set(['pg_wal', 'pg_replslot', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_stat_tmp', 'pg_subtrans']);
export const BASE_BACKUP_SKIPPED_FILES: ReadonlySet<string> = new Set(['postmaster.pid', 'postmaster.opts', 'pg_internal.init', 'backup_label', 'tablespace_map', 'recovery.signal', 'standby.signal']);
const SEGMENT = /^[0-9A-F]{24}$/;

export function sealedName(file: string): string {
  return `${file}${SEALED_SUFFIX}`;
}

async function walk(root: string, relative = ''): Promise<{ files: Array<{ path: string; bytes: number }>; directories: string[] }> {
  const files: Array<{ path: string; bytes: number }> = [];
  const directories: string[] = [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(path.join(root, relative), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { files, directories };
    throw error;
  }
  for (const entry of entries) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      directories.push(child);
      if (relative === '' && BASE_BACKUP_SKIPPED_CONTENTS.has(entry.name)) continue;
      const inner = await walk(root, child);
      files.push(...inner.files);
      directories.push(...inner.directories);
    } else if (entry.isFile()) {
      const stat = await fs.stat(path.join(root, child)).catch(() => null);
      if (stat) files.push({ path: child, bytes: stat.size });
    }
  }
  return { files, directories };
}

/** Writes a backup of `source` into a new folder under `outDir`; returns its path. */
export async function createBackup(source: BackupSource, outDir: string, key: BackupKey, options: { now?: Date; progress?: NodeJS.WriteStream | null } = {}): Promise<BackupResult> {
  const now = options.now ?? new Date();
  const name = `madoguchi-backup-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
  const finalPath = path.join(path.resolve(outDir), name);
  const staging = path.join(path.resolve(outDir), `.${name}.partial`);
  if (existsSync(finalPath)) throw new Error(`${finalPath} exists already`);
  // A leftover of an interrupted run with the same name: start over.
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(staging, { recursive: true, mode: 0o700 });
  const { sealer, description } = await backupSealer(key, staging);

  const files: ManifestFile[] = [];
  const seal = async (from: string, to: string) => {
    const target = path.join(staging, sealedName(to));
    await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    try {
      const copy = await sealer.sealFile(from, target);
      files.push({ path: to, ...copy });
      return copy.bytes;
    } catch (error) {
      // A file the server removed while we copied (a dropped relation, a
      // recycled temp file) is not needed: WAL replay recreates the truth.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
  };

  const client = new Client({ connectionString: source.adminUrl, application_name: 'madoguchi-backup' });
  await client.connect();
  let stopped = false;
  try {
    const version = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    // Fast checkpoint: the backup starts now, not at the next scheduled checkpoint.
    await client.query('SELECT pg_backup_start($1, true)', [name]);
    const cluster = await walk(source.dataDir);
    const clusterFiles = cluster.files.filter((file) => !BASE_BACKUP_SKIPPED_FILES.has(path.basename(file.path)));
    const folderFiles = await Promise.all(source.folders.map(async (folder) => ({ folder, ...(await walk(folder.dir)) })));
    const total = clusterFiles.reduce((sum, file) => sum + file.bytes, 0) + folderFiles.reduce((sum, entry) => sum + entry.files.reduce((s, f) => s + f.bytes, 0), 0);
    const progress = new ProgressLine('backup', total, options.progress === undefined ? process.stderr : options.progress);
    for (const file of clusterFiles) progress.advance(await seal(path.join(source.dataDir, file.path), `pgdata/${file.path}`));

    // Waits until the last WAL segment the backup needs is archived.
    const stop = await client.query<{ lsn: string; labelfile: string; spcmapfile: string }>('SELECT lsn::text, labelfile, spcmapfile FROM pg_backup_stop(true)');
    stopped = true;
    const { lsn: stopLsn, labelfile, spcmapfile } = stop.rows[0];
    files.push({ path: 'pgdata/backup_label', ...(await sealer.sealBuffer(Buffer.from(labelfile), path.join(staging, sealedName('pgdata/backup_label')))) });
    if (spcmapfile) files.push({ path: 'pgdata/tablespace_map', ...(await sealer.sealBuffer(Buffer.from(spcmapfile), path.join(staging, sealedName('pgdata/tablespace_map')))) });
    const startWal = /START WAL LOCATION: (\S+) \(file ([0-9A-F]{24})\)/.exec(labelfile);
    const timeline = /START TIMELINE: (\d+)/.exec(labelfile);
    if (!startWal || !timeline) throw new Error('pg_backup_stop returned a backup label this program does not understand');
    const stopWal = (await client.query<{ name: string }>('SELECT pg_walfile_name($1::pg_lsn) AS name', [stopLsn])).rows[0].name;
    const endTime = (await client.query<{ now: string }>(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now`)).rows[0].now;

    // The WAL from start to stop (and every timeline history) makes the copy consistent.
    for (const segment of (await fs.readdir(source.walArchiveDir)).sort()) {
      const needed = (SEGMENT.test(segment) && segment >= startWal[2] && segment <= stopWal) || segment.endsWith('.history');
      if (needed) await seal(path.join(source.walArchiveDir, segment), `wal/${segment}`);
    }
    for (const { folder, files: inFolder } of folderFiles) {
      for (const file of inFolder) progress.advance(await seal(path.join(folder.dir, file.path), `files/${folder.name}/${file.path}`));
    }
    progress.finish();

    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      createdAt: now.toISOString(),
      sealing: description,
      postgres: { version, timeline: Number(timeline[1]), startWal: startWal[2], stopWal, startLsn: startWal[1], stopLsn, endTime },
      directories: cluster.directories,
      folders: source.folders.map((folder) => folder.name),
      files: files.sort((a, b) => a.path.localeCompare(b.path)),
    };
    const text = `${JSON.stringify(manifest, null, 2)}\n`;
    await fs.writeFile(path.join(staging, MANIFEST), text, { mode: 0o600 });
    await sealer.sealBuffer(Buffer.from(text), path.join(staging, SEALED_MANIFEST));
    await fs.rename(staging, finalPath);
    return { path: finalPath, manifest };
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    // Closing the session aborts a backup still in progress (non-exclusive mode).
    if (!stopped) await client.query('SELECT pg_backup_stop(false)').catch(() => undefined);
    await client.end();
  }
}

/** Reads and authenticates a backup's manifest; throws if the key is wrong or the manifest was changed. */
export async function readManifest(backupDir: string, key: BackupKey): Promise<BackupManifest> {
  return (await openBackup(backupDir, key)).manifest;
}

async function openBackup(backupDir: string, key: BackupKey): Promise<{ manifest: BackupManifest; opener: FileOpener }> {
  let opener: FileOpener;
  let text: string;
  try {
    opener = await backupOpener(key, backupDir);
    text = (await opener.openBuffer(await fs.readFile(path.join(backupDir, SEALED_MANIFEST)))).toString('utf8');
  } catch (error) {
    if (!(error instanceof SealedFileError)) throw error;
    throw new Error(`${backupDir}: the manifest does not authenticate with BACKUP_ENCRYPTION_KEY (wrong key, or the manifest was changed): ${error.message}`, { cause: error });
  }
  if ((await fs.readFile(path.join(backupDir, MANIFEST), 'utf8').catch(() => text)) !== text) {
    throw new Error(`${backupDir}: manifest.json differs from its sealed copy (it was changed)`);
  }
  const manifest = JSON.parse(text) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT) throw new Error(`${backupDir}: unknown backup format ${String(manifest.format)}`);
  return { manifest, opener };
}

export interface RestoreTarget {
  /** Empty (or absent) cluster directory to restore into. */
  dataDir: string;
  /** The WAL archive the restored server reads for a point in time (and archives to afterwards). */
  walArchiveDir: string;
  folders: BackedUpFolder[];
}

export interface RestoreOptions {
  /** Recover to this moment (ISO 8601 with offset); absent: to the end of the backup. */
  to?: string;
  /** Timeline to follow for `to`: `current` (the backup's, default) or `latest`, or a number. */
  timeline?: string;
  /** Move a non-empty target aside (`<dir>.replaced-<time>`) instead of refusing. */
  force?: boolean;
  progress?: NodeJS.WriteStream | null;
  now?: Date;
}

export class RestoreRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefusedError';
  }
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/**
 * Writes the backup's cluster and folders into `target`, set up to recover
 * (recovery.signal, restore_command, a recovery target). The caller then
 * starts the server, which replays WAL and promotes itself at the target,
 * and calls `finishRecovery`. Checks every file against the manifest first,
 * so a damaged backup is refused before anything is touched.
 */
export async function prepareRestore(backupDir: string, target: RestoreTarget, key: BackupKey, options: RestoreOptions = {}): Promise<{ manifest: BackupManifest }> {
  const { manifest, opener } = await openBackup(backupDir, key);
  if (options.to !== undefined && Number.isNaN(Date.parse(options.to))) throw new RestoreRefusedError(`--to "${options.to}" is not a date and time (use ISO 8601 with an offset, e.g. 2026-12-05T10:15:00+09:00)`);
  if (options.to !== undefined && !/(Z|[+-]\d\d:?\d\d)$/.test(options.to)) throw new RestoreRefusedError(`--to "${options.to}" needs an offset (Z or +09:00): a time without one is ambiguous`);
  const stamp = (options.now ?? new Date()).toISOString().replace(/[-:.]/g, '');
  const targets = [{ dir: target.dataDir }, ...target.folders.filter((folder) => manifest.folders.includes(folder.name))];
  for (const { dir } of targets) {
    if (await isEmptyDir(dir)) continue;
    if (!options.force) throw new RestoreRefusedError(`${dir} is not empty: restore goes into an empty instance (or pass --force to move it aside)`);
  }
  // Check every sealed file before changing anything.
  for (const file of manifest.files) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path.join(backupDir, sealedName(file.path)))) hash.update(chunk as Buffer);
    if (hash.digest('hex') !== file.sealedSha256) throw new RestoreRefusedError(`${file.path}: checksum differs from the manifest (the backup is damaged)`);
  }
  for (const { dir } of targets) {
    if (!(await isEmptyDir(dir))) await fs.rename(dir, `${dir}.replaced-${stamp}`);
  }

  const total = manifest.files.reduce((sum, file) => sum + file.bytes, 0);
  const progress = new ProgressLine('restore', total, options.progress === undefined ? process.stderr : options.progress);
  const staging = `${path.resolve(target.dataDir)}.restoring`;
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(staging, { recursive: true, mode: 0o700 });
  for (const directory of manifest.directories) await fs.mkdir(path.join(staging, directory), { recursive: true, mode: 0o700 });
  await fs.mkdir(path.join(staging, 'pg_wal', 'archive_status'), { recursive: true, mode: 0o700 });
  const walDir = path.join(staging, 'restore-wal');
  await fs.mkdir(walDir, { mode: 0o700 });
  const folderStaging = new Map<string, string>();
  for (const folder of target.folders) {
    if (!manifest.folders.includes(folder.name)) continue;
    const dir = `${path.resolve(folder.dir)}.restoring`;
    await fs.rm(dir, { recursive: true, force: true });
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    folderStaging.set(folder.name, dir);
  }
  for (const file of manifest.files) {
    let destination: string;
    if (file.path.startsWith('pgdata/')) destination = path.join(staging, file.path.slice('pgdata/'.length));
    else if (file.path.startsWith('wal/')) destination = path.join(walDir, file.path.slice('wal/'.length));
    else {
      const [, folder, ...rest] = file.path.split('/');
      const dir = folderStaging.get(folder);
      if (!dir) continue;
      destination = path.join(dir, ...rest);
    }
    await fs.mkdir(path.dirname(destination), { recursive: true, mode: 0o700 });
    const opened = await opener.openFile(path.join(backupDir, sealedName(file.path)), destination);
    if (opened.sha256 !== file.sha256) throw new RestoreRefusedError(`${file.path}: content differs from the manifest`);
    progress.advance(opened.bytes);
  }
  progress.finish();

  // Recovery settings: WAL from the backup first, then from the archive.
  const q = (text: string) => text.replace(/'/g, `'\\''`);
  const restoreCommand = `cp '${q(walDir)}/%f' '%p' 2>/dev/null || cp '${q(path.resolve(target.walArchiveDir))}/%f' '%p'`;
  const settings = [
    '',
    '# madoguchi restore: removed by finishRecovery once the server has promoted',
    `restore_command = '${restoreCommand.replace(/'/g, "''")}'`,
    // PostgreSQL's recovery_target_time wants "date time+offset", not ISO's T and Z.
    options.to === undefined ? "recovery_target = 'immediate'" : `recovery_target_time = '${options.to.replace('T', ' ').replace(/Z$/, '+00').replace(/'/g, "''")}'`,
    `recovery_target_timeline = '${(options.timeline ?? 'current').replace(/'/g, "''")}'`,
    "recovery_target_action = 'promote'",
    '',
  ].join('\n');
  await fs.appendFile(path.join(staging, 'postgresql.auto.conf'), settings);
  await fs.writeFile(path.join(staging, 'recovery.signal'), '');

  // The restored files were written by this process; the server runs as postgres when we are root.
  if (userInfo().uid === 0) {
    execFileSync('chown', ['-R', 'postgres:', staging]);
  }
  await fs.chmod(staging, 0o700);
  await fs.rename(staging, target.dataDir);

  for (const folder of target.folders) {
    const dir = folderStaging.get(folder.name);
    if (!dir) continue;
    if (folder.name === 'audit-checkpoints' && options.to !== undefined) await trimCheckpoints(dir, new Date(options.to));
    await fs.rename(dir, folder.dir);
  }
  return { manifest };
}

/**
 * Checkpoints signed after the recovery target name chain heads the restored
 * database never reached; left in place, verification would (rightly) call
 * that a truncated chain. They are moved to `<file>.after-<target>` for the
 * record, not deleted.
 */
async function trimCheckpoints(dir: string, target: Date): Promise<void> {
  for (const name of await fs.readdir(dir)) {
    if (!name.endsWith('.jsonl')) continue;
    const file = path.join(dir, name);
    const lines = (await fs.readFile(file, 'utf8')).split('\n').filter(Boolean);
    const keep = lines.filter((line) => Date.parse((JSON.parse(line) as { at: string }).at) <= target.getTime());
    if (keep.length === lines.length) continue;
    await fs.writeFile(`${file}.after-${target.toISOString().replace(/[-:.]/g, '')}`, `${lines.slice(keep.length).join('\n')}\n`, { mode: 0o600 });
    await fs.writeFile(file, keep.length ? `${keep.join('\n')}\n` : '', { mode: 0o600 });
  }
}

/**
 * After the restored server has promoted: drop the recovery settings (so a
 * later restart does not try to recover again) and the WAL copied out of the
 * backup. Returns the time of the last transaction replayed.
 */
export async function finishRecovery(adminUrl: string, dataDir: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl, application_name: 'madoguchi-restore' });
  await client.connect();
  try {
    for (let attempt = 0; attempt < 600; attempt += 1) {
      const { rows } = await client.query<{ recovering: boolean }>('SELECT pg_is_in_recovery() AS recovering');
      if (!rows[0].recovering) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await client.query('ALTER SYSTEM RESET restore_command');
    await client.query('ALTER SYSTEM RESET recovery_target');
    await client.query('ALTER SYSTEM RESET recovery_target_time');
    await client.query('ALTER SYSTEM RESET recovery_target_timeline');
    await client.query('ALTER SYSTEM RESET recovery_target_action');
  } finally {
    await client.end();
  }
  await fs.rm(path.join(dataDir, 'restore-wal'), { recursive: true, force: true });
}

/**
 * The whole restore on the embedded server: prepare the cluster, start it
 * (PostgreSQL replays WAL to the target and promotes during start-up), drop
 * the recovery settings. Returns the running server; the caller stops it.
 */
export async function restoreEmbedded(
  backupDir: string,
  target: RestoreTarget & { port: number },
  key: BackupKey,
  options: RestoreOptions & { onLog?: (line: string) => void } = {},
): Promise<{ manifest: BackupManifest; server: EmbeddedPostgresServer }> {
  if (existsSync(path.join(target.dataDir, 'postmaster.pid'))) {
    throw new RestoreRefusedError(`${target.dataDir} belongs to a server that may be running (postmaster.pid): stop the service first`);
  }
  const { manifest } = await prepareRestore(backupDir, target, key, options);
  const server = await startEmbeddedPostgres({ dataDir: target.dataDir, port: target.port, walArchiveDir: target.walArchiveDir, onLog: options.onLog });
  try {
    await finishRecovery(server.url('postgres'), target.dataDir);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { manifest, server };
}

/** The folders outside PostgreSQL a backup carries, from configuration. */
export function backedUpFolders(config: { dataDir: string; auditCheckpoints: { dir: string } }): BackedUpFolder[] {
  return [
    { name: 'audit-checkpoints', dir: config.auditCheckpoints.dir },
    // The simulated My Number Card service's state and development mail drops:
    // without them a restored demonstration site forgets its cards and mail.
    { name: 'simulated-digital-auth', dir: path.join(config.dataDir, 'simulated-digital-auth') },
    { name: 'mail', dir: path.join(config.dataDir, 'mail') },
  ];
}
