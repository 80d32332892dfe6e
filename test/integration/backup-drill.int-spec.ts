import { AuditService } from '@madoguchi/audit';
import {
  asMunicipalityId,
  createBackup,
  dataSourceOptions,
  ensureDatabase,
  ensureServiceRole,
  type EmbeddedPostgresServer,
  parseBackupKey,
  readManifest,
  RestoreRefusedError,
  restoreEmbedded,
  runMigrationsLocked,
  startEmbeddedPostgres,
} from '@madoguchi/kernel';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { bookingOfApplication } from '../support/bookings-e2e';
import { certificateCompleted, confirmedBooking } from '../support/filled-instance';
import { freePort } from '../support/free-port';
import { HOUR, PaymentsDriver } from '../support/payments-driver';
import { tableHashes } from '../support/table-hashes';
import { databaseOn, type TestDatabase } from '../support/test-database';

const CITY = asMunicipalityId('990001');
const DATABASE = 'madoguchi_drill_test';

/**
 * The ICT-BCP drill as a test, on a PostgreSQL server of its own (the shared
 * test server cannot be wiped) with WAL archiving on: fill it through the
 * real API (applications, payments, documents, bookings, audit entries and
 * a checkpoint), back up, keep working, note a moment T, keep working, lose
 * everything but the backup and the WAL archive, then restore to the end of
 * the backup and to T. Each time the database must be exactly what it was
 * at that moment (row count and hash of every table), the audit chain must
 * verify against its checkpoint, documents must verify, and the restored
 * instance must keep working: timers fire, the outbox delivers.
 */
describe('backup and point-in-time restore drill (own embedded PostgreSQL with WAL archiving)', () => {
  const root = path.resolve(__dirname, `../../.data/backup-drill-${process.pid}-${randomBytes(3).toString('hex')}`);
  const dataDir = path.join(root, 'postgres');
  const walArchiveDir = path.join(root, 'wal-archive');
  const checkpointDir = path.join(root, 'audit-checkpoints');
  const backups = path.join(root, 'backups');
  const key = parseBackupKey(randomBytes(32).toString('base64'));
  const folders = [{ name: 'audit-checkpoints', dir: checkpointDir }];
  const env = { AUDIT_CHECKPOINT_DIR: checkpointDir };
  let port: number;
  let server: EmbeddedPostgresServer | null = null;
  let d: PaymentsDriver | null = null;
  const timings: Record<string, number> = {};

  const database = (): TestDatabase => databaseOn(server!.url('postgres'), DATABASE);
  const hashes = () => tableHashes(database().ownerUrl);
  const serverNow = () => database().asOwner(async (client) => (await client.query<{ now: string }>(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now`)).rows[0].now);

  async function stopEverything(): Promise<void> {
    await d?.close();
    d = null;
    await server?.stop();
    server = null;
  }

  async function waitForArchive(): Promise<void> {
    // Close the current segment and wait until the archiver has it: the WAL up to now is safe.
    await database().asOwner(async (client) => {
      const segment = (await client.query<{ name: string }>('SELECT pg_walfile_name(pg_switch_wal()) AS name')).rows[0].name;
      for (;;) {
        const archived = (await client.query<{ last: string | null }>('SELECT last_archived_wal AS last FROM pg_stat_archiver')).rows[0].last;
        if (archived !== null && archived >= segment) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
  }

  beforeAll(async () => {
    port = await freePort();
    server = await startEmbeddedPostgres({ dataDir, port, walArchiveDir });
    await ensureDatabase(server.url('postgres'), DATABASE);
    await ensureServiceRole(server.url('postgres'));
    const migrate = new DataSource(dataSourceOptions({ url: database().ownerUrl, migrations: MIGRATIONS, poolSize: 2 }));
    await migrate.initialize();
    await runMigrationsLocked(migrate);
    await migrate.destroy();
  }, 120_000);
  afterAll(async () => {
    await stopEverything();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('restores to the end of the backup and to a moment after it, identical, verifiable and working', async () => {
    d = await PaymentsDriver.start({ db: database(), env });

    // Before the backup: a completed certificate (payment, document), a confirmed booking, an application awaiting payment (a timer, an outbox message not yet sent).
    const { resident: certificateHolder, id: completed } = await certificateCompleted(d!);
    const booked = await confirmedBooking(d!, '2026-12-01');
    const waiting = await d.resident();
    const awaitingPayment = await d.submitted(waiting);
    expect(await d.t.get(AuditService).checkpoint(CITY)).not.toBeNull();
    const [document] = (await request(d.server).get(`/api/v1/applications/${completed}/documents`).auth(certificateHolder.token, { type: 'bearer' }).expect(200)).body as Array<{ verificationCode: string; sha256: string }>;
    const pendingOutbox = Number((await d.t.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`))[0].n);
    expect(pendingOutbox).toBeGreaterThan(0);

    const atBackup = await hashes();
    let started = Date.now();
    const backup = await createBackup({ adminUrl: server!.url('postgres'), dataDir, walArchiveDir, folders }, backups, key, { progress: null });
    timings.backupMs = Date.now() - started;
    expect(await hashes()).toEqual(atBackup);
    const manifest = await readManifest(backup.path, key);
    expect(manifest.files.some((file) => file.path === 'pgdata/backup_label')).toBe(true);
    expect(manifest.files.some((file) => file.path.startsWith('wal/'))).toBe(true);
    expect(manifest.files.some((file) => file.path === 'files/audit-checkpoints/990001.jsonl')).toBe(true);
    // Sealed: no plaintext of the database or the checkpoint file in the backup.
    const sealedCheckpoint = await fs.readFile(path.join(backup.path, 'files/audit-checkpoints/990001.jsonl.age'));
    expect(sealedCheckpoint.includes(Buffer.from('990001'))).toBe(false);
    // Standard age files: the age tool opens them with the backup's identity.
    expect(sealedCheckpoint.subarray(0, 22).toString()).toBe('age-encryption.org/v1\n');

    // Keep working; T is a moment between two pieces of work.
    await certificateCompleted(d!);
    await confirmedBooking(d!, '2026-12-08');
    const atT = await hashes();
    const T = await serverNow();
    await certificateCompleted(d!);
    const afterT = await hashes();
    expect(afterT).not.toEqual(atT);
    await waitForArchive();

    // Disaster: the cluster and the checkpoint folder are gone; the backup and the WAL archive survive.
    await stopEverything();
    await fs.rm(dataDir, { recursive: true, force: true });
    await fs.rm(checkpointDir, { recursive: true, force: true });

    // 1. To the end of the backup.
    started = Date.now();
    server = (await restoreEmbedded(backup.path, { dataDir, port, walArchiveDir, folders }, key, { progress: null })).server;
    timings.restoreToBackupMs = Date.now() - started;
    expect(await hashes()).toEqual(atBackup);
    d = await PaymentsDriver.start({ db: database(), env, published: true });
    expect(await d.t.get(AuditService).verify(CITY)).toMatchObject({ ok: true });
    expect((await request(d.server).post('/api/v1/documents/verify').send({ code: document.verificationCode, sha256: document.sha256 }).expect(200)).body).toMatchObject({ status: 'valid', contentChecked: true });
    expect((await bookingOfApplication(d.t, booked))?.status).toBe('confirmed');
    // The outbox delivers what was waiting at the backup; the payment deadline (24 h) still fires.
    await d.runOutbox();
    expect(Number((await d.t.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending' AND available_at <= $1`, [d.t.clock.now()]))[0].n)).toBe(0);
    d.t.clock.advance(25 * HOUR);
    expect(await d.fireTimers()).toBeGreaterThan(0);
    expect(await d.state(awaitingPayment)).not.toBe('awaitingPayment');

    // A restore never goes over data: the running instance is refused.
    await expect(restoreEmbedded(backup.path, { dataDir, port, walArchiveDir, folders }, key, { progress: null })).rejects.toBeInstanceOf(RestoreRefusedError);

    // 2. To T, from the same backup and the archive.
    await stopEverything();
    await fs.rm(dataDir, { recursive: true, force: true });
    await fs.rm(checkpointDir, { recursive: true, force: true });
    started = Date.now();
    server = (await restoreEmbedded(backup.path, { dataDir, port, walArchiveDir, folders }, key, { to: T, progress: null })).server;
    timings.restoreToTimeMs = Date.now() - started;
    expect(await hashes()).toEqual(atT);
    d = await PaymentsDriver.start({ db: database(), env, published: true });
    expect(await d.t.get(AuditService).verify(CITY)).toMatchObject({ ok: true });
    expect((await request(d.server).post('/api/v1/documents/verify').send({ code: document.verificationCode, sha256: document.sha256 }).expect(200)).body).toMatchObject({ status: 'valid' });
    // New work on the restored instance goes through the outbox as before.
    await certificateCompleted(d!);

    // RTO on this machine, for docs/operations.md (no threshold: machines differ).
    process.stdout.write(`backup drill timings: ${JSON.stringify(timings)}\n`);
    expect(existsSync(path.join(dataDir, 'restore-wal'))).toBe(false);
  }, 300_000);

  it('refuses a backup opened with the wrong key or with a changed file, before touching anything', async () => {
    if (!server) server = await startEmbeddedPostgres({ dataDir, port, walArchiveDir });
    const backup = await createBackup({ adminUrl: server.url('postgres'), dataDir, walArchiveDir, folders }, backups, key, { progress: null, now: new Date('2030-01-01T00:00:00Z') });
    const target = { dataDir: path.join(root, 'elsewhere'), port: await freePort(), walArchiveDir, folders: [{ name: 'audit-checkpoints', dir: path.join(root, 'elsewhere-checkpoints') }] };
    await expect(restoreEmbedded(backup.path, target, parseBackupKey(randomBytes(32).toString('base64')), { progress: null })).rejects.toThrow(/does not authenticate/);
    const victim = backup.manifest.files.find((file) => file.path === 'pgdata/PG_VERSION')!;
    const sealed = path.join(backup.path, `${victim.path}.age`);
    const bytes = await fs.readFile(sealed);
    bytes[bytes.length - 1] ^= 1;
    await fs.writeFile(sealed, bytes);
    await expect(restoreEmbedded(backup.path, target, key, { progress: null })).rejects.toThrow(/damaged/);
    expect(existsSync(target.dataDir)).toBe(false);
    // A time without an offset is ambiguous.
    await expect(restoreEmbedded(backup.path, target, key, { to: '2030-01-01T09:00:00', progress: null })).rejects.toThrow(/offset/);
    // A whole backup of its own: as long as the drill's under load (it ran past 120 s on a busy machine).
  }, 300_000);
});
