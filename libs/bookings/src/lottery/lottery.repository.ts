import { Injectable } from '@nestjs/common';
import { type MunicipalityId, ReadReplica } from '@madoguchi/kernel';
import { DataSource, type EntityManager } from 'typeorm';
import type { DrawOutcome, EntryStatus, Lottery, LotteryEntry, LotteryStatus } from './lottery.types';

interface LotteryRow {
  municipality_id: string;
  id: string;
  facility_code: string;
  room_codes: string[];
  period_from: string;
  period_to: string;
  entry_opens_at: Date;
  entry_closes_at: Date;
  seed: string;
  status: LotteryStatus;
  payment_hours: number;
  max_entries_per_resident: number;
  last_entry_number: number;
  created_by: string;
  created_at: Date;
  drawn_at: Date | null;
  entry_count: number | null;
  result_hash: string | null;
}

interface EntryRow {
  lottery_id: string;
  entry_number: number;
  resident_id: string;
  room_code: string;
  use_date: string;
  slot_starts: string[];
  organizer_name: string;
  purpose: string;
  attendees: number;
  status: EntryStatus;
  draw_key: string | null;
  draw_position: number | null;
  draw_outcome: DrawOutcome | null;
  booking_id: string | null;
  created_at: Date;
}

// Dates come back as text so no time zone ever shifts them.
const COLUMNS = `municipality_id, id, facility_code, room_codes, period_from::text AS period_from, period_to::text AS period_to, entry_opens_at,
  entry_closes_at, seed, status, payment_hours, max_entries_per_resident, last_entry_number, created_by, created_at, drawn_at, entry_count, result_hash`;
const ENTRY_COLUMNS = `lottery_id, entry_number, resident_id, room_code, use_date::text AS use_date, slot_starts, organizer_name, purpose, attendees, status,
  draw_key, draw_position, draw_outcome, booking_id, created_at`;

function toLottery(row: LotteryRow): Lottery {
  return {
    municipalityId: row.municipality_id,
    id: row.id,
    facilityCode: row.facility_code,
    roomCodes: row.room_codes,
    periodFrom: row.period_from,
    periodTo: row.period_to,
    entryOpensAt: row.entry_opens_at,
    entryClosesAt: row.entry_closes_at,
    seed: row.seed,
    status: row.status,
    paymentHours: row.payment_hours,
    maxEntriesPerResident: row.max_entries_per_resident,
    lastEntryNumber: row.last_entry_number,
    createdBy: row.created_by,
    createdAt: row.created_at,
    drawnAt: row.drawn_at,
    entryCount: row.entry_count,
    resultHash: row.result_hash,
  };
}

function toEntry(row: EntryRow): LotteryEntry {
  return {
    lotteryId: row.lottery_id,
    entryNumber: row.entry_number,
    residentId: row.resident_id,
    roomCode: row.room_code,
    useDate: row.use_date,
    slotStarts: row.slot_starts,
    organizerName: row.organizer_name,
    purpose: row.purpose,
    attendees: row.attendees,
    status: row.status,
    drawKey: row.draw_key,
    drawPosition: row.draw_position,
    drawOutcome: row.draw_outcome,
    bookingId: row.booking_id,
    createdAt: row.created_at,
  };
}

export interface NewLottery {
  id: string;
  facilityCode: string;
  roomCodes: string[];
  periodFrom: string;
  periodTo: string;
  entryOpensAt: Date;
  entryClosesAt: Date;
  seed: string;
  paymentHours: number;
  maxEntriesPerResident: number;
  createdBy: string;
  now: Date;
}

export interface NewEntry {
  residentId: string;
  roomCode: string;
  useDate: string;
  slotStarts: string[];
  organizerName: string;
  purpose: string;
  attendees: number;
  now: Date;
}

/**
 * The only code that touches lotteries and lottery_entries. Every method
 * takes the municipality, except the worker's cross-tenant list of
 * lotteries due for their draw.
 */
@Injectable()
export class LotteryRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly replica: ReadReplica,
  ) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(manager: EntityManager, municipalityId: MunicipalityId, lottery: NewLottery): Promise<void> {
    await manager.query(
      `INSERT INTO lotteries (municipality_id, id, facility_code, room_codes, period_from, period_to, entry_opens_at, entry_closes_at, seed, status,
         payment_hours, max_entries_per_resident, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10, $11, $12, $13)`,
      [
        municipalityId,
        lottery.id,
        lottery.facilityCode,
        lottery.roomCodes,
        lottery.periodFrom,
        lottery.periodTo,
        lottery.entryOpensAt,
        lottery.entryClosesAt,
        lottery.seed,
        lottery.paymentHours,
        lottery.maxEntriesPerResident,
        lottery.createdBy,
        lottery.now,
      ],
    );
  }

  async find(municipalityId: MunicipalityId, id: string, manager: EntityManager = this.dataSource.manager, options: { lock?: boolean } = {}): Promise<Lottery | null> {
    const rows: LotteryRow[] = await manager.query(`SELECT ${COLUMNS} FROM lotteries WHERE municipality_id = $1 AND id = $2 ${options.lock ? 'FOR UPDATE' : ''}`, [
      municipalityId,
      id,
    ]);
    return rows[0] ? toLottery(rows[0]) : null;
  }

  async list(municipalityId: MunicipalityId, facilityCode: string | null, limit = 200): Promise<Lottery[]> {
    const rows: LotteryRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM lotteries WHERE municipality_id = $1 AND ($2::text IS NULL OR facility_code = $2)
        ORDER BY entry_closes_at DESC, id LIMIT $3`,
      [municipalityId, facilityCode, limit],
    );
    return rows.map(toLottery);
  }

  /** An undrawn lottery of the facility over any of the rooms and dates: a new one must not overlap it. */
  async overlapping(manager: EntityManager, municipalityId: MunicipalityId, facilityCode: string, roomCodes: string[], from: string, to: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id FROM lotteries
        WHERE municipality_id = $1 AND facility_code = $2 AND status = 'open' AND room_codes && $3::text[] AND period_from <= $5 AND period_to >= $4
        LIMIT 1`,
      [municipalityId, facilityCode, roomCodes, from, to],
    );
    return rows[0]?.id ?? null;
  }

  /** The undrawn lottery covering a room on a date, if any: ordinary holds there are refused until its draw. */
  async undrawnCovering(manager: EntityManager, municipalityId: MunicipalityId, facilityCode: string, roomCode: string, date: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id FROM lotteries
        WHERE municipality_id = $1 AND facility_code = $2 AND status = 'open' AND $3 = ANY (room_codes) AND $4::date BETWEEN period_from AND period_to
        LIMIT 1`,
      [municipalityId, facilityCode, roomCode, date],
    );
    return rows[0]?.id ?? null;
  }

  /** Rooms and dates of a facility that undrawn lotteries keep for their entries, for availability. */
  async undrawnBetween(municipalityId: MunicipalityId, facilityCode: string, from: string, to: string): Promise<Array<{ roomCodes: string[]; from: string; to: string }>> {
    // For public availability, which tolerates a little lag: the replica.
    const rows: Array<{ room_codes: string[]; period_from: string; period_to: string }> = await this.replica.query(
      `SELECT room_codes, period_from::text, period_to::text FROM lotteries
        WHERE municipality_id = $1 AND facility_code = $2 AND status = 'open' AND period_from <= $4::date AND period_to >= $3::date`,
      [municipalityId, facilityCode, from, to],
    );
    return rows.map((row) => ({ roomCodes: row.room_codes, from: row.period_from, to: row.period_to }));
  }

  /** Lotteries of any municipality past their deadline and not drawn; another worker's are skipped. */
  async due(manager: EntityManager, now: Date, limit: number): Promise<Array<{ municipalityId: MunicipalityId; id: string }>> {
    const rows: Array<{ municipality_id: MunicipalityId; id: string }> = await manager.query(
      `SELECT municipality_id, id FROM lotteries WHERE status = 'open' AND entry_closes_at <= $1 ORDER BY entry_closes_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map((row) => ({ municipalityId: row.municipality_id, id: row.id }));
  }

  /** Inserts an entry with the next number; the caller holds the lottery's row lock, so numbers follow arrival. Null on a duplicate. */
  async insertEntry(manager: EntityManager, municipalityId: MunicipalityId, lotteryId: string, entry: NewEntry): Promise<LotteryEntry | null> {
    const [numbered]: [Array<{ last_entry_number: number }>, number] = await manager.query(
      `UPDATE lotteries SET last_entry_number = last_entry_number + 1 WHERE municipality_id = $1 AND id = $2 RETURNING last_entry_number`,
      [municipalityId, lotteryId],
    );
    const rows: EntryRow[] = await manager.query(
      `INSERT INTO lottery_entries (municipality_id, lottery_id, entry_number, resident_id, room_code, use_date, slot_starts, organizer_name, purpose, attendees,
         status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'entered', $11, $11)
       ON CONFLICT DO NOTHING RETURNING ${ENTRY_COLUMNS}`,
      [
        municipalityId,
        lotteryId,
        numbered[0].last_entry_number,
        entry.residentId,
        entry.roomCode,
        entry.useDate,
        entry.slotStarts,
        entry.organizerName,
        entry.purpose,
        entry.attendees,
        entry.now,
      ],
    );
    return rows[0] ? toEntry(rows[0]) : null;
  }

  async entriesOf(municipalityId: MunicipalityId, lotteryId: string, manager: EntityManager = this.dataSource.manager): Promise<LotteryEntry[]> {
    const rows: EntryRow[] = await manager.query(`SELECT ${ENTRY_COLUMNS} FROM lottery_entries WHERE municipality_id = $1 AND lottery_id = $2 ORDER BY entry_number`, [
      municipalityId,
      lotteryId,
    ]);
    return rows.map(toEntry);
  }

  async entriesOfResident(municipalityId: MunicipalityId, lotteryId: string, residentId: string, manager: EntityManager = this.dataSource.manager): Promise<LotteryEntry[]> {
    const rows: EntryRow[] = await manager.query(
      `SELECT ${ENTRY_COLUMNS} FROM lottery_entries WHERE municipality_id = $1 AND lottery_id = $2 AND resident_id = $3 ORDER BY entry_number`,
      [municipalityId, lotteryId, residentId],
    );
    return rows.map(toEntry);
  }

  async countEntries(municipalityId: MunicipalityId, lotteryId: string): Promise<number> {
    const rows: Array<{ n: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM lottery_entries WHERE municipality_id = $1 AND lottery_id = $2 AND status <> 'withdrawn'`,
      [municipalityId, lotteryId],
    );
    return rows[0].n;
  }

  async entryOfBooking(manager: EntityManager, municipalityId: MunicipalityId, bookingId: string): Promise<LotteryEntry | null> {
    const rows: EntryRow[] = await manager.query(`SELECT ${ENTRY_COLUMNS} FROM lottery_entries WHERE municipality_id = $1 AND booking_id = $2`, [municipalityId, bookingId]);
    return rows[0] ? toEntry(rows[0]) : null;
  }

  async withdraw(manager: EntityManager, municipalityId: MunicipalityId, lotteryId: string, entryNumber: number, residentId: string, now: Date): Promise<LotteryEntry | null> {
    const [rows]: [EntryRow[], number] = await manager.query(
      `UPDATE lottery_entries SET status = 'withdrawn', updated_at = $5
        WHERE municipality_id = $1 AND lottery_id = $2 AND entry_number = $3 AND resident_id = $4 AND status = 'entered'
       RETURNING ${ENTRY_COLUMNS}`,
      [municipalityId, lotteryId, entryNumber, residentId, now],
    );
    return rows[0] ? toEntry(rows[0]) : null;
  }

  /** The draw's record of one entry: its key, position and outcome (never changed afterwards). */
  async recordDraw(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    lotteryId: string,
    entryNumber: number,
    draw: { key: string; position: number; outcome: DrawOutcome; bookingId: string | null },
    now: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE lottery_entries SET draw_key = $4, draw_position = $5, draw_outcome = $6, status = $6, booking_id = $7, updated_at = $8
        WHERE municipality_id = $1 AND lottery_id = $2 AND entry_number = $3 AND status = 'entered'`,
      [municipalityId, lotteryId, entryNumber, draw.key, draw.position, draw.outcome, draw.bookingId, now],
    );
  }

  async setEntryStatus(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    lotteryId: string,
    entryNumber: number,
    status: EntryStatus,
    bookingId: string | null | undefined,
    now: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE lottery_entries SET status = $4, booking_id = COALESCE($5::uuid, booking_id), updated_at = $6
        WHERE municipality_id = $1 AND lottery_id = $2 AND entry_number = $3`,
      [municipalityId, lotteryId, entryNumber, status, bookingId ?? null, now],
    );
  }

  async markDrawn(manager: EntityManager, municipalityId: MunicipalityId, lotteryId: string, draw: { by: string; entryCount: number; resultHash: string }, now: Date): Promise<void> {
    await manager.query(
      `UPDATE lotteries SET status = 'drawn', drawn_at = $3, drawn_by = $4, entry_count = $5, result_hash = $6 WHERE municipality_id = $1 AND id = $2`,
      [municipalityId, lotteryId, now, draw.by, draw.entryCount, draw.resultHash],
    );
  }
}
