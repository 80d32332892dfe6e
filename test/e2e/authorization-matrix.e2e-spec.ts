import { Body, Controller, Get, type INestApplication, Post } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { ApplicationsService } from '@madoguchi/applications';
import { ApplicationWorkflowService } from '@madoguchi/engine';
import { type DocumentRecord, DocumentIssuer } from '@madoguchi/documents';
import {
  AccessGuard,
  hashPassword,
  IndividualNumberService,
  isValidIndividualNumber,
  ResidentRepository,
  SessionService,
  StaffAdminService,
} from '@madoguchi/identity';
import { type AccessRule, asMunicipalityId, DomainExceptionFilter, isoDateIn, type MunicipalityId, Public, StaffOnly } from '@madoguchi/kernel';
import { type ApprovalLevel, STAFF_ROLES, type StaffRole, type WorkflowActor } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { listRoutes, type RouteInfo, routesWithoutRule } from '../support/route-inventory';
import { CONFIG_DIR, createTestApp, OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';
import { publishTestCertificate, publishTestZeimuCertificate, TEST_CERTIFICATE, TEST_ZEIMU_CERTIFICATE } from '../support/test-procedures';

/**
 * The authorization matrix (issue 3): every route Nest serves, read from its
 * metadata at run time, called by every kind of caller, with the answer each
 * must get derived from the route's declared rule plus the documented data
 * rules. A route without a rule, or without a row in CASES below, fails here.
 *
 * Callers: nobody; resident A (owns the fixtures); resident B; one staff
 * member per role in department shimin of 990001 (the accountant, 会計課,
 * in none); staff of 990002 (bound to it by their token); and a 990002 token
 * naming 990001 in X-Municipality-Id.
 *
 * Money has a second dimension (issue 10): every staff route over payments
 * is probed with a real payment of another department (税務課) of 990001,
 * and must declare its department scope; see MONEY_CASES.
 */

const M1 = asMunicipalityId(SAMPLE_MUNICIPALITY);
const M2 = asMunicipalityId(OTHER_MUNICIPALITY);
const MUNICIPALITY_HEADER = 'X-Municipality-Id';
const PASSWORD = 'matrix-password-0001';

const JUMINHYO_FORM = { scope: '本人のみ', purpose: '学校への提出', copies: 1 };
/** 保育の必要性の現況届: no fee and no card signature, so residents can submit it over HTTP. */
const HOIKU_FORM = {
  applicantName: '窓口 花子',
  applicantKana: 'マドグチ ハナコ',
  phone: '03-1234-5678',
  childName: '窓口 太郎',
  facilityName: '桜ヶ丘保育園',
  reason: '就労',
  reasonContinues: true,
};

/** Refusals that come from the access guard (or the same rule repeated in a service). */
const GUARD_CODES = ['AUTH_UNAUTHENTICATED', 'AUTH_FORBIDDEN', 'AUTH_ACCESS_RULE_MISSING', 'AUTH_TENANT_MISMATCH', 'AUTH_CSRF_FAILED'];
/** "Not found" that hides whether someone else's record exists. */
const HIDDEN_CODES = ['APPLICATION_NOT_FOUND', 'DOCUMENT_NOT_FOUND', 'IDENTITY_NOT_FOUND', 'PAYMENT_NOT_FOUND', 'COUNTER_NOT_FOUND', 'COUNTER_TICKET_NOT_FOUND', 'COUNTER_SERVICE_NOT_FOUND', 'BOOKING_NOT_FOUND', 'BOOKING_FACILITY_NOT_FOUND', 'LOTTERY_NOT_FOUND', 'LOTTERY_ENTRY_NOT_FOUND', 'EVALUATION_AREA_NOT_FOUND', 'KPI_NOT_FOUND', 'PROCEDURE_DRAFT_NOT_FOUND'];

type Outcome =
  /** Success. */
  | '2xx'
  /** 401 AUTH_UNAUTHENTICATED. */
  | '401'
  /** 403 AUTH_FORBIDDEN. */
  | '403'
  /** 404 that hides the record (never 403 for someone else's data). */
  | '404'
  /** 403 AUTH_TENANT_MISMATCH: a token of one municipality naming another. */
  | 'mismatch'
  /** Public route fed a body it may refuse: anything but a guard refusal or a 5xx. */
  | 'pass'
  /** Past authorization and ownership, refused for another documented reason (see the case). */
  | 'reached';

type CallerName =
  | 'anonymous'
  | 'residentA'
  | 'residentB'
  | 'clerk'
  | 'reviewer'
  | 'approver'
  | 'manager'
  | 'administrator'
  | 'accountant'
  | 'otherAdministrator'
  | 'otherClerk'
  | 'otherReviewer'
  | 'otherNaming990001';

interface Account {
  kind: 'resident' | 'staff';
  id: string;
  municipalityId: MunicipalityId;
  roles: StaffRole[];
  /** E-mail of a resident, login id of a staff member. */
  login: string;
  password: string;
  totpSecret: string | null;
  /** A TOTP secret begun but not yet confirmed. */
  pendingTotp?: string | null;
  token: string;
}

interface Caller {
  name: CallerName;
  /** Column heading of the printed matrix. */
  short: string;
  account: Account | null;
  /** X-Municipality-Id sent with every request; null sends none (token or default decides). */
  header: string | null;
}

interface Prepared {
  params?: Record<string, string>;
  body?: unknown;
  query?: Record<string, string>;
  /** Use this access token instead of the caller's usual one (e.g. a session to log out). */
  token?: string;
  /** Extra request headers, e.g. for a raw upload. */
  headers?: Record<string, string>;
  /** Anything the after hook needs to know about this call. */
  memo?: string;
}

interface RouteCase {
  /** Path parameters and body, made per call so a state-changing route gets a fresh fixture. */
  request?: (caller: Caller) => Prepared | Promise<Prepared>;
  /**
   * Whose data the path names. 'residentA': resident B gets 404; and for
   * staff routes, staff of 990002 get 404 ('municipality' means only that).
   */
  owner?: 'residentA' | 'municipality';
  /** What a caller the rule admits gets, when not plain success; say why in the case. */
  permitted?: Outcome;
  /** Documented data rules beyond the declared rule, per caller. */
  except?: Partial<Record<CallerName, Outcome>>;
  /** Outside the tenancy middleware: the header is never read, so a mismatch cannot arise. */
  untenanted?: true;
  /** Undo what the call changed, or record it, so later calls still hold. */
  after?: (caller: Caller, response: request.Response, prepared: Prepared) => Promise<void>;
}

let t: TestApp;
let server: Server;
let routes: RouteInfo[];
const accounts = {} as Record<
  | 'residentA'
  | 'residentB'
  | 'residentC'
  | 'clerk'
  | 'reviewer'
  | 'approver'
  | 'manager'
  | 'administrator'
  | 'accountant'
  | 'otherAdministrator'
  | 'otherClerk'
  | 'otherReviewer'
  | 'otherManager'
  | 'otherAccountant'
  | 'zeimuClerk'
  | 'zeimuManager',
  Account
>;
let callers: Caller[] = [];
/** Resident A's submitted 住民票 application, read by the read-only routes. */
let submittedId: string;
/** Resident A's 住民票 draft with its form filled in, for the signature route. */
let signableDraftId: string;
/** A 990001 staff member and department that administrators manage. */
let targetStaffId: string;
const TARGET_DEPARTMENT = 'matrix-fixed';
/** Every application resident A owns: must never show up in anyone else's answer. */
const applicationsOfA = new Set<string>();
/** Resident A's file, attached to the submitted application; reused and downloaded by the attachment routes. */
let attachmentOfA: string;
const attachmentsOfA = new Set<string>();
/** The smallest thing the upload sniffer takes for a PDF. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n', 'latin1');
const PDF_HEADERS = { 'Content-Type': 'application/pdf', 'X-File-Name': encodeURIComponent('在職証明書.pdf') };
let counter = 0;
const next = () => (counter += 1);

// --- Helpers ---------------------------------------------------------------

function totpCode(secret: string): string {
  return new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: t.clock.now().getTime() });
}

/** The per-IP and per-account login limits count in fixed windows of a clock that stands still. */
async function clearRateLimits(): Promise<void> {
  await t.dataSource.query('DELETE FROM rate_limits');
}

async function signIn(account: Account): Promise<string> {
  await clearRateLimits();
  const response =
    account.kind === 'resident'
      ? await request(server).post('/api/v1/auth/residents/login').set(MUNICIPALITY_HEADER, account.municipalityId).send({ email: account.login, password: account.password })
      : await request(server)
          .post('/api/v1/auth/staff/login')
          .set(MUNICIPALITY_HEADER, account.municipalityId)
          .send({ loginId: account.login, password: account.password, ...(account.totpSecret ? { totpCode: totpCode(account.totpSecret) } : {}) });
  if (response.status !== 200) throw new Error(`login of ${account.login} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.accessToken as string;
}

async function resident(municipalityId: MunicipalityId, email: string, passwordHash: string): Promise<Account> {
  const residents = t.get(ResidentRepository);
  const id = randomUUID();
  if (!(await residents.insert(municipalityId, { id, email, passwordHash, jpkiSubject: null, now: t.clock.now() }))) throw new Error(`resident ${email} exists`);
  await residents.markEmailVerified(municipalityId, id, t.clock.now());
  const account: Account = { kind: 'resident', id, municipalityId, roles: [], login: email, password: PASSWORD, totpSecret: null, token: '' };
  account.token = await signIn(account);
  return account;
}

async function staff(
  municipalityId: MunicipalityId,
  loginId: string,
  roles: StaffRole[],
  approvalLevel: ApprovalLevel | null = null,
  departments = ['shimin'],
): Promise<Account> {
  const created = await t.get(StaffAdminService).create(municipalityId, 'matrix-setup', {
    loginId,
    password: PASSWORD,
    displayName: loginId,
    roles,
    approvalLevel,
    departments,
    active: true,
  });
  const account: Account = { kind: 'staff', id: created.account.id, municipalityId, roles, login: loginId, password: PASSWORD, totpSecret: null, token: '' };
  account.token = await signIn(account);
  return account;
}

async function administrator(municipalityId: MunicipalityId, loginId: string): Promise<Account> {
  const created = await t.get(StaffAdminService).bootstrapAdministrator(municipalityId, { loginId, displayName: loginId, password: PASSWORD });
  const account: Account = {
    kind: 'staff',
    id: created.id,
    municipalityId,
    roles: ['administrator'],
    login: loginId,
    password: PASSWORD,
    totpSecret: created.totpSecret,
    token: '',
  };
  account.token = await signIn(account);
  return account;
}

/** A valid 12-digit individual number: eleven digits and the check digit that fits. */
function individualNumber(first11: string): string {
  const digit = [...'0123456789'].find((candidate) => isValidIndividualNumber(first11 + candidate));
  return first11 + digit;
}

const actorA = (): WorkflowActor => ({ kind: 'resident', id: accounts.residentA.id });

async function draftOfA(procedureCode: string, formData: Record<string, unknown>): Promise<string> {
  const draft = await t.get(ApplicationsService).createDraft(M1, { procedureCode, channel: 'online', applicantId: accounts.residentA.id, formData, actor: actorA() });
  applicationsOfA.add(draft.id);
  return draft.id;
}

async function move(id: string, type: string, actor: WorkflowActor, payload: Record<string, unknown> = {}): Promise<void> {
  await t.get(ApplicationWorkflowService).transition(M1, id, { type, actor, payload });
}

/**
 * 住民票 needs a My Number Card signature to be submitted and to enter
 * review; the JPKI and signed-record tests cover that. Here only who may see
 * the application matters, so submitted fixtures are drafts of its
 * account-only copy (TEST_CERTIFICATE: same form, fee and department) and
 * take the engine's submit step directly, with the fee the service prices.
 */
async function submitJuminhyoOfA(id: string): Promise<void> {
  await move(id, 'resident.submit', actorA(), { amount: 300 * JUMINHYO_FORM.copies });
}

/** A fresh 住民票 application of resident A waiting for review in shimin. */
async function juminhyoUnderReview(): Promise<string> {
  const id = await draftOfA(TEST_CERTIFICATE, JUMINHYO_FORM);
  await submitJuminhyoOfA(id);
  await move(id, 'payment.succeeded', { kind: 'provider', id: 'matrix' });
  return id;
}

/** A fresh 現況届 of resident A, submitted (no fee: straight to review). */
async function hoikuSubmitted(): Promise<string> {
  const id = await draftOfA('kosodate-13', HOIKU_FORM);
  await move(id, 'resident.submit', actorA());
  return id;
}

/** A fresh 現況届 of resident A, sent back by a clerk to correct the phone number. */
async function hoikuReturned(): Promise<string> {
  const id = await hoikuSubmitted();
  await move(id, 'staff.sendBack', { kind: 'staff', id: accounts.clerk.id }, { fields: ['phone'], message: '電話番号をご確認ください。' });
  return id;
}

/** Resident A attaches the earlier file to an application, the way the resident would. */
async function reuseAttachmentOfA(applicationId: string): Promise<void> {
  await request(server)
    .post(`/api/v1/applications/${applicationId}/attachments/reuse`)
    .auth(accounts.residentA.token, { type: 'bearer' })
    .send({ attachmentId: attachmentOfA })
    .expect(201);
}

function sameMunicipality(caller: Caller, municipalityId: MunicipalityId): boolean {
  return (caller.account?.municipalityId ?? M1) === municipalityId;
}

// --- Document fixtures (libs/documents) --------------------------------------

let receiptOfAPromise: Promise<DocumentRecord> | null = null;

/** Resident A's receipt of the submitted 住民票, issued once. */
function receiptOfA(): Promise<DocumentRecord> {
  receiptOfAPromise ??= (async () => t.get(DocumentIssuer).receiptFor(await t.get(ApplicationsService).get(M1, submittedId), { kind: 'resident', id: accounts.residentA.id }))();
  return receiptOfAPromise;
}

/** The receipt of a fresh 住民票 of resident A, for a call that revokes or replaces it. */
async function freshReceiptOfA(): Promise<DocumentRecord> {
  const id = await juminhyoUnderReview();
  return t.get(DocumentIssuer).receiptFor(await t.get(ApplicationsService).get(M1, id), { kind: 'resident', id: accounts.residentA.id });
}

// --- Booking fixtures (libs/bookings) ---------------------------------------

/** A hall of 住民課 (the matrix's staff department) in 990001 only, open every day, one-hour slots; made once by the administrator. */
const MATRIX_FACILITY = 'matrix-hall';
const MATRIX_BOOKING_FORM = { facility: MATRIX_FACILITY, room: 'main', residency: 'resident', organizerName: '試験の会', phone: '03-1234-5678', email: 'matrix@example.jp', purpose: '会議', attendees: 5 };
/**
 * A fresh procedure draft of 990001 (hisai-01 at the next version, so each
 * publish by the administrator leaves a valid next draft), optionally dry-run.
 */
async function procedureDraft(dryRun: boolean): Promise<string> {
  const [{ version }] = await t.dataSource.query(`SELECT max(version)::int AS version FROM procedure_definitions WHERE municipality_id = $1 AND code = 'hisai-01'`, [M1]);
  const text = readFileSync(path.join(CONFIG_DIR, 'procedures/hisai-01.yaml'), 'utf8').replace(/^version: \d+$/m, `version: ${version + 1}`);
  const asAdmin = (pending: request.Test) => pending.auth(accounts.administrator.token, { type: 'bearer' });
  const created = await asAdmin(request(server).post('/api/v1/admin/procedure-drafts')).send({ yaml: text }).expect(201);
  if (dryRun) await asAdmin(request(server).post(`/api/v1/admin/procedure-drafts/${created.body.id}/dry-run`)).send({}).expect(200);
  return created.body.id as string;
}

let matrixFacilityPromise: Promise<void> | null = null;
let matrixSlotSeq = 0;
let sharedBookingOfA: Promise<string> | null = null;

function matrixFacilityBody(): object {
  const hours = { open: '09:00', close: '21:00' };
  return {
    name: { ja: '試験ホール', en: 'Matrix hall' },
    kind: 'hall',
    department: 'shimin',
    procedureCode: 'kominkan-yoyaku',
    rooms: [{ code: 'main', name: { ja: 'ホール', en: 'Hall' }, capacity: 50, rates: { resident: 100, nonResident: 200 } }],
    openingHours: { sun: hours, mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: hours },
    slotMinutes: 60,
    holidays: 'open',
    bookingWindowDays: 400,
    cancellation: [{ daysBefore: 0, refundPercent: 100 }],
  };
}

function matrixFacility(): Promise<void> {
  matrixFacilityPromise ??= fixtureAs(accounts.administrator, 'put', `/api/v1/admin/facilities/${MATRIX_FACILITY}`, matrixFacilityBody()).then(() => undefined);
  return matrixFacilityPromise;
}

/** A slot of its own for every call: twelve a day from 2026-12-01. */
function matrixSlot(): { date: string; start: string; end: string } {
  const n = matrixSlotSeq++;
  const day = new Date(Date.UTC(2026, 11, 1 + Math.floor(n / 12)));
  const hour = 9 + (n % 12);
  return { date: day.toISOString().slice(0, 10), start: `${String(hour).padStart(2, '0')}:00`, end: `${String(hour + 1).padStart(2, '0')}:00` };
}

/** A fresh booking of resident A, held by submitting an application for the hall (so it never counts against A's open holds). */
async function bookingOfA(): Promise<string> {
  await matrixFacility();
  const { date, start } = matrixSlot();
  const id = await draftOfA('kominkan-yoyaku', { ...MATRIX_BOOKING_FORM, date, slots: [start] });
  await move(id, 'resident.submit', actorA());
  const rows: Array<{ id: string }> = await t.dataSource.query(`SELECT id FROM bookings WHERE municipality_id = $1 AND application_id = $2`, [M1, id]);
  return rows[0].id;
}

function sharedBookingIdOfA(): Promise<string> {
  sharedBookingOfA ??= bookingOfA();
  return sharedBookingOfA;
}

/** Lotteries of the matrix hall take single days from 2027-06-01 on, clear of the ordinary slots above; one day per lottery. */
let matrixLotteryDay = 0;
let matrixLotteryPromise: Promise<string> | null = null;
let matrixEntrySeq = 0;

function matrixLotteryBody(): object {
  const day = new Date(Date.UTC(2027, 5, 1 + matrixLotteryDay++)).toISOString().slice(0, 10);
  return { periodFrom: day, periodTo: day, entryClosesAt: new Date(t.clock.now().getTime() + 30 * 86_400_000).toISOString(), maxEntriesPerResident: 20 };
}

/** A fresh lottery of the matrix hall, open for entries for a month (so drawing it is refused: it is still open). */
async function freshMatrixLottery(): Promise<{ id: string; day: string }> {
  await matrixFacility();
  const made = await fixtureAs(accounts.clerk, 'post', `/api/v1/staff/facilities/${MATRIX_FACILITY}/lotteries`, matrixLotteryBody());
  return { id: made.body.id as string, day: made.body.periodFrom as string };
}

/** The lottery the read and entry routes share; entries take its twelve hourly slots in turn. */
function sharedMatrixLottery(): Promise<string> {
  matrixLotteryPromise ??= freshMatrixLottery().then((made) => made.id);
  return matrixLotteryPromise;
}

let entryLottery: Promise<{ id: string; day: string }> | null = null;

/** An entry request no one has made yet: the twelve hourly slots of a lottery's day in turn, then a new lottery. */
async function matrixEntry(): Promise<{ params: Record<string, string>; body: object }> {
  const n = matrixEntrySeq++;
  if (n % 12 === 0) entryLottery = freshMatrixLottery();
  const { id, day } = await entryLottery!;
  const slot = `${String(9 + (n % 12)).padStart(2, '0')}:00`;
  return { params: { id }, body: { room: 'main', date: day, slots: [slot], organizerName: '試験の会', purpose: '会議', attendees: 5 } };
}

/** A fresh entry of resident A (a slot of its own), for a call that withdraws it. */
async function entryOfA(): Promise<{ id: string; number: string }> {
  const { params, body } = await matrixEntry();
  const { accessToken } = await t.get(SessionService).issue(M1, { kind: 'resident', id: accounts.residentA.id }, 'bearer', 'password');
  const made = await request(server).post(`/api/v1/lotteries/${params.id}/entries`).auth(accessToken, { type: 'bearer' }).send(body);
  if (made.status !== 201) throw new Error(`lottery entry fixture: ${made.status} ${JSON.stringify(made.body)}`);
  return { id: params.id, number: String(made.body.entryNumber) };
}

// --- Counter fixtures (libs/counter) ----------------------------------------

/** Made over HTTP with sessions of their own, so the calls above that log out or rotate never get in the way. */
const COUNTER_SERVICE = 'matrix-desk';
/** Tickets here are called the moment they are issued, so "call next" takes exactly the new one. */
const CALLED_SERVICE = 'matrix-calls';
const counterFixtures = new Map<MunicipalityId, Promise<{ deskCounter: string; callsCounter: string }>>();
let bookingDay = 0;

async function fixtureAs(account: Account, method: 'post' | 'put', path: string, body: object): Promise<request.Response> {
  const { accessToken } = await t.get(SessionService).issue(account.municipalityId, { kind: account.kind, id: account.id }, 'bearer', 'password');
  const response = await request(server)[method](path).auth(accessToken, { type: 'bearer' }).send(body);
  if (response.status >= 300) throw new Error(`counter fixture ${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response;
}

const fixtureAdmin = (municipalityId: MunicipalityId) => (municipalityId === M1 ? accounts.administrator : accounts.otherAdministrator);
const fixtureClerk = (municipalityId: MunicipalityId) => (municipalityId === M1 ? accounts.clerk : accounts.otherClerk);
const municipalityOf = (caller: Caller): MunicipalityId => caller.account?.municipalityId ?? M1;

/** A bookable service with a counter, and a second service whose counter calls at once; once per municipality. */
function counterFixture(municipalityId: MunicipalityId): Promise<{ deskCounter: string; callsCounter: string }> {
  let fixture = counterFixtures.get(municipalityId);
  if (!fixture) {
    fixture = (async () => {
      const admin = fixtureAdmin(municipalityId);
      await fixtureAs(admin, 'post', '/api/v1/admin/counter-services', { code: COUNTER_SERVICE, name: { ja: '試験受付', en: 'Matrix desk' }, ticketPrefix: 'M', slotCapacity: 5 });
      await fixtureAs(admin, 'post', '/api/v1/admin/counter-services', { code: CALLED_SERVICE, name: { ja: '呼出試験', en: 'Matrix calls' }, ticketPrefix: 'Y' });
      const desk = await fixtureAs(admin, 'post', '/api/v1/admin/counters', { name: { ja: '試験窓口', en: 'Matrix counter' }, serviceCodes: [COUNTER_SERVICE] });
      const calls = await fixtureAs(admin, 'post', '/api/v1/admin/counters', { name: { ja: '呼出窓口', en: 'Calls counter' }, serviceCodes: [CALLED_SERVICE] });
      return { deskCounter: desk.body.id as string, callsCounter: calls.body.id as string };
    })();
    counterFixtures.set(municipalityId, fixture);
  }
  return fixture;
}

/** A fresh ticket in the given status. */
async function counterTicket(municipalityId: MunicipalityId, status: 'waiting' | 'called' | 'serving'): Promise<string> {
  const { callsCounter } = await counterFixture(municipalityId);
  const clerk = fixtureClerk(municipalityId);
  const issued = await fixtureAs(clerk, 'post', '/api/v1/staff/counter-tickets', { serviceCode: status === 'waiting' ? COUNTER_SERVICE : CALLED_SERVICE });
  const id = issued.body.id as string;
  if (status === 'waiting') return id;
  const called = await fixtureAs(clerk, 'post', `/api/v1/staff/counters/${callsCounter}/call-next`, {});
  if (called.body.id !== id) throw new Error('counter fixture: call-next took another ticket');
  if (status === 'serving') await fixtureAs(clerk, 'post', `/api/v1/staff/counter-tickets/${id}/start`, {});
  return id;
}

/** 09:00 on a weekday of its own, so one resident's bookings never share a day. */
function bookingSlot(): string {
  // Tuesday 2026-11-24, after the matrix clock's Sunday; then the weekdays that follow.
  const day = new Date(Date.UTC(2026, 10, 24));
  for (let skip = bookingDay++; skip > 0; ) {
    day.setUTCDate(day.getUTCDate() + 1);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) skip -= 1;
  }
  return `${day.toISOString().slice(0, 10)}T09:00:00+09:00`;
}

// --- The table: one row per route ------------------------------------------

const CASES: Record<string, RouteCase> = {
  'GET /health/live': { untenanted: true },
  'GET /health/ready': { untenanted: true },
  'GET /api/v1/procedures': {},
  'GET /api/v1/procedures/:code': { request: () => ({ params: { code: 'juminhyo' } }) },
  'GET /api/v1/kpi/online-procedures': {},

  'POST /api/v1/auth/residents/register': {
    request: () => ({ body: { email: `newcomer-${next()}@example.jp`, password: PASSWORD } }),
  },
  'POST /api/v1/auth/residents/verify-email': {
    // No real token without reading mail; an unknown one is refused as invalid, not by the guard.
    permitted: 'pass',
    request: () => ({ body: { token: 'not-a-real-token' } }),
  },
  'POST /api/v1/auth/residents/login': {
    // A caller's token binds the request to its municipality, so 990002 callers sign in a 990002 resident.
    request: (caller) => {
      const target = sameMunicipality(caller, M2) ? accounts.residentC : accounts.residentA;
      return { body: { email: target.login, password: target.password } };
    },
  },
  'POST /api/v1/auth/residents/password-reset': {
    request: () => ({ body: { email: accounts.residentA.login } }),
  },
  'POST /api/v1/auth/residents/password-reset/confirm': {
    permitted: 'pass',
    request: () => ({ body: { token: 'not-a-real-token', password: 'a-new-password-0001' } }),
  },
  // Account closure (issue 15): a resident caller closes a throwaway account of its municipality, not the fixtures' owner.
  'DELETE /api/v1/auth/residents/me': {
    request: async (caller) => {
      if (caller.account?.kind !== 'resident') return { body: { password: PASSWORD } };
      const throwaway = await resident(caller.account.municipalityId, `closing-${next()}@example.jp`, await hashPassword(PASSWORD));
      return { token: throwaway.token, body: { password: PASSWORD } };
    },
  },
  'POST /api/v1/auth/residents/password': {
    request: (caller) => {
      const newPassword = `matrix-password-${1000 + next()}`;
      return { body: { currentPassword: caller.account?.password ?? PASSWORD, newPassword }, memo: newPassword };
    },
    after: async (caller, response, prepared) => {
      if (response.status === 204 && caller.account && prepared.memo) caller.account.password = prepared.memo;
    },
  },
  'POST /api/v1/auth/staff/login': {
    request: (caller) => {
      const target = sameMunicipality(caller, M2) ? accounts.otherClerk : accounts.clerk;
      return { body: { loginId: target.login, password: target.password, ...(target.totpSecret ? { totpCode: totpCode(target.totpSecret) } : {}) } };
    },
  },
  'POST /api/v1/auth/staff/totp': {
    // Enrolment stays pending (it does not switch a factor on) until the confirm route below.
    after: async (caller, response) => {
      if (response.status === 200 && caller.account) caller.account.pendingTotp = response.body.secret as string;
    },
    // Administrators are enrolled from the start, and an enrolled factor is never started over (409).
    except: { administrator: 'reached', otherAdministrator: 'reached' },
  },
  'POST /api/v1/auth/staff/totp/confirm': {
    request: async (caller) => {
      const account = caller.account;
      if (account?.kind !== 'staff' || caller.header) return { body: { code: '123456' } };
      if (!account.pendingTotp && !account.totpSecret) {
        const begun = await request(server).post('/api/v1/auth/staff/totp').auth(account.token, { type: 'bearer' }).expect(200);
        account.pendingTotp = begun.body.secret as string;
      }
      // Confirming the factor already in use is harmless: administrators show the route admits them.
      return { body: { code: totpCode((account.pendingTotp ?? account.totpSecret)!) } };
    },
    after: async (caller, response) => {
      const account = caller.account;
      if (response.status === 204 && account?.pendingTotp) {
        account.totpSecret = account.pendingTotp;
        account.pendingTotp = null;
      }
    },
  },
  'POST /api/v1/auth/refresh': {
    request: async () => {
      const tokens = await t.get(SessionService).issue(M1, { kind: 'resident', id: accounts.residentA.id }, 'bearer', 'password');
      return { body: { refreshToken: tokens.refreshToken } };
    },
  },
  'POST /api/v1/auth/logout': {
    // Each caller logs out a session of its own made for the purpose, keeping its usual one.
    request: async (caller) => {
      const account = caller.account;
      if (!account) return {};
      const tokens = await t.get(SessionService).issue(account.municipalityId, { kind: account.kind, id: account.id }, 'bearer', 'password');
      return { token: tokens.accessToken };
    },
  },
  'GET /api/v1/auth/me': {},

  'POST /api/v1/auth/jpki/nonce': {},
  // Browser routes of My Number Card sign-in: public, refused here because digital authentication is off.
  'GET /mynumber/login': { permitted: 'pass' },
  'GET /mynumber/callback': { permitted: 'pass', request: () => ({ query: { state: 'forged', code: 'forged' } }) },
  // The simulated digital authentication service's hosted pages: another organisation's service in stand-in.
  'GET /simulated-digital-auth/interaction/:uid': { untenanted: true, permitted: 'pass', request: () => ({ params: { uid: 'unknown' } }) },
  'POST /simulated-digital-auth/interaction/:uid': { untenanted: true, permitted: 'pass', request: () => ({ params: { uid: 'unknown' }, body: {} }) },
  'POST /api/v1/auth/jpki/login': {
    // A card signature is the JPKI tests' business; a bogus one is refused by the strategy, not the guard.
    permitted: 'pass',
    request: () => ({ body: { nonce: 'not-a-real-nonce', signature: 'AAAA', certificateChain: ['AAAA'] } }),
  },
  'POST /api/v1/admin/jpki/crls': {
    // No CRL at hand here: a malformed one is refused as such, after the administrator check.
    permitted: 'reached',
    request: () => ({ body: { crl: Buffer.from('not a CRL').toString('base64') } }),
  },

  'PUT /api/v1/residents/me/individual-number': {
    request: () => ({ body: { individualNumber: individualNumber('12345678901') } }),
  },
  'POST /api/v1/staff/residents/:residentId/individual-number/reveal': {
    owner: 'residentA',
    request: () => ({ params: { residentId: accounts.residentA.id }, body: { purpose: '児童手当の認定審査' } }),
  },

  'GET /api/v1/admin/staff': {},
  'POST /api/v1/admin/staff': {
    request: () => ({
      body: {
        loginId: `matrix-new-${next()}`,
        password: PASSWORD,
        displayName: '新規職員',
        roles: ['clerk'],
        approvalLevel: null,
        departments: ['shimin'],
        active: true,
      },
    }),
  },
  'GET /api/v1/admin/staff/locked': {},
  'POST /api/v1/admin/staff/:id/unlock': {
    owner: 'municipality',
    // The target is not locked: an administrator reaches the service and gets 409 IDENTITY_STAFF_NOT_LOCKED.
    permitted: 'reached',
    request: () => ({ params: { id: targetStaffId } }),
  },
  'POST /api/v1/admin/staff/:id/totp/reset': { owner: 'municipality', request: () => ({ params: { id: targetStaffId } }) },
  'GET /api/v1/admin/staff/:id': { owner: 'municipality', request: () => ({ params: { id: targetStaffId } }) },
  'PUT /api/v1/admin/staff/:id': {
    owner: 'municipality',
    request: () => ({
      params: { id: targetStaffId },
      body: { displayName: `対象職員 ${next()}`, roles: ['clerk'], approvalLevel: null, departments: ['shimin'], active: true },
    }),
  },
  'GET /api/v1/admin/departments': {},
  'POST /api/v1/admin/departments': {
    request: () => ({ body: { code: `matrix-${next()}`, name: { ja: '試験課', en: 'Test Division' }, active: true } }),
  },
  'PUT /api/v1/admin/departments/:code': {
    owner: 'municipality',
    request: () => ({ params: { code: TARGET_DEPARTMENT }, body: { code: TARGET_DEPARTMENT, name: { ja: `試験課 ${next()}`, en: 'Fixed Division' }, active: true } }),
  },
  // The resident's own access log (issue 15): no path parameter, so the caller's own only.
  'GET /api/v1/me/access-log': {},
  'GET /api/v1/me/access-log.csv': {},
  'GET /api/v1/admin/retention/preview': {},
  'GET /api/v1/admin/audit': {},
  'GET /api/v1/admin/audit/verify': {},
  'GET /api/v1/staff/notifications/failed': {},

  // Payments. The fixture has no payment yet, so routes that need one are only checked to get past the guard and ownership.
  'POST /api/v1/applications/:id/payments': { owner: 'residentA', permitted: 'pass', request: () => ({ params: { id: submittedId }, body: { method: 'card' } }) },
  'GET /api/v1/applications/:id/payments': { owner: 'residentA', request: () => ({ params: { id: submittedId } }) },
  'GET /api/v1/payments/export.csv': { request: () => ({ query: { date: '2026-11-22' } }) },
  'POST /api/v1/staff/payments/:id/refunds': {
    owner: 'municipality',
    permitted: 'pass',
    request: () => ({ params: { id: '00000000-0000-4000-8000-00000000beef' }, body: { amount: 100, reason: '誤って二重に納付されたため' } }),
  },
  'POST /api/v1/payments/webhooks/:provider': { permitted: 'pass', request: () => ({ params: { provider: 'simulated' }, body: {} }) },
  'GET /api/v1/kpi/cashless': {},

  // Managers' evaluation (issue 13). Areas are per municipality: 990002 has none of 990001's.
  'GET /api/v1/evaluation/areas': {},
  'POST /api/v1/evaluation/areas': { request: () => ({ body: { code: `matrix-${next()}`, name: { ja: '試験分野', en: 'Matrix area' } } }) },
  'GET /api/v1/evaluation/:fiscalYear': { request: () => ({ params: { fiscalYear: '2025' } }) },
  'PUT /api/v1/evaluation/:fiscalYear/areas/:code': {
    owner: 'municipality',
    request: () => ({ params: { fiscalYear: '2025', code: 'security' }, body: { items: [{ label: { ja: '研修', en: 'Training' }, mark: 'normal' }] } }),
  },
  // Procedure drafts (issue 13): administrators of the municipality; a draft of 990001 is hidden from 990002.
  'POST /api/v1/admin/procedure-drafts': {
    // The next version in the caller's own municipality, so every admitted caller sends a valid draft.
    request: async (caller) => {
      const [{ version }] = await t.dataSource.query(`SELECT max(version)::int AS version FROM procedure_definitions WHERE municipality_id = $1 AND code = 'hisai-01'`, [caller.account?.municipalityId ?? M1]);
      return { body: { yaml: readFileSync(path.join(CONFIG_DIR, 'procedures/hisai-01.yaml'), 'utf8').replace(/^version: \d+$/m, `version: ${version + 1}`) } };
    },
  },
  'GET /api/v1/admin/procedure-drafts/:id': { owner: 'municipality', request: async () => ({ params: { id: await procedureDraft(false) } }) },
  'PUT /api/v1/admin/procedure-drafts/:id': {
    owner: 'municipality',
    request: async () => {
      const id = await procedureDraft(false);
      const [{ source_text }] = await t.dataSource.query(`SELECT source_text FROM procedure_drafts WHERE id = $1`, [id]);
      return { params: { id }, body: { yaml: source_text } };
    },
  },
  'GET /api/v1/admin/procedure-drafts/:id/diff': { owner: 'municipality', request: async () => ({ params: { id: await procedureDraft(false) } }) },
  'POST /api/v1/admin/procedure-drafts/:id/dry-run': { owner: 'municipality', request: async () => ({ params: { id: await procedureDraft(false) }, body: {} }) },
  'POST /api/v1/admin/procedure-drafts/:id/publish': { owner: 'municipality', request: async () => ({ params: { id: await procedureDraft(true) } }) },
  // Open data: public, aggregates only.
  'GET /api/v1/opendata': {},
  'GET /api/v1/opendata/:dataset.json': { request: () => ({ params: { dataset: 'online-procedures' } }) },
  'GET /api/v1/opendata/:dataset.csv': { request: () => ({ params: { dataset: 'facilities' } }) },
  'GET /api/v1/opendata/progress': { request: () => ({ query: { fiscalYear: '2025' } }) },
  // The annual report: each municipality prints its own (990002's has no KPIs).
  'GET /api/v1/reports/annual/:fiscalYear.pdf': { request: () => ({ params: { fiscalYear: '2025' } }) },
  // --- plan KPIs and the dashboard (issue 13) ---
  // Administrators edit their own register (a fresh code per call); 990002 has no config file, so its admins start an empty one.
  'GET /api/v1/admin/kpis': {},
  'PUT /api/v1/admin/kpis/:code': {
    request: () => ({
      params: { code: `matrix-kpi-${next()}` },
      body: { name: { ja: '試験指標', en: 'Matrix KPI' }, unit: '件', baseline: { value: 1, date: '2023-03-31' }, target: { value: 2, fiscalYear: 2025 }, direction: 'up', source: 'entered' },
    }),
  },
  // Managers and administrators read the register and enter values; the seeded KPIs are 990001's, so 990002 staff get 404.
  'GET /api/v1/kpis': {},
  'GET /api/v1/kpis/:code': { owner: 'municipality', request: () => ({ params: { code: 'line-followers' } }) },
  'POST /api/v1/kpis/:code/values': { owner: 'municipality', request: () => ({ params: { code: 'line-followers' }, body: { month: '2026-10', value: 3000 + next() } }) },
  'GET /api/v1/dashboard/online-procedures': {},
  'GET /api/v1/dashboard/channels': { request: () => ({ query: { fiscalYear: '2026', department: 'shimin' } }) },
  'GET /api/v1/dashboard/cashless': {},
  'GET /api/v1/dashboard/processing-times': {},
  'GET /api/v1/dashboard/counter': {},
  // Charts as SVG: the same access as the figures they draw.
  'GET /api/v1/kpis/:code/chart.svg': { owner: 'municipality', request: () => ({ params: { code: 'line-followers' }, query: { fiscalYear: '2025' } }) },
  'GET /api/v1/dashboard/channels/chart.svg': { request: () => ({ query: { fiscalYear: '2026' } }) },
  'GET /api/v1/dashboard/online-share/chart.svg': {},
  'GET /api/v1/dashboard/processing-times/chart.svg': {},
  // The simulated provider stands in for another company's service: public, outside our tenancy, its own keys.
  'GET /simulated-provider/:merchant/pay/:id': { untenanted: true, permitted: 'pass', request: () => ({ params: { merchant: M1, id: 'unknown' } }) },
  'GET /simulated-provider/:merchant/pay/:id/3ds': { untenanted: true, permitted: 'pass', request: () => ({ params: { merchant: M1, id: 'unknown' } }) },
  'POST /simulated-provider/:merchant/pay/:id/card': { untenanted: true, permitted: 'pass', request: () => ({ params: { merchant: M1, id: 'unknown' }, body: {} }) },
  'POST /simulated-provider/:merchant/pay/:id/3ds': { untenanted: true, permitted: 'pass', request: () => ({ params: { merchant: M1, id: 'unknown' }, body: {} }) },
  'POST /simulated-provider/:merchant/pay/:id/qr': { untenanted: true, permitted: 'pass', request: () => ({ params: { merchant: M1, id: 'unknown' }, body: {} }) },
  'POST /simulated-provider/:merchant/konbini/pay': { untenanted: true, permitted: 'pass', request: () => ({ params: { merchant: M1 }, body: {} }) },
  'POST /simulated-provider/:merchant/payeasy/pay': { untenanted: true, permitted: 'pass', request: () => ({ params: { merchant: M1 }, body: {} }) },
  'GET /simulated-provider/:merchant/api/payments/:id': { untenanted: true, permitted: 'pass', request: () => ({ params: { merchant: M1, id: 'unknown' } }) },
  'GET /simulated-provider/:merchant/api/balance': { untenanted: true, permitted: 'pass', request: () => ({ params: { merchant: M1 } }) },

  'POST /api/v1/applications': {
    request: () => ({ body: { procedureCode: 'juminhyo' } }),
    after: async (caller, response) => {
      if (caller.name === 'residentA' && response.status === 201) applicationsOfA.add(response.body.id as string);
    },
  },
  'GET /api/v1/applications': {},
  'GET /api/v1/applications/:id': { owner: 'residentA', request: () => ({ params: { id: submittedId } }) },
  'GET /api/v1/applications/:id/timeline': { owner: 'residentA', request: () => ({ params: { id: submittedId } }) },
  'GET /api/v1/applications/:id/signing-content': { owner: 'residentA', request: () => ({ params: { id: signableDraftId } }) },
  'POST /applications/:id/sign/mynumber': {
    owner: 'residentA',
    // The browser round trip is mynumber-oidc.e2e-spec's business; here digital authentication is off
    // (nothing listens for its discovery), so the owner gets MYNUMBER_OIDC_DISABLED after the owner check.
    permitted: 'reached',
    request: () => ({ params: { id: signableDraftId } }),
  },
  'POST /api/v1/applications/:id/signature': {
    owner: 'residentA',
    // A real card signature is the JPKI tests' business: a bogus one is refused by the verifier, after the owner check.
    permitted: 'reached',
    request: () => ({ params: { id: signableDraftId }, body: { signature: 'AAAA', certificate: 'AAAA' } }),
  },
  'PUT /api/v1/applications/:id/form': {
    owner: 'residentA',
    request: async () => ({ params: { id: await draftOfA('kosodate-13', {}) }, body: { formData: HOIKU_FORM, revision: 1 } }),
  },
  'POST /api/v1/applications/:id/submit': {
    owner: 'residentA',
    request: async () => ({ params: { id: await draftOfA('kosodate-13', HOIKU_FORM) }, body: {} }),
  },
  'POST /api/v1/applications/:id/withdraw': {
    owner: 'residentA',
    request: async () => ({ params: { id: await hoikuSubmitted() }, body: { reason: '取り下げます' } }),
  },
  'POST /api/v1/applications/:id/resubmit': {
    owner: 'residentA',
    request: async () => ({ params: { id: await hoikuReturned() }, body: {} }),
  },
  'PUT /api/v1/applications/:id/corrections': {
    owner: 'residentA',
    request: async () => {
      const id = await hoikuReturned();
      const { revision } = await t.get(ApplicationsService).get(M1, id);
      return { params: { id }, body: { changes: { phone: '03-9999-0000' }, revision } };
    },
  },
  'POST /api/v1/applications/:id/discard': {
    owner: 'residentA',
    request: async () => ({ params: { id: await draftOfA('kosodate-13', {}) }, body: {} }),
  },
  'GET /api/v1/applications/:id/receipt': { owner: 'residentA', request: () => ({ params: { id: submittedId } }) },

  'POST /api/v1/applications/:id/attachments': {
    owner: 'residentA',
    request: async () => ({ params: { id: await draftOfA('kosodate-13', {}) }, headers: PDF_HEADERS, body: PDF }),
    after: async (caller, response) => {
      if (caller.name === 'residentA' && response.status === 201) attachmentsOfA.add(response.body.id as string);
    },
  },
  'POST /api/v1/applications/:id/attachments/reuse': {
    owner: 'residentA',
    request: async () => ({ params: { id: await draftOfA('kosodate-13', {}) }, body: { attachmentId: attachmentOfA } }),
  },
  'GET /api/v1/applications/:id/attachments': { owner: 'residentA', request: () => ({ params: { id: submittedId } }) },
  'GET /api/v1/applications/:id/attachments/:attachmentId': { owner: 'residentA', request: () => ({ params: { id: submittedId, attachmentId: attachmentOfA } }) },
  'DELETE /api/v1/applications/:id/attachments/:attachmentId': {
    owner: 'residentA',
    request: async () => {
      const id = await draftOfA('kosodate-13', {});
      await reuseAttachmentOfA(id);
      return { params: { id, attachmentId: attachmentOfA } };
    },
  },
  'GET /api/v1/attachments': {},

  'GET /api/v1/staff/applications': {},
  'GET /api/v1/staff/applications/:id': { owner: 'residentA', request: () => ({ params: { id: submittedId } }) },
  'GET /api/v1/staff/applications/:id/attachments/:attachmentId': {
    owner: 'residentA',
    request: () => ({ params: { id: submittedId, attachmentId: attachmentOfA } }),
  },
  'GET /api/v1/staff/applications/:id/signature': {
    owner: 'residentA',
    // The fixture carries no signature: permitted staff learn that (404 APPLICATION_SIGNATURE_NOT_FOUND), others must not.
    permitted: 'reached',
    request: () => ({ params: { id: submittedId } }),
  },
  'POST /api/v1/staff/applications/:id/individual-number/reveal': {
    owner: 'residentA',
    // The fixture's form has no individual number: permitted staff learn that (404), others must not get that far.
    permitted: 'reached',
    request: () => ({ params: { id: submittedId }, body: { purpose: '児童手当の認定審査' } }),
  },
  'POST /api/v1/staff/applications/:id/events': {
    owner: 'residentA',
    request: async () => ({ params: { id: await juminhyoUnderReview() }, body: { type: 'staff.accept' } }),
    // Approvers send only approver.* events (ApplicationAccessService); shimin has no approval step to send one to.
    except: { approver: '403' },
  },
  // --- work queue and due dates (issue 5) ---
  // --- end work queue ---

  // --- claims, notes and resubmission diffs (issue 5) ---
  // A fresh case per call: a claim held by an earlier caller would answer the next one 409.
  'POST /api/v1/staff/applications/:id/claim': { owner: 'residentA', request: async () => ({ params: { id: await juminhyoUnderReview() } }) },
  // Releasing a free case is a harmless 200 (a retried release).
  'POST /api/v1/staff/applications/:id/release': { owner: 'residentA', request: async () => ({ params: { id: await juminhyoUnderReview() } }) },
  'POST /api/v1/staff/applications/:id/assign': {
    owner: 'residentA',
    request: async () => ({ params: { id: await juminhyoUnderReview() }, body: { staffId: accounts.clerk.id } }),
  },
  'POST /api/v1/staff/applications/:id/notes': { owner: 'residentA', request: () => ({ params: { id: submittedId }, body: { body: '窓口で本人確認済み' } }) },
  'GET /api/v1/staff/applications/:id/notes': { owner: 'residentA', request: () => ({ params: { id: submittedId } }) },
  // Legal hold (issue 15): reviewers and approvers of the case's department. Releasing finds a hold placed before each call.
  'POST /api/v1/staff/applications/:id/legal-hold': { owner: 'residentA', request: () => ({ params: { id: submittedId }, body: { reason: '審査請求の審理中のため' } }) },
  'DELETE /api/v1/staff/applications/:id/legal-hold': {
    owner: 'residentA',
    request: async () => {
      await t.dataSource.query(
        `INSERT INTO application_legal_holds (municipality_id, application_id, reason, placed_by, placed_at) VALUES ($1, $2, 'matrix', $3, now()) ON CONFLICT DO NOTHING`,
        [M1, submittedId, accounts.reviewer.id],
      );
      return { params: { id: submittedId } };
    },
  },
  'GET /api/v1/staff/applications/:id/diff': { owner: 'residentA', request: () => ({ params: { id: submittedId } }) },
  'GET /api/v1/applications/:id/changes': { owner: 'residentA', request: () => ({ params: { id: submittedId } }) },
  // --- end claims ---

  // --- assisted entry at the counter (issue 5) ---
  // Counter staff (clerk, reviewer) of the owning department; a fresh counter draft of resident A per call where the call changes it.
  'POST /api/v1/staff/counter/applications': {
    // 住民票 is shimin's in both municipalities, so 990002 desk staff enter one of their own.
    request: () => ({ body: { procedureCode: 'juminhyo', formData: JUMINHYO_FORM } }),
  },
  'GET /api/v1/staff/counter/applications/:id': {
    owner: 'municipality',
    request: async () => {
      const draft = await t.get(ApplicationsService).createDraft(M1, { procedureCode: 'juminhyo', channel: 'counter', applicantId: accounts.residentA.id, enteredBy: accounts.clerk.id, actor: { kind: 'staff', id: accounts.clerk.id } });
      applicationsOfA.add(draft.id);
      return { params: { id: draft.id } };
    },
  },
  'PUT /api/v1/staff/counter/applications/:id/form': {
    owner: 'municipality',
    request: async () => {
      const draft = await t.get(ApplicationsService).createDraft(M1, { procedureCode: 'juminhyo', channel: 'counter', applicantId: accounts.residentA.id, enteredBy: accounts.clerk.id, actor: { kind: 'staff', id: accounts.clerk.id } });
      applicationsOfA.add(draft.id);
      return { params: { id: draft.id }, body: { formData: JUMINHYO_FORM, revision: 1 } };
    },
  },
  'POST /api/v1/staff/counter/applications/:id/identity': {
    owner: 'municipality',
    request: async () => {
      const draft = await t.get(ApplicationsService).createDraft(M1, { procedureCode: 'juminhyo', channel: 'counter', applicantId: accounts.residentA.id, enteredBy: accounts.clerk.id, actor: { kind: 'staff', id: accounts.clerk.id } });
      applicationsOfA.add(draft.id);
      return { params: { id: draft.id }, body: { method: 'myNumberCard' } };
    },
  },
  'POST /api/v1/staff/counter/applications/:id/submit': {
    owner: 'municipality',
    // 住民票 needs the identity check at the counter: the fixture's clerk records it first.
    request: async () => {
      const draft = await t.get(ApplicationsService).createDraft(M1, { procedureCode: 'juminhyo', channel: 'counter', applicantId: accounts.residentA.id, enteredBy: accounts.clerk.id, formData: JUMINHYO_FORM, actor: { kind: 'staff', id: accounts.clerk.id } });
      applicationsOfA.add(draft.id);
      await fixtureAs(accounts.clerk, 'post', `/api/v1/staff/counter/applications/${draft.id}/identity`, { method: 'myNumberCard' });
      return { params: { id: draft.id }, body: { revision: 1 } };
    },
  },
  'POST /api/v1/staff/counter/handovers': {
    // Resident A shows a fresh code per call. Codes are looked up in the caller's municipality, so 990002 staff
    // find none (404 HANDOVER_NOT_FOUND, a code of the handover itself rather than a hidden record).
    request: async () => {
      const draft = await draftOfA('juminhyo', JUMINHYO_FORM);
      const shown = await fixtureAs(accounts.residentA, 'post', `/api/v1/applications/${draft}/handover`, {});
      return { body: { code: shown.body.code as string } };
    },
    except: { otherClerk: 'reached', otherReviewer: 'reached' },
  },
  'POST /api/v1/applications/:id/handover': {
    owner: 'residentA',
    request: async () => ({ params: { id: await draftOfA('juminhyo', JUMINHYO_FORM) } }),
  },
  // --- end assisted entry ---

  // --- documents (issue 6) ---
  // Resident A's receipt (受付票) of the submitted 住民票 serves the read routes; revoke and reissue get a fresh one per call.
  'GET /api/v1/applications/:id/documents': { owner: 'residentA', request: () => ({ params: { id: submittedId } }) },
  'GET /api/v1/applications/:id/documents/:documentId/pdf': {
    owner: 'residentA',
    request: async () => ({ params: { id: submittedId, documentId: (await receiptOfA()).id } }),
  },
  'GET /api/v1/applications/:id/receipt.pdf': { owner: 'residentA', request: () => ({ params: { id: submittedId } }) },
  'GET /api/v1/staff/applications/:id/documents': { owner: 'residentA', request: () => ({ params: { id: submittedId } }) },
  // Reviewers and approvers of the owning department; 990002 staff look it up in their own municipality and find nothing (404).
  'POST /api/v1/staff/documents/:id/revoke': {
    owner: 'residentA',
    request: async () => ({ params: { id: (await freshReceiptOfA()).id }, body: { reason: '誤って交付したため' } }),
  },
  'POST /api/v1/staff/documents/:id/reissue': {
    owner: 'residentA',
    request: async () => ({ params: { id: (await freshReceiptOfA()).id }, body: { reason: '記載誤りのため' } }),
  },
  // Public verification, outside the tenancy middleware (a QR code names the municipality in `m`): shows printed fields only.
  'GET /api/v1/verify': { untenanted: true, request: async () => ({ query: { code: (await receiptOfA()).verificationCode, m: M1 } }) },
  'GET /api/v1/verify/:code': { untenanted: true, request: async () => ({ params: { code: (await receiptOfA()).verificationCode }, query: { m: M1 } }) },
  'POST /api/v1/documents/verify': { untenanted: true, request: async () => ({ body: { code: (await receiptOfA()).verificationCode }, query: { m: M1 } }) },
  // --- end documents ---

  // --- bookings (issue 6) ---
  // Public: facilities and availability of the caller's municipality (990002 has none in config, so its callers see an empty list or 404).
  'GET /api/v1/facilities': {},
  'GET /api/v1/facilities/:code': { permitted: 'pass', request: async () => { await matrixFacility(); return { params: { code: MATRIX_FACILITY } }; } },
  'GET /api/v1/facilities/:code/availability': {
    permitted: 'pass',
    request: async () => {
      await matrixFacility();
      return { params: { code: MATRIX_FACILITY }, query: { from: '2026-12-01', to: '2026-12-07' } };
    },
  },
  // Administrators of each municipality manage their own facilities; a code per call so 990002 never gets the 990001 hall.
  'GET /api/v1/admin/facilities': {},
  'PUT /api/v1/admin/facilities/:code': { request: () => ({ params: { code: `matrix-put-${next()}` }, body: matrixFacilityBody() }) },
  // Residents hold a slot of their own per call (990001's hall: 990002 callers are refused before that).
  'POST /api/v1/bookings/holds': {
    request: async () => {
      await matrixFacility();
      const { date, start } = matrixSlot();
      return { body: { facility: MATRIX_FACILITY, room: 'main', date, slots: [start] } };
    },
  },
  'GET /api/v1/bookings': {},
  'GET /api/v1/bookings/:id': { owner: 'residentA', request: async () => ({ params: { id: await sharedBookingIdOfA() } }) },
  'GET /api/v1/bookings/:id/cancellation': { owner: 'residentA', request: async () => ({ params: { id: await sharedBookingIdOfA() } }) },
  // A fresh booking of A per call: A's cancel withdraws its application and releases the slot.
  'POST /api/v1/bookings/:id/cancel': { owner: 'residentA', request: async () => ({ params: { id: await bookingOfA() }, body: { reason: '予定変更' } }) },
  // Counter and desk staff (clerk, reviewer) of the facility's department (shimin runs the matrix hall); 990002 staff do not find it.
  'POST /api/v1/staff/counter/bookings/holds': {
    owner: 'municipality',
    request: async () => {
      await matrixFacility();
      const { date, start } = matrixSlot();
      return { body: { facility: MATRIX_FACILITY, room: 'main', date, slots: [start] } };
    },
  },
  'GET /api/v1/staff/facilities/:code/bookings': {
    owner: 'municipality',
    request: async () => {
      await matrixFacility();
      return { params: { code: MATRIX_FACILITY }, query: { date: '2026-12-01' } };
    },
  },
  'POST /api/v1/staff/facilities/:code/blocks': {
    owner: 'municipality',
    request: async () => {
      await matrixFacility();
      const { date, start, end } = matrixSlot();
      return { params: { code: MATRIX_FACILITY }, body: { date, start, end, reason: 'maintenance' } };
    },
  },
  'DELETE /api/v1/staff/facilities/:code/blocks/:id': {
    owner: 'municipality',
    request: async () => {
      await matrixFacility();
      const { date, start, end } = matrixSlot();
      const made = await fixtureAs(accounts.clerk, 'post', `/api/v1/staff/facilities/${MATRIX_FACILITY}/blocks`, { date, start, end, reason: 'municipalUse' });
      return { params: { code: MATRIX_FACILITY, id: made.body.blocks[0].id as string } };
    },
  },
  // The fixture is a hold, not a confirmed booking that has begun or was flagged: permitted staff are refused for that (409), others never get so far.
  'POST /api/v1/staff/bookings/:id/use': { owner: 'municipality', permitted: 'reached', request: async () => ({ params: { id: await bookingOfA() }, body: { outcome: 'used' } }) },
  'POST /api/v1/staff/bookings/:id/attention/resolve': {
    owner: 'municipality',
    permitted: 'reached',
    request: async () => ({ params: { id: await bookingOfA() }, body: { note: '利用者に連絡済み' } }),
  },
  'POST /api/v1/staff/bookings/:id/cancel': { owner: 'municipality', permitted: 'reached', request: async () => ({ params: { id: await bookingOfA() }, body: { reason: '市の行事のため' } }) },
  // Lotteries (抽選): public reads of the caller's municipality (990002 callers get 404 for the 990001 lottery: 'pass').
  'GET /api/v1/lotteries': {},
  'GET /api/v1/lotteries/:id': { permitted: 'pass', request: async () => ({ params: { id: await sharedMatrixLottery() } }) },
  // Not drawn yet: 409 LOTTERY_NOT_DRAWN for everyone, never a guard refusal.
  'GET /api/v1/lotteries/:id/draw': { permitted: 'pass', request: async () => ({ params: { id: await sharedMatrixLottery() } }) },
  // Residents enter with a slot of their own per call (limit 20 per resident).
  'POST /api/v1/lotteries/:id/entries': { request: () => matrixEntry() },
  'GET /api/v1/lotteries/:id/entries/mine': { request: async () => ({ params: { id: await sharedMatrixLottery() } }) },
  // A fresh entry of A per call: B does not find it.
  'POST /api/v1/lotteries/:id/entries/:number/withdraw': { owner: 'residentA', request: async () => ({ params: await entryOfA() }) },
  // Desk staff (clerk, reviewer) of the facility's department open lotteries (a day of their own per call); 990002 staff do not find the hall.
  'POST /api/v1/staff/facilities/:code/lotteries': { owner: 'municipality', request: async () => { await matrixFacility(); return { params: { code: MATRIX_FACILITY }, body: matrixLotteryBody() }; } },
  // Entries are open for a month: permitted staff are refused the draw (409 LOTTERY_STILL_OPEN); others never get so far.
  'POST /api/v1/staff/lotteries/:id/draw': { owner: 'municipality', permitted: 'reached', request: async () => ({ params: { id: (await freshMatrixLottery()).id } }) },
  // --- end bookings ---

  // --- counter payments (窓口収納) ---
  // Desk staff (clerk, reviewer) of the owning department; a fresh 住民票 of resident A waiting for its fee per call.
  'POST /api/v1/staff/applications/:id/payments/counter': {
    owner: 'residentA',
    request: async () => {
      const id = await draftOfA(TEST_CERTIFICATE, JUMINHYO_FORM);
      await submitJuminhyoOfA(id);
      return { params: { id }, body: { method: 'cash', amountReceived: 1000 } };
    },
  },
  'POST /api/v1/staff/payments/:id/refunds/:refundId/paid': {
    owner: 'municipality',
    // A fresh counter payment per call, refunded by the manager: the refund waits at the desk to be handed back.
    request: async () => {
      const id = await draftOfA(TEST_CERTIFICATE, JUMINHYO_FORM);
      await submitJuminhyoOfA(id);
      const paid = await fixtureAs(accounts.clerk, 'post', `/api/v1/staff/applications/${id}/payments/counter`, { method: 'cash', amountReceived: 300 });
      const refund = await fixtureAs(accounts.manager, 'post', `/api/v1/staff/payments/${paid.body.paymentId as string}/refunds`, { amount: 300, reason: '窓口で返金' });
      return { params: { id: paid.body.paymentId as string, refundId: refund.body.id as string } };
    },
  },
  // --- end counter payments ---

  // --- e-approval (issue 5) ---
  'GET /api/v1/staff/approvals/pending': {},
  'GET /api/v1/staff/applications/:id/approvals': { owner: 'residentA', request: () => ({ params: { id: submittedId } }) },
  'POST /api/v1/staff/applications/:id/approvals/approve': {
    owner: 'residentA',
    // The fixture is not in approval: permitted approvers are refused for its state (409 WORKFLOW_EVENT_NOT_ALLOWED).
    permitted: 'reached',
    request: () => ({ params: { id: submittedId }, body: {} }),
  },
  'POST /api/v1/staff/applications/:id/approvals/return': {
    owner: 'residentA',
    permitted: 'reached',
    request: () => ({ params: { id: submittedId }, body: { to: 'clerk', comment: '確認をお願いします' } }),
  },
  'POST /api/v1/staff/applications/:id/approvals/reject': {
    owner: 'residentA',
    permitted: 'reached',
    request: () => ({ params: { id: submittedId }, body: { reason: '対象外' } }),
  },
  'GET /api/v1/staff/approvals/delegations': {},
  'POST /api/v1/staff/approvals/delegations': {
    // A clerk cannot stand in for an approver: 422 APPROVAL_DELEGATION_INVALID, nothing stored.
    permitted: 'reached',
    request: () => {
      const now = t.clock.now().getTime();
      return { body: { delegateId: accounts.clerk.id, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 86_400_000).toISOString(), reason: '出張のため' } };
    },
  },
  'POST /api/v1/staff/approvals/delegations/:id/revoke': {
    // Nobody gave this delegation: 404 APPROVAL_DELEGATION_NOT_FOUND.
    permitted: 'reached',
    request: () => ({ params: { id: randomUUID() } }),
  },
  'GET /api/v1/applications/:id/decision': {
    owner: 'residentA',
    // A certificate has no grant decision: resident A learns that (404 APPROVAL_DECISION_NOT_FOUND), resident B does not get that far.
    permitted: 'reached',
    request: () => ({ params: { id: submittedId } }),
  },
  // --- end e-approval ---

  'GET /api/v1/counter/status': {},
  'GET /api/v1/counter/services/:code/slots': {
    request: async (caller) => {
      await counterFixture(municipalityOf(caller));
      return { params: { code: COUNTER_SERVICE }, query: { date: '2026-11-24' } };
    },
  },
  'POST /api/v1/counter/tickets': {
    request: async (caller) => {
      await counterFixture(municipalityOf(caller));
      return { body: { serviceCode: COUNTER_SERVICE } };
    },
  },
  'GET /api/v1/counter/tickets/:id': { request: async (caller) => ({ params: { id: await counterTicket(municipalityOf(caller), 'waiting') } }) },
  'POST /api/v1/counter/bookings': {
    request: async () => {
      await counterFixture(M1);
      return { body: { serviceCode: COUNTER_SERVICE, slotAt: bookingSlot() } };
    },
  },
  'GET /api/v1/counter/bookings': {},
  'POST /api/v1/counter/bookings/:id/cancel': {
    owner: 'residentA',
    request: async () => {
      await counterFixture(M1);
      const booked = await fixtureAs(accounts.residentA, 'post', '/api/v1/counter/bookings', { serviceCode: COUNTER_SERVICE, slotAt: bookingSlot() });
      return { params: { id: booked.body.id as string } };
    },
  },
  'GET /api/v1/staff/counters': {},
  'GET /api/v1/staff/counters/:id/queue': { owner: 'municipality', request: async () => ({ params: { id: (await counterFixture(M1)).deskCounter } }) },
  'PUT /api/v1/staff/counters/:id/open': { owner: 'municipality', request: async () => ({ params: { id: (await counterFixture(M1)).deskCounter }, body: { open: true } }) },
  'POST /api/v1/staff/counters/:id/call-next': {
    owner: 'municipality',
    // A ticket waits for every call, so a permitted call has someone to call.
    request: async () => {
      await counterTicket(M1, 'waiting');
      return { params: { id: (await counterFixture(M1)).deskCounter } };
    },
  },
  'POST /api/v1/staff/counter-tickets': {
    request: async (caller) => {
      await counterFixture(municipalityOf(caller));
      return { body: { serviceCode: COUNTER_SERVICE } };
    },
  },
  'GET /api/v1/staff/counter-tickets/:id': { owner: 'municipality', request: async () => ({ params: { id: await counterTicket(M1, 'called') } }) },
  'POST /api/v1/staff/counter-tickets/:id/recall': { owner: 'municipality', request: async () => ({ params: { id: await counterTicket(M1, 'called') } }) },
  'POST /api/v1/staff/counter-tickets/:id/no-show': { owner: 'municipality', request: async () => ({ params: { id: await counterTicket(M1, 'called') } }) },
  'POST /api/v1/staff/counter-tickets/:id/start': { owner: 'municipality', request: async () => ({ params: { id: await counterTicket(M1, 'called') } }) },
  'POST /api/v1/staff/counter-tickets/:id/finish': { owner: 'municipality', request: async () => ({ params: { id: await counterTicket(M1, 'serving') } }) },
  'POST /api/v1/staff/counter-tickets/:id/transfer': {
    owner: 'municipality',
    request: async () => ({ params: { id: await counterTicket(M1, 'called') }, body: { serviceCode: COUNTER_SERVICE } }),
  },
  'PUT /api/v1/staff/counter-tickets/:id/application': {
    owner: 'municipality',
    request: async () => ({ params: { id: await counterTicket(M1, 'waiting') }, body: { applicationId: submittedId } }),
  },
  'GET /api/v1/staff/counter-statistics': { request: () => ({ query: { from: '2026-11-01', to: '2026-11-30' } }) },
  'GET /api/v1/staff/counter-statistics.csv': { request: () => ({ query: { from: '2026-11-01', to: '2026-11-30' } }) },
  'GET /api/v1/admin/counter-services': {},
  'POST /api/v1/admin/counter-services': {
    // Created retired, so no two share a slip letter however many callers succeed.
    request: () => ({ body: { code: `matrix-svc-${next()}`, name: { ja: '試験', en: 'Matrix' }, ticketPrefix: 'Z', active: false } }),
  },
  'PUT /api/v1/admin/counter-services/:code': {
    owner: 'municipality',
    request: async () => {
      const code = `matrix-edit-${next()}`;
      await fixtureAs(accounts.administrator, 'post', '/api/v1/admin/counter-services', { code, name: { ja: '編集', en: 'Edit' }, ticketPrefix: 'Z', active: false });
      return { params: { code }, body: { name: { ja: '編集済', en: 'Edited' }, ticketPrefix: 'Z', active: false } };
    },
  },
  'DELETE /api/v1/admin/counter-services/:code': {
    owner: 'municipality',
    request: async () => {
      const code = `matrix-retire-${next()}`;
      await fixtureAs(accounts.administrator, 'post', '/api/v1/admin/counter-services', { code, name: { ja: '廃止', en: 'Retire' }, ticketPrefix: 'Z', active: false });
      return { params: { code } };
    },
  },
  'GET /api/v1/admin/counters': {},
  'POST /api/v1/admin/counters': {
    request: async (caller) => {
      await counterFixture(municipalityOf(caller));
      return { body: { name: { ja: '新窓口', en: 'New counter' }, serviceCodes: [COUNTER_SERVICE], open: false } };
    },
  },
  'GET /api/v1/admin/counters/:id': { owner: 'municipality', request: async () => ({ params: { id: (await counterFixture(M1)).deskCounter } }) },
  'PUT /api/v1/admin/counters/:id': {
    owner: 'municipality',
    request: async () => ({ params: { id: (await counterFixture(M1)).deskCounter }, body: { name: { ja: '試験窓口', en: 'Matrix counter' }, serviceCodes: [COUNTER_SERVICE] } }),
  },
  'DELETE /api/v1/admin/counters/:id': {
    owner: 'municipality',
    request: async () => {
      await counterFixture(M1);
      const made = await fixtureAs(accounts.administrator, 'post', '/api/v1/admin/counters', { name: { ja: '廃止窓口', en: 'Retired' }, serviceCodes: [COUNTER_SERVICE], open: false });
      return { params: { id: made.body.id as string } };
    },
  },
};

// --- Money across departments (issue 10) -------------------------------------

/**
 * A staff route over money: any staff route with a `payments` or
 * `accounting` segment in its path, or one whose rule names money as its
 * subject. Each must declare a department scope and have a row below, so a
 * new money route without one fails here rather than in production.
 * (The public cashless KPI gives counts per method, no money per department.)
 */
function isMoneyRoute(route: RouteInfo): boolean {
  const rule = route.rule;
  if (rule?.kind !== 'staff') return false;
  return rule.scope?.subject === 'money' || route.path.split('/').some((segment) => /^(payments|accounting)\b/.test(segment));
}

interface MoneyCase {
  /**
   * A fresh call on a real payment (or a case awaiting payment) of 税務課,
   * department B: `paymentId` is what the answer must never show to staff
   * who do not reach it.
   */
  request: () => Promise<Prepared & { paymentId: string }>;
  /** 'one': names one record, out of reach is 404. 'list': answers many, out of reach is left out. */
  shape: 'one' | 'list';
}

/** What a staff caller of another department (or municipality) gets on a money route, derived from its declared scope. */
type MoneyOutcome = '403' | 'hidden' | 'reached';

/** Every money route's probe; the test below checks that this list and the served money routes are the same. */
const MONEY_CALLERS = ['clerk', 'reviewer', 'approver', 'manager', 'administrator', 'accountant', 'otherClerk', 'otherReviewer', 'otherManager', 'otherAdministrator', 'otherAccountant'] as const;

/** A fresh 税務課 certificate of resident A waiting for its fee. */
async function zeimuAwaitingPayment(): Promise<string> {
  const draft = await t.get(ApplicationsService).createDraft(M1, { procedureCode: TEST_ZEIMU_CERTIFICATE, channel: 'online', applicantId: accounts.residentA.id, formData: JUMINHYO_FORM, actor: actorA() });
  applicationsOfA.add(draft.id);
  await move(draft.id, 'resident.submit', actorA(), { amount: 300 });
  return draft.id;
}

/** A fresh 税務課 fee of 300 yen taken at 税務課's desk: real money in department B. */
async function zeimuPayment(): Promise<{ applicationId: string; paymentId: string }> {
  const applicationId = await zeimuAwaitingPayment();
  const paid = await fixtureAs(accounts.zeimuClerk, 'post', `/api/v1/staff/applications/${applicationId}/payments/counter`, { method: 'cash', amountReceived: 300 });
  return { applicationId, paymentId: paid.body.paymentId as string };
}

let zeimuPaidToday: Promise<string> | null = null;

const MONEY_CASES: Record<string, MoneyCase> = {
  'POST /api/v1/staff/payments/:id/refunds': {
    shape: 'one',
    request: async () => {
      const { paymentId } = await zeimuPayment();
      return { params: { id: paymentId }, body: { amount: 300, reason: '誤って二重に納付されたため' }, paymentId };
    },
  },
  'GET /api/v1/payments/export.csv': {
    shape: 'list',
    request: async () => {
      zeimuPaidToday ??= zeimuPayment().then((paid) => paid.paymentId);
      const paymentId = await zeimuPaidToday;
      return { query: { date: isoDateIn(t.clock.now(), 'Asia/Tokyo') }, paymentId };
    },
  },
  'POST /api/v1/staff/applications/:id/payments/counter': {
    shape: 'one',
    // No payment yet: the case awaiting it is department B's, and taking the fee would create one.
    request: async () => {
      const id = await zeimuAwaitingPayment();
      return { params: { id }, body: { method: 'cash', amountReceived: 300 }, paymentId: id };
    },
  },
  'POST /api/v1/staff/payments/:id/refunds/:refundId/paid': {
    shape: 'one',
    request: async () => {
      const { paymentId } = await zeimuPayment();
      const refund = await fixtureAs(accounts.zeimuManager, 'post', `/api/v1/staff/payments/${paymentId}/refunds`, { amount: 300, reason: '窓口で返金' });
      return { params: { id: paymentId, refundId: refund.body.id as string }, paymentId };
    },
  },
};

function moneyOutcome(rule: AccessRule, account: Account): MoneyOutcome {
  if (rule.kind !== 'staff' || !rule.scope) throw new Error('a money route must declare a department scope (StaffScoped)');
  const holds = (roles: readonly string[]) => account.roles.some((role) => roles.includes(role));
  if (!holds(rule.roles)) return '403';
  // Another municipality's money is out of everyone's reach, 会計課 included.
  if (account.municipalityId !== M1) return 'hidden';
  // No caller here works in 税務課: only a role the route declares municipality-wide reaches its money.
  return holds(rule.scope.municipalityWide) ? 'reached' : 'hidden';
}

function meetsMoney(outcome: MoneyOutcome, shape: MoneyCase['shape'], response: request.Response, paymentId: string): boolean {
  const code = (response.body as { code?: string } | undefined)?.code ?? '';
  const success = response.status >= 200 && response.status < 300;
  const shows = (response.text ?? '').includes(paymentId);
  switch (outcome) {
    case '403':
      return response.status === 403 && code === 'AUTH_FORBIDDEN';
    case 'hidden':
      return shape === 'one' ? response.status === 404 && HIDDEN_CODES.includes(code) : success && !shows;
    case 'reached':
      return success && (shape === 'one' || shows);
  }
}

/** What the money dimension changed: refund rows and payment events of department B's payments. */
async function moneyTrace(paymentOrApplicationId: string): Promise<unknown> {
  const [row]: unknown[] = await t.dataSource.query(
    `SELECT (SELECT count(*)::int FROM payments WHERE id::text = $1 OR application_id::text = $1) AS payments,
            (SELECT count(*)::int FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE p.id::text = $1 OR p.application_id::text = $1) AS refunds,
            (SELECT count(*)::int FROM payment_events e JOIN payments p ON p.id = e.payment_id WHERE p.id::text = $1 OR p.application_id::text = $1) AS events,
            (SELECT coalesce(string_agg(status || ':' || refunded_amount, ','), '') FROM payments WHERE id::text = $1 OR application_id::text = $1) AS states`,
    [paymentOrApplicationId],
  );
  return row;
}

// --- Expectations ----------------------------------------------------------

function expectedOutcome(rule: AccessRule, routeCase: RouteCase, caller: Caller): Outcome {
  const account = caller.account;
  if (account && caller.header && caller.header !== account.municipalityId && !routeCase.untenanted) return 'mismatch';
  const derived = fromRule(rule, routeCase, caller);
  // Data rules only narrow what the declared rule admits.
  return derived === '2xx' || derived === routeCase.permitted ? (routeCase.except?.[caller.name] ?? derived) : derived;
}

function fromRule(rule: AccessRule, routeCase: RouteCase, caller: Caller): Outcome {
  const permitted = routeCase.permitted ?? '2xx';
  const account = caller.account;
  if (rule.kind === 'public') return permitted;
  if (!account) return '401';
  if (rule.kind === 'authenticated') return permitted;
  if (rule.kind === 'resident') {
    if (account.kind !== 'resident') return '403';
    return routeCase.owner === 'residentA' && account !== accounts.residentA ? '404' : permitted;
  }
  if (account.kind !== 'staff' || !account.roles.some((role) => rule.roles.includes(role))) return '403';
  return routeCase.owner && account.municipalityId !== M1 ? '404' : permitted;
}

function meets(outcome: Outcome, response: request.Response): boolean {
  const code = (response.body as { code?: string } | undefined)?.code ?? '';
  switch (outcome) {
    case '2xx':
      return response.status >= 200 && response.status < 300;
    case '401':
      return response.status === 401 && code === 'AUTH_UNAUTHENTICATED';
    case '403':
      return response.status === 403 && code === 'AUTH_FORBIDDEN';
    case '404':
      return response.status === 404 && HIDDEN_CODES.includes(code);
    case 'mismatch':
      return response.status === 403 && code === 'AUTH_TENANT_MISMATCH';
    case 'pass':
      return response.status < 500 && !GUARD_CODES.includes(code);
    case 'reached':
      return response.status < 500 && !GUARD_CODES.includes(code) && !HIDDEN_CODES.includes(code) && !(response.status >= 200 && response.status < 300);
  }
}

/** Ids a caller must never see in a successful answer: resident A's, and for 990002 callers anything of 990001. */
function forbiddenIds(caller: Caller): string[] {
  const account = caller.account;
  if (!account || account === accounts.residentA) return [];
  if (account.municipalityId === M1) return account.kind === 'resident' ? [accounts.residentA.id, ...applicationsOfA, ...attachmentsOfA] : [];
  const of990001 = Object.values(accounts)
    .filter((other) => other.municipalityId === M1)
    .map((other) => other.id);
  return [...of990001, ...applicationsOfA, ...attachmentsOfA, targetStaffId];
}

// --- Calls -----------------------------------------------------------------

function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) => {
    if (!(name in params)) throw new Error(`no value for :${name} in ${path}`);
    return encodeURIComponent(params[name]);
  });
}

async function call(route: RouteInfo, caller: Caller, prepared: Prepared): Promise<request.Response> {
  if (route.path.startsWith('/api/v1/auth/')) await clearRateLimits();
  const url = fillPath(route.path, prepared.params ?? {});
  const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  let pending = request(server)[method](url);
  const token = prepared.token ?? caller.account?.token;
  if (token) pending = pending.auth(token, { type: 'bearer' });
  if (caller.header) pending = pending.set(MUNICIPALITY_HEADER, caller.header);
  if (prepared.headers) pending = pending.set(prepared.headers);
  if (prepared.query) pending = pending.query(prepared.query);
  if (prepared.body !== undefined) pending = pending.send(prepared.body as object | Buffer);
  return pending;
}

// --- The printed matrix ----------------------------------------------------

const matrix = new Map<string, { rule: string; cells: Map<CallerName, string> }>();

function ruleLabel(rule: AccessRule | undefined): string {
  if (!rule) return 'NONE';
  if (rule.kind === 'staff' && rule.scope) {
    const wide = rule.scope.municipalityWide.length > 0 ? `; all:${rule.scope.municipalityWide.join(',')}` : '';
    return `staff(dept:${rule.scope.roles.join(',')}${wide})`;
  }
  return rule.kind === 'staff' ? `staff(${rule.roles.length === STAFF_ROLES.length ? 'any' : rule.roles.join(',')})` : rule.kind;
}

function printMatrix(): void {
  const headers = ['route', 'rule', ...callers.map((caller) => caller.short)];
  const rows = [...matrix.entries()].map(([key, row]) => [key, row.rule, ...callers.map((caller) => row.cells.get(caller.name) ?? '')]);
  const widths = headers.map((header, index) => Math.max(header.length, ...rows.map((row) => row[index].length)));
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index])).join(' ');
  console.log(
    [
      'Authorization matrix (status per caller; "!" marks an unexpected answer)',
      line(headers),
      line(widths.map((width) => '-'.repeat(width))),
      ...rows.map(line),
      `Callers: ${callers.map((caller) => `${caller.short}=${caller.name}`).join(', ')}`,
    ].join('\n'),
  );
}

// --- Tests -----------------------------------------------------------------

describe('authorization matrix (every route × every caller, real PostgreSQL)', () => {
  beforeAll(async () => {
    // Digital authentication off: its discovery would call a listener this app does not open.
    // Every route × caller opens drafts as resident A, far past the per-resident cap a resident
    // meets in service (its own test is resident-quotas.e2e-spec.ts), so the matrix raises it.
    t = await createTestApp({ env: { DIGITAL_AUTH_ISSUER: 'off', MAX_DRAFTS_PER_RESIDENT: '1000' } });
    server = t.app.getHttpServer();
    routes = listRoutes(t.app);

    const residentHash = await hashPassword(PASSWORD);
    accounts.residentA = await resident(M1, 'resident-a@example.jp', residentHash);
    accounts.residentB = await resident(M1, 'resident-b@example.jp', residentHash);
    // Not a caller: the 990002 resident that 990002 callers sign in on the login route.
    accounts.residentC = await resident(M2, 'resident-c@example.jp', residentHash);
    accounts.administrator = await administrator(M1, 'matrix-admin');
    accounts.clerk = await staff(M1, 'matrix-clerk', ['clerk']);
    accounts.reviewer = await staff(M1, 'matrix-reviewer', ['reviewer']);
    accounts.approver = await staff(M1, 'matrix-approver', ['approver'], 'kacho');
    accounts.manager = await staff(M1, 'matrix-manager', ['manager']);
    // 会計課: no department of its own; money routes declare its reach municipality-wide.
    accounts.accountant = await staff(M1, 'matrix-accountant', ['accountant'], null, []);
    // Not callers of the main table: the money dimension's department B (税務課) and 990002's finance staff.
    accounts.zeimuClerk = await staff(M1, 'matrix-zeimu-desk', ['clerk'], null, ['zeimu']);
    accounts.zeimuManager = await staff(M1, 'matrix-zeimu-manager', ['manager'], null, ['zeimu']);
    accounts.otherManager = await staff(M2, 'matrix-other-manager', ['manager'], null, ['zeimu']);
    accounts.otherAccountant = await staff(M2, 'matrix-other-accountant', ['accountant'], null, []);
    await publishTestZeimuCertificate(t, [SAMPLE_MUNICIPALITY, OTHER_MUNICIPALITY]);
    await publishTestCertificate(t, [SAMPLE_MUNICIPALITY, OTHER_MUNICIPALITY]);
    accounts.otherAdministrator = await administrator(M2, 'matrix-other-admin');
    accounts.otherClerk = await staff(M2, 'matrix-other-clerk', ['clerk']);
    // The reveal route admits reviewers and approvers only: this one shows a 990002 reviewer cannot reach 990001 residents.
    accounts.otherReviewer = await staff(M2, 'matrix-other-reviewer', ['reviewer']);

    callers = [
      { name: 'anonymous', short: 'anon', account: null, header: null },
      { name: 'residentA', short: 'resA', account: accounts.residentA, header: null },
      { name: 'residentB', short: 'resB', account: accounts.residentB, header: null },
      { name: 'clerk', short: 'clerk', account: accounts.clerk, header: null },
      { name: 'reviewer', short: 'revwr', account: accounts.reviewer, header: null },
      { name: 'approver', short: 'apprv', account: accounts.approver, header: null },
      { name: 'manager', short: 'mngr', account: accounts.manager, header: null },
      { name: 'administrator', short: 'admin', account: accounts.administrator, header: null },
      { name: 'accountant', short: 'acct', account: accounts.accountant, header: null },
      { name: 'otherAdministrator', short: 'x-adm', account: accounts.otherAdministrator, header: null },
      { name: 'otherClerk', short: 'x-clk', account: accounts.otherClerk, header: null },
      { name: 'otherReviewer', short: 'x-rev', account: accounts.otherReviewer, header: null },
      { name: 'otherNaming990001', short: 'x→1', account: accounts.otherClerk, header: SAMPLE_MUNICIPALITY },
    ];

    // Resident A's 住民票 application (its account-only copy, see submitJuminhyoOfA), the way the resident makes it.
    const asA = (pending: request.Test) => pending.auth(accounts.residentA.token, { type: 'bearer' });
    const created = await asA(request(server).post('/api/v1/applications')).send({ procedureCode: TEST_CERTIFICATE }).expect(201);
    submittedId = created.body.id as string;
    applicationsOfA.add(submittedId);
    await asA(request(server).put(`/api/v1/applications/${submittedId}/form`)).send({ formData: JUMINHYO_FORM, revision: 1 }).expect(200);
    const attached = await asA(request(server).post(`/api/v1/applications/${submittedId}/attachments`)).set(PDF_HEADERS).send(PDF).expect(201);
    attachmentOfA = attached.body.id as string;
    attachmentsOfA.add(attachmentOfA);
    await submitJuminhyoOfA(submittedId);
    signableDraftId = await draftOfA('juminhyo', JUMINHYO_FORM);
    // Resident A has an individual number for staff to reveal.
    await t.get(IndividualNumberService).store(M1, accounts.residentA.id, individualNumber('98765432109'));
    targetStaffId = (
      await t.get(StaffAdminService).create(M1, accounts.administrator.id, {
        loginId: 'matrix-target',
        password: PASSWORD,
        displayName: '対象職員',
        roles: ['clerk'],
        approvalLevel: null,
        departments: ['shimin'],
        active: true,
      })
    ).account.id;
    await t.get(StaffAdminService).createDepartment(M1, accounts.administrator.id, { code: TARGET_DEPARTMENT, name: { ja: '試験課', en: 'Fixed Division' }, active: true });
  });

  afterAll(async () => {
    if (matrix.size > 0) printMatrix();
    await t?.close();
  });

  it('finds the routes of every controller', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.map((route) => route.key)).toEqual(expect.arrayContaining(['GET /health/live', 'GET /api/v1/applications/:id', 'POST /api/v1/staff/applications/:id/events', 'PUT /api/v1/admin/staff/:id']));
  });

  it('every route declares an access rule', () => {
    expect(routesWithoutRule(routes)).toEqual([]);
  });

  it('every route has a row in the matrix table, and every row a route', () => {
    const served = routes.map((route) => route.key).sort();
    const tabled = Object.keys(CASES).sort();
    expect({ missingFromTable: served.filter((key) => !tabled.includes(key)), notServed: tabled.filter((key) => !served.includes(key)) }).toEqual({
      missingFromTable: [],
      notServed: [],
    });
  });

  it.each(Object.keys(CASES))('%s answers each caller as its rule says', async (key) => {
    const route = routes.find((candidate) => candidate.key === key);
    if (!route) throw new Error(`${key} is in the table but Nest does not serve it`);
    if (!route.rule) throw new Error(`${key} declares no access rule`);
    const routeCase = CASES[key];
    const row = { rule: ruleLabel(route.rule), cells: new Map<CallerName, string>() };
    matrix.set(key, row);
    const failures: string[] = [];
    for (const caller of callers) {
      const expected = expectedOutcome(route.rule, routeCase, caller);
      const prepared = (await routeCase.request?.(caller)) ?? {};
      const response = await call(route, caller, prepared);
      const ok = meets(expected, response);
      row.cells.set(caller.name, `${response.status}${ok ? '' : '!'}`);
      if (!ok) failures.push(`${caller.name}: expected ${expected}, got ${response.status} ${JSON.stringify(response.body?.code ?? response.body)}`);
      if (response.status >= 200 && response.status < 300) {
        const text = JSON.stringify(response.body ?? '');
        const leaked = forbiddenIds(caller).filter((id) => text.includes(id));
        if (leaked.length > 0) failures.push(`${caller.name}: answer shows ids it must not see: ${leaked.join(', ')}`);
      }
      await routeCase.after?.(caller, response, prepared);
    }
    expect(failures).toEqual([]);
  });

  it('every staff money route declares its department scope and has a row in the money table, and every row a route', () => {
    const money = routes.filter(isMoneyRoute);
    expect(money.length).toBeGreaterThanOrEqual(4);
    expect({
      unscoped: money.filter((route) => route.rule?.kind !== 'staff' || !route.rule.scope).map((route) => route.key),
      missingFromMoneyTable: money.map((route) => route.key).filter((key) => !(key in MONEY_CASES)),
      notMoneyRoutes: Object.keys(MONEY_CASES).filter((key) => !money.some((route) => route.key === key)),
    }).toEqual({ unscoped: [], missingFromMoneyTable: [], notMoneyRoutes: [] });
  });

  it.each(Object.keys(MONEY_CASES))("%s: another department's money is out of reach (404 or left out) except to roles it declares municipality-wide", async (key) => {
    const route = routes.find((candidate) => candidate.key === key);
    if (!route?.rule) throw new Error(`${key} is in the money table but Nest does not serve it with a rule`);
    const moneyCase = MONEY_CASES[key];
    const failures: string[] = [];
    const answers: string[] = [];
    for (const name of MONEY_CALLERS) {
      const account = accounts[name];
      const expected = moneyOutcome(route.rule, account);
      const prepared = await moneyCase.request();
      const before = await moneyTrace(prepared.paymentId);
      const response = await call(route, { name: name as CallerName, short: name, account, header: null }, prepared);
      const ok = meetsMoney(expected, moneyCase.shape, response, prepared.paymentId);
      answers.push(`${name}=${response.status}${ok ? '' : '!'}`);
      if (!ok) failures.push(`${name}: expected ${expected}, got ${response.status} ${JSON.stringify(response.body?.code ?? response.text?.slice(0, 200))}`);
      // Refused is refused: nothing of department B's money moved.
      if (expected !== 'reached' && moneyCase.shape === 'one') {
        const after = await moneyTrace(prepared.paymentId);
        if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${name}: refused, yet the money changed: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
      }
    }
    console.log(`money × other department: ${key} [${ruleLabel(route.rule)}] ${answers.join(' ')}`);
    expect(failures).toEqual([]);
  });

  it('the admin API makes an accountant (会計課), a role of its own', async () => {
    const response = await request(server)
      .post('/api/v1/admin/staff')
      .auth(accounts.administrator.token, { type: 'bearer' })
      .send({ loginId: `matrix-accountant-${next()}`, password: PASSWORD, displayName: '会計課職員', roles: ['accountant'], approvalLevel: null, departments: [], active: true });
    expect({ status: response.status, roles: response.body.roles ?? response.body.account?.roles }).toEqual({ status: 201, roles: ['accountant'] });
    const unknown = await request(server)
      .post('/api/v1/admin/staff')
      .auth(accounts.administrator.token, { type: 'bearer' })
      .send({ loginId: `matrix-treasurer-${next()}`, password: PASSWORD, displayName: '不明', roles: ['treasurer'], approvalLevel: null, departments: [], active: true });
    expect(unknown.status).toBe(400);
  });

  it('a 990002 token naming 990001 is refused as a tenant mismatch, not served as 990002', async () => {
    const response = await request(server)
      .get(`/api/v1/staff/applications/${submittedId}`)
      .auth(accounts.otherClerk.token, { type: 'bearer' })
      .set(MUNICIPALITY_HEADER, SAMPLE_MUNICIPALITY);
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 403, code: 'AUTH_TENANT_MISMATCH' });
  });

  it('staff of another department of 990001 get 404 on an application their department does not own', async () => {
    // 住民票 belongs to shimin; a clerk and an approver of 税務課 hold the right roles but not the department.
    const zeimuClerk = await staff(M1, 'matrix-zeimu-clerk', ['clerk'], null, ['zeimu']);
    const zeimuApprover = await staff(M1, 'matrix-zeimu-approver', ['approver'], 'bucho', ['zeimu']);
    const underReview = await juminhyoUnderReview();
    const answers = [];
    for (const account of [zeimuClerk, zeimuApprover]) {
      const as = (pending: request.Test) => pending.auth(account.token, { type: 'bearer' });
      for (const response of [
        await as(request(server).get(`/api/v1/staff/applications/${submittedId}`)),
        await as(request(server).get(`/api/v1/staff/applications/${submittedId}/signature`)),
        account === zeimuClerk
          ? await as(request(server).post(`/api/v1/staff/applications/${underReview}/events`)).send({ type: 'staff.accept' })
          : await as(request(server).post(`/api/v1/staff/applications/${underReview}/approvals/approve`)).send({}),
      ]) {
        answers.push({ status: response.status, code: response.body.code });
      }
      const queue = await as(request(server).get('/api/v1/staff/applications')).expect(200);
      expect(JSON.stringify(queue.body)).not.toContain(submittedId);
    }
    expect(answers).toEqual(Array(6).fill({ status: 404, code: 'APPLICATION_NOT_FOUND' }));
  });

  it("resident B cannot reach A's file through an application of B's own", async () => {
    const asB = (pending: request.Test) => pending.auth(accounts.residentB.token, { type: 'bearer' });
    const own = await asB(request(server).post('/api/v1/applications')).send({ procedureCode: 'kosodate-13' }).expect(201);
    const ownId = own.body.id as string;
    const answers = [
      await asB(request(server).post(`/api/v1/applications/${ownId}/attachments/reuse`)).send({ attachmentId: attachmentOfA }),
      await asB(request(server).get(`/api/v1/applications/${ownId}/attachments/${attachmentOfA}`)),
      await asB(request(server).delete(`/api/v1/applications/${ownId}/attachments/${attachmentOfA}`)),
    ].map((response) => ({ status: response.status, code: response.body.code }));
    expect(answers).toEqual(Array(3).fill({ status: 404, code: 'ATTACHMENT_NOT_FOUND' }));
    // Nor can staff pull it through another application of their department.
    const other = await juminhyoUnderReview();
    const viaOther = await request(server).get(`/api/v1/staff/applications/${other}/attachments/${attachmentOfA}`).auth(accounts.clerk.token, { type: 'bearer' });
    expect({ status: viaOther.status, code: viaOther.body.code }).toEqual({ status: 404, code: 'ATTACHMENT_NOT_FOUND' });
  });

  it("resident B cannot tell resident A's application from one that does not exist", async () => {
    for (const id of [submittedId, randomUUID()]) {
      const response = await request(server).get(`/api/v1/applications/${id}`).auth(accounts.residentB.token, { type: 'bearer' });
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 404, code: 'APPLICATION_NOT_FOUND' });
    }
  });
});

// --- The enumerator itself, on a throwaway app -----------------------------

@Controller('declared')
@StaffOnly('clerk')
class DeclaredController {
  @Get()
  list(): string[] {
    return [];
  }

  @Post('open')
  @Public()
  open(@Body() body: unknown): unknown {
    return body;
  }
}

@Controller('forgotten')
class ForgottenController {
  @Get(':id')
  get(): string {
    return 'should never be served';
  }
}

describe('route enumerator', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [DeclaredController, ForgottenController],
      providers: [{ provide: APP_GUARD, useClass: AccessGuard }],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new DomainExceptionFilter());
    await app.init();
  });
  afterAll(() => app.close());

  it('lists each route with its rule, the handler overriding the controller', () => {
    const found = Object.fromEntries(listRoutes(app).map((route) => [route.key, route.rule]));
    expect(found).toEqual({
      'GET /declared': { kind: 'staff', roles: ['clerk'] },
      'POST /declared/open': { kind: 'public' },
      'GET /forgotten/:id': undefined,
    });
  });

  it('reports a handler whose controller declares no rule', () => {
    expect(routesWithoutRule(listRoutes(app))).toEqual(['GET /forgotten/:id (ForgottenController.get)']);
  });

  it('and the real access guard refuses such a route to everyone', async () => {
    const response = await request(app.getHttpServer()).get('/forgotten/1');
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 403, code: 'AUTH_ACCESS_RULE_MISSING' });
    await request(app.getHttpServer()).post('/declared/open').send({ ok: true }).expect(201);
  });
});
