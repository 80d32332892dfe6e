import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import type { StatePhase } from '@madoguchi/workflow';
import { DataSource, type EntityManager } from 'typeorm';
import type { QueuePosition } from './queue-cursor';
import type { QueueClaimed, QueueOrder, QueueSort } from './work-queue.dto';

/** What narrows a queue; the same for a page and for its total. */
export interface QueueFilter {
  /** The caller's departments; an empty list matches nothing. */
  departments: string[];
  phases: StatePhase[];
  states: string[] | null;
  procedureCode: string | null;
  channel: string | null;
  /** Inclusive calendar dates in `timeZone`. */
  submittedFrom: string | null;
  submittedTo: string | null;
  /** Due strictly before this date. */
  dueBefore: string | null;
  overdue: boolean | null;
  /** Today in the municipality's time zone (the overdue boundary). */
  today: string;
  timeZone: string;
  claimed: QueueClaimed;
  staffId: string;
}

export interface QueuePageRequest {
  filter: QueueFilter;
  sort: QueueSort;
  order: QueueOrder;
  after: QueuePosition | null;
  /** Rows to fetch (the caller asks one more than it shows, to know whether a next page exists). */
  limit: number;
}

/** One queue row: no form data, no snapshot. */
export interface QueueRow {
  id: string;
  procedure_code: string;
  procedure_version: number;
  reference_number: string | null;
  state: string;
  phase: StatePhase;
  channel: string;
  submitted_at: Date;
  due_on: string | null;
  due_paused_at: Date | null;
  due_remaining_days: number | null;
  claimed_by: string | null;
  updated_at: Date;
  /** The sort key as exact text, for the next cursor. */
  sort_key: string | null;
}

export interface DueClock {
  dueOn: string | null;
  pausedAt: Date | null;
  remainingDays: number | null;
}

export interface SqlQuery {
  sql: string;
  params: unknown[];
}

const SORT_COLUMNS: Record<QueueSort, { column: string; type: string; key: string }> = {
  dueOn: { column: 'due_on', type: 'date', key: 'a.due_on::text' },
  submittedAt: {
    column: 'submitted_at',
    type: 'timestamptz',
    key: `to_char(a.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  },
  updatedAt: {
    column: 'updated_at',
    type: 'timestamptz',
    key: `to_char(a.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  },
};

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Conditions on `applications a` shared by a page and its count. */
function filterConditions(params: Params, filter: QueueFilter): string[] {
  const conditions: string[] = [];
  if (filter.states) conditions.push(`a.state = ANY(${params.add(filter.states)}::text[])`);
  if (filter.procedureCode) conditions.push(`a.procedure_code = ${params.add(filter.procedureCode)}`);
  if (filter.channel) conditions.push(`a.channel = ${params.add(filter.channel)}`);
  if (filter.submittedFrom || filter.submittedTo) {
    // Local midnight as an instant, computed once: the comparison stays an index range.
    const zone = params.add(filter.timeZone);
    if (filter.submittedFrom) conditions.push(`a.submitted_at >= (${params.add(filter.submittedFrom)}::date)::timestamp AT TIME ZONE ${zone}`);
    if (filter.submittedTo) conditions.push(`a.submitted_at < (${params.add(filter.submittedTo)}::date + 1)::timestamp AT TIME ZONE ${zone}`);
  }
  if (filter.dueBefore) conditions.push(`a.due_on < ${params.add(filter.dueBefore)}::date`);
  // A paused clock has no due date (NULL), and a closed case is late no more: neither is overdue.
  if (filter.overdue === true) conditions.push(`a.due_on < ${params.add(filter.today)}::date AND a.phase = 'active'`);
  if (filter.overdue === false) conditions.push(`(a.due_on IS NULL OR a.due_on >= ${params.add(filter.today)}::date OR a.phase <> 'active')`);
  if (filter.claimed === 'me') conditions.push(`a.claimed_by = ${params.add(filter.staffId)}`);
  if (filter.claimed === 'none') conditions.push(`a.claimed_by IS NULL`);
  if (filter.claimed === 'others') conditions.push(`a.claimed_by <> ${params.add(filter.staffId)}`);
  return conditions;
}

/**
 * One page of a queue as SQL. Built per request because each sort has its
 * own index and the keyset condition must be a plain row comparison on its
 * columns for the scan to start at the cursor rather than filter up to it.
 *
 * Shape: for each (department, phase) of the caller, a LATERAL subquery
 * walks that slice of the sort's index in order and stops at LIMIT; the
 * outer query merges those few rows. A due-date sort walks dated cases and
 * undated ones (NULL, listed last in both orders) as two ranges, because
 * one backward scan would put NULLs first.
 */
export function queuePageQuery(municipalityId: MunicipalityId, request: QueuePageRequest): SqlQuery {
  const params = new Params();
  const municipality = params.add(municipalityId);
  const departments = params.add(request.filter.departments);
  const phases = params.add(request.filter.phases);
  const limit = params.add(request.limit);
  const filters = filterConditions(params, request.filter);
  const { column, type, key } = SORT_COLUMNS[request.sort];
  const direction = request.order === 'asc' ? 'ASC' : 'DESC';
  const past = request.order === 'asc' ? '>' : '<';
  const after = request.after;

  const select = (extra: string[], orderBy: string) => {
    const where = [
      `a.municipality_id = ${municipality}`,
      'a.department = d.department',
      'a.phase = p.phase',
      // Names the queue indexes' predicate so the planner may use them.
      'a.submitted_at IS NOT NULL',
      ...filters,
      ...extra,
    ];
    return `(SELECT a.id, a.procedure_code, a.procedure_version, a.reference_number, a.state, a.phase, a.channel, a.submitted_at,
            a.due_on::text AS due_on, a.due_paused_at, a.due_remaining_days, a.claimed_by, a.updated_at,
            ${key} AS sort_key, a.${column} AS sort_value
       FROM applications a
      WHERE ${where.join('\n        AND ')}
      ORDER BY ${orderBy}
      LIMIT ${limit})`;
  };

  const ranges: string[] = [];
  const keyed = (condition: string[]) => select(condition, `a.${column} ${direction}, a.id ${direction}`);
  const keyset = () => `(a.${column}, a.id) ${past} (${params.add(after!.key)}::${type}, ${params.add(after!.id)}::uuid)`;
  if (request.sort === 'dueOn') {
    // Dated cases first; skipped once the cursor is among the undated ones.
    if (!after) ranges.push(keyed(['a.due_on IS NOT NULL']));
    else if (after.key !== null) ranges.push(keyed(['a.due_on IS NOT NULL', keyset()]));
    const undated = ['a.due_on IS NULL'];
    if (after?.key === null) undated.push(`a.id ${past} ${params.add(after.id)}::uuid`);
    ranges.push(select(undated, `a.id ${direction}`));
  } else {
    ranges.push(keyed(after ? [keyset()] : []));
  }

  const sql = `SELECT q.id, q.procedure_code, q.procedure_version, q.reference_number, q.state, q.phase, q.channel, q.submitted_at,
       q.due_on, q.due_paused_at, q.due_remaining_days, q.claimed_by, q.updated_at, q.sort_key
  FROM unnest(${departments}::text[]) AS d(department)
 CROSS JOIN unnest(${phases}::text[]) AS p(phase)
 CROSS JOIN LATERAL (
   ${ranges.join('\n   UNION ALL\n   ')}
 ) q
 ORDER BY q.sort_value ${direction} NULLS LAST, q.id ${direction}
 LIMIT ${limit}`;
  return { sql, params: params.values };
}

/** How many cases match, over all pages. */
export function queueCountQuery(municipalityId: MunicipalityId, filter: QueueFilter): SqlQuery {
  const params = new Params();
  const where = [
    `a.municipality_id = ${params.add(municipalityId)}`,
    `a.department = ANY(${params.add(filter.departments)}::text[])`,
    `a.phase = ANY(${params.add(filter.phases)}::text[])`,
    'a.submitted_at IS NOT NULL',
    ...filterConditions(params, filter),
  ];
  return { sql: `SELECT count(*)::int AS total FROM applications a WHERE ${where.join(' AND ')}`, params: params.values };
}

/** Open cases per state under the same scope and filters as the count (the state filter aside). */
export function queueStateCountsQuery(municipalityId: MunicipalityId, filter: QueueFilter): SqlQuery {
  const { sql, params } = queueCountQuery(municipalityId, { ...filter, states: null });
  return { sql: sql.replace('SELECT count(*)::int AS total', 'SELECT a.state, count(*)::int AS total') + ' GROUP BY a.state', params };
}

/** The only code that reads queues and writes due dates. */
@Injectable()
export class WorkQueueRepository {
  constructor(private readonly dataSource: DataSource) {}

  async page(municipalityId: MunicipalityId, request: QueuePageRequest): Promise<QueueRow[]> {
    if (request.filter.departments.length === 0) return [];
    const { sql, params } = queuePageQuery(municipalityId, request);
    return this.dataSource.query(sql, params);
  }

  async count(municipalityId: MunicipalityId, filter: QueueFilter): Promise<number> {
    if (filter.departments.length === 0) return 0;
    const { sql, params } = queueCountQuery(municipalityId, filter);
    const rows: Array<{ total: number }> = await this.dataSource.query(sql, params);
    return rows[0].total;
  }

  async countByState(municipalityId: MunicipalityId, filter: QueueFilter): Promise<Record<string, number>> {
    if (filter.departments.length === 0) return {};
    const { sql, params } = queueStateCountsQuery(municipalityId, filter);
    const rows: Array<{ state: string; total: number }> = await this.dataSource.query(sql, params);
    return Object.fromEntries(rows.map((row) => [row.state, row.total]));
  }

  /** Sets the due-date clock of one application, inside the engine's transaction (the row is locked). */
  async writeDueClock(manager: EntityManager, municipalityId: MunicipalityId, id: string, clock: DueClock): Promise<void> {
    await manager.query(
      `UPDATE applications SET due_on = $3::date, due_paused_at = $4, due_remaining_days = $5 WHERE municipality_id = $1 AND id = $2`,
      [municipalityId, id, clock.dueOn, clock.pausedAt, clock.remainingDays],
    );
  }
}
