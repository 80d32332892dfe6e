import { Injectable } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import type { StaffPrincipal } from '@madoguchi/identity';
import { addDays, businessDaysBetween, checkPeriod, Clock, daysBetween, isoDateIn, type MunicipalityId } from '@madoguchi/kernel';
import { ProcedureRegistry } from '@madoguchi/procedures';
import { STATE_LABELS } from '@madoguchi/workflow';
import { decodeCursor, encodeCursor } from './queue-cursor';
import { QUEUE_DEFAULT_LIMIT, type QueueItemDto, type WorkQueuePageDto, type WorkQueueQuery } from './work-queue.dto';
import { type QueueFilter, type QueueRow, WorkQueueRepository } from './work-queue.repository';

/**
 * The work queue of a staff member's departments: filters, keyset pages and
 * the due-date arithmetic shown per case. Callers check the role first
 * (ApplicationAccessService.queue); the department scope is applied here,
 * from the principal, never from the query.
 */
@Injectable()
export class WorkQueueService {
  constructor(
    private readonly repository: WorkQueueRepository,
    private readonly registry: ProcedureRegistry,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
  ) {}

  async page(staff: StaffPrincipal, query: WorkQueueQuery): Promise<WorkQueuePageDto> {
    const municipalityId = staff.municipalityId;
    const sort = query.sort ?? 'dueOn';
    const order = query.order ?? 'asc';
    const limit = query.limit ?? QUEUE_DEFAULT_LIMIT;
    const after = query.cursor ? decodeCursor(query.cursor, sort, order) : null;
    const timeZone = this.directory.get(municipalityId)?.timeZone ?? 'Asia/Tokyo';
    const today = isoDateIn(this.clock.now(), timeZone);
    // minAgeDays N: submitted on or before today − N (calendar days), i.e. an upper bound like submittedTo.
    const ageBound = query.minAgeDays === undefined ? null : addDays(today, -query.minAgeDays);
    checkPeriod(query.submittedFrom, query.submittedTo);
    const submittedTo = [query.submittedTo, ageBound].filter((date): date is string => Boolean(date)).sort()[0] ?? null;
    const filter: QueueFilter = {
      departments: [...new Set(staff.departments)],
      // Without a state filter the queue is the open work; naming states reaches closed cases too.
      phases: query.state ? ['active', 'final'] : ['active'],
      states: query.state ? [...new Set(query.state)] : null,
      procedureCode: query.procedureCode ?? null,
      channel: query.channel ?? null,
      submittedFrom: query.submittedFrom ?? null,
      submittedTo,
      dueBefore: query.dueBefore ?? null,
      overdue: query.overdue === undefined ? null : query.overdue === 'true',
      today,
      timeZone,
      claimed: query.claimed ?? 'any',
      staffId: staff.id,
    };
    const [rows, total] = await Promise.all([
      this.repository.page(municipalityId, { filter, sort, order, after, limit: limit + 1 }),
      this.repository.count(municipalityId, filter),
    ]);
    const shown = rows.slice(0, limit);
    const last = shown[shown.length - 1];
    const items = await Promise.all(shown.map((row) => this.item(municipalityId, row, today, timeZone)));
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeCursor({ sort, order, key: last.sort_key, id: last.id }) : null,
      total,
    };
  }

  /**
   * Open cases of the caller's departments per state, for the counts above
   * the queue: the department scope of `page`, no other filter, so the
   * numbers stay put while the reader narrows the list.
   */
  async stateCounts(staff: StaffPrincipal): Promise<Record<string, number>> {
    const timeZone = this.directory.get(staff.municipalityId)?.timeZone ?? 'Asia/Tokyo';
    return this.repository.countByState(staff.municipalityId, {
      departments: [...new Set(staff.departments)],
      phases: ['active'],
      states: null,
      procedureCode: null,
      channel: null,
      submittedFrom: null,
      submittedTo: null,
      dueBefore: null,
      overdue: null,
      today: isoDateIn(this.clock.now(), timeZone),
      timeZone,
      claimed: 'any',
      staffId: staff.id,
    });
  }

  private async item(municipalityId: MunicipalityId, row: QueueRow, today: string, timeZone: string): Promise<QueueItemDto> {
    // Cached per version: a page reads no definitions from the database after the first.
    const compiled = await this.registry.get(municipalityId, row.procedure_code, row.procedure_version);
    // The clock runs for open cases only: a closed one keeps its due date but is no longer late.
    const open = row.phase === 'active';
    const paused = open && row.due_paused_at !== null;
    const daysLeft = !open ? null : paused ? row.due_remaining_days : row.due_on === null ? null : businessDaysBetween(today, row.due_on);
    return {
      id: row.id,
      procedureCode: row.procedure_code,
      procedureName: { ja: compiled.definition.name.ja, en: compiled.definition.name.en },
      referenceNumber: row.reference_number,
      state: row.state,
      status: STATE_LABELS[row.state] ?? { ja: row.state, en: row.state },
      channel: row.channel,
      submittedAt: row.submitted_at.toISOString(),
      ageDays: daysBetween(isoDateIn(row.submitted_at, timeZone), today),
      dueOn: row.due_on,
      daysLeft,
      overdue: open && row.due_on !== null && row.due_on < today,
      paused,
      claimedBy: row.claimed_by,
      updatedAt: row.updated_at.toISOString(),
    };
  }
}
