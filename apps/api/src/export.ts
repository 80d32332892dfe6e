import 'reflect-metadata';
import { exportMunicipality } from '@madoguchi/kernel';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runExportCommand } from './export-command';

/**
 * `npm run export -- --municipality <id> [--out <dir>]`: all of one
 * municipality's data in open formats (CSV and JSON Lines per table, the
 * procedure definitions as YAML, attachments and issued PDFs as files, a
 * description of every column, a manifest with SHA-256 checksums); see
 * libs/kernel/src/export and docs/operations.md. Output folder: --out, else
 * <DATA_DIR>/exports. Safe beside a running service (one snapshot).
 */
runExportCommand(
  'export',
  () => {
    const { values } = parseArgs({ options: { municipality: { type: 'string' }, out: { type: 'string' } } });
    if (!values.municipality) {
      process.stderr.write('usage: npm run export -- --municipality <id> [--out <folder>]\n');
      return 2;
    }
    return { municipality: values.municipality, out: values.out };
  },
  async ({ municipality, out }, config, database) => {
    const started = Date.now();
    const result = await exportMunicipality({ url: database.ownerUrl, municipalityId: municipality, auditCheckpointDir: config.auditCheckpoints.dir }, path.resolve(out ?? path.join(config.dataDir, 'exports')));
    const rows = result.manifest.tables.reduce((sum, table) => sum + table.rows, 0);
    process.stdout.write(
      `${result.path}\n${result.manifest.tables.length} tables, ${rows} rows, ${result.manifest.files.length} files, ${((Date.now() - started) / 1000).toFixed(1)} s\n` +
        `manifest.json SHA-256 ${result.manifestSha256} (keep it apart; give it to import with --manifest-sha256)\n` +
        (result.manifest.encryption.keyIds.length > 0 ? `encrypted fields need the keys ${result.manifest.encryption.keyIds.join(', ')} on the importing instance\n` : ''),
    );
  },
);
