import { Injectable } from '@nestjs/common';
import { type MunicipalityId, nextInSequence, ReadReplica, sequenceScope } from '@madoguchi/kernel';
import { DataSource, type EntityManager } from 'typeorm';
import type { Residency } from '../facilities/facility.types';
import type { BlockReason, Booking, BookingActor, BookingChannel, BookingOrigin, BookingStatus, FacilityBlock, HolderKind, UseOutcome } from './booking.types';

interface BookingRow {
  municipality_id: string;
  id: string;
  booking_number: string;
  facility_code: string;
  room_code: string;
  use_date: string;
  slot_starts: string[];
  slot_minutes: number;
  starts_at: Date;
  status: BookingStatus;
  origin: BookingOrigin;
  channel: BookingChannel;
  holder_kind: HolderKind;
  holder_id: string;
  application_id: string | null;
  expires_at: Date | null;
  residency: Residency | null;
  reduction_code: string | null;
  reduction_percent: number | null;
  fee_base: number | null;
  fee_amount: number | null;
  organizer_name: string | null;
  purpose: string | null;
  attendees: number | null;
  needs_attention: boolean;
  attention_reason: string | null;
  use_outcome: UseOutcome | null;
  use_marked_by: string | null;
  use_marked_at: Date | null;
  cancelled_at: Date | null;
  cancelled_by_kind: HolderKind | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
  refund_percent: number | null;
  refund_amount: number | null;
  revision: number;
  created_at: Date;
  updated_at: Date;
}

interface BlockRow {
  id: string;
  facility_code: string;
  room_code: string;
  use_date: string;
  starts_at: Date;
  ends_at: Date;
  reason: BlockReason;
  note: string | null;
  created_by: string;
  created_at: Date;
  lifted_at: Date | null;
}

// use_date comes back as text so no time zone ever shifts the date.
const COLUMNS = `municipality_id, id, booking_number, facility_code, room_code, use_date::text AS use_date, slot_starts, slot_minutes, starts_at,
  status, origin, channel, holder_kind, holder_id, application_id, expires_at, residency, reduction_code, reduction_percent, fee_base, fee_amount,
  organizer_name, purpose, attendees, needs_attention, attention_reason, use_outcome, use_marked_by, use_marked_at, cancelled_at, cancelled_by_kind,
  cancelled_by, cancel_reason, refund_percent, refund_amount, revision, created_at, updated_at`;

const BLOCK_COLUMNS = `id, facility_code, room_code, use_date::text AS use_date, lower(during) AS starts_at, upper(during) AS ends_at, reason, note,
  created_by, created_at, lifted_at`;

function toBooking(row: BookingRow): Booking {
  return {
    municipalityId: row.municipality_id,
    id: row.id,
    bookingNumber: row.booking_number,
    facilityCode: row.facility_code,
    roomCode: row.room_code,
    useDate: row.use_date,
    slotStarts: row.slot_starts,
    slotMinutes: row.slot_minutes,
    startsAt: row.starts_at,
    status: row.status,
    origin: row.origin,
    channel: row.channel,
    holderKind: row.holder_kind,
    holderId: row.holder_id,
    applicationId: row.application_id,
    expiresAt: row.expires_at,
    residency: row.residency,
    reductionCode: row.reduction_code,
    reductionPercent: row.reduction_percent,
    feeBase: row.fee_base,
    feeAmount: row.fee_amount,
    organizerName: row.organizer_name,
    purpose: row.purpose,
    attendees: row.attendees,
    needsAttention: row.needs_attention,
    attentionReason: row.attention_reason,
    useOutcome: row.use_outcome,
    useMarkedBy: row.use_marked_by,
    useMarkedAt: row.use_marked_at,
    cancelledAt: row.cancelled_at,
    cancelledByKind: row.cancelled_by_kind,
    cancelledBy: row.cancelled_by,
    cancelReason: row.cancel_reason,
    refundPercent: row.refund_percent,
    refundAmount: row.refund_amount,
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toBlock(row: BlockRow): FacilityBlock {
  return {
    id: row.id,
    facilityCode: row.facility_code,
    roomCode: row.room_code,
    useDate: row.use_date,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    reason: row.reason,
    note: row.note,
    createdBy: row.created_by,
    createdAt: row.created_at,
    liftedAt: row.lifted_at,
  };
}

/** One slot as instants; a booking's slots become a tstzmultirange from these. */
export interface SlotRange {
  startsAt: Date;
  endsAt: Date;
}

export interface NewBooking {
  id: string;
  bookingNumber: string;
  facilityCode: string;
  roomCode: string;
  useDate: string;
  slotStarts: string[];
  slotMinutes: number;
  ranges: SlotRange[];
  channel: BookingChannel;
  holderKind: HolderKind;
  holderId: string;
  expiresAt: Date;
  /** The lottery entry a win holds for; absent for an ordinary hold. */
  lotteryEntry?: { lotteryId: string; entryNumber: number };
  now: Date;
}

/** Columns a change may set; `status` and the rest only when given. */
export interface BookingPatch {
  status?: BookingStatus;
  applicationId?: string;
  expiresAt?: Date | null;
  residency?: Residency;
  reduction?: { code: string; percent: number } | null;
  fee?: { base: number; amount: number };
  organizer?: { name: string | null; purpose: string | null; attendees: number | null };
  attention?: { reason: string } | null;
  use?: { outcome: UseOutcome; by: string };
  cancellation?: { byKind: HolderKind; by: string; reason: string | null; refundPercent: number; refundAmount: number };
  now: Date;
}

/** A slot range of a live booking or block, for availability. */
export interface TakenRange {
  roomCode: string;
  kind: 'held' | 'confirmed' | 'blocked';
  startsAt: Date;
  endsAt: Date;
  /** A hold's expiry (it no longer counts from then on). */
  expiresAt: Date | null;
}

/** A hold the sweep marked expired, with what ends its application. */
export interface LapsedHold {
  municipalityId: MunicipalityId;
  id: string;
  applicationId: string | null;
  revision: number;
  expiresAt: Date;
  origin: BookingOrigin;
}

/**
 * Slot ranges taken in a facility between two dates ($1 municipality, $2
 * facility, $3 and $4 the dates): the availability query, kept here so its
 * plan can be checked in tests (bookings.int-spec.ts).
 */
export const TAKEN_BETWEEN_SQL = `SELECT b.room_code, b.status AS kind, lower(r) AS starts_at, upper(r) AS ends_at, b.expires_at
    FROM bookings b, unnest(b.slots) AS r
   WHERE b.municipality_id = $1 AND b.facility_code = $2 AND b.use_date BETWEEN $3 AND $4 AND b.status IN ('held', 'confirmed')
  UNION ALL
  SELECT room_code, 'blocked', lower(during), upper(during), NULL
    FROM facility_blocks
   WHERE municipality_id = $1 AND facility_code = $2 AND use_date BETWEEN $3 AND $4 AND lifted_at IS NULL`;

const LAPSE_RETURNING = `municipality_id, id, application_id, revision, expires_at, origin`;

/**
 * The only code that touches bookings, booking_events and facility_blocks
 * (booking numbers are the kernel's gap-free sequence `booking`). Every method takes the municipality, except the
 * cross-tenant sweep of lapsed holds the worker runs.
 */
@Injectable()
export class BookingRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly replica: ReadReplica,
  ) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Serialises changes to one room's calendar for the rest of the
   * transaction: a hold and a block placed at once must see each other
   * (a hold never lands on a block; a block flags every booking under it).
   * The exclusion constraints stay the last word on double booking.
   */
  async lockRoom(manager: EntityManager, municipalityId: MunicipalityId, facilityCode: string, roomCode: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`booking-room:${municipalityId}:${facilityCode}:${roomCode}`]);
  }

  /** Serialises one holder's holds, so a repeated request and the limit on open holds are exact. */
  async lockHolder(manager: EntityManager, municipalityId: MunicipalityId, holderKind: HolderKind, holderId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`booking-holder:${municipalityId}:${holderKind}:${holderId}`]);
  }

  async openHoldsOf(manager: EntityManager, municipalityId: MunicipalityId, holderKind: HolderKind, holderId: string, now: Date): Promise<number> {
    const rows: Array<{ n: number }> = await manager.query(
      `SELECT count(*)::int AS n FROM bookings
        WHERE municipality_id = $1 AND holder_kind = $2 AND holder_id = $3 AND status = 'held' AND application_id IS NULL AND expires_at > $4
          AND origin = 'hold'`,
      [municipalityId, holderKind, holderId, now],
    );
    return rows[0].n;
  }

  async nextNumber(manager: EntityManager, municipalityId: MunicipalityId, year: number): Promise<number> {
    return nextInSequence(manager, municipalityId, 'booking', sequenceScope(year));
  }

  /**
   * Inserts a hold unless a live booking overlaps one of its slots in the
   * room (the exclusion constraint; ON CONFLICT DO NOTHING waits for a
   * concurrent insert and lets exactly one through). True when inserted.
   */
  async insertHold(manager: EntityManager, municipalityId: MunicipalityId, hold: NewBooking): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO bookings (municipality_id, id, booking_number, facility_code, room_code, use_date, slot_starts, slot_minutes, slots, starts_at,
         status, origin, channel, holder_kind, holder_id, expires_at, needs_attention, revision, created_at, updated_at, lottery_id, lottery_entry_number)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8,
              tstzmultirange(VARIADIC ARRAY(SELECT tstzrange(s, e, '[)') FROM unnest($9::timestamptz[], $10::timestamptz[]) AS t (s, e))),
              (SELECT min(s) FROM unnest($9::timestamptz[]) AS t (s)),
              'held', CASE WHEN $16::uuid IS NULL THEN 'hold' ELSE 'lottery' END, $11, $12, $13, $14, false, 1, $15, $15, $16::uuid, $17::integer
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        municipalityId,
        hold.id,
        hold.bookingNumber,
        hold.facilityCode,
        hold.roomCode,
        hold.useDate,
        hold.slotStarts,
        hold.slotMinutes,
        hold.ranges.map((range) => range.startsAt),
        hold.ranges.map((range) => range.endsAt),
        hold.channel,
        hold.holderKind,
        hold.holderId,
        hold.expiresAt,
        hold.now,
        hold.lotteryEntry?.lotteryId ?? null,
        hold.lotteryEntry?.entryNumber ?? null,
      ],
    );
    return rows.length === 1;
  }

  async find(municipalityId: MunicipalityId, id: string, manager: EntityManager = this.dataSource.manager, options: { lock?: boolean } = {}): Promise<Booking | null> {
    const rows: BookingRow[] = await manager.query(`SELECT ${COLUMNS} FROM bookings WHERE municipality_id = $1 AND id = $2 ${options.lock ? 'FOR UPDATE' : ''}`, [
      municipalityId,
      id,
    ]);
    return rows[0] ? toBooking(rows[0]) : null;
  }

  async findByApplication(
    municipalityId: MunicipalityId,
    applicationId: string,
    manager: EntityManager = this.dataSource.manager,
    options: { lock?: boolean } = {},
  ): Promise<Booking | null> {
    const rows: BookingRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM bookings WHERE municipality_id = $1 AND application_id = $2 ${options.lock ? 'FOR UPDATE' : ''}`,
      [municipalityId, applicationId],
    );
    return rows[0] ? toBooking(rows[0]) : null;
  }

  /** A resident's bookings: held in their name, or made for an application of theirs (at the counter, say). */
  async listForResident(municipalityId: MunicipalityId, residentId: string, limit = 200): Promise<Booking[]> {
    const rows: BookingRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM bookings
        WHERE municipality_id = $1
          AND ((holder_kind = 'resident' AND holder_id = $2)
               OR application_id IN (SELECT id FROM applications WHERE municipality_id = $1 AND applicant_id = $2))
        ORDER BY created_at DESC, id LIMIT $3`,
      [municipalityId, residentId, limit],
    );
    return rows.map(toBooking);
  }

  /** Whether the resident holds the booking or applied with it. */
  async isResidents(municipalityId: MunicipalityId, booking: Booking, residentId: string): Promise<boolean> {
    if (booking.holderKind === 'resident' && booking.holderId === residentId) return true;
    if (!booking.applicationId) return false;
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM applications WHERE municipality_id = $1 AND id = $2 AND applicant_id = $3`, [
      municipalityId,
      booking.applicationId,
      residentId,
    ]);
    return rows.length === 1;
  }

  /** Every booking of a facility on one day, any status, by room and time. */
  async ofDay(municipalityId: MunicipalityId, facilityCode: string, date: string): Promise<Booking[]> {
    const rows: BookingRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM bookings WHERE municipality_id = $1 AND facility_code = $2 AND use_date = $3 ORDER BY room_code, starts_at, id`,
      [municipalityId, facilityCode, date],
    );
    return rows.map(toBooking);
  }

  /**
   * What takes slots of a facility between two dates: the slot ranges of
   * live bookings and live blocks. Both come from partial indexes on
   * (municipality, facility, use_date), so the cost follows the range asked
   * for, never the number of bookings in the table. Public availability
   * tolerates a little lag: read from the replica (taking a slot is decided
   * on the primary, by the exclusion constraint).
   */
  async takenBetween(municipalityId: MunicipalityId, facilityCode: string, fromDate: string, toDate: string): Promise<TakenRange[]> {
    const rows: Array<{ room_code: string; kind: TakenRange['kind']; starts_at: Date; ends_at: Date; expires_at: Date | null }> = await this.replica.query(
      TAKEN_BETWEEN_SQL,
      [municipalityId, facilityCode, fromDate, toDate],
    );
    return rows.map((row) => ({ roomCode: row.room_code, kind: row.kind, startsAt: row.starts_at, endsAt: row.ends_at, expiresAt: row.expires_at }));
  }

  /** The holder's own live hold of exactly these slots, not yet used by an application: a repeated request gets it back. */
  async sameOpenHold(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    holder: { kind: HolderKind; id: string },
    choice: { facilityCode: string; roomCode: string; date: string; slotStarts: string[] },
    now: Date,
  ): Promise<Booking | null> {
    const rows: BookingRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM bookings
        WHERE municipality_id = $1 AND holder_kind = $2 AND holder_id = $3 AND facility_code = $4 AND room_code = $5 AND use_date = $6
          AND slot_starts = $7::text[] AND status = 'held' AND application_id IS NULL AND expires_at > $8
        LIMIT 1`,
      [municipalityId, holder.kind, holder.id, choice.facilityCode, choice.roomCode, choice.date, choice.slotStarts, now],
    );
    return rows[0] ? toBooking(rows[0]) : null;
  }

  /** Whether a live booking that has not lapsed overlaps any of the ranges in the room (a read: the constraint decides). */
  async taken(manager: EntityManager, municipalityId: MunicipalityId, facilityCode: string, roomCode: string, ranges: SlotRange[], now: Date): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM bookings
        WHERE municipality_id = $1 AND facility_code = $2 AND room_code = $3 AND status IN ('held', 'confirmed')
          AND (status = 'confirmed' OR expires_at IS NULL OR expires_at > $6)
          AND slots && tstzmultirange(VARIADIC ARRAY(SELECT tstzrange(s, e, '[)') FROM unnest($4::timestamptz[], $5::timestamptz[]) AS t (s, e)))
        LIMIT 1`,
      [municipalityId, facilityCode, roomCode, ranges.map((range) => range.startsAt), ranges.map((range) => range.endsAt), now],
    );
    return rows.length > 0;
  }

  /** Whether a live block covers any of the ranges in the room. */
  async blocked(manager: EntityManager, municipalityId: MunicipalityId, facilityCode: string, roomCode: string, ranges: SlotRange[]): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM facility_blocks
        WHERE municipality_id = $1 AND facility_code = $2 AND room_code = $3 AND lifted_at IS NULL
          AND during && ANY (ARRAY(SELECT tstzrange(s, e, '[)') FROM unnest($4::timestamptz[], $5::timestamptz[]) AS t (s, e)))
        LIMIT 1`,
      [municipalityId, facilityCode, roomCode, ranges.map((range) => range.startsAt), ranges.map((range) => range.endsAt)],
    );
    return rows.length > 0;
  }

  /**
   * Marks held bookings whose expiry has passed as expired, freeing their
   * slots, and returns them: the due ones of any municipality (the worker's
   * sweep, `scope` null), or those in the way of a new hold. Rows another
   * transaction holds are skipped; it decides about them itself.
   */
  async lapse(
    manager: EntityManager,
    now: Date,
    scope: { municipalityId: MunicipalityId; facilityCode: string; roomCode: string; ranges: SlotRange[] } | null,
    limit = 100,
  ): Promise<LapsedHold[]> {
    const params: unknown[] = [now, limit];
    let where = `status = 'held' AND expires_at <= $1`;
    if (scope) {
      params.push(scope.municipalityId, scope.facilityCode, scope.roomCode, scope.ranges.map((range) => range.startsAt), scope.ranges.map((range) => range.endsAt));
      where += ` AND municipality_id = $3 AND facility_code = $4 AND room_code = $5
        AND slots && tstzmultirange(VARIADIC ARRAY(SELECT tstzrange(s, e, '[)') FROM unnest($6::timestamptz[], $7::timestamptz[]) AS t (s, e)))`;
    }
    // An UPDATE … RETURNING answers [rows, count] through TypeORM.
    const [rows]: [Array<{ municipality_id: MunicipalityId; id: string; application_id: string | null; revision: number; expires_at: Date; origin: BookingOrigin }>, number] = await manager.query(
      `UPDATE bookings SET status = 'expired', revision = revision + 1, updated_at = $1
        WHERE (municipality_id, id) IN (SELECT municipality_id, id FROM bookings WHERE ${where} ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING ${LAPSE_RETURNING}`,
      params,
    );
    return rows.map((row) => ({ municipalityId: row.municipality_id, id: row.id, applicationId: row.application_id, revision: row.revision, expiresAt: row.expires_at, origin: row.origin }));
  }

  /** Applies a change under the caller's row lock; bumps the revision. */
  async update(manager: EntityManager, municipalityId: MunicipalityId, id: string, patch: BookingPatch): Promise<Booking> {
    const sets: string[] = ['revision = revision + 1', 'updated_at = $3'];
    const params: unknown[] = [municipalityId, id, patch.now];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (patch.status !== undefined) set('status', patch.status);
    if (patch.applicationId !== undefined) set('application_id', patch.applicationId);
    if (patch.expiresAt !== undefined) set('expires_at', patch.expiresAt);
    if (patch.residency !== undefined) set('residency', patch.residency);
    if (patch.reduction !== undefined) {
      set('reduction_code', patch.reduction?.code ?? null);
      set('reduction_percent', patch.reduction?.percent ?? null);
    }
    if (patch.fee) {
      set('fee_base', patch.fee.base);
      set('fee_amount', patch.fee.amount);
    }
    if (patch.organizer) {
      set('organizer_name', patch.organizer.name);
      set('purpose', patch.organizer.purpose);
      set('attendees', patch.organizer.attendees);
    }
    if (patch.attention !== undefined) {
      set('needs_attention', patch.attention !== null);
      set('attention_reason', patch.attention?.reason ?? null);
    }
    if (patch.use) {
      set('use_outcome', patch.use.outcome);
      set('use_marked_by', patch.use.by);
      set('use_marked_at', patch.now);
    }
    if (patch.cancellation) {
      set('cancelled_at', patch.now);
      set('cancelled_by_kind', patch.cancellation.byKind);
      set('cancelled_by', patch.cancellation.by);
      set('cancel_reason', patch.cancellation.reason);
      set('refund_percent', patch.cancellation.refundPercent);
      set('refund_amount', patch.cancellation.refundAmount);
    }
    const [rows]: [BookingRow[], number] = await manager.query(`UPDATE bookings SET ${sets.join(', ')} WHERE municipality_id = $1 AND id = $2 RETURNING ${COLUMNS}`, params);
    return toBooking(rows[0]);
  }

  /** One history entry per revision: `seq` is the booking's revision after the change. */
  async appendEvent(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    bookingId: string,
    event: { seq: number; type: string; fromStatus: BookingStatus | null; toStatus: BookingStatus; actor: BookingActor; details?: Record<string, unknown>; at: Date },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO booking_events (municipality_id, booking_id, seq, type, from_status, to_status, actor_kind, actor_id, details, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [municipalityId, bookingId, event.seq, event.type, event.fromStatus, event.toStatus, event.actor.kind, event.actor.id, JSON.stringify(event.details ?? {}), event.at],
    );
  }

  async events(municipalityId: MunicipalityId, bookingId: string): Promise<Array<{ seq: number; type: string; fromStatus: string | null; toStatus: string; actor: BookingActor; details: Record<string, unknown>; at: Date }>> {
    const rows: Array<{ seq: number; type: string; from_status: string | null; to_status: string; actor_kind: BookingActor['kind']; actor_id: string; details: Record<string, unknown>; occurred_at: Date }> =
      await this.dataSource.query(
        `SELECT seq, type, from_status, to_status, actor_kind, actor_id, details, occurred_at FROM booking_events
          WHERE municipality_id = $1 AND booking_id = $2 ORDER BY seq`,
        [municipalityId, bookingId],
      );
    return rows.map((row) => ({ seq: row.seq, type: row.type, fromStatus: row.from_status, toStatus: row.to_status, actor: { kind: row.actor_kind, id: row.actor_id }, details: row.details, at: row.occurred_at }));
  }

  // Blocks

  /** Inserts a block unless a live block overlaps it in the room (exclusion constraint). True when inserted. */
  async insertBlock(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    block: { id: string; facilityCode: string; roomCode: string; useDate: string; startsAt: Date; endsAt: Date; reason: BlockReason; note: string | null; createdBy: string; now: Date },
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO facility_blocks (municipality_id, id, facility_code, room_code, use_date, during, reason, note, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, tstzrange($6, $7, '[)'), $8, $9, $10, $11)
       ON CONFLICT DO NOTHING RETURNING id`,
      [municipalityId, block.id, block.facilityCode, block.roomCode, block.useDate, block.startsAt, block.endsAt, block.reason, block.note, block.createdBy, block.now],
    );
    return rows.length === 1;
  }

  /** Live bookings under a time range of a room, locked: the ones a new block must flag. */
  async liveOverlapping(manager: EntityManager, municipalityId: MunicipalityId, facilityCode: string, roomCode: string, startsAt: Date, endsAt: Date): Promise<Booking[]> {
    const rows: BookingRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM bookings
        WHERE municipality_id = $1 AND facility_code = $2 AND room_code = $3 AND status IN ('held', 'confirmed')
          AND slots && tstzmultirange(tstzrange($4, $5, '[)'))
        ORDER BY starts_at, id FOR UPDATE`,
      [municipalityId, facilityCode, roomCode, startsAt, endsAt],
    );
    return rows.map(toBooking);
  }

  async blocksOfDay(municipalityId: MunicipalityId, facilityCode: string, date: string): Promise<FacilityBlock[]> {
    const rows: BlockRow[] = await this.dataSource.query(
      `SELECT ${BLOCK_COLUMNS} FROM facility_blocks WHERE municipality_id = $1 AND facility_code = $2 AND use_date = $3 AND lifted_at IS NULL
        ORDER BY room_code, lower(during)`,
      [municipalityId, facilityCode, date],
    );
    return rows.map(toBlock);
  }

  /** Lifts a live block; false when there is none by that id at the facility. */
  async liftBlock(manager: EntityManager, municipalityId: MunicipalityId, facilityCode: string, id: string, by: string, now: Date): Promise<FacilityBlock | null> {
    const [rows]: [BlockRow[], number] = await manager.query(
      `UPDATE facility_blocks SET lifted_by = $4, lifted_at = $5
        WHERE municipality_id = $1 AND facility_code = $2 AND id = $3 AND lifted_at IS NULL
       RETURNING ${BLOCK_COLUMNS}`,
      [municipalityId, facilityCode, id, by, now],
    );
    return rows[0] ? toBlock(rows[0]) : null;
  }
}
