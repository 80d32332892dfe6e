import { parse as parseCsv } from 'csv-parse/sync';
import { PASSWORD, withCheckDigit } from '../support/identity-e2e';
import {
  CERTIFICATE_FORM,
  client,
  type Client,
  expectNoServerErrors,
  markPaid,
  MUNICIPALITY,
  SECOND,
  startSubmissionApp,
  submitted,
  type SubmissionHarness,
} from '../support/submission-e2e';
import { publishTestZeimuCertificate, TEST_CERTIFICATE, TEST_ZEIMU_CERTIFICATE } from '../support/test-procedures';

/**
 * "Who has looked at my information" (issue 15): the resident's list is
 * exactly the staff reads of their data the audit log holds, with the
 * reading department and the reason where one was given, never the staff
 * member. Reads are done by staff of two departments, of several kinds,
 * beside reads of another resident's case that must not appear.
 */
describe('resident access log (HTTP, real PostgreSQL)', () => {
  let h: SubmissionHarness;
  let resident: Client;
  let other: Client;
  let residentId: string;
  const staff = {} as Record<'shiminClerk' | 'shiminReviewer' | 'zeimuClerk' | 'zeimuReviewer', Client & { id: string; loginId: string }>;

  beforeAll(async () => {
    h = await startSubmissionApp();
    await publishTestZeimuCertificate(h.t, [MUNICIPALITY]);
    const a = await h.identity.resident('access-log@example.jp');
    residentId = a.id;
    resident = client(h.server, a.token);
    other = client(h.server, (await h.identity.resident('access-log-other@example.jp')).token);
    for (const [name, roles, department] of [
      ['shiminClerk', ['clerk'], 'shimin'],
      ['shiminReviewer', ['reviewer'], 'shimin'],
      ['zeimuClerk', ['clerk'], 'zeimu'],
      ['zeimuReviewer', ['reviewer'], 'zeimu'],
    ] as const) {
      const handle = await h.identity.staff(`${name}.accesslog`, [...roles], { departments: [department] });
      staff[name] = Object.assign(client(h.server, handle.token), { id: handle.id, loginId: handle.loginId });
    }
  });
  afterAll(async () => {
    if (h) expectNoServerErrors(h);
    await h?.close();
  });

  async function staffReadsInAuditLog(): Promise<Array<{ seq: number; action: string; details: Record<string, unknown> }>> {
    return h.t.dataSource.query(
      `SELECT a.seq::int AS seq, a.action, a.details FROM audit_log a
         LEFT JOIN applications app ON a.target_type = 'application' AND app.id::text = a.target_id
        WHERE a.municipality_id = $1 AND a.actor_kind = 'staff' AND a.action IN ('application.read', 'individualNumber.decrypted')
          AND (app.applicant_id = $2 OR (a.target_type = 'resident' AND a.target_id = $2))
        ORDER BY a.seq DESC`,
      [MUNICIPALITY, residentId],
    );
  }

  it('lists exactly the staff reads of the resident in the audit log: when, department, what, why; no staff names', async () => {
    const shiminCase = await submitted(resident, TEST_CERTIFICATE, CERTIFICATE_FORM);
    await markPaid(h.t, shiminCase.id);
    const zeimuCase = await submitted(resident, TEST_ZEIMU_CERTIFICATE, CERTIFICATE_FORM);
    await markPaid(h.t, zeimuCase.id);
    const othersCase = await submitted(other, TEST_CERTIFICATE, CERTIFICATE_FORM);
    await resident.put('/api/v1/residents/me/individual-number', { individualNumber: withCheckDigit('12345678901') }).expect(200);

    // Nothing read yet: an empty list (the resident's own reads are not listed).
    await resident.get(`/api/v1/applications/${shiminCase.id}`).expect(200);
    expect((await resident.get('/api/v1/me/access-log').expect(200)).body).toEqual({ entries: [], nextBefore: null });

    const reads: Array<() => Promise<unknown>> = [
      () => staff.shiminClerk.get(`/api/v1/staff/applications/${shiminCase.id}`).expect(200),
      () => staff.shiminClerk.get(`/api/v1/staff/applications/${shiminCase.id}/notes`).expect(200),
      () => staff.shiminReviewer.get(`/api/v1/staff/applications/${shiminCase.id}/diff`).expect(200),
      () => staff.shiminReviewer.get(`/api/v1/staff/applications/${shiminCase.id}/documents`).expect(200),
      () => staff.zeimuClerk.get(`/api/v1/staff/applications/${zeimuCase.id}`).expect(200),
      () => staff.zeimuReviewer.post(`/api/v1/staff/residents/${residentId}/individual-number/reveal`, { purpose: '課税資料との照合のため' }).expect(200),
      // Another resident's case: in the audit log, not in this resident's list.
      () => staff.shiminClerk.get(`/api/v1/staff/applications/${othersCase.id}`).expect(200),
    ];
    for (const read of reads) {
      h.t.clock.advance(SECOND);
      await read();
    }
    // Refused reads leave no entry: 税務課 cannot open 市民課's case.
    await staff.zeimuClerk.get(`/api/v1/staff/applications/${shiminCase.id}`).expect(404);

    const inAuditLog = await staffReadsInAuditLog();
    expect(inAuditLog).toHaveLength(6);
    // Every read now names its subject, department and kind.
    for (const entry of inAuditLog) expect(entry.details).toMatchObject({ subject: residentId, read: expect.any(String) });

    const listed = (await resident.get('/api/v1/me/access-log').expect(200)).body as { entries: Array<Record<string, unknown>>; nextBefore: number | null };
    expect(listed.nextBefore).toBeNull();
    expect(listed.entries.map((entry) => entry.seq)).toEqual(inAuditLog.map((entry) => entry.seq));
    expect(listed.entries.map(({ departments, what, applicationId, reason }) => ({ departments, what, applicationId, reason }))).toEqual([
      { departments: ['zeimu'], what: 'individualNumber', applicationId: null, reason: '課税資料との照合のため' },
      { departments: ['zeimu'], what: 'application', applicationId: zeimuCase.id, reason: null },
      { departments: ['shimin'], what: 'documents', applicationId: shiminCase.id, reason: null },
      { departments: ['shimin'], what: 'diff', applicationId: shiminCase.id, reason: null },
      { departments: ['shimin'], what: 'notes', applicationId: shiminCase.id, reason: null },
      { departments: ['shimin'], what: 'application', applicationId: shiminCase.id, reason: null },
    ]);
    expect(listed.entries[5]).toMatchObject({ referenceNumber: shiminCase.referenceNumber, at: expect.stringMatching(/Z$/) });
    const text = JSON.stringify(listed);
    for (const member of Object.values(staff)) {
      expect(text).not.toContain(member.id);
      expect(text).not.toContain(member.loginId);
    }

    // Pages of two, newest first, continue where the last stopped.
    const first = (await resident.get('/api/v1/me/access-log?limit=2').expect(200)).body;
    const second = (await resident.get(`/api/v1/me/access-log?limit=2&before=${first.nextBefore}`).expect(200)).body;
    expect([...first.entries, ...second.entries].map((entry: { seq: number }) => entry.seq)).toEqual(inAuditLog.slice(0, 4).map((entry) => entry.seq));

    // The other resident sees only the one read of their case.
    const others = (await other.get('/api/v1/me/access-log').expect(200)).body;
    expect(others.entries).toHaveLength(1);
    expect(others.entries[0]).toMatchObject({ applicationId: othersCase.id, departments: ['shimin'], what: 'application' });

    // The same as CSV: UTF-8 with BOM, header row, one line per read.
    const csv = await resident.download('/api/v1/me/access-log.csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const body = (csv.body as Buffer).toString('utf8');
    expect(body.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(body, { bom: true }) as string[][];
    expect(rows[0][0]).toBe('日時 (at)');
    expect(rows.slice(1).map((row) => [row[1], row[2], row[6]])).toEqual(listed.entries.map((entry) => [(entry.departments as string[]).join(' '), entry.what, entry.reason ?? '']));
  });

  it('is the resident’s own: staff and anonymous callers are refused', async () => {
    await staff.shiminClerk.get('/api/v1/me/access-log').expect(403);
    const anonymous = await client(h.server, 'not-a-token').get('/api/v1/me/access-log');
    expect(anonymous.status).toBe(401);
    await staff.shiminClerk.get('/api/v1/me/access-log.csv').expect(403);
    expect(PASSWORD).toBeTruthy();
  });
});
