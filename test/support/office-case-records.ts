import { isValidIndividualNumber } from '@madoguchi/identity';
import request from 'supertest';
import type { Caller, PaymentsDriver } from './payments-driver';

/** A valid individual number (check digit computed). */
export const RECORDS_INDIVIDUAL_NUMBER = ((first11: string) => first11 + [...'0123456789'].find((digit) => isValidIndividualNumber(first11 + digit)))('12345678901');

const CHILD_ALLOWANCE_FORM = {
  applicantName: '窓口 花子',
  applicantKana: 'マドグチ ハナコ',
  individualNumber: RECORDS_INDIVIDUAL_NUMBER,
  phone: '03-1234-5678',
  pensionType: '厚生年金',
  children: [{ name: '窓口 太郎', birthDate: '2024-04-01', relationship: '子', livesTogether: true }],
  bankAccount: { bankCode: '0001', branchCode: '001', accountType: '普通', accountNumber: '1234567', accountHolderKana: 'マドグチ ハナコ' },
};
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% office-records\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

export interface CaseRecordsFixture {
  resident: Caller;
  /** 児童手当 (department kodomo), entered at the counter (identity checked), with an individual number and 診断書.pdf attached. */
  allowanceCase: string;
  /** 住民票 (department shimin), fee taken in cash at the desk and accepted: the certificate is issued. */
  certificateCase: string;
  /** The desk payment of the certificate and its 領収番号. */
  payment: { id: string; receiptNumber: string };
}

/** The case page's records on the driver's app: two cases as above (staff of shimin and kodomo work them). */
export async function seedCaseRecords(d: PaymentsDriver): Promise<CaseRecordsFixture> {
  const resident = await d.resident();
  const clerk = await d.staff(['clerk'], ['shimin']);
  // Entered at the counter with the identity checked (the procedure wants a card signature online).
  const desk = await d.staff(['clerk'], ['kodomo']);
  const call = (path: string, body: object, as: Caller = desk) => request(d.server).post(path).auth(as.token, { type: 'bearer' }).send(body);
  const created = await call('/api/v1/staff/counter/applications', { procedureCode: 'kosodate-01', residentId: resident.id, formData: CHILD_ALLOWANCE_FORM });
  if (created.status !== 201) throw new Error(`counter entry failed: ${created.status} ${JSON.stringify(created.body)}`);
  const allowanceCase = created.body.id as string;
  const uploaded = await request(d.server)
    .post(`/api/v1/applications/${allowanceCase}/attachments`)
    .auth(resident.token, { type: 'bearer' })
    .set('Content-Type', 'application/pdf')
    .set('X-File-Name', encodeURIComponent('診断書.pdf'))
    .send(PDF);
  if (uploaded.status !== 201) throw new Error(`upload failed: ${uploaded.status} ${JSON.stringify(uploaded.body)}`);
  const checked = await call(`/api/v1/staff/counter/applications/${allowanceCase}/identity`, { method: 'myNumberCard' });
  if (checked.status !== 201) throw new Error(`identity check failed: ${checked.status} ${JSON.stringify(checked.body)}`);
  const [{ revision }] = await d.t.dataSource.query('SELECT revision FROM applications WHERE id = $1', [allowanceCase]);
  const submitted = await call(`/api/v1/staff/counter/applications/${allowanceCase}/submit`, { revision });
  if (submitted.status !== 200) throw new Error(`counter submit failed: ${submitted.status} ${JSON.stringify(submitted.body)}`);

  const certificateCase = await d.submitted(resident);
  await d.runOutbox();
  const paid = await request(d.server).post(`/api/v1/staff/applications/${certificateCase}/payments/counter`).auth(clerk.token, { type: 'bearer' }).send({ method: 'cash', amountReceived: 1000 });
  if (paid.status !== 201) throw new Error(`counter payment failed: ${paid.status} ${JSON.stringify(paid.body)}`);
  const accepted = await request(d.server).post(`/api/v1/staff/applications/${certificateCase}/events`).auth(clerk.token, { type: 'bearer' }).send({ type: 'staff.accept' });
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  await d.settle();
  return { resident, allowanceCase, certificateCase, payment: { id: paid.body.paymentId as string, receiptNumber: paid.body.receiptNumber as string } };
}

/** A manager refunds part of the desk payment: it waits at the desk (`payableAtCounter`). */
export async function deskRefund(d: PaymentsDriver, paymentId: string, amount = 300): Promise<{ id: string; status: string }> {
  const manager = await d.staff(['manager'], ['shimin']);
  const refund = await request(d.server).post(`/api/v1/staff/payments/${paymentId}/refunds`).auth(manager.token, { type: 'bearer' }).send({ amount, reason: '手数料の過誤納' });
  if (refund.status !== 201) throw new Error(`refund failed: ${refund.status} ${JSON.stringify(refund.body)}`);
  return refund.body as { id: string; status: string };
}
