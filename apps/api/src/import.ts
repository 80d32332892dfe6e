import 'reflect-metadata';
import { loadAppConfig } from '@madoguchi/config';
import { ExportRefusedError, importMunicipality, prepareDatabase } from '@madoguchi/kernel';
import { parseArgs } from 'node:util';
import { MIGRATIONS } from '../../../migrations';

/**
 * `npm run import -- <export folder> [--manifest-sha256 <hex>]`: loads an
 * export (`npm run export`) into an empty instance, after checking the
 * manifest and every file's checksum. Refuses an instance that holds any
 * data (migrate a new database, do not start the service on it, import,
 * then start). Encrypted fields need the same encryption keys, the audit
 * checkpoints the same checkpoint key, as the exporting instance.
 */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'manifest-sha256': { type: 'string' } } });
  if (positionals.length !== 1) {
    process.stderr.write('usage: npm run import -- <export folder> [--manifest-sha256 <hex>]\n');
    return 2;
  }
  const config = loadAppConfig();
  const database = await prepareDatabase(config, MIGRATIONS, (message) => process.stderr.write(`${message}\n`));
  try {
    const started = Date.now();
    const manifest = await importMunicipality(positionals[0], { url: database.ownerUrl, auditCheckpointDir: config.auditCheckpoints.dir }, { manifestSha256: values['manifest-sha256'] });
    const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
    process.stdout.write(`imported municipality ${manifest.municipalityId}: ${manifest.tables.length} tables, ${rows} rows, ${((Date.now() - started) / 1000).toFixed(1)} s; verify with npm run audit:verify, then start the service\n`);
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
    process.stderr.write(`import failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
