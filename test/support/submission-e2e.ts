import { ApplicationWorkflowService } from '@madoguchi/engine';
import { asMunicipalityId } from '@madoguchi/kernel';
import { ProcedurePublishingService } from '@madoguchi/procedures';
import type { ProcedureDefinition } from '@madoguchi/workflow';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import request from 'supertest';
import { parse } from 'yaml';
import { expectError, IdentityDriver } from './identity-e2e';
import { CONFIG_DIR, createTestApp, SAMPLE_MUNICIPALITY, type TestApp } from './test-app';
import { TestMailbox } from './test-mailbox';
import { publishTestCertificate } from './test-procedures';

/**
 * Shared set-up of the submission e2e suites (test/e2e/submission*.e2e-spec.ts):
 * the API on its own database with a real SMTP mailbox for sign-up, the
 * test procedures, a client per bearer token, and row counts to prove that
 * a refused request wrote nothing.
 */

export const MUNICIPALITY = asMunicipalityId(SAMPLE_MUNICIPALITY);
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const DAY = 24 * 60 * MINUTE;
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
/** A complete `test-certificate` form. */
export const CERTIFICATE_FORM = { scope: '本人のみ', purpose: '学校への提出', copies: 1 } as const;

export interface SubmissionHarness {
  t: TestApp;
  mailbox: TestMailbox;
  identity: IdentityDriver;
  server: Server;
  /** Every JSON log line the app wrote; `unhandled error` lines mean a 500. */
  logLines: string[];
  close(): Promise<void>;
}

export async function startSubmissionApp(options: { env?: Record<string, string>; portal?: boolean } = {}): Promise<SubmissionHarness> {
  const mailbox = await TestMailbox.start();
  const logLines: string[] = [];
  const logStream = new PassThrough();
  let pending = '';
  logStream.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    logLines.push(...lines.filter(Boolean));
  });
  const t = await createTestApp({ env: { SMTP_URL: mailbox.url, ...options.env }, logStream, portal: options.portal });
  await publishTestCertificate(t, [SAMPLE_MUNICIPALITY]);
  const identity = new IdentityDriver(t, mailbox);
  return {
    t,
    mailbox,
    identity,
    server: identity.server,
    logLines,
    close: async () => {
      await t.close();
      await mailbox.close();
    },
  };
}

/** No request of the suite ended in a 500 (the exception filter logs each one). */
export function expectNoServerErrors(harness: SubmissionHarness): void {
  const errors = harness.logLines.filter((line) => line.includes('unhandled error'));
  expect(errors).toEqual([]);
}

export type Client = ReturnType<typeof client>;

/** Requests as the holder of a bearer token. */
export function client(server: Server, token: string) {
  const auth = { Authorization: `Bearer ${token}` };
  return {
    get: (url: string) => request(server).get(url).set(auth),
    post: (url: string, body: object = {}, headers: Record<string, string> = {}) => request(server).post(url).set(auth).set(headers).send(body),
    put: (url: string, body: object) => request(server).put(url).set(auth).send(body),
    delete: (url: string) => request(server).delete(url).set(auth),
    /** The raw file as the body, its name percent-encoded in X-File-Name (omitted when `fileName` is undefined). */
    upload: (applicationId: string, bytes: Buffer, fileName?: string, rawHeader = false) => {
      const test = request(server).post(`/api/v1/applications/${applicationId}/attachments`).set(auth).set('Content-Type', 'application/octet-stream');
      if (fileName !== undefined) test.set('X-File-Name', rawHeader ? fileName : encodeURIComponent(fileName));
      return test.send(bytes);
    },
    /** A download, its body collected as bytes whatever the content type. */
    download: (url: string) =>
      request(server)
        .get(url)
        .set(auth)
        .buffer(true)
        .parse((response, callback) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => callback(null, Buffer.concat(chunks)));
        }),
  };
}

export interface RowCounts {
  applications: number;
  events: number;
  attachments: number;
  links: number;
  idempotencyKeys: number;
  outbox: number;
  referenceNumbers: number;
}

/** Rows a request could leave behind; compared before and after a refusal. */
export async function rowCounts(t: TestApp): Promise<RowCounts> {
  const [row]: RowCounts[] = await t.dataSource.query(`SELECT
      (SELECT count(*)::int FROM applications) AS applications,
      (SELECT count(*)::int FROM application_events) AS events,
      (SELECT count(*)::int FROM attachments) AS attachments,
      (SELECT count(*)::int FROM application_attachments) AS links,
      (SELECT count(*)::int FROM idempotency_keys) AS "idempotencyKeys",
      (SELECT count(*)::int FROM outbox) AS outbox,
      (SELECT count(*)::int FROM applications WHERE reference_number IS NOT NULL) AS "referenceNumbers"`);
  return row;
}

/** Event types of one application, in order. */
export async function eventTypes(t: TestApp, applicationId: string): Promise<string[]> {
  const rows: Array<{ type: string }> = await t.dataSource.query(`SELECT type FROM application_events WHERE application_id = $1 ORDER BY seq`, [applicationId]);
  return rows.map((row) => row.type);
}

/** Form errors in a stable order (jsonb does not keep the order of keys). */
export function sortByField<T extends { field: string }>(errors: T[]): T[] {
  return [...errors].sort((left, right) => left.field.localeCompare(right.field));
}

/** The stored row, straight from the database. */
export async function storedApplication(
  t: TestApp,
  applicationId: string,
): Promise<{ state: string; revision: number; reference_number: string | null; form_data: Record<string, unknown>; fee: number | null }> {
  const [row] = await t.dataSource.query(
    `SELECT state, revision, reference_number, form_data, (snapshot->'context'->'fee'->>'amount')::int AS fee FROM applications WHERE id = $1`,
    [applicationId],
  );
  return row;
}

/** Creates a draft, fills it in and submits it through the API; returns the submitted application. */
export async function submitted(
  as: Client,
  procedureCode: string,
  formData: Record<string, unknown>,
): Promise<{ id: string; revision: number; state: string; referenceNumber: string; fee: number | null }> {
  const created = await as.post('/api/v1/applications', { procedureCode, formData }).expect(201);
  const response = await as.post(`/api/v1/applications/${created.body.id}/submit`, { revision: created.body.revision });
  if (response.status !== 200) throw new Error(`submit failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** The payment step done, as a provider's confirmation would do it (payments are tested elsewhere). */
export async function markPaid(t: TestApp, applicationId: string): Promise<void> {
  await t.get(ApplicationWorkflowService).transition(MUNICIPALITY, applicationId, { type: 'payment.succeeded', actor: { kind: 'provider', id: 'test' } });
}

/** Steps and fee of juminhyo, as publishTestCertificate uses them. */
function certificateBase(): ProcedureDefinition {
  const juminhyo = parse(readFileSync(path.join(CONFIG_DIR, 'procedures/juminhyo.yaml'), 'utf8')) as ProcedureDefinition;
  return { ...juminhyo, identity: 'account', steps: juminhyo.steps.filter((step) => step !== 'identity') };
}

async function publish(t: TestApp, definition: ProcedureDefinition): Promise<void> {
  await t.get(ProcedurePublishingService).publish(MUNICIPALITY, definition, 'test');
}

/** Four fields, one per Japanese format, no fee, reviewed by 市民課. */
export const FORMATS_PROCEDURE = 'test-formats';
export async function publishFormatsProcedure(t: TestApp): Promise<void> {
  await publish(t, {
    ...certificateBase(),
    code: FORMATS_PROCEDURE,
    version: 1,
    name: { ja: '書式の試験', en: 'Format test' },
    category: 'notification',
    form: {
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['postalCode', 'phone', 'nameKana', 'birthDate'],
        properties: {
          postalCode: { title: '郵便番号', type: 'string', format: 'jp-postal-code' },
          phone: { title: '電話番号', type: 'string', format: 'jp-phone' },
          nameKana: { title: 'フリガナ', type: 'string', format: 'katakana', maxLength: 50 },
          birthDate: { title: '生年月日', type: 'string', format: 'wareki-date' },
        },
      },
    },
    fee: { rule: 'none' },
    document: null,
    steps: ['form', 'review'],
  });
}

/**
 * The certificate with reductions (減免): `half` 50 %, `exempt` 100 %, and a
 * `retired` choice the form offers but the fee rule does not (a definition
 * out of step with itself, refused at submission).
 */
export const REDUCED_CERTIFICATE = 'test-reduced-certificate';
export async function publishReducedCertificate(t: TestApp): Promise<void> {
  const base = certificateBase();
  const schema = base.form.schema as { properties: Record<string, unknown> };
  await publish(t, {
    ...base,
    code: REDUCED_CERTIFICATE,
    version: 1,
    form: {
      schema: {
        ...base.form.schema,
        properties: { ...schema.properties, reductionCode: { title: '減免の理由', type: 'string', enum: ['none', 'half', 'exempt', 'retired'] } },
      },
    },
    fee: {
      ...base.fee,
      reductions: [
        { code: 'half', label: { ja: '半額減免', en: 'Half fee' }, percent: 50 },
        { code: 'exempt', label: { ja: '生活保護受給者（免除）', en: 'Public assistance (exempt)' }, percent: 100 },
      ],
    },
  });
}

/** The certificate with a fee staff assess after review, then paid. */
export const ASSESSED_CERTIFICATE = 'test-assessed-certificate';
export async function publishAssessedCertificate(t: TestApp): Promise<void> {
  const base = certificateBase();
  await publish(t, {
    ...base,
    code: ASSESSED_CERTIFICATE,
    version: 1,
    fee: { rule: 'fixed', amount: 300, timing: 'afterAssessment', revenueAccountCode: '14-02-01-01', paymentDeadlineHours: 72 },
    steps: ['form', 'review', 'fee', 'issue', 'notify'],
  });
}

/** The certificate taking at most two PDFs of at most 2 KiB. */
export const SMALL_ATTACHMENTS_CERTIFICATE = 'test-small-attachments';
export async function publishSmallAttachmentsCertificate(t: TestApp): Promise<void> {
  await publish(t, { ...certificateBase(), code: SMALL_ATTACHMENTS_CERTIFICATE, version: 1, attachments: { maxCount: 2, maxBytes: 2048, types: ['pdf'] } });
}

/** Words a resident should never read in a timeline: the engine's state names and event types. */
export const INTERNAL_NAMES = /underReview|awaitingPayment|awaitingAssessment|underApproval|awaitingBooking|\b(issuing|notifying)\b|\b[a-z]+\.[a-z][A-Za-z]+\b/;

/** A request that must be refused with the given error, writing nothing at all. */
export async function refusedWithoutWrites(
  h: { t: TestApp },
  send: () => Promise<request.Response>,
  status: number,
  code: string,
): Promise<request.Response> {
  const before = await rowCounts(h.t);
  const response = await send();
  expectError(response, status, code);
  expect(await rowCounts(h.t)).toEqual(before);
  return response;
}
