import type { Type } from '@nestjs/common';
import { EXCEPTION_FILTERS_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, ModulesContainer } from '@nestjs/core';
import { ApplicationsService } from '@madoguchi/applications';
import { ApplicationWorkflowService } from '@madoguchi/engine';
import { CounterAdminService } from '@madoguchi/counter';
import { ProcedureDraftsService } from '@madoguchi/reporting';
import { OutboxDispatcher, type AccessRule, asMunicipalityId, type MunicipalityId } from '@madoguchi/kernel';
import { hashPassword, ResidentRepository, SessionService, StaffAdminService, type StaffPrincipal } from '@madoguchi/identity';
import type { ApprovalLevel, StaffRole } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { OfficeExceptionFilter } from '../../apps/office/src/shared/office-exception.filter';
import { PageExceptionFilter } from '../../apps/portal/src/shared/page-exception.filter';
import { listRoutes, type RouteInfo } from '../support/route-inventory';
import { tableHashes } from '../support/table-hashes';
import { createTestApp, OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';
import { publishTestCertificate, publishTestShiminSubsidy, TEST_CERTIFICATE, TEST_SHIMIN_SUBSIDY } from '../support/test-procedures';

/**
 * Page authorization (issue 11): the page-level twin of the authorization
 * matrix. Every page route the app serves (everything outside /api and
 * /health, read from Nest's metadata at run time, so a new page controller
 * is covered without anyone remembering) is fetched by every kind of
 * caller, each with a browser session cookie, and the answer must match the
 * route's declared rule plus ownership:
 *
 * - public pages: a page (2xx/3xx) for everyone;
 * - resident pages: anonymous → 303 to /account/sign-in?next=…, staff →
 *   refused (403 page or a redirect to sign in), resident B on resident A's
 *   record → 404, resident A → the page;
 * - office pages: anonymous → 303 to /office/sign-in?next=…, residents →
 *   refused, staff by role; another department or municipality → 404 on a
 *   case of ours.
 *
 * A page route with a `:param` and no row in PAGE_CASES fails, as does a
 * row no route serves. Every page POST that acts on a session is also
 * posted without `_csrf` by every signed-in caller: refused, and no table
 * changed.
 */

const M1 = asMunicipalityId(SAMPLE_MUNICIPALITY);
const M2 = asMunicipalityId(OTHER_MUNICIPALITY);
const PASSWORD = 'page-matrix-password-0001';
const JUMINHYO_FORM = { scope: '本人のみ', purpose: '学校への提出', copies: 1 };
/** 中央公民館 (department shogaigakushu); the test clock starts on Sunday 2026-11-22 10:00 in Japan. */
const KOMINKAN = 'chuo-kominkan';
/** A grant at the maximum amount: 係長 → 財政課 合議 → 課長 → 部長. */
const SUBSIDY_FORM = {
  applicantName: '窓口 花子',
  applicantKana: 'マドグチ ハナコ',
  phone: '03-1234-5678',
  installationAddress: '桜ヶ丘市本町1-2-3',
  buildingType: '既存住宅',
  capacityKw: 5,
  installationCost: 1200000,
  requestedAmount: 100000,
  installerName: '桜ヶ丘電設株式会社',
  plannedCompletionDate: '2027-02-28',
};

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
  | 'otherDepartment'
  | 'otherMunicipality';

interface Caller {
  name: CallerName;
  kind: 'resident' | 'staff' | null;
  roles: StaffRole[];
  cookie: string | null;
}

type Outcome =
  /** The page itself: 2xx, or a redirect that is not to a sign-in page. */
  | 'page'
  /** 303 to the sign-in page of the app the path belongs to, with the way back. */
  | 'sign-in'
  /** 403 page, or a redirect to sign in as someone else. */
  | 'refused'
  /** The "not found" page: someone else's record is indistinguishable from none. */
  | '404';

interface PageCase {
  /** Path parameters (and query) that name real fixtures. */
  params?: () => Record<string, string> | Promise<Record<string, string>>;
  query?: Record<string, string>;
  /** The path names resident A's record (resident B gets 404), or a case of department shimin of 990001 (other department/municipality get 404). */
  owner?: 'residentA' | 'department';
  /** Documented answers beyond the rule, per caller; say why. */
  except?: Partial<Record<CallerName, Outcome>>;
}

let t: TestApp;
let server: Server;
let routes: RouteInfo[];
let pageRoutes: RouteInfo[];
const callers: Caller[] = [];
let residentAId: string;
/** Resident A's 住民票 (account-only copy, department shimin), submitted and awaiting payment. */
let applicationOfA: string;
/** Resident A's 住民票, still a draft: the form, attachments and check-your-answers pages. */
let draftOfA: string;
/** Resident A's subsidy (department shimin), accepted by the shimin reviewer: waiting for its first approval step. */
let approvalCaseOfA: string;
/** Resident A's booking of 中央公民館 会議室1, applied for and paid: the use permit is issued. */
let bookingOfA: string;
/** A lottery of 中央公民館 (public) with resident A's entry number 1. */
let lotteryId: string;
/** A 代決 the shimin approver set (revoked only by them). */
let delegationId: string;
/** A counter of 990001 serving 住民票・印鑑証明, and a ticket taken at its kiosk. */
let counterId: string;
let ticketId: string;
/** A draft of the test certificate's next version, dry-run, not published. */
let procedureDraftId: string;
/** A walk-in 住民票 entered at the counter of shimin, still a draft. */
let counterDraft: string;
/** Every record of resident A's a path names: no outsider's page may carry any of them. */
const recordsOfA = () => [applicationOfA, draftOfA, approvalCaseOfA, bookingOfA];
let portalStylesheet = '';
let officeStylesheet = '';
let portalFont = '';
let officeFont = '';

/** An attachment, document or payment id nothing has. */
const NO_SUCH_FILE = '00000000-0000-4000-8000-000000000000';

const PAGE_CASES: Record<string, PageCase> = {
  // Portal, public.
  'GET /': {},
  'GET /procedures/:code': { params: () => ({ code: 'juminhyo' }) },
  'GET /assets/:file': { params: () => ({ file: portalStylesheet }) },
  'GET /assets/fonts/:file': { params: () => ({ file: portalFont }) },
  'GET /lang': { query: { to: 'en', back: '/' } },
  'GET /verify': {},
  // An unknown code is a page saying so, not an error: verification is open to anyone holding a paper.
  'GET /verify/:code': { params: () => ({ code: 'ABCD-EFGH-JKLM' }) },
  'GET /account/sign-in': {},
  'GET /account/register': {},
  'GET /account/register/sent': {},
  // The mailed link carries the token; the page shows the form and checks the token on POST.
  'GET /verify-email': { query: { m: SAMPLE_MUNICIPALITY, token: 'not-a-real-token' } },
  'GET /verify-email/done': {},
  'GET /account/password-reset': {},
  'GET /account/password-reset/sent': {},
  'GET /reset-password': { query: { m: SAMPLE_MUNICIPALITY, token: 'not-a-real-token' } },
  'GET /reset-password/done': {},
  // Portal, resident.
  'GET /account': {},
  'GET /account/password': {},
  'GET /account/devices': {},
  // Each resident's own record of staff reads (and its CSV): resident B sees theirs, never A's.
  'GET /account/access-log': {},
  'GET /account/access-log.csv': {},
  'GET /applications': {},
  'GET /applications/:id': { params: () => ({ id: applicationOfA }), owner: 'residentA' },
  'GET /applications/:id/pay': { params: () => ({ id: applicationOfA }), owner: 'residentA' },
  'GET /applications/:id/withdraw': { params: () => ({ id: applicationOfA }), owner: 'residentA' },
  'GET /applications/:id/correct': { params: () => ({ id: applicationOfA }), owner: 'residentA' },
  // Applying: start (any resident may start a procedure), then the pages of resident A's draft.
  'GET /apply/:code': { params: () => ({ code: TEST_CERTIFICATE }) },
  'GET /applications/:id/form/:number': { params: () => ({ id: draftOfA, number: '1' }), owner: 'residentA' },
  'GET /applications/:id/attachments': { params: () => ({ id: draftOfA }), owner: 'residentA' },
  'GET /applications/:id/check': { params: () => ({ id: draftOfA }), owner: 'residentA' },
  'GET /applications/:id/submitted': { params: () => ({ id: applicationOfA }), owner: 'residentA' },
  // The application form's postal-code → address lookup (JSON for its script): any signed-in resident.
  'GET /postal-codes/:digits': { params: () => ({ digits: '1040061' }) },
  // Facilities and lotteries are public; bookings and one's entries are a resident's.
  'GET /facilities': {},
  'GET /facilities/:code': { params: () => ({ code: KOMINKAN }) },
  'GET /bookings': {},
  'GET /bookings/:id': { params: () => ({ id: bookingOfA }), owner: 'residentA' },
  'GET /bookings/:id/cancel': { params: () => ({ id: bookingOfA }), owner: 'residentA' },
  'GET /bookings/:id/cancelled': { params: () => ({ id: bookingOfA }), owner: 'residentA' },
  'GET /bookings/:id/permit.pdf': { params: () => ({ id: bookingOfA }), owner: 'residentA' },
  'GET /lotteries': {},
  'GET /lotteries/:id': { params: () => ({ id: lotteryId }) },
  // Each resident's own entries of a public lottery: resident B sees theirs (none), not A's.
  'GET /lotteries/:id/entries': { params: () => ({ id: lotteryId }) },
  // The plan's progress and the open data: public, the portal's municipality's figures whoever is signed in.
  'GET /progress': {},
  'GET /progress/charts/:code.svg': { params: () => ({ code: 'line-followers' }) },
  'GET /opendata': {},
  'GET /opendata/:dataset.csv': { params: () => ({ dataset: 'facilities' }) },
  'GET /opendata/:dataset.json': { params: () => ({ dataset: 'facilities' }) },
  // Office.
  'GET /office/assets/:file': { params: () => ({ file: officeStylesheet }) },
  'GET /office/assets/fonts/:file': { params: () => ({ file: officeFont }) },
  'GET /office/lang': { query: { to: 'en', back: '/office' } },
  'GET /office/sign-in': {},
  'GET /office': {},
  'GET /office/keepalive': {},
  'GET /office/totp': {},
  'GET /office/queue': {},
  'GET /office/applications/:id': { params: () => ({ id: applicationOfA }), owner: 'department' },
  // The fixture case has no signature: its page says so (a result, not an error).
  'GET /office/applications/:id/signature': { params: () => ({ id: applicationOfA }), owner: 'department' },
  // The fixture case has no attachment nor document: its department's staff reach the case and get "not found" for the file (office-case-records covers the files themselves).
  'GET /office/applications/:id/attachments/:attachmentId/:disposition': {
    params: () => ({ id: applicationOfA, attachmentId: NO_SUCH_FILE, disposition: 'view' }),
    owner: 'department',
    except: { clerk: '404', reviewer: '404', approver: '404' },
  },
  'GET /office/applications/:id/documents/:documentId/pdf': {
    params: () => ({ id: applicationOfA, documentId: NO_SUCH_FILE }),
    owner: 'department',
    except: { clerk: '404', reviewer: '404', approver: '404' },
  },
  'GET /office/approvals': {},
  'GET /office/approvals/delegations': {},
  'GET /office/approvals/:id': { params: () => ({ id: approvalCaseOfA }), owner: 'department' },
  // The lobby: kiosk and display are public (a tablet and a screen in the hall); the slip's address is its unguessable id.
  'GET /kiosk': {},
  // A signed-in browser of another municipality reads that municipality's lobby, where this ticket is not found.
  'GET /kiosk/tickets/:id': { params: () => ({ id: ticketId }), except: { otherMunicipality: '404' } },
  'GET /lobby': {},
  // Counters are the municipality's, not a department's: any clerk of 990001 may sit at one; another municipality's is not found.
  'GET /office/counter/desks': {},
  'GET /office/counter/desks/:counter': { params: () => ({ counter: counterId }), except: { otherMunicipality: '404' } },
  'GET /office/counter/payments/:id': { params: () => ({ id: applicationOfA }), owner: 'department' },
  // Desk refunds waiting: each desk sees its departments' (会計課 all), so another department or municipality sees its own, empty list.
  'GET /office/counter/refunds': {},
  // Assisted entry (書かない窓口): clerks and reviewers; a counter draft of shimin is "not found" to other departments and cities.
  'GET /office/counter/entry': {},
  'GET /office/counter/handovers/:code': { params: () => ({ code: 'ABCD-EFGH-JKMN-PQRS' }) },
  'GET /office/counter/entry/:id/form/:number': { params: () => ({ id: counterDraft, number: '1' }), owner: 'department' },
  'GET /office/counter/entry/:id/check': { params: () => ({ id: counterDraft }), owner: 'department' },
  'GET /office/counter/entry/:id/receipt': { params: () => ({ id: counterDraft }), owner: 'department' },
  // 中央公民館 belongs to 生涯学習課: the clerk works there too, the shimin reviewer does not (not found, as for another department).
  'GET /office/facilities/:code/day': { params: () => ({ code: KOMINKAN }), except: { reviewer: '404', otherDepartment: '404', otherMunicipality: '404' } },
  // Managers' reporting: the self-evaluation (managers), the annual report (managers and administrators).
  'GET /office/evaluation': {},
  'GET /office/evaluation/:fiscalYear/areas/:code': { params: () => ({ fiscalYear: '2026', code: 'promotion' }) },
  'GET /office/reports/annual': {},
  'GET /office/reports/annual/:fiscalYear': { params: () => ({ fiscalYear: '2025' }) },
  'GET /office/reports/annual/:fiscalYear/charts/:code.svg': { params: () => ({ fiscalYear: '2025', code: 'line-followers' }) },
  'GET /office/reports/annual/:fiscalYear/report.pdf': { params: () => ({ fiscalYear: '2025' }) },
  'GET /office/admin': {},
  'GET /office/admin/audit': {},
  'GET /office/admin/audit/verify': {},
  'GET /office/admin/jpki': {},
  'GET /office/admin/staff': {},
  'GET /office/admin/staff/new': {},
  'GET /office/admin/staff/:id/deactivate': { params: () => ({ id: staffIds['page-deputy'] }) },
  'GET /office/admin/staff/:id/totp-reset': { params: () => ({ id: staffIds['page-deputy'] }) },
  'GET /office/admin/kpis': {},
  'GET /office/admin/kpis/new': {},
  'GET /office/admin/kpis/:code': { params: () => ({ code: 'line-followers' }) },
  // The managers' dashboard and KPIs are the municipality's (aggregates, no department scope); the charts are images of the same figures.
  'GET /office/dashboard': {},
  'GET /office/dashboard/:chart/chart.svg': { params: () => ({ chart: 'channels' }) },
  'GET /office/kpis/:code': { params: () => ({ code: 'line-followers' }) },
  'GET /office/kpis/:code/chart.svg': { params: () => ({ code: 'line-followers' }) },
  'GET /office/admin/procedures': {},
  'GET /office/admin/procedures/new': { query: { code: TEST_CERTIFICATE } },
  // A draft of 990001's test certificate, dry-run (so its publish confirmation is a page) and not published (that page redirects to the draft).
  'GET /office/admin/procedures/drafts/:id': { params: () => ({ id: procedureDraftId }) },
  'GET /office/admin/procedures/drafts/:id/edit': { params: () => ({ id: procedureDraftId }) },
  'GET /office/admin/procedures/drafts/:id/dry-run': { params: () => ({ id: procedureDraftId }) },
  'GET /office/admin/procedures/drafts/:id/publish': { params: () => ({ id: procedureDraftId }) },
  'GET /office/admin/procedures/drafts/:id/published': { params: () => ({ id: procedureDraftId }) },
  // The catalog (departments, counters, services, facilities) is the municipality's: administrators only, whatever their departments.
  'GET /office/admin/departments': {},
  'GET /office/admin/departments/:code/edit': { params: () => ({ code: 'shimin' }) },
  'GET /office/admin/counters': {},
  'GET /office/admin/counters/new': {},
  'GET /office/admin/counters/:id/edit': { params: () => ({ id: counterId }) },
  'GET /office/admin/counter-services/new': {},
  'GET /office/admin/counter-services/:code/edit': { params: () => ({ code: 'certificates' }) },
  'GET /office/admin/facilities': {},
  'GET /office/admin/facilities/new': {},
  'GET /office/admin/facilities/:code/edit': { params: () => ({ code: KOMINKAN }) },
  'GET /office/admin/facilities/:code/rooms/new': { params: () => ({ code: KOMINKAN }) },
  'GET /office/admin/facilities/:code/rooms/:room/edit': { params: () => ({ code: KOMINKAN, room: 'kaigi-1' }) },
};

/** Page POST routes with a `:param` name a fixture too (the body is left out on purpose: no `_csrf`). */
const POST_PARAMS: Record<string, () => Record<string, string>> = {
  'POST /applications/:id/pay': () => ({ id: applicationOfA }),
  'POST /applications/:id/withdraw': () => ({ id: applicationOfA }),
  'POST /applications/:id/correct': () => ({ id: applicationOfA }),
  'POST /applications/:id/resubmit': () => ({ id: applicationOfA }),
  'POST /office/applications/:id/claim': () => ({ id: applicationOfA }),
  'POST /office/applications/:id/release': () => ({ id: applicationOfA }),
  'POST /office/applications/:id/assign': () => ({ id: applicationOfA }),
  'POST /office/applications/:id/notes': () => ({ id: applicationOfA }),
  'POST /office/applications/:id/actions/:action': () => ({ id: applicationOfA, action: 'accept' }),
  'POST /apply/:code': () => ({ code: TEST_CERTIFICATE }),
  'POST /applications/:id/form/:number': () => ({ id: draftOfA, number: '1' }),
  'POST /applications/:id/attachments': () => ({ id: draftOfA }),
  'POST /applications/:id/check': () => ({ id: draftOfA }),
  'POST /facilities/:code/holds': () => ({ code: KOMINKAN }),
  'POST /bookings/:id/apply': () => ({ id: bookingOfA }),
  'POST /bookings/:id/pay': () => ({ id: bookingOfA }),
  'POST /bookings/:id/cancel': () => ({ id: bookingOfA }),
  'POST /lotteries/:id/entries': () => ({ id: lotteryId }),
  'POST /lotteries/:id/entries/:number/withdraw': () => ({ id: lotteryId, number: '1' }),
  'POST /office/approvals/delegations/:id/revoke': () => ({ id: delegationId }),
  'POST /office/approvals/:id/decide': () => ({ id: approvalCaseOfA }),
  'POST /office/counter/desks/:counter/call-next': () => ({ counter: counterId }),
  'POST /office/counter/desks/:counter/tickets/:ticket/transfer': () => ({ counter: counterId, ticket: ticketId }),
  'POST /office/counter/desks/:counter/tickets/:ticket/application': () => ({ counter: counterId, ticket: ticketId }),
  'POST /office/counter/desks/:counter/tickets/:ticket/:action': () => ({ counter: counterId, ticket: ticketId, action: 'start' }),
  'POST /office/counter/payments/:id': () => ({ id: applicationOfA }),
  'POST /office/counter/refunds/:paymentId/:refundId': () => ({ paymentId: NO_SUCH_FILE, refundId: NO_SUCH_FILE }),
  'POST /office/applications/:id/individual-number/reveal': () => ({ id: applicationOfA }),
  'POST /office/applications/:id/documents/:documentId/:action': () => ({ id: applicationOfA, documentId: NO_SUCH_FILE, action: 'revoke' }),
  'POST /office/counter/entry/:id/form/:number': () => ({ id: counterDraft, number: '1' }),
  'POST /office/counter/entry/:id/identity': () => ({ id: counterDraft }),
  'POST /office/counter/entry/:id/submit': () => ({ id: counterDraft }),
  'POST /applications/:id/handover': () => ({ id: draftOfA }),
  'POST /office/facilities/:code/bookings/:id/use': () => ({ code: KOMINKAN, id: bookingOfA }),
  'POST /office/facilities/:code/blocks': () => ({ code: KOMINKAN }),
  'POST /office/evaluation/:fiscalYear/areas/:code': () => ({ fiscalYear: '2026', code: 'promotion' }),
  'POST /office/admin/staff/:id/unlock': () => ({ id: staffIds['page-deputy'] }),
  'POST /office/admin/staff/:id/deactivate': () => ({ id: staffIds['page-deputy'] }),
  'POST /office/admin/staff/:id/totp-reset': () => ({ id: staffIds['page-deputy'] }),
  'POST /office/admin/kpis/:code': () => ({ code: 'line-followers' }),
  'POST /office/kpis/:code/values': () => ({ code: 'line-followers' }),
  'POST /office/admin/procedures/drafts/:id': () => ({ id: procedureDraftId }),
  'POST /office/admin/procedures/drafts/:id/dry-run': () => ({ id: procedureDraftId }),
  'POST /office/admin/procedures/drafts/:id/publish': () => ({ id: procedureDraftId }),
  'POST /office/admin/departments/:code': () => ({ code: 'shimin' }),
  'POST /office/admin/counter-services/:code': () => ({ code: 'certificates' }),
  'POST /office/admin/counter-services/:code/retire': () => ({ code: 'certificates' }),
  'POST /office/admin/counters/:id': () => ({ id: counterId }),
  'POST /office/admin/counters/:id/retire': () => ({ id: counterId }),
  'POST /office/admin/facilities/:code': () => ({ code: KOMINKAN }),
  'POST /office/admin/facilities/:code/rooms': () => ({ code: KOMINKAN }),
  'POST /office/admin/facilities/:code/rooms/:room': () => ({ code: KOMINKAN, room: 'kaigi-1' }),
  'POST /office/facilities/:code/lotteries/:id/draw': () => ({ code: KOMINKAN, id: lotteryId }),
};

/** Callers who must never see resident A's application on any page. */
const OUTSIDERS: CallerName[] = ['anonymous', 'residentB', 'otherDepartment', 'otherMunicipality'];

// --- Helpers ---------------------------------------------------------------

/**
 * Routes outside /api and /health that are not pages of the portal or the
 * office, and why. Anything else outside /api must come from a controller
 * made with PageController/OfficePageController, or the first test fails.
 */
const NOT_PAGE_CONTROLLERS: Record<string, string> = {
  // Development stand-ins for outside services (payment provider, デジタル認証アプリ); off in production.
  SimulatedProviderController: 'simulated payment provider',
  SimulatedProviderApiController: 'simulated payment provider',
  SimulatedDigitalAuthController: 'simulated digital authentication',
  // The OpenID Connect hops of the card sign-in (libs/identity): redirects to and from the outside provider, covered by mynumber-oidc.e2e-spec.ts.
  MyNumberPageController: 'card sign-in redirects',
};

/** Controllers whose errors become portal or office pages: exactly those made with PageController/OfficePageController. */
function pageControllerNames(): Set<string> {
  const names = new Set<string>();
  for (const wrapper of new DiscoveryService(t.app.get(ModulesContainer)).getControllers()) {
    const controller = wrapper.metatype as Type | null;
    if (!controller) continue;
    const filters: unknown[] = Reflect.getMetadata(EXCEPTION_FILTERS_METADATA, controller) ?? [];
    if (filters.some((filter) => filter === PageExceptionFilter || filter === OfficeExceptionFilter)) names.add(controller.name);
  }
  return names;
}

const outsideApi = (route: RouteInfo) => !route.path.startsWith('/api/') && !route.path.startsWith('/health');

function hasParams(route: RouteInfo): boolean {
  return route.path.includes('/:');
}

function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/:(\w+)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`no value for :${name} in ${path}`);
    return encodeURIComponent(params[name]);
  });
}

async function cookieFor(municipalityId: MunicipalityId, kind: 'resident' | 'staff', id: string): Promise<string> {
  const { accessToken } = await t.get(SessionService).issue(municipalityId, { kind, id }, 'cookie', 'password');
  return `madoguchi_session=${accessToken}`;
}

async function resident(email: string): Promise<{ id: string; cookie: string }> {
  const id = randomUUID();
  const residents = t.get(ResidentRepository);
  await residents.insert(M1, { id, email, passwordHash: await hashPassword(PASSWORD), jpkiSubject: null, now: t.clock.now() });
  await residents.markEmailVerified(M1, id, t.clock.now());
  return { id, cookie: await cookieFor(M1, 'resident', id) };
}

/** Staff account ids by login id, for fixtures made in their name. */
const staffIds: Record<string, string> = {};

async function staff(municipalityId: MunicipalityId, loginId: string, roles: StaffRole[], departments: string[], approvalLevel: ApprovalLevel | null = null): Promise<string> {
  const created = await t.get(StaffAdminService).create(municipalityId, 'page-matrix-setup', { loginId, password: PASSWORD, displayName: loginId, roles, approvalLevel, departments, active: true });
  staffIds[loginId] = created.account.id;
  return cookieFor(municipalityId, 'staff', created.account.id);
}

/** A bearer token for fixtures made over the JSON API, as the bookings and lottery suites make them. */
async function bearerFor(kind: 'resident' | 'staff', id: string): Promise<string> {
  return (await t.get(SessionService).issue(M1, { kind, id }, 'bearer', 'password')).accessToken;
}

async function apiPost(token: string, url: string, body: object): Promise<request.Response> {
  const response = await request(server).post(url).auth(token, { type: 'bearer' }).send(body);
  if (response.status >= 300) throw new Error(`fixture ${url}: ${response.status} ${JSON.stringify(response.body)}`);
  return response;
}

/** What the worker does after commit (the booking step, issuing the permit), until nothing is due. */
async function runOutbox(): Promise<void> {
  for (let round = 0; round < 50; round += 1) {
    if ((await t.get(OutboxDispatcher).dispatchDue()).delivered === 0) return;
  }
}

/** The roles a staff rule admits at all (a department scope narrows whose data, not who may open the page). */
function staffRolesOf(rule: AccessRule & { kind: 'staff' }): readonly string[] {
  return rule.scope ? [...rule.scope.roles, ...rule.scope.municipalityWide] : rule.roles;
}

function expectedOutcome(rule: AccessRule, pageCase: PageCase, caller: Caller): Outcome {
  const fromCase = pageCase.except?.[caller.name];
  if (fromCase) return fromCase;
  switch (rule.kind) {
    case 'public':
      return 'page';
    case 'authenticated':
      return caller.kind ? 'page' : 'sign-in';
    case 'resident':
      if (!caller.kind) return 'sign-in';
      if (caller.kind === 'staff') return 'refused';
      return pageCase.owner === 'residentA' && caller.name !== 'residentA' ? '404' : 'page';
    case 'staff': {
      if (!caller.kind) return 'sign-in';
      if (caller.kind === 'resident') return 'refused';
      if (!caller.roles.some((role) => staffRolesOf(rule).includes(role))) return 'refused';
      if (pageCase.owner === 'department' && (caller.name === 'otherDepartment' || caller.name === 'otherMunicipality')) return '404';
      return 'page';
    }
    default:
      throw new Error(`no page expectation for rule ${JSON.stringify(rule)}`);
  }
}

function signInPathFor(path: string): string {
  return path === '/office' || path.startsWith('/office/') ? '/office/sign-in' : '/account/sign-in';
}

function meets(expected: Outcome, path: string, response: request.Response): boolean {
  const location = String(response.headers.location ?? '');
  const toSignIn = response.status === 303 && /^\/(office|account)\/sign-in(\?|$)/.test(location);
  switch (expected) {
    case 'page':
      return (response.status >= 200 && response.status < 400) && !toSignIn;
    case 'sign-in':
      return response.status === 303 && location.startsWith(`${signInPathFor(path)}?next=${encodeURIComponent(path)}`);
    case 'refused':
      return response.status === 403 || toSignIn;
    case '404':
      return response.status === 404;
  }
}

/** Resident A's draft, approval case, paid booking and lottery entry; a 代決 of the shimin approver. */
async function makeFixturesOfA(): Promise<void> {
  const applications = t.get(ApplicationsService);
  const workflow = t.get(ApplicationWorkflowService);
  const asA = { kind: 'resident' as const, id: residentAId };
  draftOfA = (await applications.createDraft(M1, { procedureCode: TEST_CERTIFICATE, channel: 'online', applicantId: residentAId, formData: JUMINHYO_FORM, actor: asA })).id;

  // The subsidy, submitted and accepted by the shimin reviewer: its approval route opens at 係長.
  await publishTestShiminSubsidy(t, [SAMPLE_MUNICIPALITY]);
  approvalCaseOfA = (await applications.createDraft(M1, { procedureCode: TEST_SHIMIN_SUBSIDY, channel: 'online', applicantId: residentAId, formData: SUBSIDY_FORM, actor: asA })).id;
  await workflow.transition(M1, approvalCaseOfA, { type: 'resident.submit', actor: asA, payload: {} });
  await workflow.transition(M1, approvalCaseOfA, { type: 'staff.accept', actor: { kind: 'staff', id: staffIds['page-reviewer'] }, payload: {} });

  // A booking of Tuesday afternoon: held, applied for with the hold, paid (the provider's word), confirmed with its permit.
  const bearerA = await bearerFor('resident', residentAId);
  const slot = { facility: KOMINKAN, room: 'kaigi-1', date: '2026-11-24', slots: ['13:00'] };
  bookingOfA = (await apiPost(bearerA, '/api/v1/bookings/holds', slot)).body.id as string;
  const bookingForm = { ...slot, residency: 'resident', organizerName: '桜ヶ丘読書会', phone: '03-1234-5678', email: 'dokusho@example.jp', purpose: '定例会', attendees: 12, holdId: bookingOfA };
  const bookingApplication = (await apiPost(bearerA, '/api/v1/applications', { procedureCode: 'kominkan-yoyaku', formData: bookingForm })).body.id as string;
  await apiPost(bearerA, `/api/v1/applications/${bookingApplication}/submit`, {});
  await runOutbox();
  await workflow.transition(M1, bookingApplication, { type: 'payment.succeeded', actor: { kind: 'provider', id: 'page-matrix' }, payload: {} });
  await runOutbox();

  // A lottery of another room of the same centre, with resident A's entry (number 1).
  await staff(M1, 'page-shogai-clerk', ['clerk'], ['shogaigakushu']);
  const entryClosesAt = new Date(t.clock.now().getTime() + 3600_000).toISOString();
  const lottery = await apiPost(await bearerFor('staff', staffIds['page-shogai-clerk']), `/api/v1/staff/facilities/${KOMINKAN}/lotteries`, { rooms: ['kaigi-2'], periodFrom: '2026-12-15', periodTo: '2026-12-20', entryClosesAt });
  lotteryId = lottery.body.id as string;
  await apiPost(bearerA, `/api/v1/lotteries/${lotteryId}/entries`, { room: 'kaigi-2', date: '2026-12-16', slots: ['09:00'], organizerName: '桜ヶ丘読書会', purpose: '定例会', attendees: 10 });

  // The shimin approver names a deputy for a week.
  await staff(M1, 'page-deputy', ['approver'], ['shimin'], 'kacho');
  const startsAt = t.clock.now().toISOString();
  const endsAt = new Date(t.clock.now().getTime() + 7 * 24 * 3600_000).toISOString();
  // The counter set-up an administrator makes, and a ticket taken at the kiosk as a visitor would.
  const setupAdmin = { kind: 'staff', id: randomUUID(), municipalityId: M1, roles: ['administrator'], approvalLevel: null, departments: [] } as unknown as StaffPrincipal;
  const counters = t.get(CounterAdminService);
  await counters.createService(setupAdmin, { code: 'certificates', name: { ja: '住民票・印鑑証明', en: 'Certificates' }, ticketPrefix: 'A' } as never);
  counterId = (await counters.createCounter(setupAdmin, { name: { ja: '市民課 1番窓口', en: 'Counter 1' }, serviceCodes: ['certificates'], open: true } as never)).id;
  const taken = await request(server).post('/kiosk/tickets').type('form').send({ serviceCode: 'certificates' });
  ticketId = /\/kiosk\/tickets\/([0-9a-f-]{36})/.exec(String(taken.headers.location))?.[1] ?? 'missing-ticket';

  const drafts = t.get(ProcedureDraftsService);
  const { yaml } = await drafts.template(setupAdmin, TEST_CERTIFICATE);
  procedureDraftId = (await drafts.create(setupAdmin, { yaml })).id;
  await drafts.dryRun(setupAdmin, procedureDraftId, {});

  counterDraft = (
    await applications.createDraft(M1, { procedureCode: TEST_CERTIFICATE, channel: 'counter', applicantId: null, enteredBy: staffIds['page-clerk'], formData: JUMINHYO_FORM, actor: { kind: 'staff', id: staffIds['page-clerk'] } })
  ).id;
  delegationId = (await apiPost(await bearerFor('staff', staffIds['page-approver']), '/api/v1/staff/approvals/delegations', { delegateId: staffIds['page-deputy'], startsAt, endsAt, reason: '出張' })).body.id as string;
}

// --- Tests -----------------------------------------------------------------

describe('page authorization (every page route × every caller, real PostgreSQL)', () => {
  const table = new Map<string, string[]>();

  beforeAll(async () => {
    t = await createTestApp({ portal: true, office: true, env: { DIGITAL_AUTH_ISSUER: 'off' } });
    server = t.app.getHttpServer();
    routes = listRoutes(t.app);
    const pages = pageControllerNames();
    pageRoutes = routes.filter((route) => pages.has(route.controller));
    await publishTestCertificate(t, [SAMPLE_MUNICIPALITY, OTHER_MUNICIPALITY]);

    const a = await resident('page-a@example.jp');
    const b = await resident('page-b@example.jp');
    residentAId = a.id;
    const admin = await t.get(StaffAdminService).bootstrapAdministrator(M1, { loginId: 'page-admin', displayName: 'page-admin', password: PASSWORD });
    callers.push(
      { name: 'anonymous', kind: null, roles: [], cookie: null },
      { name: 'residentA', kind: 'resident', roles: [], cookie: a.cookie },
      { name: 'residentB', kind: 'resident', roles: [], cookie: b.cookie },
      // The clerk works in 市民課 and 生涯学習課 (the community centre's desk).
      { name: 'clerk', kind: 'staff', roles: ['clerk'], cookie: await staff(M1, 'page-clerk', ['clerk'], ['shimin', 'shogaigakushu']) },
      { name: 'reviewer', kind: 'staff', roles: ['reviewer'], cookie: await staff(M1, 'page-reviewer', ['reviewer'], ['shimin']) },
      { name: 'approver', kind: 'staff', roles: ['approver'], cookie: await staff(M1, 'page-approver', ['approver'], ['shimin'], 'kacho') },
      { name: 'manager', kind: 'staff', roles: ['manager'], cookie: await staff(M1, 'page-manager', ['manager'], ['shimin']) },
      { name: 'administrator', kind: 'staff', roles: ['administrator'], cookie: await cookieFor(M1, 'staff', admin.id) },
      { name: 'accountant', kind: 'staff', roles: ['accountant'], cookie: await staff(M1, 'page-accountant', ['accountant'], []) },
      // Every role a case page admits, in the wrong department or the wrong municipality.
      { name: 'otherDepartment', kind: 'staff', roles: ['clerk', 'reviewer', 'approver'], cookie: await staff(M1, 'page-zeimu', ['clerk', 'reviewer', 'approver'], ['zeimu'], 'kacho') },
      { name: 'otherMunicipality', kind: 'staff', roles: ['clerk', 'reviewer', 'approver'], cookie: await staff(M2, 'page-other-city', ['clerk', 'reviewer', 'approver'], ['shimin'], 'kacho') },
    );

    // Resident A's 住民票 (account-only copy), submitted: it waits for the fee.
    const draft = await t.get(ApplicationsService).createDraft(M1, { procedureCode: TEST_CERTIFICATE, channel: 'online', applicantId: residentAId, formData: JUMINHYO_FORM, actor: { kind: 'resident', id: residentAId } });
    applicationOfA = draft.id;
    await t.get(ApplicationWorkflowService).transition(M1, applicationOfA, { type: 'resident.submit', actor: { kind: 'resident', id: residentAId }, payload: { amount: 300 } });
    await makeFixturesOfA();

    // Real asset names, as the pages link them (they carry a content hash).
    const home = await request(server).get('/');
    portalStylesheet = /href="\/assets\/([^"/]+\.css)"/.exec(home.text)?.[1] ?? 'missing.css';
    const officeSignIn = await request(server).get('/office/sign-in');
    officeStylesheet = /href="\/office\/assets\/([^"/]+\.css)"/.exec(officeSignIn.text)?.[1] ?? 'missing.css';
    const fontIn = async (css: string) => /fonts\/([^)"'?#]+\.woff2)/.exec((await request(server).get(css)).text)?.[1] ?? 'missing.woff2';
    portalFont = await fontIn(`/assets/${portalStylesheet}`);
    officeFont = await fontIn(`/office/assets/${officeStylesheet}`);
  }, 180_000);

  afterAll(async () => {
    if (table.size > 0) {
      const names = callers.map((caller) => caller.name.slice(0, 6));
      const width = Math.max(...[...table.keys()].map((key) => key.length));
      console.log(
        ['Page authorization (status per caller; "!" marks an unexpected answer)', `${'route'.padEnd(width)} ${names.map((name) => name.padEnd(6)).join(' ')}`, ...[...table.entries()].map(([key, cells]) => `${key.padEnd(width)} ${cells.map((cell) => cell.padEnd(6)).join(' ')}`)].join('\n'),
      );
    }
    await t?.close();
  });

  it('finds the page routes of the portal and the office; every other route outside /api is accounted for', () => {
    const keys = pageRoutes.map((route) => route.key);
    expect(keys).toEqual(expect.arrayContaining(['GET /', 'GET /applications/:id', 'GET /office/queue', 'GET /office/applications/:id', 'POST /office/applications/:id/claim']));
    // A page controller made with @Controller instead of PageController/OfficePageController would answer errors in JSON and escape this table.
    const unaccounted = routes.filter((route) => outsideApi(route) && !pageRoutes.includes(route) && !(route.controller in NOT_PAGE_CONTROLLERS)).map((route) => `${route.key} (${route.controller})`);
    expect(unaccounted).toEqual([]);
  });

  it('every page GET route has a row in PAGE_CASES, and every row a route; every page POST with a :param has its fixture', () => {
    const gets = pageRoutes.filter((route) => route.method === 'GET').map((route) => route.key).sort();
    const tabled = Object.keys(PAGE_CASES).sort();
    const posts = pageRoutes.filter((route) => route.method !== 'GET');
    expect({
      missingFromTable: gets.filter((key) => !tabled.includes(key)),
      notServed: tabled.filter((key) => !gets.includes(key)),
      postsWithoutParams: posts.filter((route) => hasParams(route) && !(route.key in POST_PARAMS)).map((route) => route.key),
      postRowsNotServed: Object.keys(POST_PARAMS).filter((key) => !posts.some((route) => route.key === key)),
    }).toEqual({ missingFromTable: [], notServed: [], postsWithoutParams: [], postRowsNotServed: [] });
  });

  it('every page route declares an access rule', () => {
    expect(pageRoutes.filter((route) => !route.rule).map((route) => route.key)).toEqual([]);
  });

  it.each(Object.keys(PAGE_CASES))('%s answers each caller as its rule and ownership say', async (key) => {
    const route = pageRoutes.find((candidate) => candidate.key === key);
    if (!route?.rule) throw new Error(`${key} is in the table but not served with a rule`);
    const pageCase = PAGE_CASES[key];
    const path = fillPath(route.path, (await pageCase.params?.()) ?? {});
    const failures: string[] = [];
    const cells: string[] = [];
    for (const caller of callers) {
      const expected = expectedOutcome(route.rule, pageCase, caller);
      let pending = request(server).get(path);
      if (pageCase.query) pending = pending.query(pageCase.query);
      if (caller.cookie) pending = pending.set('Cookie', caller.cookie);
      const response = await pending;
      const ok = meets(expected, path, response);
      cells.push(`${response.status}${ok ? '' : '!'}`);
      if (!ok) failures.push(`${caller.name}: expected ${expected}, got ${response.status} ${response.headers.location ?? ''}`);
      // No page shown to an outsider carries the id of any record of resident A's (staff of its department see their cases in their queue).
      const shown = response.status === 200 && OUTSIDERS.includes(caller.name) ? recordsOfA().filter((id) => response.text?.includes(id)) : [];
      if (shown.length > 0) failures.push(`${caller.name}: page shows resident A's record ${shown.join(', ')}`);
    }
    table.set(key, cells);
    expect(failures).toEqual([]);
  });

  it('every page POST that acts on a session refuses a form without _csrf from every signed-in caller, and changes nothing', async () => {
    const posts = pageRoutes.filter((route) => route.method === 'POST' && route.rule && route.rule.kind !== 'public');
    expect(posts.length).toBeGreaterThanOrEqual(10);
    // Sessions record when they were last seen and the guard's refusals are audited; neither is the form's effect.
    const except = ['sessions', 'rate_limits', 'audit_log', 'audit_events', 'audit_checkpoints', 'request_log'];
    const before = await tableHashes(t.db.url, { except });
    const failures: string[] = [];
    for (const route of posts) {
      const path = fillPath(route.path, POST_PARAMS[route.key]?.() ?? {});
      for (const caller of callers.filter((candidate) => candidate.cookie)) {
        const response = await request(server).post(path).set('Cookie', caller.cookie!).type('form').send({ note: 'no token', method: 'card', reason: 'x', staffId: randomUUID() });
        if (response.status !== 403) failures.push(`${route.key} ${caller.name}: ${response.status} ${response.headers.location ?? ''}`);
      }
      // Anonymous: no session to act on, so the sign-in page, never the form's effect.
      const anonymous = await request(server).post(path).type('form').send({});
      if (!(anonymous.status === 303 && String(anonymous.headers.location).startsWith(signInPathFor(path)))) failures.push(`${route.key} anonymous: ${anonymous.status}`);
    }
    expect(failures).toEqual([]);
    const after = await tableHashes(t.db.url, { except });
    const changed = Object.keys(after).filter((name) => JSON.stringify(after[name]) !== JSON.stringify(before[name]));
    expect(changed).toEqual([]);
    // Every POST route × every caller, each refusal a rendered page: minutes on a busy machine.
  }, 300_000);

  it('the CSRF refusal is the "reload and send again" page, and with the token the same form goes through', async () => {
    const a = callers.find((caller) => caller.name === 'residentA')!;
    const refused = await request(server).post('/account/devices/sign-out-everywhere').set('Cookie', a.cookie!).type('form').send({});
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/text\/html/);
    const page = await request(server).get('/account/devices').set('Cookie', a.cookie!).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    expect(csrf).toBeTruthy();
    const accepted = await request(server).post('/account/devices/sign-out-everywhere').set('Cookie', a.cookie!).type('form').send({ _csrf: csrf });
    expect(accepted.status).toBe(303);
  });
});
