import { loadAppConfig } from '@madoguchi/config';
import { backedUpFolders, createBackup, parseBackupKey, startEmbeddedPostgres } from '@madoguchi/kernel';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';

/**
 * `npm run backup [-- --out <dir>]`: a base backup of the embedded cluster
 * with the WAL it needs and the folders kept outside PostgreSQL, sealed with
 * BACKUP_ENCRYPTION_KEY (libs/kernel/src/backup). Output folder: --out, else
 * BACKUP_DIR, else <DATA_DIR>/backups. Safe to run beside a running service
 * (it shares the server) and to interrupt and run again.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const config = loadAppConfig();
  const key = parseBackupKey(process.env.BACKUP_ENCRYPTION_KEY);
  if (config.databaseUrl) {
    process.stderr.write('DATABASE_URL names an external server: back it up with its own tools (pg_basebackup of the server version or newer, WAL archiving); see docs/operations.md\n');
    return 2;
  }
  const { dataDir, port, walArchiveDir } = config.embeddedPostgres;
  if (!walArchiveDir) {
    process.stderr.write('WAL_ARCHIVE_DIR=off: a backup needs the WAL archive (unset WAL_ARCHIVE_DIR to use <DATA_DIR>/wal-archive)\n');
    return 2;
  }
  const out = path.resolve(values.out ?? process.env.BACKUP_DIR?.trim() ?? path.join(config.dataDir, 'backups'));
  const server = await startEmbeddedPostgres({ dataDir, port, walArchiveDir });
  try {
    const client = new Client({ connectionString: server.url('postgres') });
    await client.connect();
    const archiving = (await client.query<{ archive_mode: string }>('SHOW archive_mode')).rows[0].archive_mode;
    await client.end();
    if (archiving !== 'on') {
      process.stderr.write('the running server does not archive WAL (started before archiving was configured): restart the service, then back up\n');
      return 2;
    }
    const started = Date.now();
    const result = await createBackup({ adminUrl: server.url('postgres'), dataDir, walArchiveDir, folders: backedUpFolders(config) }, out, key);
    const bytes = result.manifest.files.reduce((sum, file) => sum + file.bytes, 0);
    process.stdout.write(`${result.path}\n${result.manifest.files.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB, ${((Date.now() - started) / 1000).toFixed(1)} s; consistent at ${result.manifest.postgres.endTime}\n`);
    return 0;
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
