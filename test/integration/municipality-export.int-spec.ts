import { AuditService } from '@madoguchi/audit';
import { asMunicipalityId, ExportRefusedError, exportMunicipality, importMunicipality, verifyExport } from '@madoguchi/kernel';
import { parse as parseCsv } from 'csv-parse/sync';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { certificateCompleted, confirmedBooking } from '../support/filled-instance';
import { withCheckDigit } from '../support/identity-e2e';
import { PaymentsDriver } from '../support/payments-driver';
import { tableHashes } from '../support/table-hashes';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { createTestApp, OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY } from '../support/test-app';
import { TEST_CERTIFICATE } from '../support/test-procedures';

const M1 = asMunicipalityId(SAMPLE_MUNICIPALITY);
const M2 = asMunicipalityId(OTHER_MUNICIPALITY);
/** Shared tables: no municipality owns their rows, so an export leaves them out. */
const SHARED = ['schema_migrations', 'kpi_business_days', 'simulated_digital_auth_card_locks'];

/**
 * Full export for a change of vendor (issue 15): fill municipality 990001
 * through the API (applications with an attachment, payments, documents,
 * bookings, an encrypted individual number, audit entries and a checkpoint)
 * and 990002 beside it; export 990001; import into a new empty database;
 * every table of the import holds exactly 990001's rows of the source
 * (row count and hash), nothing of 990002; the audit chain verifies against
 * the imported checkpoint and documents verify. A changed file or a changed
 * manifest is refused before anything is loaded, as is a non-empty target.
 */
describe('municipality export and import (real PostgreSQL)', () => {
  const root = path.resolve(__dirname, `../../.data/export-test-${process.pid}-${randomBytes(3).toString('hex')}`);
  const sourceCheckpoints = path.join(root, 'source-checkpoints');
  const targetCheckpoints = path.join(root, 'target-checkpoints');
  const exports = path.join(root, 'exports');
  let d: PaymentsDriver;
  const targets: TestDatabase[] = [];

  const fresh = async () => {
    const db = await createTestDatabase();
    targets.push(db);
    return db;
  };

  beforeAll(async () => {
    d = await PaymentsDriver.start({ env: { AUDIT_CHECKPOINT_DIR: sourceCheckpoints } });
  }, 120_000);
  afterAll(async () => {
    await d?.close();
    for (const db of targets) await db.drop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('round-trips one municipality: identical tables, no other municipality, the audit chain and documents verify', async () => {
    // Municipality 1: a completed certificate (payment, document), a booking, a draft with an attachment, an encrypted individual number.
    const { resident: holder, id: completed } = await certificateCompleted(d);
    await confirmedBooking(d, '2026-12-01');
    const drafter = await d.resident();
    const draft = (await request(d.server).post('/api/v1/applications').auth(drafter.token, { type: 'bearer' }).send({ procedureCode: TEST_CERTIFICATE, formData: { scope: '本人のみ', purpose: '学校への提出', copies: 1 } }).expect(201)).body.id as string;
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% export\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
    await request(d.server).post(`/api/v1/applications/${draft}/attachments`).auth(drafter.token, { type: 'bearer' }).set('Content-Type', 'application/octet-stream').set('X-File-Name', encodeURIComponent('住民票.pdf')).send(pdf).expect(201);
    await request(d.server).put('/api/v1/residents/me/individual-number').auth(drafter.token, { type: 'bearer' }).send({ individualNumber: withCheckDigit('12345678901') }).expect(200);
    expect(await d.t.get(AuditService).checkpoint(M1)).not.toBeNull();
    const [document] = (await request(d.server).get(`/api/v1/applications/${completed}/documents`).auth(holder.token, { type: 'bearer' }).expect(200)).body as Array<{ verificationCode: string; sha256: string }>;
    // Municipality 2 beside it: a resident and a member of staff (and their audit entries).
    const other = await d.resident(M2);
    const otherStaff = await d.staff(['clerk'], ['shimin'], M2);
    expect(Number((await d.t.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE municipality_id = $1`, [M2]))[0].n)).toBeGreaterThan(0);

    const source = d.t.db;
    const before = await tableHashes(source.ownerUrl, { municipalityId: M1, except: SHARED });
    const result = await exportMunicipality({ url: source.ownerUrl, municipalityId: M1, auditCheckpointDir: sourceCheckpoints }, exports, { progress: null });
    const { manifest } = result;
    // Exporting reads only.
    expect(await tableHashes(source.ownerUrl, { municipalityId: M1, except: SHARED })).toEqual(before);

    // Every municipality table is in the export, with its row count; the shared ones are named as excluded.
    expect(Object.fromEntries(manifest.tables.map((table) => [table.name, table.rows]))).toEqual(Object.fromEntries(Object.entries(before).map(([name, hash]) => [name, hash.rows])));
    expect(manifest.excludedTables.map((table) => table.name).sort()).toEqual([...SHARED].sort());
    expect(manifest.encryption.keyIds.length).toBeGreaterThan(0);
    const paths = manifest.files.map((file) => file.path);
    for (const table of manifest.tables) expect(paths).toEqual(expect.arrayContaining([`csv/${table.name}.csv`, `jsonl/${table.name}.jsonl`]));
    expect(paths).toEqual(expect.arrayContaining(['schema/columns.json', `procedures/${TEST_CERTIFICATE}/v1.yaml`, `files/audit-checkpoints/${M1}.jsonl`]));
    expect(paths.filter((file) => file.startsWith('files/attachments/'))).toHaveLength(1);
    expect(paths.filter((file) => file.startsWith('files/documents/') && file.endsWith('.pdf')).length).toBeGreaterThan(0);
    for (const file of manifest.files) expect(createHash('sha256').update(await fs.readFile(path.join(result.path, file.path))).digest('hex')).toBe(file.sha256);
    const attachment = paths.find((file) => file.startsWith('files/attachments/'))!;
    expect((await fs.readFile(path.join(result.path, attachment))).equals(pdf)).toBe(true);

    // Open formats: the CSV has a header row and one line per row; the columns file describes each column; YAML parses.
    const applicationsCsv = parseCsv(await fs.readFile(path.join(result.path, 'csv/applications.csv')), { bom: true }) as string[][];
    const columns = JSON.parse(await fs.readFile(path.join(result.path, 'schema/columns.json'), 'utf8')) as { tables: Record<string, { columns: Array<{ name: string; type: string; nullable: boolean }> }> };
    expect(applicationsCsv[0]).toEqual(columns.tables.applications.columns.map((column) => column.name));
    expect(applicationsCsv).toHaveLength(1 + before.applications.rows);
    expect(columns.tables.applications.columns).toEqual(expect.arrayContaining([{ name: 'municipality_id', type: 'text', nullable: false, generated: false }]));
    expect(parseYaml(await fs.readFile(path.join(result.path, `procedures/${TEST_CERTIFICATE}/v1.yaml`), 'utf8'))).toMatchObject({ code: TEST_CERTIFICATE });
    // Nothing of municipality 2 anywhere in the export.
    for (const file of manifest.files) {
      const text = (await fs.readFile(path.join(result.path, file.path))).toString('latin1');
      expect({ file: file.path, m2: text.includes(M2), resident: text.includes(other.id), staff: text.includes(otherStaff.id) }).toEqual({ file: file.path, m2: false, resident: false, staff: false });
    }

    // Import into a new, empty database: each table is exactly municipality 1's rows of the source.
    const target = await fresh();
    await importMunicipality(result.path, { url: target.ownerUrl, auditCheckpointDir: targetCheckpoints }, { manifestSha256: result.manifestSha256, progress: null });
    expect(await tableHashes(target.ownerUrl, { except: SHARED })).toEqual(before);
    expect(existsSync(path.join(targetCheckpoints, `${M1}.jsonl`))).toBe(true);

    // The imported instance works: the audit chain verifies against its checkpoint, documents verify, new rows take new ids.
    const imported = await createTestApp({ db: target, env: { AUDIT_CHECKPOINT_DIR: targetCheckpoints } });
    try {
      expect(await imported.get(AuditService).verify(M1)).toMatchObject({ ok: true });
      const verified = await request(imported.app.getHttpServer()).post('/api/v1/documents/verify').send({ code: document.verificationCode, sha256: document.sha256 }).expect(200);
      expect(verified.body).toMatchObject({ status: 'valid', contentChecked: true });
    } finally {
      await imported.close();
    }

    // A second import over it is refused: the target is not empty.
    await expect(importMunicipality(result.path, { url: target.ownerUrl, auditCheckpointDir: path.join(root, 'elsewhere') }, { progress: null })).rejects.toThrow(/not empty/);
  }, 300_000);

  it('refuses a changed data file, a changed manifest and an unlisted file before loading anything', async () => {
    const result = await exportMunicipality({ url: d.t.db.ownerUrl, municipalityId: M1 }, exports, { progress: null, now: new Date('2030-01-01T00:00:00Z') });
    const copy = async (name: string) => {
      const to = path.join(root, name);
      await fs.cp(result.path, to, { recursive: true });
      return to;
    };
    const target = await fresh();
    const untouched = await tableHashes(target.ownerUrl);

    const changedFile = await copy('changed-file');
    const jsonl = path.join(changedFile, 'jsonl/applications.jsonl');
    await fs.writeFile(jsonl, (await fs.readFile(jsonl, 'utf8')).replace('学校への提出', '学校への提出X'));
    await expect(importMunicipality(changedFile, { url: target.ownerUrl }, { progress: null })).rejects.toThrow(/jsonl\/applications\.jsonl does not match its checksum/);

    // The manifest edited to match a changed file: its own SHA-256, kept apart, no longer matches.
    const changedManifest = await copy('changed-manifest');
    const manifestPath = path.join(changedManifest, 'manifest.json');
    const manifest = JSON.parse(await fs.readFile(manifestPath, 'utf8')) as { files: Array<{ path: string; bytes: number; sha256: string }>; tables: Array<{ name: string; rows: number }> };
    manifest.tables.find((table) => table.name === 'applications')!.rows += 1;
    await fs.writeFile(manifestPath, JSON.stringify(manifest, null, 2));
    await expect(importMunicipality(changedManifest, { url: target.ownerUrl }, { manifestSha256: result.manifestSha256, progress: null })).rejects.toThrow(/SHA-256 differs/);
    // Without the SHA-256 the wrong count is still caught, and nothing stays loaded.
    await expect(importMunicipality(changedManifest, { url: target.ownerUrl }, { progress: null })).rejects.toThrow(/applications: \d+ rows loaded, the manifest says/);

    const extra = await copy('extra-file');
    await fs.writeFile(path.join(extra, 'jsonl', 'staff_accounts_extra.jsonl'), '{}\n');
    await expect(verifyExport(extra)).rejects.toBeInstanceOf(ExportRefusedError);
    await expect(verifyExport(path.join(root, 'no-such-export'))).rejects.toThrow(/not an export/);

    expect(await tableHashes(target.ownerUrl)).toEqual(untouched);
    // An unknown municipality has nothing to export.
    await expect(exportMunicipality({ url: d.t.db.ownerUrl, municipalityId: '999999' }, exports, { progress: null })).rejects.toThrow(/no data/);
  }, 300_000);
});
