import { Injectable } from '@nestjs/common';
import { type MunicipalityId, nextInSequence, sequenceScope } from '@madoguchi/kernel';
import { DataSource, type EntityManager } from 'typeorm';
import type { PriorityReason, Ticket, TicketActor, TicketEvent, TicketEventType, TicketSource, TicketStatus } from './counter.types';

interface TicketRow {
  id: string;
  queue_seq: string;
  service_code: string;
  issued_service_code: string;
  service_day: string;
  number: number;
  display_number: string;
  source: TicketSource;
  priority_reason: PriorityReason | null;
  appointment_at: Date | null;
  queue_at: Date;
  resident_id: string | null;
  application_id: string | null;
  status: TicketStatus;
  assigned_counter_id: string | null;
  counter_id: string | null;
  called_at: Date | null;
  serving_started_at: Date | null;
  closed_at: Date | null;
  call_count: number;
  revision: number;
  issued_at: Date;
  updated_at: Date;
}

interface EventRow {
  seq: number;
  type: TicketEventType;
  from_status: TicketEvent['fromStatus'];
  to_status: TicketEvent['toStatus'];
  service_code: string;
  counter_id: string | null;
  actor_kind: TicketActor['kind'];
  actor_id: string | null;
  waiting_since: Date | null;
  occurred_at: Date;
}

// service_day comes back as text so no time zone ever shifts the date.
const COLUMNS = `id, queue_seq, service_code, issued_service_code, service_day::text AS service_day, number, display_number, source, priority_reason,
  appointment_at, queue_at, resident_id, application_id, status, assigned_counter_id, counter_id, called_at, serving_started_at, closed_at,
  call_count, revision, issued_at, updated_at`;

/**
 * The order tickets are called in, the one definition of "who is next":
 * priority first (優先受付), then appointments whose slot has come, then by
 * queue time (arrival, or the slot time of an appointment), then issue order.
 */
const CALL_ORDER = `(priority_reason IS NOT NULL) DESC, (appointment_at IS NOT NULL) DESC, queue_at, queue_seq`;
/** A waiting ticket that can be called at $now: walk-ins, and appointments whose slot has come. */
const CALLABLE = `status = 'waiting' AND (appointment_at IS NULL OR appointment_at <= $now)`;

function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    queueSeq: Number(row.queue_seq),
    serviceCode: row.service_code,
    issuedServiceCode: row.issued_service_code,
    serviceDay: row.service_day,
    number: row.number,
    displayNumber: row.display_number,
    source: row.source,
    priorityReason: row.priority_reason,
    appointmentAt: row.appointment_at,
    queueAt: row.queue_at,
    residentId: row.resident_id,
    applicationId: row.application_id,
    status: row.status,
    assignedCounterId: row.assigned_counter_id,
    counterId: row.counter_id,
    calledAt: row.called_at,
    servingStartedAt: row.serving_started_at,
    closedAt: row.closed_at,
    callCount: row.call_count,
    revision: row.revision,
    issuedAt: row.issued_at,
    updatedAt: row.updated_at,
  };
}

/** Replaces `$now` with the positional parameter that carries it. */
function withNow(sql: string, position: number): string {
  return sql.replace(/\$now/g, `$${position}`);
}

export type NewTicket = Omit<Ticket, 'queueSeq' | 'updatedAt'>;

export interface EventWrite {
  seq: number;
  type: TicketEventType;
  fromStatus: TicketEvent['fromStatus'];
  toStatus: TicketEvent['toStatus'];
  serviceCode: string;
  counterId: string | null;
  actor: TicketActor;
  waitingSince: Date | null;
  at: Date;
}

/** Everything about a ticket that changes after issue; written whole under the row lock. */
export type TicketStateWrite = Pick<
  Ticket,
  'serviceCode' | 'status' | 'assignedCounterId' | 'counterId' | 'calledAt' | 'servingStartedAt' | 'closedAt' | 'callCount' | 'revision' | 'applicationId'
> & { at: Date };

export interface ServiceQueueFigures {
  serviceCode: string;
  waiting: number;
  /** Called or being served now, oldest call first. */
  active: Array<{ displayNumber: string; counterId: string; status: TicketStatus }>;
}

/** The only code that touches tickets and their events (numbers come from the kernel's gap-free sequences). */
@Injectable()
export class TicketRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Next number of a service on a local day, starting at 1. The sequence row
   * stays locked until the caller's transaction ends, so numbers have no gaps
   * and no duplicates; issuing for other services or days is not held up.
   */
  async nextNumber(manager: EntityManager, municipalityId: MunicipalityId, serviceCode: string, serviceDay: string): Promise<number> {
    return nextInSequence(manager, municipalityId, 'ticket', sequenceScope(serviceCode, serviceDay));
  }

  async insert(manager: EntityManager, municipalityId: MunicipalityId, ticket: NewTicket): Promise<Ticket> {
    const rows: TicketRow[] = await manager.query(
      `INSERT INTO counter_tickets (municipality_id, id, service_code, issued_service_code, service_day, number, display_number, source, priority_reason,
                                    appointment_at, queue_at, resident_id, application_id, status, assigned_counter_id, counter_id, called_at,
                                    serving_started_at, closed_at, call_count, revision, issued_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $22)
       RETURNING ${COLUMNS}`,
      [
        municipalityId,
        ticket.id,
        ticket.serviceCode,
        ticket.issuedServiceCode,
        ticket.serviceDay,
        ticket.number,
        ticket.displayNumber,
        ticket.source,
        ticket.priorityReason,
        ticket.appointmentAt,
        ticket.queueAt,
        ticket.residentId,
        ticket.applicationId,
        ticket.status,
        ticket.assignedCounterId,
        ticket.counterId,
        ticket.calledAt,
        ticket.servingStartedAt,
        ticket.closedAt,
        ticket.callCount,
        ticket.revision,
        ticket.issuedAt,
      ],
    );
    return toTicket(rows[0]);
  }

  async find(municipalityId: MunicipalityId, id: string): Promise<Ticket | null> {
    const rows: TicketRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM counter_tickets WHERE municipality_id = $1 AND id = $2`, [municipalityId, id]);
    return rows[0] ? toTicket(rows[0]) : null;
  }

  /** Locks the ticket until the caller's transaction ends: one change at a time. */
  async lock(manager: EntityManager, municipalityId: MunicipalityId, id: string): Promise<Ticket | null> {
    const rows: TicketRow[] = await manager.query(`SELECT ${COLUMNS} FROM counter_tickets WHERE municipality_id = $1 AND id = $2 FOR UPDATE`, [
      municipalityId,
      id,
    ]);
    return rows[0] ? toTicket(rows[0]) : null;
  }

  /**
   * Takes the best callable ticket of the services a counter serves and marks
   * it called there. SKIP LOCKED: a ticket another "call next" has just
   * locked is passed over rather than waited for, so two staff pressing the
   * button at the same moment get two different tickets and neither blocks.
   * Null when nobody callable is waiting.
   */
  async callNext(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    counterId: string,
    serviceCodes: string[],
    now: Date,
  ): Promise<{ before: Ticket; after: Ticket } | null> {
    const locked: TicketRow[] = await manager.query(
      withNow(
        `SELECT ${COLUMNS} FROM counter_tickets
          WHERE municipality_id = $1 AND service_code = ANY($2) AND ${CALLABLE}
            AND (assigned_counter_id IS NULL OR assigned_counter_id = $3)
          ORDER BY ${CALL_ORDER}
          LIMIT 1
          FOR UPDATE SKIP LOCKED`,
        4,
      ),
      [municipalityId, serviceCodes, counterId, now],
    );
    if (!locked[0]) return null;
    const before = toTicket(locked[0]);
    const [updated]: [TicketRow[], number] = await manager.query(
      `UPDATE counter_tickets
          SET status = 'called', counter_id = $3, called_at = $4, call_count = call_count + 1, revision = revision + 1, updated_at = $4
        WHERE municipality_id = $1 AND id = $2
        RETURNING ${COLUMNS}`,
      [municipalityId, before.id, counterId, now],
    );
    return { before, after: toTicket(updated[0]) };
  }

  /** Writes a ticket's new state; the caller holds the row lock. */
  async writeState(manager: EntityManager, municipalityId: MunicipalityId, id: string, write: TicketStateWrite): Promise<Ticket> {
    const [rows]: [TicketRow[], number] = await manager.query(
      `UPDATE counter_tickets
          SET service_code = $3, status = $4, assigned_counter_id = $5, counter_id = $6, called_at = $7, serving_started_at = $8, closed_at = $9,
              call_count = $10, revision = $11, application_id = $12, updated_at = $13
        WHERE municipality_id = $1 AND id = $2
        RETURNING ${COLUMNS}`,
      [
        municipalityId,
        id,
        write.serviceCode,
        write.status,
        write.assignedCounterId,
        write.counterId,
        write.calledAt,
        write.servingStartedAt,
        write.closedAt,
        write.callCount,
        write.revision,
        write.applicationId,
        write.at,
      ],
    );
    return toTicket(rows[0]);
  }

  async appendEvent(manager: EntityManager, municipalityId: MunicipalityId, ticketId: string, event: EventWrite): Promise<void> {
    await manager.query(
      `INSERT INTO counter_ticket_events (municipality_id, ticket_id, seq, type, from_status, to_status, service_code, counter_id, actor_kind, actor_id,
                                          waiting_since, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        municipalityId,
        ticketId,
        event.seq,
        event.type,
        event.fromStatus,
        event.toStatus,
        event.serviceCode,
        event.counterId,
        event.actor.kind,
        event.actor.id,
        event.waitingSince,
        event.at,
      ],
    );
  }

  async events(municipalityId: MunicipalityId, ticketId: string): Promise<TicketEvent[]> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT seq, type, from_status, to_status, service_code, counter_id, actor_kind, actor_id, waiting_since, occurred_at
         FROM counter_ticket_events WHERE municipality_id = $1 AND ticket_id = $2 ORDER BY seq`,
      [municipalityId, ticketId],
    );
    return rows.map((row) => ({
      seq: row.seq,
      type: row.type,
      fromStatus: row.from_status,
      toStatus: row.to_status,
      serviceCode: row.service_code,
      counterId: row.counter_id,
      actor: { kind: row.actor_kind, id: row.actor_id },
      waitingSince: row.waiting_since,
      occurredAt: row.occurred_at,
    }));
  }

  /** Bookings (not cancelled) of a service for one slot; call inside the transaction that holds the day's sequence lock. */
  async countBookings(manager: EntityManager, municipalityId: MunicipalityId, serviceCode: string, slotAt: Date): Promise<number> {
    const rows: Array<{ count: number }> = await manager.query(
      `SELECT count(*)::int AS count FROM counter_tickets
        WHERE municipality_id = $1 AND issued_service_code = $2 AND appointment_at = $3 AND status <> 'cancelled'`,
      [municipalityId, serviceCode, slotAt],
    );
    return rows[0].count;
  }

  /** Bookings (not cancelled) per slot of a service between two instants. */
  async bookingsPerSlot(municipalityId: MunicipalityId, serviceCode: string, from: Date, to: Date): Promise<Map<number, number>> {
    const rows: Array<{ appointment_at: Date; count: number }> = await this.dataSource.query(
      `SELECT appointment_at, count(*)::int AS count FROM counter_tickets
        WHERE municipality_id = $1 AND issued_service_code = $2 AND appointment_at >= $3 AND appointment_at < $4 AND status <> 'cancelled'
        GROUP BY appointment_at`,
      [municipalityId, serviceCode, from, to],
    );
    return new Map(rows.map((row) => [row.appointment_at.getTime(), row.count]));
  }

  async residentHasBooking(manager: EntityManager, municipalityId: MunicipalityId, residentId: string, serviceCode: string, serviceDay: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM counter_tickets
        WHERE municipality_id = $1 AND resident_id = $2 AND issued_service_code = $3 AND service_day = $4 AND source = 'online'
          AND status NOT IN ('cancelled', 'noShow')
        LIMIT 1`,
      [municipalityId, residentId, serviceCode, serviceDay],
    );
    return rows.length > 0;
  }

  async listByResident(municipalityId: MunicipalityId, residentId: string, limit = 100): Promise<Ticket[]> {
    const rows: TicketRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM counter_tickets WHERE municipality_id = $1 AND resident_id = $2 ORDER BY queue_at DESC, queue_seq DESC LIMIT $3`,
      [municipalityId, residentId, limit],
    );
    return rows.map(toTicket);
  }

  /** The tickets a counter would call, in the order it would call them (only those callable at `now`). */
  async callQueue(municipalityId: MunicipalityId, counterId: string, serviceCodes: string[], now: Date, limit = 200): Promise<Ticket[]> {
    const rows: TicketRow[] = await this.dataSource.query(
      withNow(
        `SELECT ${COLUMNS} FROM counter_tickets
          WHERE municipality_id = $1 AND service_code = ANY($2) AND ${CALLABLE}
            AND (assigned_counter_id IS NULL OR assigned_counter_id = $3)
          ORDER BY ${CALL_ORDER} LIMIT $5`,
        4,
      ),
      [municipalityId, serviceCodes, counterId, now, limit],
    );
    return rows.map(toTicket);
  }

  /** Appointments of the services not yet due, soonest first: they join the queue at their slot. */
  async upcomingAppointments(municipalityId: MunicipalityId, serviceCodes: string[], now: Date, until: Date): Promise<Ticket[]> {
    const rows: TicketRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM counter_tickets
        WHERE municipality_id = $1 AND service_code = ANY($2) AND status = 'waiting' AND appointment_at > $3 AND appointment_at < $4
        ORDER BY appointment_at, queue_seq`,
      [municipalityId, serviceCodes, now, until],
    );
    return rows.map(toTicket);
  }

  async activeAtCounter(municipalityId: MunicipalityId, counterId: string): Promise<Ticket[]> {
    const rows: TicketRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM counter_tickets WHERE municipality_id = $1 AND counter_id = $2 AND status IN ('called', 'serving') ORDER BY called_at, queue_seq`,
      [municipalityId, counterId],
    );
    return rows.map(toTicket);
  }

  /** Callable waiting tickets of the same service that will be called before this one. */
  async peopleAhead(municipalityId: MunicipalityId, ticket: Ticket, now: Date): Promise<number> {
    // Row comparison in call order: priority and appointment flags descending, hence negated.
    const rows: Array<{ count: number }> = await this.dataSource.query(
      withNow(
        `SELECT count(*)::int AS count FROM counter_tickets
          WHERE municipality_id = $1 AND service_code = $2 AND ${CALLABLE} AND id <> $3
            AND (-(priority_reason IS NOT NULL)::int, -(appointment_at IS NOT NULL)::int, queue_at, queue_seq) < ($4::int, $5::int, $6::timestamptz, $7::bigint)`,
        8,
      ),
      [
        municipalityId,
        ticket.serviceCode,
        ticket.id,
        ticket.priorityReason ? -1 : 0,
        ticket.appointmentAt ? -1 : 0,
        ticket.queueAt,
        ticket.queueSeq,
        now,
      ],
    );
    return rows[0].count;
  }

  /** Per service: callable waiting tickets and the tickets called or being served now. */
  async queueFigures(municipalityId: MunicipalityId, now: Date): Promise<Map<string, ServiceQueueFigures>> {
    const waiting: Array<{ service_code: string; waiting: number }> = await this.dataSource.query(
      withNow(`SELECT service_code, count(*)::int AS waiting FROM counter_tickets WHERE municipality_id = $1 AND ${CALLABLE} GROUP BY service_code`, 2),
      [municipalityId, now],
    );
    const active: Array<{ service_code: string; display_number: string; counter_id: string; status: TicketStatus }> = await this.dataSource.query(
      `SELECT service_code, display_number, counter_id, status FROM counter_tickets
        WHERE municipality_id = $1 AND status IN ('called', 'serving') ORDER BY called_at, queue_seq`,
      [municipalityId],
    );
    const figures = new Map<string, ServiceQueueFigures>();
    const of = (serviceCode: string) => {
      let entry = figures.get(serviceCode);
      if (!entry) figures.set(serviceCode, (entry = { serviceCode, waiting: 0, active: [] }));
      return entry;
    };
    for (const row of waiting) of(row.service_code).waiting = row.waiting;
    for (const row of active) of(row.service_code).active.push({ displayNumber: row.display_number, counterId: row.counter_id, status: row.status });
    return figures;
  }

  /**
   * Service times (seconds) of the most recent finished tickets per service
   * since `since`, newest first, at most `limit` each: from the `started`
   * event of that visit to the `finished` event.
   */
  async recentServiceSeconds(municipalityId: MunicipalityId, since: Date, limit: number): Promise<Map<string, number[]>> {
    const rows: Array<{ service_code: string; seconds: number }> = await this.dataSource.query(
      `SELECT f.service_code, extract(epoch FROM f.occurred_at - s.occurred_at)::float8 AS seconds
         FROM (SELECT ticket_id, seq, service_code, occurred_at,
                      row_number() OVER (PARTITION BY service_code ORDER BY occurred_at DESC, ticket_id) AS recency
                 FROM counter_ticket_events
                WHERE municipality_id = $1 AND type = 'finished' AND occurred_at >= $2) f
         CROSS JOIN LATERAL (
           SELECT occurred_at FROM counter_ticket_events s
            WHERE s.municipality_id = $1 AND s.ticket_id = f.ticket_id AND s.seq < f.seq AND s.type = 'started'
            ORDER BY s.seq DESC LIMIT 1) s
        WHERE f.recency <= $3
        ORDER BY f.service_code, f.occurred_at DESC`,
      [municipalityId, since, limit],
    );
    const result = new Map<string, number[]>();
    for (const row of rows) result.set(row.service_code, [...(result.get(row.service_code) ?? []), row.seconds]);
    return result;
  }
}
