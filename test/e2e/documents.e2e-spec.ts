import { createHash, randomUUID } from 'node:crypto';
import { ApplicationsService } from '@madoguchi/applications';
import { ApplicationWorkflowService } from '@madoguchi/engine';
import { DocumentAssembler, DocumentContentSources, DocumentIssuer } from '@madoguchi/documents';
import { IndividualNumberService, SessionService, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId } from '@madoguchi/kernel';
import { ProcedureRegistry } from '@madoguchi/procedures';
import type { StaffRole } from '@madoguchi/workflow';
import request from 'supertest';
import { pdfText } from '../support/pdf-text';
import { type Caller, CITY, PaymentsDriver, TEST_CARDS } from '../support/payments-driver';
import { OTHER_MUNICIPALITY } from '../support/test-app';
import { publishTestSubsidy, TEST_CERTIFICATE, TEST_SUBSIDY } from '../support/test-procedures';

/**
 * Documents over HTTP on a real PostgreSQL: a certificate from submission
 * and card payment to the PDF the resident downloads (its text read back),
 * the receipt, public verification (by code, by hash, by the PDF, tampered,
 * revoked), revocation and reissue by staff, a subsidy's grant and non-grant
 * notices, idempotent issuance under redelivery and concurrency, and the
 * refusals: wrong role, other department, other municipality, other
 * resident, replays, malformed and oversized input.
 */

const M2 = asMunicipalityId(OTHER_MUNICIPALITY);

describe('documents (HTTP, real PostgreSQL)', () => {
  let d: PaymentsDriver;
  let clerk: Caller;
  let reviewer: Caller;
  let otherDepartmentReviewer: Caller;
  let otherMunicipalityReviewer: Caller;

  beforeAll(async () => {
    d = await PaymentsDriver.start({ env: { PUBLIC_BASE_URL: 'https://madoguchi.example.jp' } });
    await publishTestSubsidy(d.t, [CITY]);
    clerk = await staff(['clerk'], ['shimin']);
    reviewer = await staff(['reviewer'], ['shimin']);
    otherDepartmentReviewer = await staff(['reviewer'], ['zeimu']);
    otherMunicipalityReviewer = await staff(['reviewer'], ['shimin'], null, M2);
  });
  afterAll(async () => {
    await d?.close();
  });
  afterEach(() => expect(d.unhandledErrors()).toEqual([]));

  async function staff(roles: StaffRole[], departments: string[], approvalLevel: 'kakaricho' | 'kacho' | 'bucho' | null = null, municipalityId = CITY): Promise<Caller> {
    const { account } = await d.t.get(StaffAdminService).create(municipalityId, 'test-setup', {
      loginId: `documents-${randomUUID().slice(0, 8)}`,
      password: 'correct-horse-battery-staple',
      displayName: 'テスト職員',
      roles,
      approvalLevel,
      departments,
      active: true,
    });
    const tokens = await d.t.get(SessionService).issue(municipalityId, { kind: 'staff', id: account.id }, 'bearer', 'password');
    return { id: account.id, token: tokens.accessToken };
  }

  const as = (caller: Caller) => ({
    get: (path: string) => request(d.server).get(path).auth(caller.token, { type: 'bearer' }),
    post: (path: string, body: object = {}) => request(d.server).post(path).auth(caller.token, { type: 'bearer' }).send(body),
    download: (path: string) =>
      request(d.server)
        .get(path)
        .auth(caller.token, { type: 'bearer' })
        .buffer(true)
        .parse((response, callback) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => callback(null, Buffer.concat(chunks)));
        }),
  });
  const verify = (body: object) => request(d.server).post('/api/v1/documents/verify').send(body);
  const verifyPdf = (pdf: Buffer, query = '') => request(d.server).post(`/api/v1/documents/verify${query}`).set('Content-Type', 'application/pdf').send(pdf);
  const expectError = (response: request.Response, status: number, code: string) => {
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
  };
  const count = async (sql: string, params: unknown[]) => ((await d.t.dataSource.query(sql, params)) as Array<{ n: number }>)[0].n;

  /** A resident with 窓口 太郎's individual number (the sample registry's first resident), and a certificate issued. */
  async function issuedCertificate(formData: Record<string, unknown> = { scope: '世帯全員', purpose: '学校への提出', copies: 2, includeDomicile: true }) {
    const resident = await d.resident();
    await d.t.get(IndividualNumberService).store(CITY, resident.id, '990001000012');
    const created = await as(resident).post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData }).expect(201);
    const id = created.body.id as string;
    await as(resident).post(`/api/v1/applications/${id}/submit`, {}).expect(200);
    await d.runOutbox();
    const started = await d.started(resident, id, 'card');
    expect((await d.payByCard(started.redirectUrl!, TEST_CARDS.success)).status).toBe(303);
    await d.deliverWebhooks();
    await as(clerk).post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.accept' }).expect(200);
    await d.settle();
    expect(await d.state(id)).toBe('completed');
    const listed = await as(resident).get(`/api/v1/applications/${id}/documents`).expect(200);
    expect(listed.body).toHaveLength(1);
    return { resident, id, document: listed.body[0] as { id: string; serial: string; verificationCode: string; sha256: string; downloadPath: string; verifyUrl: string } };
  }

  it('issues the certificate of residence after payment and acceptance; the resident downloads it and its text is right', async () => {
    const { resident, id, document } = await issuedCertificate();
    expect(document).toMatchObject({ kind: 'residenceCertificate', status: 'issued', title: { ja: '住民票の写し' }, issuedOnWareki: '令和8年11月22日' });
    expect(document.serial).toMatch(/^R8-C\d{6}$/);
    expect(document.verificationCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(document.verifyUrl).toBe(`https://madoguchi.example.jp/verify/${document.verificationCode}?m=990001`);

    const download = await as(resident).download(document.downloadPath).expect(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename\*=UTF-8''/);
    const pdf = download.body as Buffer;
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(document.sha256);
    const text = (await pdfText(pdf))[0].replace(/\n/g, '');
    // From the registry (matched by the stored individual number): the whole household, the domicile.
    for (const expected of ['住民票の写し', '桜ヶ丘市本町一丁目2番3号', '窓口 太郎', 'マドグチ タロウ', '昭和55年5月15日', '窓口 花子', '窓口 一郎', '窓口 さくら', '平成28年3月8日', '本籍', '令和8年11月22日', document.serial, document.verificationCode]) {
      expect(text).toContain(expected);
    }
    // The individual number is never printed.
    expect(text).not.toContain('990001000012');
    // Sample registry data: marked 見本 / SAMPLE across the page; a real match, so no stand-in note.
    expect(text).toContain('見本');
    expect(text).toContain('SAMPLE');
    expect(text).not.toContain('該当者なし');

    // Another resident, a wrong application id, a document of another application: all "not found".
    const stranger = await d.resident();
    expectError(await as(stranger).get(`/api/v1/applications/${id}/documents`), 404, 'APPLICATION_NOT_FOUND');
    expectError(await as(stranger).get(document.downloadPath), 404, 'APPLICATION_NOT_FOUND');
    const own = await d.submitted(stranger);
    expectError(await as(stranger).get(`/api/v1/applications/${own}/documents/${document.id}/pdf`), 404, 'DOCUMENT_NOT_FOUND');
    expectError(await as(resident).get(`/api/v1/applications/${id}/documents/not-a-uuid/pdf`), 400, 'BAD_REQUEST');
    // Staff see it in their department only.
    const staffList = await as(clerk).get(`/api/v1/staff/applications/${id}/documents`).expect(200);
    expect(staffList.body).toMatchObject([{ id: document.id, issuedBy: { kind: 'system', id: 'documents' }, revokedReason: null }]);
    expectError(await as(otherDepartmentReviewer).get(`/api/v1/staff/applications/${id}/documents`), 404, 'APPLICATION_NOT_FOUND');
    expectError(await as(otherMunicipalityReviewer).get(`/api/v1/staff/applications/${id}/documents`), 404, 'APPLICATION_NOT_FOUND');
  });

  it('a sample stand-in for an unmatched resident says so on the certificate, under the 見本 mark', async () => {
    const resident = await d.resident();
    const created = await as(resident).post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: { scope: '本人のみ', purpose: '学校への提出', copies: 1 } }).expect(201);
    const id = created.body.id as string;
    await as(resident).post(`/api/v1/applications/${id}/submit`, {}).expect(200);
    await d.runOutbox();
    const started = await d.started(resident, id, 'card');
    await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
    await d.deliverWebhooks();
    await as(clerk).post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.accept' }).expect(200);
    await d.settle();
    const [document] = (await as(resident).get(`/api/v1/applications/${id}/documents`).expect(200)).body as Array<{ downloadPath: string }>;
    const pages = await pdfText((await as(resident).download(document.downloadPath).expect(200)).body as Buffer);
    for (const page of pages) {
      const text = page.replace(/\n/g, '');
      expect(text).toContain('見本');
      expect(text).toContain('SAMPLE');
      expect(text).toContain('該当者なし：見本データ');
    }
  });

  it('verifies by code, by hash and by the PDF itself, and tells a tampered file from the original', async () => {
    const { resident, document } = await issuedCertificate({ scope: '本人のみ', purpose: '学校への提出', copies: 1 });
    const pdf = (await as(resident).download(document.downloadPath).expect(200)).body as Buffer;

    const byCode = await verify({ code: document.verificationCode.toLowerCase() }).expect(200);
    expect(byCode.body).toMatchObject({ status: 'valid', contentChecked: false, document: { serial: document.serial, title: { ja: '住民票の写し' }, issuedOnWareki: '令和8年11月22日' } });
    // Only what is printed: the fields, no application or account ids.
    const fields = byCode.body.document.fields as Array<{ label: { ja: string }; value: string }>;
    expect(fields.map((field) => field.label.ja)).toEqual(['住所', '記載事項（1）', '備考']);
    expect(fields[1].value).toBe('窓口 太郎（マドグチ タロウ）／昭和55年5月15日生／男／世帯主／平成27年4月1日住民となる');
    expect(JSON.stringify(byCode.body)).not.toContain(resident.id);

    await verify({ code: document.verificationCode, sha256: document.sha256 }).expect(200).expect((response) => expect(response.body).toMatchObject({ status: 'valid', contentChecked: true }));
    expect((await verify({ code: document.verificationCode, sha256: 'a'.repeat(64) }).expect(200)).body.status).toBe('altered');
    expect((await verify({ code: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ' }).expect(200)).body).toEqual(expect.objectContaining({ status: 'unknown', document: null }));

    // The PDF itself: untouched, one byte changed (found by the code it names), and the code given explicitly.
    expect((await verifyPdf(pdf).expect(200)).body).toMatchObject({ status: 'valid', contentChecked: true, document: { serial: document.serial } });
    const tampered = Buffer.from(pdf);
    tampered[Math.floor(tampered.length / 2)] ^= 0x01;
    expect(tampered.equals(pdf)).toBe(false);
    expect((await verifyPdf(tampered).expect(200)).body).toMatchObject({ status: 'altered', document: { serial: document.serial } });
    expect((await verifyPdf(tampered, `?code=${document.verificationCode}`).expect(200)).body.status).toBe('altered');
    expect((await verifyPdf(Buffer.from('%PDF-1.7\nnot one of ours\n%%EOF')).expect(200)).body.status).toBe('unknown');

    // The page a QR code opens: HTML, no script needed, Japanese with English, printed fields only.
    // The QR link names the resident pages' /verify; the API serves the page under its prefix.
    const page = await request(d.server).get(`/api/v1${new URL(document.verifyUrl).pathname}${new URL(document.verifyUrl).search}`).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('有効な書類です');
    expect(page.text).toContain('Valid document');
    expect(page.text).toContain('窓口 太郎（マドグチ タロウ）');
    expect(page.text).not.toContain('<script');
    const checked = await request(d.server).get(`/api/v1/verify?code=${document.verificationCode}&sha256=${'0'.repeat(64)}&m=990001`).expect(200);
    expect(checked.text).toContain('内容が一致しません');
    const form = await request(d.server).get('/api/v1/verify').expect(200);
    expect(form.text).toContain('<form method="get" action="/api/v1/verify">');
    // Markup in what was typed is shown as text.
    const hostile = await request(d.server).get(`/api/v1/verify/${encodeURIComponent('<script>alert(1)</script>')}`).expect(200);
    expect(hostile.text).not.toContain('<script>alert(1)');
    expect(hostile.text).toContain('見つかりません');

    // Another municipality's register knows nothing of it.
    expect((await verify({ code: document.verificationCode }).set('X-Municipality-Id', OTHER_MUNICIPALITY).expect(200)).body.status).toBe('unknown');
    expect((await request(d.server).get(`/api/v1/verify/${document.verificationCode}?m=${OTHER_MUNICIPALITY}`).expect(200)).text).toContain('見つかりません');

    // Malformed and oversized requests: 4xx with a stable code, never 500.
    expectError(await verify({}), 400, 'DOCUMENT_VERIFY_REQUEST_INVALID');
    expectError(await verify({ code: 42 }), 400, 'DOCUMENT_VERIFY_REQUEST_INVALID');
    expectError(await verify({ code: document.verificationCode, sha256: 'xyz' }), 400, 'DOCUMENT_VERIFY_REQUEST_INVALID');
    expectError(await verify({ code: document.verificationCode, extra: true }), 400, 'DOCUMENT_VERIFY_REQUEST_INVALID');
    expectError(await verify({ code: 'x'.repeat(65) }), 400, 'DOCUMENT_VERIFY_REQUEST_INVALID');
    expectError(await request(d.server).post('/api/v1/documents/verify').set('Content-Type', 'application/json').send('{"code":'), 400, 'MALFORMED_JSON');
    expectError(await request(d.server).post('/api/v1/documents/verify').set('Content-Type', 'application/json').send('[1,2]'), 400, 'DOCUMENT_VERIFY_REQUEST_INVALID');
    expectError(await verifyPdf(Buffer.alloc(0)), 400, 'DOCUMENT_VERIFY_REQUEST_INVALID');
    expectError(await verifyPdf(Buffer.alloc(2 * 1024 * 1024 + 1, 0x20)), 413, 'PAYLOAD_TOO_LARGE');
    expectError(await request(d.server).post('/api/v1/documents/verify?m=123').send({ code: document.verificationCode }), 404, 'TENANCY_UNKNOWN_MUNICIPALITY');
    expectError(await request(d.server).post('/api/v1/documents/verify').set('X-Municipality-Id', '999999').send({ code: document.verificationCode }), 404, 'TENANCY_UNKNOWN_MUNICIPALITY');
  });

  it('gives every submitted application a receipt with its own serial and code, the same one each time', async () => {
    const resident = await d.resident();
    const id = await d.submitted(resident, 4);
    const responses = await Promise.all([1, 2, 3].map(() => as(resident).download(`/api/v1/applications/${id}/receipt.pdf`)));
    for (const response of responses) expect(response.status).toBe(200);
    const hashes = new Set(responses.map((response) => createHash('sha256').update(response.body as Buffer).digest('hex')));
    expect(hashes.size).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM documents WHERE application_id = $1 AND kind = 'receipt'`, [id])).toBe(1);
    const text = (await pdfText(responses[0].body as Buffer))[0].replace(/\n/g, '');
    const [application] = await d.t.dataSource.query(`SELECT reference_number FROM applications WHERE id = $1`, [id]);
    for (const expected of ['受付票', application.reference_number, '令和8年11月22日（2026年11月22日） 10:00', 'オンライン', '1,200円']) expect(text).toContain(expected);
    expect(text).toMatch(/R8-U\d{6}/);
    const [receipt] = await d.t.dataSource.query(`SELECT verification_code, sha256 FROM documents WHERE application_id = $1`, [id]);
    expect((await verify({ code: receipt.verification_code, sha256: receipt.sha256 }).expect(200)).body.status).toBe('valid');

    // A draft has no receipt; another resident does not get one.
    const draft = await as(resident).post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: {} }).expect(201);
    expectError(await as(resident).get(`/api/v1/applications/${draft.body.id}/receipt.pdf`), 409, 'APPLICATION_NOT_SUBMITTED');
    expectError(await as(await d.resident()).get(`/api/v1/applications/${id}/receipt.pdf`), 404, 'APPLICATION_NOT_FOUND');
  });

  it('lets a reviewer revoke a document (verification then says so) and reissue one with a new serial, audited, once', async () => {
    const first = await issuedCertificate({ scope: '本人のみ', purpose: '学校への提出', copies: 1 });
    // Wrong role, other department, other municipality, bad input: refused, nothing changes.
    expectError(await as(clerk).post(`/api/v1/staff/documents/${first.document.id}/revoke`, { reason: '誤交付' }), 403, 'AUTH_FORBIDDEN');
    expectError(await as(otherDepartmentReviewer).post(`/api/v1/staff/documents/${first.document.id}/revoke`, { reason: '誤交付' }), 404, 'DOCUMENT_NOT_FOUND');
    expectError(await as(otherMunicipalityReviewer).post(`/api/v1/staff/documents/${first.document.id}/revoke`, { reason: '誤交付' }), 404, 'DOCUMENT_NOT_FOUND');
    expectError(await as(first.resident).post(`/api/v1/staff/documents/${first.document.id}/revoke`, { reason: '誤交付' }), 403, 'AUTH_FORBIDDEN');
    expectError(await as(reviewer).post(`/api/v1/staff/documents/${first.document.id}/revoke`, {}), 400, 'VALIDATION_FAILED');
    expectError(await as(reviewer).post(`/api/v1/staff/documents/${first.document.id}/revoke`, { reason: 'x'.repeat(501) }), 400, 'VALIDATION_FAILED');
    expectError(await as(reviewer).post(`/api/v1/staff/documents/${randomUUID()}/revoke`, { reason: '誤交付' }), 404, 'DOCUMENT_NOT_FOUND');
    expect((await verify({ code: first.document.verificationCode }).expect(200)).body.status).toBe('valid');

    const revoked = await as(reviewer).post(`/api/v1/staff/documents/${first.document.id}/revoke`, { reason: '宛名の誤りのため' }).expect(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedBy: reviewer.id, revokedReason: '宛名の誤りのため', replacedBy: null, downloadPath: null });
    const verdict = (await verify({ code: first.document.verificationCode, sha256: first.document.sha256 }).expect(200)).body;
    expect(verdict).toMatchObject({ status: 'revoked', document: { serial: first.document.serial, revokedOn: '2026-11-22', fields: [] } });
    expect(JSON.stringify(verdict)).not.toContain('宛名の誤り');
    expect((await request(d.server).get(`/api/v1/verify/${first.document.verificationCode}`).expect(200)).text).toContain('取り消された書類です');
    expectError(await as(first.resident).get(first.document.downloadPath), 410, 'DOCUMENT_REVOKED');
    expectError(await as(reviewer).post(`/api/v1/staff/documents/${first.document.id}/revoke`, { reason: 'もう一度' }), 409, 'DOCUMENT_ALREADY_REVOKED');
    expectError(await as(reviewer).post(`/api/v1/staff/documents/${first.document.id}/reissue`, { reason: '再交付' }), 409, 'DOCUMENT_ALREADY_REVOKED');

    // Reissue: two reviewers at once; exactly one succeeds, the other finds it revoked.
    const second = await issuedCertificate({ scope: '本人のみ', purpose: '学校への提出', copies: 1 });
    const otherReviewer = await staff(['reviewer'], ['shimin']);
    const answers = await Promise.all([reviewer, otherReviewer].map((who) => as(who).post(`/api/v1/staff/documents/${second.document.id}/reissue`, { reason: '住所の記載誤りのため' })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const reissued = answers.find((answer) => answer.status === 200)!.body;
    expect(reissued).toMatchObject({ status: 'issued', replaces: second.document.id, kind: 'residenceCertificate' });
    expect(reissued.serial).not.toBe(second.document.serial);
    expect(reissued.verificationCode).not.toBe(second.document.verificationCode);
    const listed = (await as(second.resident).get(`/api/v1/applications/${second.id}/documents`).expect(200)).body as Array<{ id: string; status: string; replacedBy: string | null }>;
    expect(listed.map((item) => [item.id, item.status, item.replacedBy])).toEqual([
      [second.document.id, 'revoked', reissued.id],
      [reissued.id, 'issued', null],
    ]);
    expect((await verify({ code: second.document.verificationCode }).expect(200)).body.status).toBe('revoked');
    expect((await verify({ code: reissued.verificationCode, sha256: reissued.sha256 }).expect(200)).body.status).toBe('valid');
    const newPdf = (await as(second.resident).download(reissued.downloadPath).expect(200)).body as Buffer;
    expect((await pdfText(newPdf))[0]).toContain(reissued.serial);

    // Audited with ids only.
    await d.runOutbox();
    const audited: Array<{ action: string; actor_id: string; target_id: string; details: Record<string, unknown> }> = await d.t.dataSource.query(
      `SELECT action, actor_id, target_id, details FROM audit_log WHERE action LIKE 'document.%' AND target_id = ANY($1) ORDER BY seq`,
      [[first.document.id, second.document.id]],
    );
    expect(audited.map((entry) => [entry.action, entry.target_id])).toEqual([
      ['document.revoked', first.document.id],
      ['document.reissued', second.document.id],
    ]);
    expect(audited[1].details).toMatchObject({ applicationId: second.id, replacedBy: reissued.id, newSerial: reissued.serial });
    expect(JSON.stringify(audited)).not.toMatch(/宛名|住所の記載|窓口 太郎/);
  });

  it('issues once however often or concurrently the issue message is delivered', async () => {
    const resident = await d.resident();
    const id = await d.submitted(resident);
    const workflow = d.t.get(ApplicationWorkflowService);
    await workflow.transition(CITY, id, { type: 'payment.succeeded', actor: { kind: 'provider', id: 'test' } });
    const accepted = await workflow.transition(CITY, id, { type: 'staff.accept', actor: { kind: 'staff', id: clerk.id } });
    expect(accepted.to).toBe('issuing');
    const message = { municipalityId: CITY, id: randomUUID(), topic: 'document.issue', payload: { applicationId: id, state: 'issuing', revision: accepted.revision, event: 'staff.accept' }, applicationId: id, attempts: 1 };
    const issuer = d.t.get(DocumentIssuer);
    await Promise.all(Array.from({ length: 6 }, () => issuer.onIssueMessage({ ...message, id: randomUUID() })));
    await issuer.onIssueMessage(message);
    expect(await count(`SELECT count(*)::int AS n FROM documents WHERE application_id = $1`, [id])).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM application_events WHERE application_id = $1 AND type = 'document.issued'`, [id])).toBe(1);
    expect(await d.state(id)).toBe('notifying');
    // The engine's own message for the same step, delivered late, changes nothing either.
    await d.settle();
    expect(await count(`SELECT count(*)::int AS n FROM documents WHERE application_id = $1`, [id])).toBe(1);
    // Serials have no gaps: every drawn number went to a stored document.
    const [serials] = await d.t.dataSource.query(
      `SELECT (SELECT last_value::int FROM tenant_sequences WHERE municipality_id = $1 AND sequence = 'document-serial' AND scope = 'C|2026') AS last,
              (SELECT count(*)::int FROM documents WHERE municipality_id = $1 AND serial LIKE 'R8-C%') AS stored`,
      [CITY],
    );
    expect(serials.last).toBe(serials.stored);
  });

  it('issues a subsidy grant notice after the final approval, and a non-grant notice on rejection', async () => {
    const applicant = await d.resident();
    const kankyoClerk = await staff(['clerk', 'reviewer'], ['kankyo']);
    const kakaricho = await staff(['approver'], ['kankyo'], 'kakaricho');
    const zaisei = await staff(['approver'], ['zaisei'], 'kakaricho');
    const kacho = await staff(['approver'], ['kankyo'], 'kacho');
    const form = {
      applicantName: '窓口 花子',
      applicantKana: 'マドグチ ハナコ',
      phone: '03-1234-5678',
      installationAddress: '桜ヶ丘市本町1-2-3',
      buildingType: '既存住宅',
      capacityKw: 4,
      installationCost: 1200000,
      requestedAmount: 80000,
      installerName: '桜ヶ丘電設株式会社',
      plannedCompletionDate: '2027-02-28',
    };
    const submit = async () => {
      const created = await as(applicant).post('/api/v1/applications', { procedureCode: TEST_SUBSIDY, formData: form }).expect(201);
      await as(applicant).post(`/api/v1/applications/${created.body.id}/submit`, {}).expect(200);
      await as(kankyoClerk).post(`/api/v1/staff/applications/${created.body.id}/events`, { type: 'staff.accept' }).expect(200);
      return created.body.id as string;
    };
    const granted = await submit();
    await as(kakaricho).post(`/api/v1/staff/applications/${granted}/approvals/approve`, { step: 0 }).expect(200);
    await as(zaisei).post(`/api/v1/staff/applications/${granted}/approvals/approve`, { step: 1 }).expect(200);
    const done = await as(kacho).post(`/api/v1/staff/applications/${granted}/approvals/approve`, { step: 2, grantAmount: 75000 }).expect(200);
    expect(done.body.state).toBe('issuing');
    await d.settle();
    expect(await d.state(granted)).toBe('completed');
    const [grantNotice] = (await as(applicant).get(`/api/v1/applications/${granted}/documents`).expect(200)).body;
    expect(grantNotice).toMatchObject({ kind: 'grantDecision', title: { ja: '補助金交付決定通知書' } });
    const grantText = (await pdfText((await as(applicant).download(grantNotice.downloadPath).expect(200)).body as Buffer))[0].replace(/\n/g, '');
    for (const expected of ['補助金交付決定通知書', '窓口 花子', done.body.grantDecision.decisionNumber, '80,000円', '75,000円', '交付することに決定', '審査請求']) expect(grantText).toContain(expected);

    const refused = await submit();
    await as(kakaricho).post(`/api/v1/staff/applications/${refused}/approvals/reject`, { reason: '予算の上限に達したため' }).expect(200);
    expect(await d.state(refused)).toBe('rejected');
    await d.settle();
    const [nonGrant] = (await as(applicant).get(`/api/v1/applications/${refused}/documents`).expect(200)).body;
    expect(nonGrant).toMatchObject({ kind: 'nonGrantDecision', title: { ja: '補助金不交付決定通知書' } });
    const nonGrantText = (await pdfText((await as(applicant).download(nonGrant.downloadPath).expect(200)).body as Buffer))[0].replace(/\n/g, '');
    for (const expected of ['補助金不交付決定通知書', '交付しないことに決定', '予算の上限に達したため']) expect(nonGrantText).toContain(expected);
    expect(nonGrantText).not.toContain('75,000円');
  });

  it('takes a use permit from a registered content source, falling back to the booking form', async () => {
    const registry = d.t.get(ProcedureRegistry);
    const assembler = d.t.get(DocumentAssembler);
    const resident = await d.resident();
    const formData = { room: '和室（20人）', organizerName: '桜ヶ丘俳句の会', phone: '03-1234-5678', email: 'haiku@example.jp', purpose: '句会', attendees: 12 };
    const draft = await d.t.get(ApplicationsService).createDraft(CITY, { procedureCode: 'kominkan-yoyaku', channel: 'online', applicantId: resident.id, formData, actor: { kind: 'resident', id: resident.id } });
    const application = await d.t.get(ApplicationsService).get(CITY, draft.id);
    const { definition } = await registry.latest(CITY, 'kominkan-yoyaku');
    const { content: fallback } = await assembler.content(application, definition, 'usePermit', 'Asia/Tokyo');
    expect(fallback).toMatchObject({ kind: 'usePermit', permit: { room: { ja: '和室（20人）' }, organizerName: '桜ヶ丘俳句の会', purpose: '句会', attendees: 12, slots: [] } });

    d.t.get(DocumentContentSources).register({
      kinds: ['permit'],
      content: async (municipalityId, applicationId) =>
        applicationId === draft.id && municipalityId === CITY
          ? {
              bookingNumber: 'B-000777',
              facility: { ja: '桜ヶ丘中央公民館', en: 'Sakuragaoka Central Community Centre' },
              room: { ja: '和室', en: 'Japanese-style room' },
              slots: [{ date: '2026-12-05', start: '13:00', end: '15:00' }],
              organizerName: '桜ヶ丘俳句の会',
              purpose: '句会',
              attendees: 12,
              fee: 500,
              reduction: null,
            }
          : null,
    });
    const { content: supplied } = await assembler.content(application, definition, 'usePermit', 'Asia/Tokyo');
    expect(supplied).toMatchObject({ permit: { bookingNumber: 'B-000777', slots: [{ date: '2026-12-05', start: '13:00', end: '15:00' }], fee: 500 } });
  });
});
