import { ApplicationsService } from '@madoguchi/applications';
import { ApplicationWorkflowService } from '@madoguchi/engine';
import { addBusinessDays, asMunicipalityId, type MunicipalityId } from '@madoguchi/kernel';
import { ProcedurePublishingService } from '@madoguchi/procedures';
import type { Channel, ProcedureDefinition } from '@madoguchi/workflow';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { expectError, PASSWORD } from '../support/identity-e2e';
import { CERTIFICATE_FORM, expectNoServerErrors, MINUTE, startSubmissionApp, type SubmissionHarness } from '../support/submission-e2e';
import { CONFIG_DIR, OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY } from '../support/test-app';
import { TEST_CERTIFICATE } from '../support/test-procedures';

/**
 * The staff work queue (GET /staff/applications) and the due-date clock of
 * the standard processing time, over HTTP on a real PostgreSQL.
 *
 * Procedures (all 市民課 unless said): `test-queue-5d` reviewed, due in 5
 * business days; `test-queue-nodue` the same with no standard time;
 * `test-certificate` 1 day with a fee; `test-queue-zeimu` 税務課, 3 days.
 *
 * The queue answers are checked against an oracle computed in the test from
 * the rows themselves, so filters, order and pages are compared with what
 * the rules say rather than with what the query happens to return.
 */

const FIVE_DAYS = 'test-queue-5d';
const NO_DUE = 'test-queue-nodue';
const ZEIMU = 'test-queue-zeimu';
const M1 = asMunicipalityId(SAMPLE_MUNICIPALITY);
const M2 = asMunicipalityId(OTHER_MUNICIPALITY);

/** 10:00 in Japan on that date. */
const jst10 = (date: string) => new Date(`${date}T01:00:00Z`);

interface QueueItem {
  id: string;
  procedureCode: string;
  procedureName: { ja: string; en: string };
  referenceNumber: string | null;
  state: string;
  status: { ja: string; en: string };
  channel: string;
  submittedAt: string;
  ageDays: number;
  dueOn: string | null;
  daysLeft: number | null;
  overdue: boolean;
  paused: boolean;
  claimedBy: string | null;
  updatedAt: string;
}
interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
  total: number;
}

/** A row as the oracle sees it. */
interface Row {
  id: string;
  department: string;
  procedure_code: string;
  state: string;
  phase: string;
  channel: string;
  submitted_on: string;
  submitted_key: string;
  updated_key: string;
  due_on: string | null;
  due_paused_at: Date | null;
  claimed_by: string | null;
}

describe('work queue and due dates (HTTP, real PostgreSQL)', () => {
  let h: SubmissionHarness;

  /** Someone who signs in again whenever the test clock moved past their access token (15 minutes). */
  interface Person {
    id: string;
    token: string;
    at: number;
    login(): Promise<string>;
  }
  const people = new Map<string, Person>();

  async function tokenOf(person: Person): Promise<string> {
    const now = h.t.clock.now().getTime();
    if (Math.abs(now - person.at) > 10 * MINUTE) {
      person.token = await person.login();
      person.at = now;
    }
    return person.token;
  }

  async function resident(email: string, municipalityId = SAMPLE_MUNICIPALITY): Promise<Person> {
    const created = await h.identity.resident(email, municipalityId);
    const login = async () => (await h.identity.residentTokens(email, PASSWORD, municipalityId)).accessToken;
    const person = { id: created.id, token: created.token, at: h.t.clock.now().getTime(), login };
    people.set(email, person);
    return person;
  }

  async function staff(loginId: string, roles: Parameters<SubmissionHarness['identity']['staff']>[1], departments: string[], municipalityId = SAMPLE_MUNICIPALITY): Promise<Person> {
    const created = await h.identity.staff(loginId, roles, { departments, municipalityId, ...(roles.includes('approver') ? { approvalLevel: 'kacho' as const } : {}) });
    const login = async () => {
      const response = await h.identity.staffLogin(loginId, PASSWORD, {}, municipalityId);
      if (response.status !== 200) throw new Error(`staff login failed: ${response.status}`);
      return response.body.accessToken as string;
    };
    return { id: created.id, token: created.token, at: h.t.clock.now().getTime(), login };
  }

  const get = async (person: Person, url: string, query: Record<string, string | number> = {}) =>
    request(h.server).get(url).query(query).set('Authorization', `Bearer ${await tokenOf(person)}`);
  const post = async (person: Person, url: string, body: object = {}) =>
    request(h.server).post(url).set('Authorization', `Bearer ${await tokenOf(person)}`).send(body);

  async function queue(person: Person, query: Record<string, string | number> = {}): Promise<QueuePage> {
    const response = await get(person, '/api/v1/staff/applications', query);
    if (response.status !== 200) throw new Error(`queue ${JSON.stringify(query)}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as QueuePage;
  }

  /** Every page of a query, following nextCursor; fails on a duplicate or a changing total. */
  async function allPages(person: Person, query: Record<string, string | number>): Promise<{ ids: string[]; total: number; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let total: number | null = null;
    let pages = 0;
    do {
      const page = await queue(person, cursor ? { ...query, cursor } : query);
      pages += 1;
      if (total !== null) expect(page.total).toBe(total);
      total = page.total;
      expect(page.items.length).toBeLessThanOrEqual(Number(query.limit ?? 50));
      ids.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      if (pages > 200) throw new Error('no end of pages');
    } while (cursor);
    expect(new Set(ids).size).toBe(ids.length);
    return { ids, total: total ?? 0, pages };
  }

  async function publish(municipalityId: MunicipalityId, code: string, overrides: Partial<ProcedureDefinition>): Promise<void> {
    const juminhyo = parse(readFileSync(path.join(CONFIG_DIR, 'procedures/juminhyo.yaml'), 'utf8')) as ProcedureDefinition;
    const { standardProcessingDays: _omitted, ...rest } = juminhyo;
    await h.t.get(ProcedurePublishingService).publish(
      municipalityId,
      { ...rest, code, version: 1, identity: 'account', fee: { rule: 'none' }, document: null, steps: ['form', 'review'], ...overrides },
      'test',
    );
  }

  /** A resident's online submission through the API; returns the application as the resident sees it. */
  async function submitOnline(person: Person, procedureCode: string): Promise<{ id: string; dueOn: string | null; state: string; revision: number }> {
    const created = await post(person, '/api/v1/applications', { procedureCode, formData: CERTIFICATE_FORM });
    expect(created.status).toBe(201);
    expect(created.body.dueOn).toBeNull();
    const submitted = await post(person, `/api/v1/applications/${created.body.id}/submit`, { revision: created.body.revision });
    if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);
    return submitted.body;
  }

  /** A case entered on another channel (counter, mail), straight through the services: the counter's own routes are tested elsewhere. */
  async function submitVia(municipalityId: MunicipalityId, procedureCode: string, channel: Channel): Promise<string> {
    const actor = { kind: 'staff' as const, id: 'queue-test' };
    const draft = await h.t.get(ApplicationsService).createDraft(municipalityId, { procedureCode, channel, formData: CERTIFICATE_FORM, actor });
    await h.t.get(ApplicationWorkflowService).transition(municipalityId, draft.id, { type: 'resident.submit', actor });
    return draft.id;
  }

  async function rows(departments: string[], municipalityId = SAMPLE_MUNICIPALITY): Promise<Row[]> {
    return h.t.dataSource.query(
      `SELECT id, department, procedure_code, state, phase, channel,
              (submitted_at AT TIME ZONE 'Asia/Tokyo')::date::text AS submitted_on,
              to_char(submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS submitted_key,
              to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS updated_key,
              due_on::text AS due_on, due_paused_at, claimed_by
         FROM applications WHERE municipality_id = $1 AND department = ANY($2) AND submitted_at IS NOT NULL`,
      [municipalityId, departments],
    );
  }

  /** The order the rules define: by the key (missing due dates last either way), ties by id. */
  function ordered(list: Row[], sort: 'dueOn' | 'submittedAt' | 'updatedAt', order: 'asc' | 'desc'): string[] {
    const keyOf = (row: Row) => (sort === 'dueOn' ? row.due_on : sort === 'submittedAt' ? row.submitted_key : row.updated_key);
    const sign = order === 'asc' ? 1 : -1;
    return [...list]
      .sort((a, b) => {
        const [ka, kb] = [keyOf(a), keyOf(b)];
        if (ka === null || kb === null) {
          if (ka !== kb) return ka === null ? 1 : -1;
        } else if (ka !== kb) return sign * (ka < kb ? -1 : 1);
        return sign * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      })
      .map((row) => row.id);
  }

  const open = (list: Row[]) => list.filter((row) => row.phase === 'active');

  let citizen: Person;
  let clerk: Person;

  beforeAll(async () => {
    h = await startSubmissionApp();
    h.t.clock.set(jst10('2026-04-27'));
    for (const municipalityId of [M1, M2]) {
      await publish(municipalityId, FIVE_DAYS, { name: { ja: '審査のある届出（5日）', en: 'Reviewed filing (5 days)' }, standardProcessingDays: 5 });
      await publish(municipalityId, NO_DUE, { name: { ja: '標準処理期間のない届出', en: 'Filing without a standard time' } });
      await publish(municipalityId, ZEIMU, { name: { ja: '税務課の届出', en: 'Taxation filing' }, department: 'zeimu', standardProcessingDays: 3 });
    }
    citizen = await resident('queue-citizen@example.jp');
    clerk = await staff('queue.clerk.shimin', ['clerk'], ['shimin']);
  });
  afterAll(async () => {
    if (h) expectNoServerErrors(h);
    await h?.close();
  });

  describe('due dates', () => {
    let goldenWeek: string;

    it('gives a submission before Golden Week the 5th business day after it, skipping 4/29 and 5/3–5/6', async () => {
      h.t.clock.set(jst10('2026-04-28'));
      const submitted = await submitOnline(citizen, FIVE_DAYS);
      goldenWeek = submitted.id;
      // 4/30, 5/1, (5/2–5/6 closed), 5/7, 5/8, 5/11.
      expect(submitted).toMatchObject({ state: 'underReview', dueOn: '2026-05-11' });
      expect((await get(citizen, `/api/v1/applications/${goldenWeek}/receipt`)).body).toMatchObject({ dueOn: '2026-05-11', standardProcessingDays: 5 });

      const page = await queue(clerk, { submittedFrom: '2026-04-28', submittedTo: '2026-04-28' });
      expect(page.items).toEqual([
        {
          id: goldenWeek,
          procedureCode: FIVE_DAYS,
          procedureName: { ja: '審査のある届出（5日）', en: 'Reviewed filing (5 days)' },
          referenceNumber: expect.stringMatching(/^R8-\d{6}$/),
          state: 'underReview',
          status: { ja: '審査中', en: 'Under review' },
          channel: 'online',
          submittedAt: '2026-04-28T01:00:00.000Z',
          ageDays: 0,
          dueOn: '2026-05-11',
          daysLeft: 5,
          overdue: false,
          paused: false,
          claimedBy: null,
          updatedAt: '2026-04-28T01:00:00.000Z',
        },
      ]);
      expect(page).toMatchObject({ total: 1, nextCursor: null });
    });

    it('counts a submission on a holiday (5/3, 憲法記念日) from the next business day', async () => {
      h.t.clock.set(jst10('2026-05-03'));
      const submitted = await submitOnline(citizen, FIVE_DAYS);
      // Taken as received 5/7: 5/8, 5/11, 5/12, 5/13, 5/14.
      expect(submitted.dueOn).toBe('2026-05-14');
      const [item] = (await queue(clerk, { submittedFrom: '2026-05-03', submittedTo: '2026-05-03' })).items;
      expect(item).toMatchObject({ id: submitted.id, dueOn: '2026-05-14', daysLeft: 5 });
    });

    it('pauses the clock on a return for correction and moves the due date by the paused business days on resubmission', async () => {
      h.t.clock.set(jst10('2026-04-30'));
      const sentBack = await post(clerk, `/api/v1/staff/applications/${goldenWeek}/events`, {
        type: 'staff.sendBack',
        payload: { fields: ['purpose'], message: '使用目的をご確認ください。' },
      });
      expect(sentBack.status).toBe(200);
      expect(sentBack.body).toMatchObject({ state: 'returned', dueOn: null });

      // Paused with 4 business days left (5/1, 5/7, 5/8, 5/11); no due date while the resident has it.
      const paused = (await queue(clerk, { submittedFrom: '2026-04-28', submittedTo: '2026-04-28' })).items[0];
      expect(paused).toMatchObject({ id: goldenWeek, state: 'returned', dueOn: null, daysLeft: 4, paused: true, overdue: false });
      expect((await get(citizen, `/api/v1/applications/${goldenWeek}`)).body).toMatchObject({ state: 'returned', dueOn: null });
      expect((await get(citizen, `/api/v1/applications/${goldenWeek}/receipt`)).body.dueOn).toBeNull();

      // Twelve days later, past the old due date: a paused clock is never overdue.
      h.t.clock.set(jst10('2026-05-12'));
      expect((await queue(clerk, { overdue: 'true' })).items.map((item) => item.id)).not.toContain(goldenWeek);
      const stillPaused = (await queue(clerk, { state: 'returned' })).items.find((item) => item.id === goldenWeek);
      expect(stillPaused).toMatchObject({ daysLeft: 4, paused: true, overdue: false, ageDays: 14 });

      const resubmitted = await post(citizen, `/api/v1/applications/${goldenWeek}/resubmit`, {});
      expect(resubmitted.status).toBe(200);
      // 4 business days after 5/12: 5/13, 5/14, 5/15, 5/18. The same as the old due date moved by
      // the 5 business days the resident had it (5/1, 5/7, 5/8, 5/11, 5/12).
      expect(resubmitted.body).toMatchObject({ state: 'underReview', dueOn: '2026-05-18' });
      expect(addBusinessDays('2026-05-11', 5)).toBe('2026-05-18');
      const resumed = (await queue(clerk, { submittedFrom: '2026-04-28', submittedTo: '2026-04-28' })).items[0];
      expect(resumed).toMatchObject({ id: goldenWeek, dueOn: '2026-05-18', daysLeft: 4, paused: false, overdue: false });
      const [stored] = await h.t.dataSource.query(`SELECT due_on::text, due_paused_at, due_remaining_days FROM applications WHERE id = $1`, [goldenWeek]);
      expect(stored).toEqual({ due_on: '2026-05-18', due_paused_at: null, due_remaining_days: null });
    });

    it('skips the year-end closure 12/29–1/3 and 成人の日 (2027-01-11), and marks overdue cases', async () => {
      h.t.clock.set(jst10('2026-12-25'));
      const beforeClosure = await submitOnline(citizen, FIVE_DAYS);
      const certificate = await submitOnline(citizen, TEST_CERTIFICATE);
      // 12/28, (12/29–1/3 closed), 1/4, 1/5, 1/6, 1/7.
      expect(beforeClosure.dueOn).toBe('2027-01-07');
      expect(certificate).toMatchObject({ state: 'awaitingPayment', dueOn: '2026-12-28' });

      h.t.clock.set(jst10('2026-12-30'));
      const duringClosure = await submitOnline(citizen, FIVE_DAYS);
      // Taken as received 1/4: 1/5, 1/6, 1/7, 1/8, (1/9–1/11 closed), 1/12.
      expect(duringClosure.dueOn).toBe('2027-01-12');

      h.t.clock.set(jst10('2027-01-08'));
      const window = { submittedFrom: '2026-12-25', submittedTo: '2026-12-31' };
      const byId = new Map((await queue(clerk, window)).items.map((item) => [item.id, item]));
      expect(byId.get(certificate.id)).toMatchObject({ dueOn: '2026-12-28', daysLeft: -5, overdue: true });
      expect(byId.get(beforeClosure.id)).toMatchObject({ dueOn: '2027-01-07', daysLeft: -1, overdue: true });
      expect(byId.get(duringClosure.id)).toMatchObject({ dueOn: '2027-01-12', daysLeft: 1, overdue: false, ageDays: 9 });

      const overdue = await queue(clerk, { ...window, overdue: 'true' });
      expect(overdue.items.map((item) => item.id)).toEqual([certificate.id, beforeClosure.id]);
      expect(overdue.total).toBe(2);
      expect((await queue(clerk, { ...window, overdue: 'false' })).items.map((item) => item.id)).toEqual([duringClosure.id]);
      expect((await queue(clerk, { ...window, dueBefore: '2027-01-07' })).items.map((item) => item.id)).toEqual([certificate.id]);
      expect((await queue(clerk, { ...window, dueBefore: '2027-01-08' })).total).toBe(2);
    });

    it('gives no due date without a standard processing time, and keeps it in a final state', async () => {
      h.t.clock.set(jst10('2027-01-12'));
      const undated = await submitOnline(citizen, NO_DUE);
      expect(undated.dueOn).toBeNull();
      const dated = await submitOnline(citizen, FIVE_DAYS);
      expect(dated.dueOn).toBe('2027-01-19');
      const accepted = await post(clerk, `/api/v1/staff/applications/${dated.id}/events`, { type: 'staff.accept' });
      expect(accepted.body).toMatchObject({ state: 'completed', dueOn: '2027-01-19' });

      // The open queue no longer lists it; naming the state reaches it, with no clock running.
      h.t.clock.set(jst10('2027-01-20'));
      expect((await allPages(clerk, {})).ids).not.toContain(dated.id);
      const completed = await queue(clerk, { state: 'completed' });
      expect(completed.items).toEqual([expect.objectContaining({ id: dated.id, dueOn: '2027-01-19', daysLeft: null, overdue: false, paused: false })]);
      expect((await queue(clerk, { state: 'completed', overdue: 'true' })).items).toEqual([]);
      const undatedItem = (await queue(clerk, { submittedFrom: '2027-01-12', submittedTo: '2027-01-12' })).items;
      expect(undatedItem).toEqual([expect.objectContaining({ id: undated.id, dueOn: null, daysLeft: null, overdue: false })]);
    });
  });

  describe('filters, order and pages', () => {
    let reviewer: Person;
    let approver: Person;
    let counterCase: string;
    let mailCase: string;

    beforeAll(async () => {
      // Several cases in one instant (ties broken by id), on several channels and days.
      for (const day of ['2027-02-01', '2027-02-02', '2027-02-03', '2027-02-04', '2027-02-05']) {
        h.t.clock.set(jst10(day));
        await submitVia(M1, FIVE_DAYS, 'online');
        await submitVia(M1, FIVE_DAYS, 'online');
        await submitVia(M1, NO_DUE, 'online');
        await submitVia(M1, TEST_CERTIFICATE, 'online');
      }
      h.t.clock.set(jst10('2027-02-08'));
      counterCase = await submitVia(M1, FIVE_DAYS, 'counter');
      mailCase = await submitVia(M1, NO_DUE, 'mail');
      await submitVia(M1, ZEIMU, 'online');
      h.t.clock.set(jst10('2027-02-10'));
      reviewer = await staff('queue.reviewer.shimin', ['reviewer'], ['shimin']);
      approver = await staff('queue.approver.shimin', ['approver'], ['shimin']);
    });

    it.each([
      ['dueOn', 'asc'],
      ['dueOn', 'desc'],
      ['submittedAt', 'asc'],
      ['submittedAt', 'desc'],
      ['updatedAt', 'asc'],
      ['updatedAt', 'desc'],
    ] as const)('pages through the whole queue by %s %s with the cursor, without duplicates or gaps', async (sort, order) => {
      const expected = ordered(open(await rows(['shimin'])), sort, order);
      expect(expected.length).toBeGreaterThan(20);
      const walked = await allPages(clerk, { sort, order, limit: 4 });
      expect(walked.ids).toEqual(expected);
      expect(walked.total).toBe(expected.length);
      expect(walked.pages).toBe(Math.ceil(expected.length / 4));
    });

    it('sorts by due date ascending by default and lists cases without one last in both orders', async () => {
      const first = await queue(clerk, { limit: 100 });
      expect(first.items.map((item) => item.id)).toEqual(ordered(open(await rows(['shimin'])), 'dueOn', 'asc'));
      for (const order of ['asc', 'desc']) {
        const dueDates = (await queue(clerk, { order, limit: 100 })).items.map((item) => item.dueOn);
        const firstUndated = dueDates.indexOf(null);
        expect(firstUndated).toBeGreaterThan(0);
        expect(dueDates.slice(firstUndated).every((due) => due === null)).toBe(true);
      }
    });

    it('keeps a cursor valid while cases arrive and change between pages', async () => {
      const firstPage = await queue(clerk, { sort: 'submittedAt', order: 'desc', limit: 5 });
      const arrived = await submitVia(M1, FIVE_DAYS, 'online'); // newest: sorts before the cursor
      const rest = await allPages(clerk, { sort: 'submittedAt', order: 'desc', limit: 5, cursor: firstPage.nextCursor! });
      expect(rest.ids).not.toContain(arrived);
      expect(rest.ids.filter((id) => firstPage.items.some((item) => item.id === id))).toEqual([]);
      expect(firstPage.items.length + rest.ids.length).toBe(rest.total - 1);
    });

    it.each<[string, Record<string, string | number>, (row: Row, staffId: string) => boolean]>([
      ['one state', { state: 'awaitingPayment' }, (row) => row.state === 'awaitingPayment'],
      ['a comma list of states', { state: 'underReview,returned' }, (row) => ['underReview', 'returned'].includes(row.state)],
      ['a final state', { state: 'completed' }, (row) => row.state === 'completed'],
      ['procedure', { procedureCode: NO_DUE }, (row) => row.phase === 'active' && row.procedure_code === NO_DUE],
      ['channel', { channel: 'counter' }, (row) => row.phase === 'active' && row.channel === 'counter'],
      ['submission dates', { submittedFrom: '2027-02-02', submittedTo: '2027-02-04' }, (row) => row.phase === 'active' && row.submitted_on >= '2027-02-02' && row.submitted_on <= '2027-02-04'],
      ['age', { minAgeDays: 7 }, (row) => row.phase === 'active' && row.submitted_on <= '2027-02-03'],
      ['due date', { dueBefore: '2027-02-10' }, (row) => row.phase === 'active' && row.due_on !== null && row.due_on < '2027-02-10'],
      ['overdue', { overdue: 'true' }, (row) => row.phase === 'active' && row.due_on !== null && row.due_on < '2027-02-10'],
      ['not overdue', { overdue: 'false' }, (row) => row.phase === 'active' && (row.due_on === null || row.due_on >= '2027-02-10')],
      ['several at once', { procedureCode: FIVE_DAYS, channel: 'online', minAgeDays: 8, overdue: 'false' }, (row) =>
        row.phase === 'active' && row.procedure_code === FIVE_DAYS && row.channel === 'online' && row.submitted_on <= '2027-02-02' && (row.due_on === null || row.due_on >= '2027-02-10')],
    ])('filters by %s', async (_name, query, matches) => {
      const expected = ordered((await rows(['shimin'])).filter((row) => matches(row, clerk.id)), 'dueOn', 'asc');
      const walked = await allPages(clerk, { ...query, limit: 7 });
      expect(walked.ids).toEqual(expected);
      expect(walked.total).toBe(expected.length);
    });

    it('shows age in calendar days and business days left per case', async () => {
      const items = (await queue(clerk, { submittedFrom: '2027-02-01', submittedTo: '2027-02-01', procedureCode: FIVE_DAYS })).items;
      // Submitted Mon 2/1, due Mon 2/8 (2/2–2/5, 2/8), seen Wed 2/10: two business days late.
      expect(items).toHaveLength(2);
      for (const item of items) expect(item).toMatchObject({ ageDays: 9, dueOn: '2027-02-08', daysLeft: -2, overdue: true, channel: 'online' });
      const counter = (await queue(clerk, { channel: 'counter' })).items;
      // Mon 2/8: 2/9, 2/10, (2/11 建国記念の日), 2/12, 2/15, 2/16.
      expect(counter).toEqual([expect.objectContaining({ id: counterCase, channel: 'counter', ageDays: 2, dueOn: '2027-02-16', daysLeft: 3 })]);
      expect((await queue(clerk, { channel: 'mail' })).items).toEqual([expect.objectContaining({ id: mailCase, dueOn: null, daysLeft: null })]);
    });

    it('filters by claim: mine, nobody’s, someone else’s, any', async () => {
      const [mine, theirs] = (await queue(clerk, { channel: 'online', procedureCode: FIVE_DAYS, limit: 2 })).items.map((item) => item.id);
      await h.t.dataSource.query(`UPDATE applications SET claimed_by = $2, claimed_at = now(), claim_active_at = now() WHERE id = $1`, [mine, clerk.id]);
      await h.t.dataSource.query(`UPDATE applications SET claimed_by = $2, claimed_at = now(), claim_active_at = now() WHERE id = $1`, [theirs, reviewer.id]);
      const everyone = open(await rows(['shimin']));

      const claimedByMe = await queue(clerk, { claimed: 'me' });
      expect(claimedByMe.items).toEqual([expect.objectContaining({ id: mine, claimedBy: clerk.id })]);
      expect((await queue(clerk, { claimed: 'others' })).items.map((item) => item.id)).toEqual([theirs]);
      expect((await queue(reviewer, { claimed: 'me' })).items.map((item) => item.id)).toEqual([theirs]);
      expect((await queue(reviewer, { claimed: 'others' })).items.map((item) => item.id)).toEqual([mine]);
      const unclaimed = await allPages(clerk, { claimed: 'none', limit: 50 });
      expect(unclaimed.total).toBe(everyone.length - 2);
      expect(unclaimed.ids).not.toEqual(expect.arrayContaining([mine]));
      expect((await queue(clerk, { claimed: 'any' })).total).toBe(everyone.length);
      expect((await queue(clerk)).total).toBe(everyone.length);
    });

    it('shows reviewers and approvers of the department the same queue; staff of two departments see both, merged in order', async () => {
      const clerkTotal = (await queue(clerk)).total;
      expect((await queue(reviewer)).total).toBe(clerkTotal);
      expect((await queue(approver)).total).toBe(clerkTotal);

      const both = await staff('queue.clerk.both', ['clerk'], ['shimin', 'zeimu']);
      for (const sort of ['dueOn', 'submittedAt', 'updatedAt'] as const) {
        for (const order of ['asc', 'desc'] as const) {
          const expected = ordered(open(await rows(['shimin', 'zeimu'])), sort, order);
          expect((await allPages(both, { sort, order, limit: 6 })).ids).toEqual(expected);
        }
      }
    });
  });

  describe('who sees what', () => {
    it('shows a clerk of another department only that department’s cases, whatever the filters', async () => {
      const zeimuClerk = await staff('queue.clerk.zeimu', ['clerk'], ['zeimu']);
      const page = await queue(zeimuClerk, { limit: 100 });
      expect(page.items.map((item) => item.procedureCode)).toEqual([ZEIMU]);
      expect(page.total).toBe(1);
      expect(await queue(zeimuClerk, { procedureCode: FIVE_DAYS })).toEqual({ items: [], nextCursor: null, total: 0 });
      expect((await queue(zeimuClerk, { state: 'underReview,completed,returned' })).items.map((item) => item.procedureCode)).toEqual([ZEIMU]);

      const nowhere = await staff('queue.clerk.none', ['clerk'], []);
      expect(await queue(nowhere)).toEqual({ items: [], nextCursor: null, total: 0 });
    });

    it('never shows 990001 cases to 990002 staff, and refuses a 990002 token naming 990001', async () => {
      const ownCase = await submitVia(M2, FIVE_DAYS, 'counter');
      const foreignClerk = await staff('queue.clerk.shimin.m2', ['clerk'], ['shimin'], OTHER_MUNICIPALITY);
      const theirs = await allPages(foreignClerk, { limit: 100 });
      expect(theirs).toMatchObject({ ids: [ownCase], total: 1 });
      expect((await allPages(foreignClerk, { state: 'underReview,returned,completed,awaitingPayment', limit: 100 })).ids).toEqual([ownCase]);
      const mismatch = await request(h.server)
        .get('/api/v1/staff/applications')
        .set('Authorization', `Bearer ${await tokenOf(foreignClerk)}`)
        .set('X-Municipality-Id', SAMPLE_MUNICIPALITY);
      expectError(mismatch, 403, 'AUTH_TENANT_MISMATCH');
      // And the other way round: 990001 staff never see the 990002 case.
      expect((await allPages(clerk, { limit: 100 })).ids).not.toContain(ownCase);
    });

    it('refuses managers, administrators and residents (403) and anonymous callers (401)', async () => {
      const manager = await staff('queue.manager.shimin', ['manager'], ['shimin']);
      expectError(await get(manager, '/api/v1/staff/applications'), 403, 'AUTH_FORBIDDEN');
      const administrator = await h.identity.administrator('queue.admin');
      expectError(await request(h.server).get('/api/v1/staff/applications').set('Authorization', `Bearer ${administrator.token}`), 403, 'AUTH_FORBIDDEN');
      expectError(await get(citizen, '/api/v1/staff/applications'), 403, 'AUTH_FORBIDDEN');
      expectError(await request(h.server).get('/api/v1/staff/applications'), 401, 'AUTH_UNAUTHENTICATED');
    });
  });

  describe('malformed queries', () => {
    it.each<[string, Record<string, string | number>]>([
      ['limit 0', { limit: 0 }],
      ['limit over 100', { limit: 101 }],
      ['limit not a number', { limit: 'ten' }],
      ['fractional limit', { limit: '1.5' }],
      ['unknown sort', { sort: 'priority' }],
      ['unknown order', { order: 'up' }],
      ['unknown state', { state: 'bogus' }],
      ['a draft state', { state: 'draft' }],
      ['a list with one unknown state', { state: 'underReview,nope' }],
      ['an empty state', { state: '' }],
      ['unknown channel', { channel: 'fax' }],
      ['month 13', { submittedFrom: '2026-13-01' }],
      ['30 February', { submittedTo: '2026-02-30' }],
      ['not a date', { dueBefore: 'tomorrow' }],
      ['a timestamp for a date', { dueBefore: '2026-05-01T00:00:00Z' }],
      ['negative age', { minAgeDays: -1 }],
      ['age not a number', { minAgeDays: 'old' }],
      ['overdue not a boolean', { overdue: 'yes' }],
      ['unknown claim filter', { claimed: 'mine' }],
      ['bad procedure code', { procedureCode: 'Bad_Code' }],
      ['unknown parameter', { page: 2 }],
      ['cursor with characters outside base64url', { cursor: 'a+b/c==' }],
    ])('refuses %s with 400 VALIDATION_FAILED', async (_name, query) => {
      expectError(await get(clerk, '/api/v1/staff/applications', query), 400, 'VALIDATION_FAILED');
    });

    it('refuses a repeated or bracketed parameter with 400, never a 500', async () => {
      const token = await tokenOf(clerk);
      expectError(await request(h.server).get('/api/v1/staff/applications?limit=1&limit=2').set('Authorization', `Bearer ${token}`), 400, 'VALIDATION_FAILED');
      expectError(await request(h.server).get('/api/v1/staff/applications?state[]=underReview').set('Authorization', `Bearer ${token}`), 400, 'VALIDATION_FAILED');
      expectError(await request(h.server).get('/api/v1/staff/applications?sort=dueOn&sort=updatedAt').set('Authorization', `Bearer ${token}`), 400, 'VALIDATION_FAILED');
      // Repeated states are a list, like the comma form.
      const repeated = await request(h.server).get('/api/v1/staff/applications?state=underReview&state=returned').set('Authorization', `Bearer ${token}`);
      expect(repeated.status).toBe(200);
      expect(repeated.body.total).toBe((await queue(clerk, { state: 'underReview,returned' })).total);
    });

    it('refuses cursors it did not issue, or issued for another sort or order, with 400 QUEUE_CURSOR_INVALID', async () => {
      const page = await queue(clerk, { sort: 'dueOn', limit: 2 });
      const cursor = page.nextCursor!;
      const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const id = page.items[0].id;
      for (const [query, why] of [
        [{ cursor: 'garbage' }, 'not base64 JSON'],
        [{ cursor: forge({ sort: 'dueOn' }) }, 'not our shape'],
        [{ cursor, sort: 'submittedAt' }, 'another sort'],
        [{ cursor, order: 'desc' }, 'another order'],
        [{ cursor: forge([1, 'dueOn', 'asc', '2026-02-30', id]) }, 'a date that does not exist'],
        [{ cursor: forge([1, 'dueOn', 'asc', "2026-01-01'; DROP TABLE applications; --", id]) }, 'SQL in the key'],
        [{ cursor: forge([1, 'submittedAt', 'asc', null, id]), sort: 'submittedAt' }, 'no key for a key that always exists'],
        [{ cursor: forge([1, 'submittedAt', 'asc', '2026-01-01T25:00:00.000000Z', id]), sort: 'submittedAt' }, 'hour 25'],
        [{ cursor: forge([1, 'dueOn', 'asc', '2026-01-01', 'not-a-uuid']) }, 'not an id'],
        [{ cursor: forge([2, 'dueOn', 'asc', '2026-01-01', id]) }, 'another version'],
      ] as const) {
        const response = await get(clerk, '/api/v1/staff/applications', query as Record<string, string>);
        expect({ why, status: response.status, code: response.body.code }).toEqual({ why, status: 400, code: 'QUEUE_CURSOR_INVALID' });
      }
      // A forged but well-formed position is just a position.
      expect((await get(clerk, '/api/v1/staff/applications', { cursor: forge([1, 'dueOn', 'asc', '2026-01-01', id]) })).status).toBe(200);
    });
  });
});
