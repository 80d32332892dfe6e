import { SensitiveFormFields, isValidIndividualNumber } from '@madoguchi/identity';
import { client, type Client, expectNoServerErrors, startSubmissionApp, type SubmissionHarness } from '../support/submission-e2e';

/**
 * A resident only ever sees their individual number masked. Saving the form
 * they were shown (mask included) must keep the number they gave, not store
 * the mask; a new number replaces it.
 */

function individualNumber(first11: string): string {
  return first11 + [...'0123456789'].find((digit) => isValidIndividualNumber(first11 + digit));
}

const FIRST = individualNumber('12345678901');
const SECOND = individualNumber('23456789012');

describe('individual numbers in forms survive a round trip through the masked view', () => {
  let h: SubmissionHarness;
  let resident: Client;

  beforeAll(async () => {
    h = await startSubmissionApp();
    resident = client(h.server, (await h.identity.resident('masked-form@example.jp')).token);
  });
  afterAll(async () => {
    expectNoServerErrors(h);
    await h.close();
  });

  const stored = async (id: string): Promise<Record<string, unknown>> => {
    const [row] = await h.t.dataSource.query(`SELECT municipality_id, form_data FROM applications WHERE id = $1`, [id]);
    expect(String(row.form_data.individualNumber)).toMatch(/^enc:/);
    return h.t.get(SensitiveFormFields).open(row.municipality_id, id, row.form_data);
  };

  it('keeps the number when the masked value comes back, and takes a new one', async () => {
    const created = await resident.post('/api/v1/applications', { procedureCode: 'kosodate-01', formData: { applicantName: '窓口 花子', individualNumber: FIRST } }).expect(201);
    const id = created.body.id as string;
    expect(created.body.formData.individualNumber).toBe(`********${FIRST.slice(-4)}`);

    const shown = await resident.get(`/api/v1/applications/${id}`).expect(200);
    const saved = await resident.put(`/api/v1/applications/${id}/form`, { formData: { ...shown.body.formData, phone: '03-1234-5678' }, revision: shown.body.revision }).expect(200);
    expect(await stored(id)).toMatchObject({ individualNumber: FIRST, phone: '03-1234-5678' });

    await resident.put(`/api/v1/applications/${id}/form`, { formData: { ...saved.body.formData, individualNumber: SECOND }, revision: saved.body.revision }).expect(200);
    expect((await stored(id)).individualNumber).toBe(SECOND);
  });

  it('takes a mask that does not match the stored number as typed: no silent substitution', async () => {
    const created = await resident.post('/api/v1/applications', { procedureCode: 'kosodate-01', formData: { individualNumber: FIRST } }).expect(201);
    const id = created.body.id as string;
    await resident.put(`/api/v1/applications/${id}/form`, { formData: { individualNumber: '********0000' }, revision: created.body.revision }).expect(200);
    expect((await stored(id)).individualNumber).toBe('********0000');
  });

  it('a bank account number (x-sensitive in the form schema) is stored encrypted and shown masked, by the same mechanism', async () => {
    const bankAccount = { bankCode: '0001', branchCode: '001', accountType: '普通', accountNumber: '1234567', accountHolderKana: 'マドグチ ハナコ' };
    const created = await resident.post('/api/v1/applications', { procedureCode: 'kosodate-01', formData: { applicantName: '窓口 花子', individualNumber: FIRST, bankAccount } }).expect(201);
    const id = created.body.id as string;
    expect(created.body.formData.bankAccount).toEqual({ ...bankAccount, accountNumber: '***4567' });
    const [row] = await h.t.dataSource.query(`SELECT procedure_version, form_data, form_data::text AS raw FROM applications WHERE id = $1`, [id]);
    expect(row.procedure_version).toBe(2);
    expect(String(row.form_data.bankAccount.accountNumber)).toMatch(/^enc:/);
    expect(row.raw).not.toContain('1234567');
    expect(row.raw).not.toContain(FIRST);

    // Every read is masked; the masked value sent back keeps the number, a new one replaces it.
    const shown = await resident.get(`/api/v1/applications/${id}`).expect(200);
    expect(shown.body.formData.bankAccount.accountNumber).toBe('***4567');
    const saved = await resident.put(`/api/v1/applications/${id}/form`, { formData: { ...shown.body.formData, phone: '03-1234-5678' }, revision: shown.body.revision }).expect(200);
    expect(((await stored(id)).bankAccount as { accountNumber: string }).accountNumber).toBe('1234567');
    await resident
      .put(`/api/v1/applications/${id}/form`, { formData: { ...saved.body.formData, bankAccount: { ...bankAccount, accountNumber: '7654321' } }, revision: saved.body.revision })
      .expect(200);
    expect(((await stored(id)).bankAccount as { accountNumber: string }).accountNumber).toBe('7654321');
  });
});
