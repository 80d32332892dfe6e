import request from 'supertest';
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
 * The portal page "Who has looked at my information" (issue 15) over HTTP:
 * the signed-in resident sees exactly the staff reads of their data the
 * audit log holds (department names, what, the reason where one was
 * given), never a staff member, never another resident's reads; pages of
 * 50, older pages by a cursor; the CSV link serves the same file as the
 * JSON API's CSV; a bad cursor is a 400 page, not an error.
 */

jest.setTimeout(180_000);

const SESSION = 'madoguchi_session';

describe('access log page (HTTP, real PostgreSQL)', () => {
  let h: SubmissionHarness;
  let resident: Client;
  let other: Client;
  let residentId: string;
  let residentCookie: string;
  let otherCookie: string;
  let shiminCaseId: string;
  const staff = {} as Record<'shiminClerk' | 'zeimuReviewer', Client & { id: string; loginId: string }>;

  async function signInThroughPage(email: string): Promise<string> {
    const response = await request(h.server).post('/account/sign-in').type('form').send({ email, password: PASSWORD }).expect(303);
    const cookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []).find((line) => line.startsWith(`${SESSION}=`) && !line.startsWith(`${SESSION}=;`));
    if (!cookie) throw new Error('no session cookie');
    return cookie.split(';')[0];
  }

  const page = (cookie: string, url: string) => request(h.server).get(url).set('Cookie', cookie);
  const seqsOn = (html: string) => [...html.matchAll(/data-seq="(\d+)"/g)].map((match) => Number(match[1]));

  beforeAll(async () => {
    h = await startSubmissionApp({ portal: true });
    await publishTestZeimuCertificate(h.t, [MUNICIPALITY]);
    const a = await h.identity.resident('access-page@example.jp');
    residentId = a.id;
    resident = client(h.server, a.token);
    other = client(h.server, (await h.identity.resident('access-page-other@example.jp')).token);
    residentCookie = await signInThroughPage('access-page@example.jp');
    otherCookie = await signInThroughPage('access-page-other@example.jp');
    for (const [name, roles, department] of [
      ['shiminClerk', ['clerk'], 'shimin'],
      ['zeimuReviewer', ['reviewer'], 'zeimu'],
    ] as const) {
      const handle = await h.identity.staff(`${name}.accesspage`, [...roles], { departments: [department] });
      staff[name] = Object.assign(client(h.server, handle.token), { id: handle.id, loginId: handle.loginId });
    }
  });
  afterAll(async () => {
    if (h) expectNoServerErrors(h);
    await h?.close();
  });

  async function staffReadsInAuditLog(applicant: string): Promise<number[]> {
    const rows: Array<{ seq: number }> = await h.t.dataSource.query(
      `SELECT a.seq::int AS seq FROM audit_log a
         LEFT JOIN applications app ON a.target_type = 'application' AND app.id::text = a.target_id
        WHERE a.municipality_id = $1 AND a.actor_kind = 'staff' AND a.action IN ('application.read', 'individualNumber.decrypted')
          AND (app.applicant_id = $2 OR (a.target_type = 'resident' AND a.target_id = $2))
        ORDER BY a.seq DESC`,
      [MUNICIPALITY, applicant],
    );
    return rows.map((row) => row.seq);
  }

  it('is linked from the account page and empty before any staff read', async () => {
    const home = await page(residentCookie, '/account').expect(200);
    expect(home.text).toContain('href="/account/access-log"');
    const empty = await page(residentCookie, '/account/access-log').expect(200);
    expect(empty.text).toContain('id="access-log-empty"');
    expect(empty.text).toContain('href="/account/access-log.csv"');
    expect(seqsOn(empty.text)).toEqual([]);
  });

  it('lists exactly the audited staff reads of this resident, by department, with the reason; no staff, no other resident', async () => {
    const shiminCase = await submitted(resident, TEST_CERTIFICATE, CERTIFICATE_FORM);
    await markPaid(h.t, shiminCase.id);
    shiminCaseId = shiminCase.id;
    const zeimuCase = await submitted(resident, TEST_ZEIMU_CERTIFICATE, CERTIFICATE_FORM);
    await markPaid(h.t, zeimuCase.id);
    const othersCase = await submitted(other, TEST_CERTIFICATE, CERTIFICATE_FORM);
    await resident.put('/api/v1/residents/me/individual-number', { individualNumber: withCheckDigit('12345678901') }).expect(200);

    for (const read of [
      () => staff.shiminClerk.get(`/api/v1/staff/applications/${shiminCase.id}`).expect(200),
      () => staff.shiminClerk.get(`/api/v1/staff/applications/${shiminCase.id}/notes`).expect(200),
      () => staff.zeimuReviewer.post(`/api/v1/staff/residents/${residentId}/individual-number/reveal`, { purpose: '課税資料との照合のため' }).expect(200),
      () => staff.shiminClerk.get(`/api/v1/staff/applications/${othersCase.id}`).expect(200),
    ]) {
      h.t.clock.advance(SECOND);
      await read();
    }
    // The resident's own reads are not "who looked".
    await resident.get(`/api/v1/applications/${zeimuCase.id}`).expect(200);

    const audited = await staffReadsInAuditLog(residentId);
    expect(audited).toHaveLength(3);
    const listed = await page(residentCookie, '/account/access-log').expect(200);
    expect(seqsOn(listed.text)).toEqual(audited);
    const main = listed.text.slice(listed.text.indexOf('<main'));
    expect(main).toContain('市民課');
    expect(main).toContain('税務課');
    expect(main).toContain('課税資料との照合のため');
    expect(main).toContain('個人番号（マイナンバー）の表示');
    expect(main).toContain('案件のメモ');
    expect(main).toContain(shiminCase.referenceNumber);
    expect(main).not.toContain(othersCase.referenceNumber);
    for (const member of Object.values(staff)) {
      expect(main).not.toContain(member.id);
      expect(main).not.toContain(member.loginId);
    }

    // English: department names in English.
    const english = await page(residentCookie, '/account/access-log').set('Cookie', `${residentCookie}; lang=en`).expect(200);
    expect(english.text).toContain('Taxation Division');
    expect(english.text).toContain('Individual Number shown');

    // The other resident sees the one read of their own case only.
    const others = await page(otherCookie, '/account/access-log').expect(200);
    expect(seqsOn(others.text)).toEqual(await staffReadsInAuditLog(await idOf(otherCookie)));
    expect(seqsOn(others.text)).toHaveLength(1);
    expect(others.text).not.toContain('課税資料との照合のため');
  });

  it('serves the CSV to the signed-in resident: the same file as the JSON API’s', async () => {
    const fromPage = await page(residentCookie, '/account/access-log.csv').buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(fromPage.headers['content-type']).toMatch(/^text\/csv/);
    expect(fromPage.headers['content-disposition']).toBe('attachment; filename="access-log.csv"');
    expect(fromPage.headers['cache-control']).toBe('no-store');
    const fromApi = await resident.download('/api/v1/me/access-log.csv').expect(200);
    expect((fromPage.body as Buffer).toString('utf8')).toBe((fromApi.body as Buffer).toString('utf8'));
    expect((fromPage.body as Buffer).toString('utf8').split('\r\n').filter(Boolean)).toHaveLength(1 + 3);
  });

  it('pages by 50, newest first, older pages by the cursor the page links to', async () => {
    for (let index = 0; index < 50; index += 1) await staff.shiminClerk.get(`/api/v1/staff/applications/${shiminCaseId}`).expect(200);
    const audited = await staffReadsInAuditLog(residentId);
    expect(audited.length).toBeGreaterThan(50);

    const first = await page(residentCookie, '/account/access-log').expect(200);
    expect(seqsOn(first.text)).toEqual(audited.slice(0, 50));
    const next = /href="(\/account\/access-log\?before=\d+)"/.exec(first.text)?.[1];
    expect(next).toBe(`/account/access-log?before=${audited[49]}`);
    const second = await page(residentCookie, next!).expect(200);
    expect(seqsOn(second.text)).toEqual(audited.slice(50));
    expect(second.text).not.toMatch(/href="\/account\/access-log\?before=/);
    expect(second.text).toContain('href="/account/access-log"');
  });

  it('refuses a bad cursor with a 400 page; anonymous callers go to sign in', async () => {
    for (const before of ['abc', '0', '-1', '1e5', '99999999999999999999']) {
      const refused = await page(residentCookie, `/account/access-log?before=${before}`).expect(400);
      expect(refused.headers['content-type']).toMatch(/^text\/html/);
      expect(refused.text).toContain('ページの指定が正しくありません');
    }
    const anonymous = await request(h.server).get('/account/access-log').expect(303);
    expect(anonymous.headers.location).toBe('/account/sign-in?next=%2Faccount%2Faccess-log');
    await request(h.server).get('/account/access-log.csv').expect(303);
  });

  async function idOf(cookie: string): Promise<string> {
    return (await request(h.server).get('/api/v1/auth/me').set('Cookie', cookie).expect(200)).body.id as string;
  }
});

