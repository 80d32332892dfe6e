import type { QueueFilter, QueuePageRequest, SqlQuery } from '@madoguchi/applications/work-queue/work-queue.repository';
import { queueCountQuery, queuePageQuery } from '@madoguchi/applications/work-queue/work-queue.repository';
import type { QueueSort } from '@madoguchi/applications/work-queue/work-queue.dto';
import { asMunicipalityId } from '@madoguchi/kernel';
import { createTestApp, OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';
import { SEED_STAFF, seedQueueRows, settle } from '../support/work-queue-seed';

/**
 * The work-queue queries on 100,000 applications: their plans, never their
 * timings (the machine is shared). Every page must be index range scans
 * that stop at LIMIT, and no query may read the whole table. The SQL is the
 * repository's own (queuePageQuery / queueCountQuery), with the parameters
 * it would bind.
 */

const M1 = asMunicipalityId(SAMPLE_MUNICIPALITY);
const ROWS = 100_000;
const TODAY = '2026-03-01';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Every node with its parent's type. */
function walk(node: PlanNode, parent: string | null = null, into: Array<{ node: PlanNode; parent: string | null }> = []) {
  into.push({ node, parent });
  for (const child of node.Plans ?? []) walk(child, node['Node Type'], into);
  return into;
}

const INDEX_SCANS = ['Index Scan', 'Index Only Scan', 'Bitmap Index Scan'];

function baseFilter(overrides: Partial<QueueFilter> = {}): QueueFilter {
  return {
    departments: ['shimin'],
    phases: ['active'],
    states: null,
    procedureCode: null,
    channel: null,
    submittedFrom: null,
    submittedTo: null,
    dueBefore: null,
    overdue: null,
    today: TODAY,
    timeZone: 'Asia/Tokyo',
    claimed: 'any',
    staffId: SEED_STAFF[0],
    ...overrides,
  };
}

describe('work queue at 100,000 applications (query plans, real PostgreSQL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    const query = (sql: string, params?: unknown[]) => t.dataSource.query(sql, params);
    await seedQueueRows(query, SAMPLE_MUNICIPALITY, ROWS);
    await seedQueueRows(query, OTHER_MUNICIPALITY, 2_000);
    // VACUUM and ANALYZE are the owner's (autovacuum's) job, not the service role's.
    await t.db.asOwner((owner) => settle((sql, params) => owner.query(sql, params).then((result) => result.rows)));
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  });

  async function plan({ sql, params }: SqlQuery): Promise<PlanNode> {
    const rows: Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }> = await t.dataSource.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    return rows[0]['QUERY PLAN'][0].Plan;
  }

  /** No sequential scan of applications, and at least one of its indexes used. */
  function expectIndexed(root: PlanNode): Array<{ node: PlanNode; parent: string | null }> {
    const onApplications = walk(root).filter(({ node }) => node['Relation Name'] === 'applications' || node['Index Name']?.startsWith('applications'));
    expect(onApplications.filter(({ node }) => node['Node Type'] === 'Seq Scan')).toEqual([]);
    expect(onApplications.some(({ node }) => INDEX_SCANS.includes(node['Node Type']))).toBe(true);
    return onApplications;
  }

  /**
   * Every read of applications is an ordered index scan straight under a
   * LIMIT (no sort of a whole range), on the sort's index; the due-date sort
   * reads its undated tail from the index made for it.
   */
  function expectOrderedScans(root: PlanNode, sort: QueueSort, index: string): void {
    const scans = expectIndexed(root);
    expect(scans.map(({ node, parent }) => ({ type: node['Node Type'], parent }))).toEqual(scans.map(() => ({ type: 'Index Scan', parent: 'Limit' })));
    const expected = sort === 'dueOn' ? [index, 'applications_queue_undated'] : [index];
    expect(scans.map(({ node }) => node['Index Name']).sort()).toEqual(expected.sort());
  }

  /** A real position deep in the queue (the 5,000th row), as the previous page's cursor would carry it. */
  async function positionAt(sort: QueueSort, order: 'asc' | 'desc', offset: number, undated = false): Promise<{ key: string | null; id: string }> {
    const column = { dueOn: 'due_on', submittedAt: 'submitted_at', updatedAt: 'updated_at' }[sort];
    const key =
      sort === 'dueOn' ? 'due_on::text' : `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
    const [row] = await t.dataSource.query(
      `SELECT ${key} AS key, id FROM applications
        WHERE municipality_id = $1 AND department = 'shimin' AND phase = 'active' AND submitted_at IS NOT NULL
          ${undated ? 'AND due_on IS NULL' : sort === 'dueOn' ? 'AND due_on IS NOT NULL' : ''}
        ORDER BY ${column} ${order}, id ${order} OFFSET $2 LIMIT 1`,
      [M1, offset],
    );
    return row;
  }

  it('has the rows it claims: half of them 市民課, most of those closed', async () => {
    const [counts] = await t.dataSource.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE department = 'shimin')::int AS shimin,
              count(*) FILTER (WHERE department = 'shimin' AND phase = 'active')::int AS open
         FROM applications WHERE municipality_id = $1`,
      [M1],
    );
    expect(counts).toEqual({ total: ROWS, shimin: ROWS / 2, open: 20_000 });
  });

  const SORTS: Array<[QueueSort, 'asc' | 'desc', string]> = [
    ['dueOn', 'asc', 'applications_queue_due'],
    ['dueOn', 'desc', 'applications_queue_due'],
    ['submittedAt', 'asc', 'applications_queue_submitted'],
    ['submittedAt', 'desc', 'applications_queue_submitted'],
    ['updatedAt', 'asc', 'applications_queue_updated'],
    ['updatedAt', 'desc', 'applications_queue_updated'],
  ];

  it.each(SORTS)('reads the first page by %s %s as ordered range scans of %s stopped by LIMIT', async (sort, order, index) => {
    const request: QueuePageRequest = { filter: baseFilter(), sort, order, after: null, limit: 51 };
    expectOrderedScans(await plan(queuePageQuery(M1, request)), sort, index);
  });

  it.each(SORTS)('reads a deep keyset page by %s %s from the cursor on, not from the start', async (sort, order, index) => {
    const position = await positionAt(sort, order, 5_000);
    const request: QueuePageRequest = { filter: baseFilter(), sort, order, after: { sort, order, ...position }, limit: 51 };
    const built = queuePageQuery(M1, request);
    // The keyset is a row comparison on the index columns, which is what lets the scan start there.
    expect(built.sql).toMatch(/\(a\.(due_on|submitted_at|updated_at), a\.id\) [<>] \(\$\d+::(date|timestamptz), \$\d+::uuid\)/);
    expectOrderedScans(await plan(built), sort, index);
    // And it returns the rows after that position.
    const rows: Array<{ id: string }> = await t.dataSource.query(built.sql, built.params);
    expect(rows).toHaveLength(51);
    expect(rows.map((row) => row.id)).not.toContain(position.id);
  });

  it.each(['asc', 'desc'] as const)('reads the undated tail (dueOn %s) from the cursor on, by id', async (order) => {
    const position = await positionAt('dueOn', order, 100, true);
    const request: QueuePageRequest = { filter: baseFilter(), sort: 'dueOn', order, after: { sort: 'dueOn', order, ...position }, limit: 51 };
    const scans = expectIndexed(await plan(queuePageQuery(M1, request)));
    expect(scans.map(({ node }) => [node['Node Type'], node['Index Name']])).toEqual([['Index Scan', 'applications_queue_undated']]);
  });

  it('merges the pages of a staff member with two departments from one ordered scan per department', async () => {
    const request: QueuePageRequest = { filter: baseFilter({ departments: ['shimin', 'zeimu'] }), sort: 'dueOn', order: 'asc', after: null, limit: 51 };
    const scans = expectIndexed(await plan(queuePageQuery(M1, request)));
    for (const { node, parent } of scans) expect({ type: node['Node Type'], parent }).toEqual({ type: 'Index Scan', parent: 'Limit' });
  });

  const FILTERS: Array<[string, Partial<QueueFilter>]> = [
    ['states (open and closed)', { states: ['underReview', 'completed'], phases: ['active', 'final'] }],
    ['a closed state', { states: ['withdrawn'], phases: ['active', 'final'] }],
    ['procedure', { procedureCode: 'juminhyo' }],
    ['channel', { channel: 'counter' }],
    ['overdue', { overdue: true }],
    ['not overdue', { overdue: false }],
    ['due before', { dueBefore: '2025-06-01' }],
    ['submission dates', { submittedFrom: '2025-06-01', submittedTo: '2025-06-30' }],
    ['age (submitted on or before)', { submittedTo: '2025-05-01' }],
    ['claimed by me', { claimed: 'me' }],
    ['unclaimed', { claimed: 'none' }],
    ['claimed by others', { claimed: 'others' }],
    ['everything at once', { procedureCode: 'inkan-shomei', channel: 'online', overdue: true, claimed: 'none', submittedTo: '2026-01-01' }],
  ];

  it.each(FILTERS)('filters by %s with indexes only, page and total', async (_name, overrides) => {
    const filter = baseFilter(overrides);
    for (const sort of ['dueOn', 'submittedAt', 'updatedAt'] as const) {
      expectIndexed(await plan(queuePageQuery(M1, { filter, sort, order: 'asc', after: null, limit: 51 })));
    }
    expectIndexed(await plan(queueCountQuery(M1, filter)));
  });

  it('counts the open queue from the index alone', async () => {
    const scans = expectIndexed(await plan(queueCountQuery(M1, baseFilter())));
    expect(scans.map(({ node }) => node['Node Type'])).toEqual(['Index Only Scan']);
  });

  it('never reads snapshot or form data for a queue', () => {
    const page = queuePageQuery(M1, { filter: baseFilter({ states: ['underReview'], phases: ['active', 'final'], procedureCode: 'x', channel: 'online' }), sort: 'dueOn', order: 'asc', after: null, limit: 51 });
    expect(page.sql).not.toMatch(/snapshot|form_data/);
    expect(queueCountQuery(M1, baseFilter()).sql).not.toMatch(/snapshot|form_data/);
  });
});
