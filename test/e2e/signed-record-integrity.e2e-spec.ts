import { JpkiTrustStore } from '@madoguchi/identity';
import { asMunicipalityId } from '@madoguchi/kernel';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expectError, type StaffHandle } from '../support/identity-e2e';
import { cardChain, createTestPki, signContentWithCard, type TestCard, type TestPki } from '../support/jpki/test-pki';
import { client, type Client, expectNoServerErrors, startSubmissionApp, type SubmissionHarness } from '../support/submission-e2e';
import { DEFAULT_TEST_NOW, SAMPLE_MUNICIPALITY } from '../support/test-app';

/**
 * The signed record stays signed (issue 10, "Trust"): a procedure that needs
 * a My Number Card signature never enters review or approval, and no
 * decision moves it forward, unless a valid signature covers the content as
 * it is now. Uses the real 太陽光補助 (taiyoko-hojo: card signature, review,
 * a three-step approval route) through HTTP, with a test PKI the app trusts.
 */

const SUBSIDY = 'taiyoko-hojo';
const form = {
  applicantName: '窓口 花子',
  applicantKana: 'マドグチ ハナコ',
  phone: '03-1234-5678',
  installationAddress: '桜ヶ丘市本町1-2-3',
  buildingType: '既存住宅',
  capacityKw: 5,
  installationCost: 1200000,
  requestedAmount: 80000,
  installerName: '桜ヶ丘電設',
  plannedCompletionDate: '2027-02-28',
};

describe('signed applications stay signed through correction, review and approval (HTTP, real PostgreSQL)', () => {
  let h: SubmissionHarness;
  let pki: TestPki;
  let card: TestCard;
  let trustDir: string;
  let resident: Client;
  let clerk: Client;
  let kakaricho: StaffHandle & { as: Client };

  beforeAll(async () => {
    pki = await createTestPki({ now: DEFAULT_TEST_NOW, intermediate: true });
    card = await pki.issueCard();
    trustDir = mkdtempSync(path.join(tmpdir(), 'madoguchi-integrity-'));
    writeFileSync(path.join(trustDir, 'ca.pem'), pki.root.pem);
    const [issuingCrl, rootCrl] = await pki.crls({ nextUpdate: new Date(DEFAULT_TEST_NOW.getTime() + 365 * 24 * 3600_000) });
    writeFileSync(path.join(trustDir, 'issuing.crl'), issuingCrl.der);
    writeFileSync(path.join(trustDir, 'root.crl'), rootCrl.der);
    h = await startSubmissionApp({ env: { JPKI_TRUST_DIR: trustDir } });
    await h.t.get(JpkiTrustStore).refreshFromFolder([asMunicipalityId(SAMPLE_MUNICIPALITY)]);
    resident = client(h.server, (await h.identity.resident('signed-integrity@example.jp')).token);
    clerk = client(h.server, (await h.identity.staff('integrity-kankyo-clerk', ['clerk', 'reviewer'], { departments: ['kankyo'] })).token);
    const handle = await h.identity.staff('integrity-kakaricho', ['approver'], { departments: ['kankyo'], approvalLevel: 'kakaricho' });
    kakaricho = { ...handle, as: client(h.server, handle.token) };
  });
  afterAll(async () => {
    if (h) expectNoServerErrors(h);
    await h?.close();
    if (trustDir) rmSync(trustDir, { recursive: true, force: true });
  });

  const stored = async (id: string): Promise<{ state: string; revision: number; signature_hash: string | null }> =>
    (await h.t.dataSource.query(`SELECT state, revision, signature_hash FROM applications WHERE id = $1`, [id]))[0];
  const decisions = async (id: string): Promise<number> =>
    (await h.t.dataSource.query(`SELECT count(*)::int AS n FROM approval_decisions WHERE application_id = $1`, [id]))[0].n;

  /** What the card reader app does: fetch the content, sign it on the card, post the signature. */
  async function sign(id: string): Promise<void> {
    const { body } = await resident.get(`/api/v1/applications/${id}/signing-content`).expect(200);
    const [certificate, ...intermediates] = cardChain(card, 'signing');
    const response = await resident.post(`/api/v1/applications/${id}/signature`, { signature: signContentWithCard(card, body.content), certificate, intermediates });
    if (response.status !== 200) throw new Error(`signing failed: ${response.status} ${JSON.stringify(response.body)}`);
  }

  async function signedAndSubmitted(): Promise<string> {
    const created = await resident.post('/api/v1/applications', { procedureCode: SUBSIDY, formData: form }).expect(201);
    const id = created.body.id as string;
    await sign(id);
    await resident.post(`/api/v1/applications/${id}/submit`, {}).expect(200);
    return id;
  }

  async function returnedAndCorrected(): Promise<string> {
    const id = await signedAndSubmitted();
    await clerk.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.sendBack', payload: { fields: ['installerName'], message: '施工業者名を正式名称で' } }).expect(200);
    const returned = await resident.get(`/api/v1/applications/${id}`).expect(200);
    await resident.put(`/api/v1/applications/${id}/corrections`, { changes: { installerName: '株式会社桜ヶ丘電設' }, revision: returned.body.revision }).expect(200);
    return id;
  }

  /** A stored answer changed behind the application's back (a direct write, or a case resubmitted unsigned before this rule). */
  async function tamper(id: string): Promise<void> {
    await h.t.dataSource.query(`UPDATE applications SET form_data = form_data || '{"requestedAmount": 99000}'::jsonb WHERE id = $1`, [id]);
  }

  it('refuses to resubmit a corrected application without a new signature, leaving it returned', async () => {
    const id = await returnedAndCorrected();
    const before = await stored(id);
    expect(before.state).toBe('returned');

    expectError(await resident.post(`/api/v1/applications/${id}/resubmit`, {}), 422, 'APPLICATION_SIGNATURE_REQUIRED');
    expect(await stored(id)).toEqual(before);
    // Staff see why: the stored signature no longer covers the content.
    expectError(await clerk.get(`/api/v1/staff/applications/${id}/signature`), 422, 'JPKI_SIGNATURE_INVALID');
  });

  it('resubmits once the corrected content is signed, and the case then goes through review and approval with a valid signature', async () => {
    const id = await returnedAndCorrected();
    await sign(id);
    const resubmitted = await resident.post(`/api/v1/applications/${id}/resubmit`, {}).expect(200);
    expect(resubmitted.body.state).toBe('underReview');
    const verified = await clerk.get(`/api/v1/staff/applications/${id}/signature`).expect(200);
    expect(verified.body.valid).toBe(true);
    await clerk.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.accept' }).expect(200);
    await kakaricho.as.post(`/api/v1/staff/applications/${id}/approvals/approve`, { step: 0, comment: '確認済み' }).expect(200);
    expect(await decisions(id)).toBe(1);
  });

  it('refuses a new signature while the case is with staff (it can be re-signed only while it is a draft or returned)', async () => {
    const id = await signedAndSubmitted();
    const [certificate, ...intermediates] = cardChain(card, 'signing');
    const { body } = await resident.get(`/api/v1/applications/${id}/signing-content`).expect(200);
    const response = await resident.post(`/api/v1/applications/${id}/signature`, { signature: signContentWithCard(card, body.content), certificate, intermediates });
    expectError(response, 409, 'APPLICATION_NOT_DRAFT');
  });

  it('refuses an approver while the stored signature does not match the content: state, revision and decisions unchanged', async () => {
    const id = await signedAndSubmitted();
    await clerk.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.accept' }).expect(200);
    await tamper(id);
    const before = await stored(id);

    expectError(await kakaricho.as.post(`/api/v1/staff/applications/${id}/approvals/approve`, { step: 0, comment: '確認済み' }), 409, 'APPLICATION_SIGNATURE_UNVERIFIED');
    expect(await stored(id)).toEqual(before);
    expect(await decisions(id)).toBe(0);

    // Backward moves stay open, so the case can reach the resident for a new signature.
    await kakaricho.as.post(`/api/v1/staff/applications/${id}/approvals/return`, { to: 'clerk', comment: '署名が内容と一致しません' }).expect(200);
    expect((await stored(id)).state).toBe('underReview');
    expectError(await clerk.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.accept' }), 409, 'APPLICATION_SIGNATURE_UNVERIFIED');
    await clerk.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.sendBack', payload: { fields: ['requestedAmount'], message: '申請額を確認のうえ再署名してください' } }).expect(200);
    expect((await stored(id)).state).toBe('returned');
    await sign(id);
    await resident.post(`/api/v1/applications/${id}/resubmit`, {}).expect(200);
    await clerk.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.accept' }).expect(200);
  });

  it('refuses the clerk accepting a case whose content changed after signing', async () => {
    const id = await signedAndSubmitted();
    await tamper(id);
    const before = await stored(id);
    expectError(await clerk.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.accept' }), 409, 'APPLICATION_SIGNATURE_UNVERIFIED');
    expect(await stored(id)).toEqual(before);
  });

  it('lets a counter application with a recorded in-person identity check through review and approval without a card signature', async () => {
    const created = await clerk.post('/api/v1/staff/counter/applications', { procedureCode: SUBSIDY, formData: form }).expect(201);
    const id = created.body.id as string;
    await clerk.post(`/api/v1/staff/counter/applications/${id}/identity`, { method: 'driversLicense' }).expect(201);
    await clerk.post(`/api/v1/staff/counter/applications/${id}/submit`, { revision: created.body.revision }).expect(200);
    // A different clerk-reviewer accepts: whoever entered it may still accept (only approvers are separated).
    await clerk.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.accept' }).expect(200);
    await kakaricho.as.post(`/api/v1/staff/applications/${id}/approvals/approve`, { step: 0 }).expect(200);
    expect(await decisions(id)).toBe(1);
  });
});
