import 'reflect-metadata';
import { importMunicipality } from '@madoguchi/kernel';
import { parseArgs } from 'node:util';
import { runExportCommand } from './export-command';

/**
 * `npm run import -- <export folder> [--manifest-sha256 <hex>]`: loads an
 * export (`npm run export`) into an empty instance, after checking the
 * manifest and every file's checksum. Refuses an instance that holds any
 * data (migrate a new database, do not start the service on it, import,
 * then start). Encrypted fields need the same encryption keys, the audit
 * checkpoints the same checkpoint key, as the exporting instance.
 */
runExportCommand(
  'import',
  () => {
    const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'manifest-sha256': { type: 'string' } } });
    if (positionals.length !== 1) {
      process.stderr.write('usage: npm run import -- <export folder> [--manifest-sha256 <hex>]\n');
      return 2;
    }
    return { folder: positionals[0]!, manifestSha256: values['manifest-sha256'] };
  },
  async ({ folder, manifestSha256 }, config, database) => {
    const started = Date.now();
    const manifest = await importMunicipality(folder, { url: database.ownerUrl, auditCheckpointDir: config.auditCheckpoints.dir }, { manifestSha256 });
    const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
    process.stdout.write(`imported municipality ${manifest.municipalityId}: ${manifest.tables.length} tables, ${rows} rows, ${((Date.now() - started) / 1000).toFixed(1)} s; verify with npm run audit:verify, then start the service\n`);
  },
);
