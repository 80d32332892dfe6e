import { loadAppConfig } from '@madoguchi/config';
import { backedUpFolders, parseBackupKey, RestoreRefusedError, restoreEmbedded } from '@madoguchi/kernel';
import { parseArgs } from 'node:util';

/**
 * `npm run restore -- <backup> [--to "2026-12-05T10:15:00+09:00"] [--timeline current|latest|<n>] [--force]`:
 * brings a backup back into an empty instance (the embedded cluster and the
 * folders outside it), to the end of the backup or, with --to, to that
 * moment using the WAL archive. The service must be stopped. Refuses a
 * non-empty instance unless --force (which moves it aside, never deletes).
 */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { to: { type: 'string' }, timeline: { type: 'string' }, force: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) {
    process.stderr.write('usage: npm run restore -- <backup folder> [--to "<ISO time with offset>"] [--timeline current|latest|<n>] [--force]\n');
    return 2;
  }
  const config = loadAppConfig();
  const key = parseBackupKey(process.env.BACKUP_ENCRYPTION_KEY);
  if (config.databaseUrl) {
    process.stderr.write('DATABASE_URL names an external server: restore it with its own tools; see docs/operations.md\n');
    return 2;
  }
  const { dataDir, port, walArchiveDir } = config.embeddedPostgres;
  const started = Date.now();
  try {
    const { manifest, server } = await restoreEmbedded(
      positionals[0],
      { dataDir, port, walArchiveDir: walArchiveDir ?? `${config.dataDir}/wal-archive`, folders: backedUpFolders(config) },
      key,
      { to: values.to, timeline: values.timeline, force: values.force },
    );
    await server.stop();
    process.stdout.write(`restored ${manifest.createdAt} backup${values.to ? ` to ${values.to}` : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s; start the service\n`);
    return 0;
  } catch (error) {
    if (error instanceof RestoreRefusedError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`restore failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
