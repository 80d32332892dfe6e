import { stringify } from 'csv-stringify/sync';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { stringify as toYaml } from 'yaml';
import { ProgressLine } from '../backup/progress';
import { quoteIdentifier } from '../database/embedded-postgres';

/**
 * Full export of one municipality's data in open formats, for a change of
 * vendor, and its import into an empty instance.
 *
 * What is exported: every table of the `public` schema with a
 * `municipality_id` column (its rows of that municipality), and every table
 * without one that references such a table by a foreign key (its rows whose
 * parent is the municipality's). Tables that are neither (the migrations
 * list, the national business calendar, the simulated national card
 * service) are shared, not the municipality's: named in the manifest as
 * excluded. One REPEATABLE READ snapshot, so the tables agree.
 *
 * The layout (`madoguchi-export-<municipality>-<time>/`):
 * - `csv/<table>.csv`: UTF-8, header row, each value in PostgreSQL's text
 *   form (timestamps ISO 8601 with offset, bytea as `\x` hex, arrays
 *   `{…}`, JSON as JSON); NULL is an empty cell, an empty string is `""`.
 * - `jsonl/<table>.jsonl`: the same rows as JSON Lines (`row_to_json`);
 *   this is what `import` loads, losslessly.
 * - `schema/columns.json`: every column of every exported table (name,
 *   type, nullable, from information_schema) and its primary key.
 * - `procedures/<code>/v<version>.yaml`: the procedure definitions.
 * - `files/attachments/<id>.<ext>`, `files/documents/<id>.pdf`: uploaded
 *   attachments and issued PDFs as files (also inside the tables, so the
 *   tables stand alone); `files/audit-checkpoints/<municipality>.jsonl`: the
 *   signed checkpoints of the audit chain.
 * - `manifest.json`: format, municipality, schema version (the migrations
 *   applied), tables with row counts, excluded tables, the encryption key
 *   ids the data needs, and every file with its size and SHA-256.
 *
 * Encrypted fields (the individual number, TOTP secrets, sealed form
 * answers) are exported as the database holds them: AES-256-GCM
 * ciphertext `v1.<key id>.<iv>.<tag>.<ciphertext>` bound to the row it
 * belongs to. They are never decrypted on the way out; the importing
 * instance needs the same keys (MADOGUCHI_ENCRYPTION_KEYS with those ids)
 * to read them, and the same audit checkpoint key to verify the
 * checkpoints. The manifest lists the key ids found.
 */

export const EXPORT_FORMAT = 'madoguchi-export/1';
const MANIFEST = 'manifest.json';
const BATCH = 500;
/**
 * Tables a migration fills for the sample municipality (1795620000000-Evaluation:
 * its evaluation areas), so a newly migrated database is not empty there. An
 * import replaces the imported municipality's rows of these tables with the
 * export's; any other row anywhere makes the target "not empty".
 */
const MIGRATION_SEEDED_TABLES = new Set(['evaluation_areas']);
/** The field cipher's stored form (libs/identity FieldCipher): version, key id, 12-byte IV, 16-byte tag. */
const CIPHERTEXT = /v1\.([A-Za-z0-9_-]{1,64})\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\./g;

export interface ExportedColumn {
  name: string;
  type: string;
  nullable: boolean;
  generated: boolean;
}

export interface ExportedTable {
  name: string;
  rows: number;
  /** How its rows belong to the municipality: its own column, or a parent table's. */
  belongsVia: 'municipality_id' | { parent: string; columns: Array<[string, string]> };
}

export interface ExportManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface ExportManifest {
  format: typeof EXPORT_FORMAT;
  createdAt: string;
  municipalityId: string;
  /** The migrations applied to the exporting database: an import needs the same schema. */
  migrations: string[];
  tables: ExportedTable[];
  excludedTables: Array<{ name: string; reason: string }>;
  encryption: { keyIds: string[]; note: string };
  files: ExportManifestFile[];
}

export interface ExportResult {
  path: string;
  manifest: ExportManifest;
  /** SHA-256 of manifest.json: keep it apart from the export to detect a changed manifest. */
  manifestSha256: string;
}

/** An export or import that must not go ahead: the message says why and what to do. */
export class ExportRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportRefusedError';
  }
}

interface TablePlan {
  name: string;
  columns: ExportedColumn[];
  primaryKey: string[];
  belongsVia: ExportedTable['belongsVia'];
}

/** Tables in the `public` schema, how each belongs to a municipality, or why it is shared. */
async function planTables(client: Client): Promise<{ tables: TablePlan[]; excluded: Array<{ name: string; reason: string }> }> {
  const { rows: columns } = await client.query<{ table_name: string; column_name: string; data_type: string; udt_name: string; is_nullable: string; is_generated: string }>(
    `SELECT c.table_name, c.column_name, c.data_type, c.udt_name, c.is_nullable, c.is_generated
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = 'public'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const { rows: keys } = await client.query<{ table_name: string; columns: string[] }>(
    `SELECT i.indrelid::regclass::text AS table_name, array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indisprimary
      GROUP BY i.indrelid`,
  );
  const { rows: foreign } = await client.query<{ child: string; parent: string; child_columns: string[]; parent_columns: string[] }>(
    `SELECT con.conrelid::regclass::text AS child, con.confrelid::regclass::text AS parent,
            array_agg(ca.attname::text ORDER BY k.ord) AS child_columns, array_agg(pa.attname::text ORDER BY k.ord) AS parent_columns
       FROM pg_constraint con
       JOIN pg_namespace n ON n.oid = con.connamespace AND n.nspname = 'public'
       CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(child_attnum, parent_attnum, ord)
       JOIN pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = k.child_attnum
       JOIN pg_attribute pa ON pa.attrelid = con.confrelid AND pa.attnum = k.parent_attnum
      WHERE con.contype = 'f'
      GROUP BY con.oid, con.conrelid, con.confrelid
      ORDER BY con.conrelid::regclass::text, con.oid`,
  );
  const byTable = new Map<string, ExportedColumn[]>();
  for (const column of columns) {
    const list = byTable.get(column.table_name) ?? [];
    list.push({
      name: column.column_name,
      type: column.data_type === 'ARRAY' ? `${column.udt_name.replace(/^_/, '')}[]` : column.data_type === 'USER-DEFINED' ? column.udt_name : column.data_type,
      nullable: column.is_nullable === 'YES',
      generated: column.is_generated === 'ALWAYS',
    });
    byTable.set(column.table_name, list);
  }
  const primaryKeys = new Map(keys.map((key) => [key.table_name.replace(/^"|"$/g, ''), key.columns]));
  const owned = (name: string) => byTable.get(name)?.some((column) => column.name === 'municipality_id') ?? false;
  const tables: TablePlan[] = [];
  const excluded: Array<{ name: string; reason: string }> = [];
  for (const [name, tableColumns] of byTable) {
    const primaryKey = primaryKeys.get(name) ?? [];
    if (name === 'schema_migrations') {
      excluded.push({ name, reason: 'the schema version, recorded in the manifest as `migrations`' });
    } else if (owned(name)) {
      tables.push({ name, columns: tableColumns, primaryKey, belongsVia: 'municipality_id' });
    } else {
      const link = foreign.find((key) => key.child === name && owned(key.parent));
      if (link) {
        tables.push({ name, columns: tableColumns, primaryKey, belongsVia: { parent: link.parent, columns: link.child_columns.map((column, index) => [column, link.parent_columns[index]]) } });
      } else {
        excluded.push({ name, reason: 'shared by every municipality (no municipality_id, no parent that has one)' });
      }
    }
  }
  tables.sort((a, b) => a.name.localeCompare(b.name));
  return { tables, excluded: excluded.sort((a, b) => a.name.localeCompare(b.name)) };
}

/** The rows of `table` that are the municipality's ($1), as a FROM/WHERE over alias `t`. */
function ownedRows(table: TablePlan): string {
  const from = `FROM ONLY ${quoteIdentifier(table.name)} t`;
  if (table.belongsVia === 'municipality_id') return `${from} WHERE t.municipality_id = $1`;
  const { parent, columns } = table.belongsVia;
  const join = columns.map(([child, parentColumn]) => `p.${quoteIdentifier(parentColumn)} = t.${quoteIdentifier(child)}`).join(' AND ');
  return `${from} WHERE EXISTS (SELECT 1 FROM ${quoteIdentifier(parent)} p WHERE ${join} AND p.municipality_id = $1)`;
}

function orderOf(table: TablePlan): string {
  return table.primaryKey.length > 0 ? table.primaryKey.map((column) => `t.${quoteIdentifier(column)}`).join(', ') : 't::text';
}

async function appliedMigrations(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY id');
  return rows.map((row) => row.name);
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const EXTENSIONS: Record<string, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };
const safeName = (value: string) => value.replace(/[^A-Za-z0-9._-]/g, '_');

/**
 * Writes the export of `municipalityId` into a new folder under `outDir`.
 * Work goes to a hidden folder renamed at the end: an interrupted run leaves
 * nothing that looks like an export.
 */
export async function exportMunicipality(
  source: { url: string; municipalityId: string; auditCheckpointDir?: string | null },
  outDir: string,
  options: { now?: Date; progress?: NodeJS.WriteStream | null } = {},
): Promise<ExportResult> {
  const now = options.now ?? new Date();
  const name = `madoguchi-export-${safeName(source.municipalityId)}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
  const finalPath = path.join(path.resolve(outDir), name);
  const staging = path.join(path.resolve(outDir), `.${name}.partial`);
  if (existsSync(finalPath)) throw new ExportRefusedError(`${finalPath} exists already`);
  await fs.rm(staging, { recursive: true, force: true });
  for (const dir of ['csv', 'jsonl', 'schema', 'procedures', 'files/attachments', 'files/documents', 'files/audit-checkpoints']) await fs.mkdir(path.join(staging, dir), { recursive: true, mode: 0o700 });

  const client = new Client({ connectionString: source.url, application_name: 'madoguchi-export' });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SET LOCAL TimeZone = 'UTC'`);
    const known = await client.query('SELECT 1 FROM municipalities WHERE municipality_id = $1', [source.municipalityId]);
    if (known.rowCount === 0) throw new ExportRefusedError(`municipality ${source.municipalityId} has no data in this instance`);
    const { tables, excluded } = await planTables(client);
    const counts = new Map<string, number>();
    for (const table of tables) counts.set(table.name, Number((await client.query<{ n: string }>(`SELECT count(*) AS n ${ownedRows(table)}`, [source.municipalityId])).rows[0].n));
    const progress = new ProgressLine('export', [...counts.values()].reduce((sum, n) => sum + n, 0), options.progress === undefined ? process.stderr : options.progress, 'rows');
    const keyIds = new Set<string>();

    for (const table of tables) {
      const csvFile = await fs.open(path.join(staging, 'csv', `${table.name}.csv`), 'w', 0o600);
      const jsonFile = await fs.open(path.join(staging, 'jsonl', `${table.name}.jsonl`), 'w', 0o600);
      try {
        await csvFile.write(stringify([table.columns.map((column) => column.name)]));
        const texts = table.columns.map((column) => `t.${quoteIdentifier(column.name)}::text`).join(', ');
        await client.query(`DECLARE export_rows NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS json, ARRAY[${texts}] AS texts ${ownedRows(table)} ORDER BY ${orderOf(table)}`, [source.municipalityId]);
        for (;;) {
          const { rows } = await client.query<{ json: string; texts: Array<string | null> }>(`FETCH ${BATCH} FROM export_rows`);
          if (rows.length === 0) break;
          await csvFile.write(stringify(rows.map((row) => row.texts), { quoted_match: /^$/ }));
          const lines = rows.map((row) => row.json).join('\n');
          for (const match of lines.matchAll(CIPHERTEXT)) keyIds.add(match[1]);
          await jsonFile.write(`${lines}\n`);
          progress.advance(rows.length);
        }
        await client.query('CLOSE export_rows');
      } finally {
        await csvFile.close();
        await jsonFile.close();
      }
    }
    progress.finish();

    const columns = Object.fromEntries(tables.map((table) => [table.name, { primaryKey: table.primaryKey, columns: table.columns }]));
    await fs.writeFile(path.join(staging, 'schema', 'columns.json'), `${JSON.stringify({ tables: columns }, null, 2)}\n`, { mode: 0o600 });

    const { rows: procedures } = await client.query<{ code: string; version: number; definition: unknown }>(
      'SELECT code, version, definition FROM procedure_definitions WHERE municipality_id = $1 ORDER BY code, version',
      [source.municipalityId],
    );
    for (const procedure of procedures) {
      const dir = path.join(staging, 'procedures', safeName(procedure.code));
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      await fs.writeFile(path.join(dir, `v${procedure.version}.yaml`), toYaml(procedure.definition), { mode: 0o600 });
    }
    await writeFiles(client, source.municipalityId, staging);
    await client.query('COMMIT');

    if (source.auditCheckpointDir) {
      const checkpoints = path.join(source.auditCheckpointDir, `${source.municipalityId}.jsonl`);
      if (existsSync(checkpoints)) await fs.copyFile(checkpoints, path.join(staging, 'files', 'audit-checkpoints', `${safeName(source.municipalityId)}.jsonl`));
    }

    const manifest: ExportManifest = {
      format: EXPORT_FORMAT,
      createdAt: now.toISOString(),
      municipalityId: source.municipalityId,
      migrations: await appliedMigrations(client),
      tables: tables.map((table) => ({ name: table.name, rows: counts.get(table.name) ?? 0, belongsVia: table.belongsVia })),
      excludedTables: excluded,
      encryption: {
        keyIds: [...keyIds].sort(),
        note: 'Encrypted fields are the ciphertext the database holds (v1.<key id>.<iv>.<tag>.<ciphertext>, AES-256-GCM bound to its row). The importing instance needs the encryption keys with these ids, and the same audit checkpoint key to verify files/audit-checkpoints.',
      },
      files: await listFiles(staging),
    };
    const text = `${JSON.stringify(manifest, null, 2)}\n`;
    await fs.writeFile(path.join(staging, MANIFEST), text, { mode: 0o600 });
    await fs.rename(staging, finalPath);
    return { path: finalPath, manifest, manifestSha256: createHash('sha256').update(text).digest('hex') };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    await fs.rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    await client.end();
  }
}

/** Attachments and issued PDFs as files of their own (an erased one, emptied by retention, has none). */
async function writeFiles(client: Client, municipalityId: string, staging: string): Promise<void> {
  const write = async (query: string, toName: (row: { id: string; kind: string }) => string, dir: string) => {
    await client.query(`DECLARE export_files NO SCROLL CURSOR FOR ${query}`, [municipalityId]);
    for (;;) {
      const { rows } = await client.query<{ id: string; kind: string; bytes: Buffer }>('FETCH 20 FROM export_files');
      if (rows.length === 0) break;
      for (const row of rows) if (row.bytes.length > 0) await fs.writeFile(path.join(staging, 'files', dir, toName(row)), row.bytes, { mode: 0o600 });
    }
    await client.query('CLOSE export_files');
  };
  await write('SELECT id::text AS id, content_type AS kind, data AS bytes FROM attachments WHERE municipality_id = $1 ORDER BY id', (row) => `${row.id}.${EXTENSIONS[row.kind] ?? 'bin'}`, 'attachments');
  await write(`SELECT id::text AS id, 'pdf' AS kind, pdf AS bytes FROM documents WHERE municipality_id = $1 ORDER BY id`, (row) => `${row.id}.pdf`, 'documents');
}

async function listFiles(root: string, relative = ''): Promise<ExportManifestFile[]> {
  const files: ExportManifestFile[] = [];
  for (const entry of await fs.readdir(path.join(root, relative), { withFileTypes: true })) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(root, child)));
    else if (entry.isFile() && child !== MANIFEST) {
      const full = path.join(root, child);
      files.push({ path: child, bytes: (await fs.stat(full)).size, sha256: await sha256Of(full) });
    }
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Reads and checks an export before anything is loaded: the format, the
 * manifest's own SHA-256 when the caller has it, and every file, which must
 * be listed, present, of its size and its SHA-256; a file the manifest does
 * not list is refused too.
 */
export async function verifyExport(exportDir: string, options: { manifestSha256?: string } = {}): Promise<ExportManifest> {
  const manifestPath = path.join(exportDir, MANIFEST);
  let text: string;
  try {
    text = await fs.readFile(manifestPath, 'utf8');
  } catch {
    throw new ExportRefusedError(`${exportDir} has no ${MANIFEST}: not an export`);
  }
  if (options.manifestSha256 && createHash('sha256').update(text).digest('hex') !== options.manifestSha256.toLowerCase()) {
    throw new ExportRefusedError(`${MANIFEST} is not the one expected (its SHA-256 differs): refusing the export`);
  }
  let manifest: ExportManifest;
  try {
    manifest = JSON.parse(text) as ExportManifest;
  } catch {
    throw new ExportRefusedError(`${MANIFEST} is not valid JSON: refusing the export`);
  }
  if (manifest.format !== EXPORT_FORMAT) throw new ExportRefusedError(`${MANIFEST} is of format ${String(manifest.format)}, this program reads ${EXPORT_FORMAT}`);
  const listed = new Map(manifest.files.map((file) => [file.path, file]));
  const present = await listFiles(exportDir);
  const unlisted = present.filter((file) => !listed.has(file.path)).map((file) => file.path);
  if (unlisted.length > 0) throw new ExportRefusedError(`files not in the manifest: ${unlisted.slice(0, 5).join(', ')}: refusing the export`);
  const found = new Map(present.map((file) => [file.path, file]));
  for (const file of manifest.files) {
    const actual = found.get(file.path);
    if (!actual) throw new ExportRefusedError(`${file.path} is missing: refusing the export`);
    if (actual.bytes !== file.bytes || actual.sha256 !== file.sha256) throw new ExportRefusedError(`${file.path} does not match its checksum in the manifest: refusing the export`);
  }
  for (const table of manifest.tables) {
    if (!/^[a-z_][a-z0-9_]*$/.test(table.name) || !listed.has(`jsonl/${table.name}.jsonl`)) throw new ExportRefusedError(`table ${table.name} of the manifest has no data file: refusing the export`);
  }
  return manifest;
}

/**
 * Loads a verified export into an empty instance, in one transaction: the
 * schema must be at the same migrations, every exported table must be
 * empty (but for the rows migrations write, MIGRATION_SEEDED_TABLES, which
 * the export's replace) and no checkpoint file may exist for the municipality. Rows go in
 * as they were (triggers off for the load: `session_replication_role =
 * replica`, which needs a superuser or a role granted that setting), then
 * each table's row count is checked against the manifest and the
 * sequences are moved past the loaded values.
 */
export async function importMunicipality(
  exportDir: string,
  target: { url: string; auditCheckpointDir?: string | null },
  options: { manifestSha256?: string; progress?: NodeJS.WriteStream | null } = {},
): Promise<ExportManifest> {
  const manifest = await verifyExport(exportDir, options);
  const client = new Client({ connectionString: target.url, application_name: 'madoguchi-import' });
  await client.connect();
  try {
    const migrations = await appliedMigrations(client);
    if (migrations.join('\n') !== manifest.migrations.join('\n')) {
      throw new ExportRefusedError(
        `the target's schema (${migrations.length} migrations, last ${migrations.at(-1) ?? 'none'}) is not the export's (${manifest.migrations.length}, last ${manifest.migrations.at(-1) ?? 'none'}): run the same version of Madoguchi's migrations first`,
      );
    }
    const { tables } = await planTables(client);
    const plans = new Map(tables.map((table) => [table.name, table]));
    const unknown = manifest.tables.filter((table) => !plans.has(table.name)).map((table) => table.name);
    if (unknown.length > 0) throw new ExportRefusedError(`the target has no table ${unknown.join(', ')}`);
    const occupied: string[] = [];
    for (const table of tables) {
      const seeded = MIGRATION_SEEDED_TABLES.has(table.name) && table.belongsVia === 'municipality_id';
      const found = await client.query(`SELECT 1 FROM ${quoteIdentifier(table.name)} ${seeded ? 'WHERE municipality_id <> $1' : ''} LIMIT 1`, seeded ? [manifest.municipalityId] : []);
      if (found.rowCount) occupied.push(table.name);
    }
    if (occupied.length > 0) {
      throw new ExportRefusedError(`the target instance is not empty (rows in ${occupied.slice(0, 5).join(', ')}${occupied.length > 5 ? ', …' : ''}): import into a newly migrated database that the service has not started on`);
    }
    const checkpointFile = target.auditCheckpointDir ? path.join(target.auditCheckpointDir, `${safeName(manifest.municipalityId)}.jsonl`) : null;
    if (checkpointFile && existsSync(checkpointFile)) throw new ExportRefusedError(`${checkpointFile} exists already: the target is not empty`);

    const total = manifest.files.filter((file) => file.path.startsWith('jsonl/')).reduce((sum, file) => sum + file.bytes, 0);
    const progress = new ProgressLine('import', total, options.progress === undefined ? process.stderr : options.progress);
    await client.query('BEGIN');
    await client.query(`SET LOCAL session_replication_role = replica`);
    for (const name of MIGRATION_SEEDED_TABLES) if (plans.get(name)?.belongsVia === 'municipality_id') await client.query(`DELETE FROM ${quoteIdentifier(name)} WHERE municipality_id = $1`, [manifest.municipalityId]);
    for (const exported of manifest.tables) {
      const table = plans.get(exported.name)!;
      const columns = table.columns.filter((column) => !column.generated).map((column) => quoteIdentifier(column.name)).join(', ');
      const insert = `INSERT INTO ${quoteIdentifier(table.name)} (${columns}) OVERRIDING SYSTEM VALUE SELECT ${columns} FROM json_populate_recordset(NULL::${quoteIdentifier(table.name)}, $1::json)`;
      let loaded = 0;
      let batch: string[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        loaded += (await client.query(insert, [`[${batch.join(',')}]`])).rowCount ?? 0;
        batch = [];
      };
      const lines = createInterface({ input: createReadStream(path.join(exportDir, 'jsonl', `${table.name}.jsonl`)), crlfDelay: Infinity });
      for await (const line of lines) {
        if (line === '') continue;
        batch.push(line);
        progress.advance(Buffer.byteLength(line) + 1);
        if (batch.length >= BATCH) await flush();
      }
      await flush();
      if (loaded !== exported.rows) throw new ExportRefusedError(`${table.name}: ${loaded} rows loaded, the manifest says ${exported.rows}: nothing imported`);
    }
    await resetSequences(client);
    await client.query('COMMIT');
    progress.finish();
    const checkpoints = path.join(exportDir, 'files', 'audit-checkpoints', `${safeName(manifest.municipalityId)}.jsonl`);
    if (checkpointFile && existsSync(checkpoints)) {
      await fs.mkdir(path.dirname(checkpointFile), { recursive: true, mode: 0o700 });
      await fs.copyFile(checkpoints, checkpointFile);
      await fs.chmod(checkpointFile, 0o600);
    }
    return manifest;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (error instanceof Error && /session_replication_role/.test(error.message)) {
      throw new ExportRefusedError(`the import connection may not set session_replication_role (${error.message}): connect as the database owner with superuser rights (MIGRATION_DATABASE_URL)`);
    }
    throw error;
  } finally {
    await client.end();
  }
}

/** Every sequence owned by a column moves past the highest value loaded (never backwards). */
async function resetSequences(client: Client): Promise<void> {
  const { rows } = await client.query<{ sequence: string; table_name: string; column_name: string }>(
    `SELECT s.oid::regclass::text AS sequence, t.relname AS table_name, a.attname AS column_name
       FROM pg_class s
       JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
       JOIN pg_class t ON t.oid = d.refobjid
       JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
      WHERE s.relkind = 'S'`,
  );
  for (const row of rows) {
    await client.query(
      `SELECT setval($1::regclass, greatest((SELECT max(${quoteIdentifier(row.column_name)}) FROM ${quoteIdentifier(row.table_name)}), (SELECT last_value FROM ${row.sequence})), true)
        WHERE (SELECT max(${quoteIdentifier(row.column_name)}) FROM ${quoteIdentifier(row.table_name)}) IS NOT NULL`,
      [row.sequence],
    );
  }
}
