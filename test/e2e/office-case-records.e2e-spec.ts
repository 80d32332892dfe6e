import { StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId, type MunicipalityId } from '@madoguchi/kernel';
import type { StaffRole } from '@madoguchi/workflow';
import request from 'supertest';
import { deskRefund, RECORDS_INDIVIDUAL_NUMBER as INDIVIDUAL_NUMBER, seedCaseRecords } from '../support/office-case-records';
import { CITY, PaymentsDriver } from '../support/payments-driver';
import { OTHER_MUNICIPALITY } from '../support/test-app';

/**
 * The office case page's records over HTTP (issue 12): the individual
 * number revealed for a reason, attachments viewed and downloaded, the
 * signature check, fee and payments, documents downloaded, revoked and
 * reissued, and the desk refund payouts. Each staff read is audited; wrong
 * role, another department and another municipality are refused.
 */

const M2 = asMunicipalityId(OTHER_MUNICIPALITY);
const PASSWORD = 'office-records-password-0001';
let d: PaymentsDriver;
let allowanceCase: string;
let certificateCase: string;
let payment: { id: string; receiptNumber: string };

interface Session {
  cookie: string;
  csrf: string;
}

async function account(loginId: string, roles: StaffRole[], departments: string[], municipalityId: MunicipalityId = CITY): Promise<void> {
  await d.t.get(StaffAdminService).create(municipalityId, 'office-records-setup', { loginId, password: PASSWORD, displayName: `職員 ${loginId}`, roles, approvalLevel: null, departments, active: true });
}

async function signIn(loginId: string, municipalityId: MunicipalityId = CITY): Promise<Session> {
  await d.t.dataSource.query('DELETE FROM rate_limits');
  const response = await request(d.server).post('/office/sign-in').set('X-Municipality-Id', municipalityId).type('form').send({ loginId, password: PASSWORD, next: '/office' });
  expect(response.status).toBe(303);
  const cookie = (response.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('madoguchi_session='))!.split(';')[0];
  const page = await request(d.server).get('/office/totp').set('Cookie', cookie);
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '' };
}

const get = (session: Session, path: string) => request(d.server).get(path).set('Cookie', session.cookie);
const post = (session: Session, path: string, body: Record<string, string> = {}) =>
  request(d.server)
    .post(path)
    .set('Cookie', session.cookie)
    .type('form')
    .send({ _csrf: session.csrf, ...body });
async function auditCount(applicationId: string, action: string, read: string): Promise<number> {
  const [row] = await d.t.dataSource.query(
    `SELECT count(*)::int AS n FROM audit_log WHERE target_type = 'application' AND target_id = $1 AND action = $2 AND details->>'read' = $3`,
    [applicationId, action, read],
  );
  return row.n as number;
}

beforeAll(async () => {
  d = await PaymentsDriver.start({ office: true, env: { DIGITAL_AUTH_ISSUER: 'off', PUBLIC_BASE_URL: 'https://madoguchi.example.jp' } });
  await account('rec-clerk', ['clerk'], ['shimin', 'kodomo']);
  await account('rec-reviewer', ['reviewer'], ['shimin', 'kodomo']);
  await account('rec-other-dept', ['clerk', 'reviewer'], ['zeimu']);
  await account('rec-accountant', ['accountant'], []);
  await account('rec-other-city', ['clerk', 'reviewer'], ['shimin', 'kodomo'], M2);
  await account('rec-manager', ['manager'], ['shimin']);
  ({ allowanceCase, certificateCase, payment } = await seedCaseRecords(d));
}, 180_000);

afterAll(async () => {
  expect(d?.unhandledErrors()).toEqual([]);
  await d?.close();
});

describe('individual number', () => {
  it('is masked on the case page; a reviewer reveals it for a reason, once, in the answer to the POST, audited', async () => {
    const reviewer = await signIn('rec-reviewer');
    const page = await get(reviewer, `/office/applications/${allowanceCase}`).expect(200);
    expect(page.text).toContain(`********${INDIVIDUAL_NUMBER.slice(-4)}`);
    expect(page.text).not.toContain(INDIVIDUAL_NUMBER);
    expect(page.text).toContain(`action="/office/applications/${allowanceCase}/individual-number/reveal"`);

    const before = await auditCount(allowanceCase, 'individualNumber.decrypted', 'individualNumber');
    const revealed = await post(reviewer, `/office/applications/${allowanceCase}/individual-number/reveal`, { purpose: '児童手当の認定審査' }).expect(200);
    expect(revealed.text).toContain(INDIVIDUAL_NUMBER);
    expect(revealed.text).toContain('児童手当の認定審査');
    expect(revealed.headers['cache-control']).toBe('no-store');
    expect(await auditCount(allowanceCase, 'individualNumber.decrypted', 'individualNumber')).toBe(before + 1);
    const [entry] = await d.t.dataSource.query(`SELECT details FROM audit_log WHERE action = 'individualNumber.decrypted' AND target_id = $1 ORDER BY seq DESC LIMIT 1`, [allowanceCase]);
    expect(entry.details.purpose).toBe('児童手当の認定審査');
    // The case page again: masked again.
    expect((await get(reviewer, `/office/applications/${allowanceCase}`)).text).not.toContain(INDIVIDUAL_NUMBER);
  });

  it('without a reason: 400 with the message on the form, nothing revealed nor audited', async () => {
    const reviewer = await signIn('rec-reviewer');
    const before = await auditCount(allowanceCase, 'individualNumber.decrypted', 'individualNumber');
    for (const purpose of ['', ' ', 'x']) {
      const refused = await post(reviewer, `/office/applications/${allowanceCase}/individual-number/reveal`, { purpose }).expect(400);
      expect(refused.text).toContain('表示する理由を2文字以上200文字以内で入力してください。');
      expect(refused.text).toContain('href="#purpose"');
      expect(refused.text).not.toContain(INDIVIDUAL_NUMBER);
    }
    expect(await auditCount(allowanceCase, 'individualNumber.decrypted', 'individualNumber')).toBe(before);
  });

  it('a clerk is not offered the reveal and is refused it; another department or municipality: not found', async () => {
    const clerk = await signIn('rec-clerk');
    const page = await get(clerk, `/office/applications/${allowanceCase}`).expect(200);
    expect(page.text).not.toContain('/individual-number/reveal');
    expect(page.text).toContain('個人番号の表示は審査担当・決裁者が行えます。');
    const refused = await post(clerk, `/office/applications/${allowanceCase}/individual-number/reveal`, { purpose: '確認のため' });
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain(INDIVIDUAL_NUMBER);
    const otherDepartment = await signIn('rec-other-dept');
    expect((await post(otherDepartment, `/office/applications/${allowanceCase}/individual-number/reveal`, { purpose: '確認のため' })).status).toBe(404);
    const otherCity = await signIn('rec-other-city', M2);
    expect((await post(otherCity, `/office/applications/${allowanceCase}/individual-number/reveal`, { purpose: '確認のため' })).status).toBe(404);
  });
});

describe('attachments and signature', () => {
  it('lists the attachment with type and size; viewing and downloading are audited, with safe headers', async () => {
    const clerk = await signIn('rec-clerk');
    const page = await get(clerk, `/office/applications/${allowanceCase}`).expect(200);
    expect(page.text).toContain('診断書.pdf');
    expect(page.text).toContain('application/pdf');
    const attachmentId = new RegExp(`/office/applications/${allowanceCase}/attachments/([0-9a-f-]{36})/view`).exec(page.text)?.[1];
    expect(attachmentId).toBeTruthy();

    const before = await auditCount(allowanceCase, 'application.read', 'attachment');
    const view = await get(clerk, `/office/applications/${allowanceCase}/attachments/${attachmentId}/view`).buffer(true).expect(200);
    expect(view.headers['content-type']).toBe('application/pdf');
    expect(view.headers['content-disposition']).toBe(`inline; filename*=UTF-8''${encodeURIComponent('診断書.pdf')}`);
    expect(view.headers['x-content-type-options']).toBe('nosniff');
    expect(view.headers['cache-control']).toBe('no-store');
    const download = await get(clerk, `/office/applications/${allowanceCase}/attachments/${attachmentId}/download`).buffer(true).expect(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename\*=UTF-8''/);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(await auditCount(allowanceCase, 'application.read', 'attachment')).toBe(before + 2);

    expect((await get(clerk, `/office/applications/${allowanceCase}/attachments/${attachmentId}/execute`)).status).toBe(404);
    const otherDepartment = await signIn('rec-other-dept');
    expect((await get(otherDepartment, `/office/applications/${allowanceCase}/attachments/${attachmentId}/view`)).status).toBe(404);
    const otherCity = await signIn('rec-other-city', M2);
    expect((await get(otherCity, `/office/applications/${allowanceCase}/attachments/${attachmentId}/download`)).status).toBe(404);
    expect(await auditCount(allowanceCase, 'application.read', 'attachment')).toBe(before + 2);
  });

  it('the signature page says a counter application has no signature; another department: not found', async () => {
    const clerk = await signIn('rec-clerk');
    const page = await get(clerk, `/office/applications/${allowanceCase}/signature`).expect(200);
    expect(page.text).toContain('この申請には電子署名がありません。');
    const otherDepartment = await signIn('rec-other-dept');
    expect((await get(otherDepartment, `/office/applications/${allowanceCase}/signature`)).status).toBe(404);
  });
});

describe('fee, payments and documents', () => {
  it('shows the fee taken at the desk with its receipt number, and the issued certificate', async () => {
    const clerk = await signIn('rec-clerk');
    const page = await get(clerk, `/office/applications/${certificateCase}`).expect(200);
    expect(page.text).toContain(payment.receiptNumber);
    expect(page.text).toContain('現金');
    expect(page.text).toContain('支払い済み');
    expect(page.text).toMatch(/R8-C\d{6}/);
    // A clerk downloads but does not revoke.
    expect(page.text).not.toMatch(/documents\/[0-9a-f-]{36}\/revoke/);
    expect(page.text).toContain('文書の取消し・再発行は審査担当・決裁者が行います。');
  });

  it('downloads the PDF (audited); a reviewer revokes with a reason through a confirmation; the reason is required', async () => {
    const reviewer = await signIn('rec-reviewer');
    const page = await get(reviewer, `/office/applications/${certificateCase}`).expect(200);
    const documentId = new RegExp(`/office/applications/${certificateCase}/documents/([0-9a-f-]{36})/pdf`).exec(page.text)?.[1];
    expect(documentId).toBeTruthy();
    const serial = /R8-C\d{6}/.exec(page.text)![0];

    const before = await auditCount(certificateCase, 'application.read', 'documentDownload');
    const pdf = await get(reviewer, `/office/applications/${certificateCase}/documents/${documentId}/pdf`).buffer(true).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(/^attachment; filename\*=UTF-8''/);
    expect(pdf.headers['x-content-type-options']).toBe('nosniff');
    expect(await auditCount(certificateCase, 'application.read', 'documentDownload')).toBe(before + 1);

    const path = `/office/applications/${certificateCase}/documents/${documentId}/revoke`;
    const missing = await post(reviewer, path, { reason: '' }).expect(400);
    expect(missing.text).toContain('理由を入力してください（500文字以内）。');
    const confirm = await post(reviewer, path, { reason: '宛名の誤りのため' }).expect(200);
    expect(confirm.text).toContain(`${serial} を取り消す`);
    expect(confirm.text).toContain('name="commit" value="1"');
    const [stillIssued] = await d.t.dataSource.query(`SELECT status FROM documents WHERE id = $1`, [documentId]);
    expect(stillIssued.status).toBe('issued');
    const done = await post(reviewer, path, { reason: '宛名の誤りのため', commit: '1' }).expect(303);
    expect(done.headers.location).toBe(`/office/applications/${certificateCase}?done=revoked&name=${serial}#documents-title`);
    const after = await get(reviewer, done.headers.location).expect(200);
    expect(after.text).toContain(`${serial} を取り消しました。`);
    expect(after.text).toContain('取消し済み');
    expect(after.text).toContain('宛名の誤りのため');
    // Revoked: nothing left to revoke or reissue; sent again, the service refuses with its message.
    expect(after.text).not.toContain(path);
    const again = await post(reviewer, path, { reason: '宛名の誤りのため', commit: '1' });
    expect(again.status).toBe(409);
  });

  it('refuses revoking to a clerk (403), another department and another municipality (404)', async () => {
    const [document] = await d.t.dataSource.query(`SELECT id FROM documents WHERE application_id = $1 LIMIT 1`, [certificateCase]);
    const path = `/office/applications/${certificateCase}/documents/${document.id}/reissue`;
    expect((await post(await signIn('rec-clerk'), path, { reason: '再発行' })).status).toBe(403);
    expect((await post(await signIn('rec-other-dept'), path, { reason: '再発行' })).status).toBe(404);
    expect((await post(await signIn('rec-other-city', M2), path, { reason: '再発行' })).status).toBe(404);
    expect((await get(await signIn('rec-other-dept'), `/office/applications/${certificateCase}/documents/${document.id}/pdf`)).status).toBe(404);
  });
});

describe('desk refund payouts', () => {
  it('lists a refund of a desk payment, pays it out after confirmation with the receipt number, once', async () => {
    const refund = { body: await deskRefund(d, payment.id) };
    expect(refund.body.status).toBe('payableAtCounter');

    const otherDepartment = await signIn('rec-other-dept');
    expect((await get(otherDepartment, '/office/counter/refunds').expect(200)).text).not.toContain(payment.receiptNumber);
    expect((await post(otherDepartment, `/office/counter/refunds/${payment.id}/${refund.body.id}`)).status).toBe(404);
    const accountant = await signIn('rec-accountant');
    expect((await get(accountant, '/office/counter/refunds').expect(200)).text).toContain(payment.receiptNumber);
    const manager = await signIn('rec-manager');
    expect((await get(manager, '/office/counter/refunds')).status).toBe(403);

    const clerk = await signIn('rec-clerk');
    const list = await get(clerk, '/office/counter/refunds').expect(200);
    expect(list.text).toContain(payment.receiptNumber);
    expect(list.text).toContain('手数料の過誤納');
    const confirm = await post(clerk, `/office/counter/refunds/${payment.id}/${refund.body.id}`).expect(200);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(confirm.text)?.[1];
    expect(key).toBeTruthy();
    const done = await post(clerk, `/office/counter/refunds/${payment.id}/${refund.body.id}`, { commit: '1', idempotencyKey: key! }).expect(200);
    expect(done.text).toContain('返金しました');
    expect(done.text).toContain(payment.receiptNumber);
    // Sent again with the same key (a reload): the same answer, one payout.
    expect((await post(clerk, `/office/counter/refunds/${payment.id}/${refund.body.id}`, { commit: '1', idempotencyKey: key! })).status).toBe(200);
    const rows = await d.t.dataSource.query(`SELECT status, paid_out_by FROM refunds WHERE id = $1`, [refund.body.id]);
    expect(rows).toMatchObject([{ status: 'succeeded' }]);
    const events = await d.t.dataSource.query(`SELECT count(*)::int AS n FROM payment_events WHERE refund_id = $1 AND source = 'staff' AND to_status = 'succeeded'`, [refund.body.id]);
    expect(events[0].n).toBe(1);
    // Paid out: gone from the list; a new key is refused as already paid out.
    expect((await get(clerk, '/office/counter/refunds')).text).not.toContain(refund.body.id);
    expect((await post(clerk, `/office/counter/refunds/${payment.id}/${refund.body.id}`, { commit: '1', idempotencyKey: '6f1d2c1e-8d0b-4c55-9a55-0a6b6e0f0c11' })).status).toBe(409);
    // The case page shows it handed back.
    expect((await get(clerk, `/office/applications/${certificateCase}`)).text).toContain('窓口で返金済み');
  });
});
