import 'reflect-metadata';
import { loadAppConfig } from '@madoguchi/config';
import { ExportRefusedError, exportMunicipality, prepareDatabase } from '@madoguchi/kernel';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MIGRATIONS } from '../../../migrations';

/**
 * `npm run export -- --municipality <id> [--out <dir>]`: all of one
 * municipality's data in open formats (CSV and JSON Lines per table, the
 * procedure definitions as YAML, attachments and issued PDFs as files, a
 * description of every column, a manifest with SHA-256 checksums); see
 * libs/kernel/src/export and docs/operations.md. Output folder: --out, else
 * <DATA_DIR>/exports. Safe beside a running service (one snapshot).
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { municipality: { type: 'string' }, out: { type: 'string' } } });
  if (!values.municipality) {
    process.stderr.write('usage: npm run export -- --municipality <id> [--out <folder>]\n');
    return 2;
  }
  const config = loadAppConfig();
  const out = path.resolve(values.out ?? path.join(config.dataDir, 'exports'));
  const database = await prepareDatabase(config, MIGRATIONS, (message) => process.stderr.write(`${message}\n`));
  try {
    const started = Date.now();
    const result = await exportMunicipality({ url: database.ownerUrl, municipalityId: values.municipality, auditCheckpointDir: config.auditCheckpoints.dir }, out);
    const rows = result.manifest.tables.reduce((sum, table) => sum + table.rows, 0);
    process.stdout.write(
      `${result.path}\n${result.manifest.tables.length} tables, ${rows} rows, ${result.manifest.files.length} files, ${((Date.now() - started) / 1000).toFixed(1)} s\n` +
        `manifest.json SHA-256 ${result.manifestSha256} (keep it apart; give it to import with --manifest-sha256)\n` +
        (result.manifest.encryption.keyIds.length > 0 ? `encrypted fields need the keys ${result.manifest.encryption.keyIds.join(', ')} on the importing instance\n` : ''),
    );
    return 0;
  } catch (error) {
    if (error instanceof ExportRefusedError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`export failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
