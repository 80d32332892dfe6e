import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@madoguchi/audit';
import { MunicipalityDirectory } from '@madoguchi/config';
import type { ResidentPrincipal, StaffPrincipal } from '@madoguchi/identity';
import { addDays, Clock, type MunicipalityId, type OutboxMessage } from '@madoguchi/kernel';
import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { BookingError } from '../booking.errors';
import { BookingHoldsService } from '../bookings/booking-holds.service';
import { BookingRepository } from '../bookings/booking.repository';
import { requireFacilityOf, requireFacilityRole } from '../bookings/facility-staff-access';
import { resolveSlots } from '../bookings/slot-choice';
import { localParts } from '../facilities/facility-time';
import { FacilityRepository } from '../facilities/facility.repository';
import type { Facility } from '../facilities/facility.types';
import type { CreateLotteryDto, LotteryDrawDto, LotteryDto, LotteryEntryDto, LotteryEntryRequestDto } from './dto/lottery.dto';
import { type DrawnLine, drawKey, drawOrder, resultHash } from './lottery-draw';
import { toDrawnEntryDto, toEntryDto, toLotteryDto, toPublicEntryDto } from './lottery.mapper';
import { LotteryRepository } from './lottery.repository';
import { type Lottery, type LotteryEntry, phaseOf } from './lottery.types';

const DEFAULT_PAYMENT_HOURS = 72;
const DEFAULT_MAX_ENTRIES = 2;
const MAX_PERIOD_DAYS = 92;

export const DRAW_METHOD =
  'Entries in the draw sorted by entry number; key = HMAC-SHA256(key: the seed as 32 bytes (hex-decoded), message: "<lotteryId>:<entryNumber>" in ASCII), lowercase hex; ' +
  'draw order = ascending key, ties by entry number; walking that order an entry wins when all its slots are still free (of earlier winners and of bookings ' +
  'or blocks made before the lottery), otherwise it is waitlisted in that order. resultHash = SHA-256 of "<position>:<entryNumber>:<key>:<outcome>\\n" per entry in draw order.';

type Actor = { kind: 'staff' | 'system'; id: string };

/**
 * The lottery (抽選) for popular facilities.
 *
 * - Desk staff of the facility's department (clerk, reviewer: the same
 *   people who block slots, since a lottery too takes slots out of
 *   first-come booking) open a lottery over rooms and a period of use dates
 *   with an entry deadline. The seed is drawn and published then.
 * - Until the draw, ordinary holds on those rooms and dates are refused (409
 *   BOOKING_SLOT_IN_LOTTERY, in BookingHoldsService.place); bookings made
 *   before the lottery was created stand and simply make the entries that
 *   want their slots lose.
 * - The draw (worker after the deadline, or staff) runs once under the
 *   lottery's row lock; winners get a hold (origin 'lottery') lapsing at
 *   their payment deadline and apply with it like any hold. After the draw,
 *   slots nobody won are open to first-come booking.
 * - A win that lapses unpaid is forfeited from the outbox (LOTTERY_FORFEIT_TOPIC);
 *   its slots go to the waitlisted entries in draw order whose whole request
 *   is free then. No mail: a promoted resident has no application yet, and
 *   the notifications library writes only about applications.
 */
@Injectable()
export class LotteryService {
  private readonly logger = new Logger('Lottery');

  constructor(
    private readonly lotteries: LotteryRepository,
    private readonly facilities: FacilityRepository,
    private readonly bookings: BookingRepository,
    private readonly holds: BookingHoldsService,
    private readonly audit: AuditService,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
  ) {}

  // Staff

  async create(staff: StaffPrincipal, code: string, request: CreateLotteryDto): Promise<LotteryDto> {
    requireFacilityRole(staff);
    const municipalityId = staff.municipalityId;
    const facility = await this.facilities.find(municipalityId, code);
    requireFacilityOf(staff, facility, code);
    const roomCodes = [...(request.rooms ?? facility.rooms.filter((room) => room.active).map((room) => room.code))].sort();
    for (const roomCode of roomCodes) if (!facility.rooms.some((room) => room.code === roomCode && room.active)) throw BookingError.roomNotFound(code, roomCode);
    if (roomCodes.length === 0) throw BookingError.lotteryInvalid('the facility has no active room');
    const now = this.clock.now();
    const opensAt = request.entryOpensAt ? new Date(request.entryOpensAt) : now;
    const closesAt = new Date(request.entryClosesAt);
    if (Number.isNaN(opensAt.getTime()) || Number.isNaN(closesAt.getTime())) throw BookingError.lotteryInvalid('entryOpensAt and entryClosesAt must be instants');
    if (closesAt.getTime() <= now.getTime()) throw BookingError.lotteryInvalid('entryClosesAt must be in the future');
    if (closesAt.getTime() <= opensAt.getTime()) throw BookingError.lotteryInvalid('entryClosesAt must be after entryOpensAt');
    if (request.periodTo < request.periodFrom) throw BookingError.lotteryInvalid('periodTo must not be before periodFrom');
    if (addDays(request.periodFrom, MAX_PERIOD_DAYS) < request.periodTo) throw BookingError.lotteryInvalid(`the period spans at most ${MAX_PERIOD_DAYS} days`);
    // The draw comes after the deadline, and winners need time to pay before they use the room.
    if (request.periodFrom <= localParts(closesAt, this.timeZone(municipalityId)).date) throw BookingError.lotteryInvalid('periodFrom must be after the day of the entry deadline');
    const id = randomUUID();
    const seed = randomBytes(32).toString('hex');
    await this.lotteries.transaction(async (manager) => {
      // The rooms' locks (in order) make a hold placed at this moment see the lottery, or be seen by it as a booking made before it.
      for (const roomCode of roomCodes) await this.bookings.lockRoom(manager, municipalityId, code, roomCode);
      const other = await this.lotteries.overlapping(manager, municipalityId, code, roomCodes, request.periodFrom, request.periodTo);
      if (other) throw BookingError.lotteryOverlap(other);
      await this.lotteries.insert(manager, municipalityId, {
        id,
        facilityCode: code,
        roomCodes,
        periodFrom: request.periodFrom,
        periodTo: request.periodTo,
        entryOpensAt: opensAt,
        entryClosesAt: closesAt,
        seed,
        paymentHours: request.paymentHours ?? DEFAULT_PAYMENT_HOURS,
        maxEntriesPerResident: request.maxEntriesPerResident ?? DEFAULT_MAX_ENTRIES,
        createdBy: staff.id,
        now,
      });
      // The seed goes on the record at creation: the log proves it was fixed before any entry.
      await this.audit.record(
        municipalityId,
        {
          actor: { kind: 'staff', id: staff.id },
          action: 'lottery.created',
          target: { type: 'lottery', id },
          details: { facility: code, rooms: roomCodes, periodFrom: request.periodFrom, periodTo: request.periodTo, entryClosesAt: closesAt.toISOString(), seed },
        },
        manager,
      );
    });
    return this.get(municipalityId, id);
  }

  async drawByStaff(staff: StaffPrincipal, id: string): Promise<LotteryDrawDto> {
    requireFacilityRole(staff);
    const municipalityId = staff.municipalityId;
    const lottery = await this.lotteries.find(municipalityId, id);
    // A lottery of another department's facility is "not found", as its facility is.
    if (!lottery || !staff.departments.includes((await this.facilities.find(municipalityId, lottery.facilityCode))?.department ?? '')) throw BookingError.lotteryNotFound(id);
    await this.lotteries.transaction(async (manager) => {
      const locked = (await this.lotteries.find(municipalityId, id, manager, { lock: true }))!;
      // Idempotent: a second request (or one that waited on the first's lock) gets the published result.
      if (locked.status === 'drawn') return;
      const now = this.clock.now();
      if (now.getTime() < locked.entryClosesAt.getTime()) throw BookingError.lotteryStillOpen(locked.entryClosesAt);
      await this.drawLocked(manager, locked, { kind: 'staff', id: staff.id }, now);
    });
    return this.drawResult(municipalityId, id);
  }

  /** The worker: draws lotteries of any municipality whose deadline has passed, one per transaction. */
  async drawDue(limit = 10): Promise<number> {
    let drawn = 0;
    for (; drawn < limit; drawn += 1) {
      const did = await this.lotteries.transaction(async (manager) => {
        const now = this.clock.now();
        const [due] = await this.lotteries.due(manager, now, 1);
        if (!due) return false;
        const lottery = (await this.lotteries.find(due.municipalityId, due.id, manager))!;
        await this.drawLocked(manager, lottery, { kind: 'system', id: 'lottery-draw' }, now);
        return true;
      });
      if (!did) break;
    }
    return drawn;
  }

  /** The draw itself, under the lottery's row lock: see lottery-draw.ts for what anyone can redo. */
  private async drawLocked(manager: EntityManager, lottery: Lottery, actor: Actor, now: Date): Promise<void> {
    const municipalityId = lottery.municipalityId as MunicipalityId;
    const entries = (await this.lotteries.entriesOf(municipalityId, lottery.id, manager)).filter((entry) => entry.status === 'entered');
    const order = drawOrder(entries.map((entry) => ({ entry, entryNumber: entry.entryNumber, key: drawKey(lottery.seed, lottery.id, entry.entryNumber) })));
    const lines: DrawnLine[] = [];
    for (const [index, { entry, key }] of order.entries()) {
      const bookingId = await this.tryHold(manager, lottery, entry, now);
      const line: DrawnLine = { position: index + 1, entryNumber: entry.entryNumber, key, outcome: bookingId ? 'won' : 'waitlisted' };
      await this.lotteries.recordDraw(manager, municipalityId, lottery.id, entry.entryNumber, { key, position: line.position, outcome: line.outcome, bookingId }, now);
      lines.push(line);
    }
    const hash = resultHash(lines);
    await this.lotteries.markDrawn(manager, municipalityId, lottery.id, { by: `${actor.kind}:${actor.id}`, entryCount: lines.length, resultHash: hash }, now);
    // Ids, counts and hashes only: the entries' names stay out of the log.
    await this.audit.record(
      municipalityId,
      {
        actor,
        action: 'lottery.drawn',
        target: { type: 'lottery', id: lottery.id },
        details: { seed: lottery.seed, entryCount: lines.length, winners: lines.filter((line) => line.outcome === 'won').length, resultHash: hash },
      },
      manager,
    );
  }

  /**
   * A hold for the entry's slots if they are all free now; null otherwise.
   * Only the booking rules' refusals (taken, blocked, closed, begun) mean
   * "not free"; place() raises those before writing anything, so the
   * transaction stays usable. Anything else is a fault and aborts the draw.
   */
  private async tryHold(manager: EntityManager, lottery: Lottery, entry: LotteryEntry, now: Date): Promise<string | null> {
    try {
      const booking = await this.holds.place(
        manager,
        lottery.municipalityId as MunicipalityId,
        { facilityCode: lottery.facilityCode, roomCode: entry.roomCode, date: entry.useDate, slots: entry.slotStarts },
        { kind: 'resident', id: entry.residentId, channel: 'online' },
        now,
        { lotteryId: lottery.id, entryNumber: entry.entryNumber, expiresAt: new Date(now.getTime() + lottery.paymentHours * 3_600_000) },
      );
      return booking.id;
    } catch (error) {
      if (error instanceof BookingError) return null;
      throw error;
    }
  }

  /**
   * `lottery.forfeit`: a win's hold lapsed unpaid. The entry is forfeited and
   * the waitlisted entries wanting any of its slots are tried in draw order;
   * each whose whole request is free now is promoted with a fresh payment
   * window. Idempotent: a redelivery finds the entry forfeited already.
   */
  async onForfeit(message: OutboxMessage): Promise<void> {
    const { bookingId } = message.payload as { bookingId: string };
    const municipalityId = message.municipalityId;
    await this.lotteries.transaction(async (manager) => {
      const lapsed = await this.lotteries.entryOfBooking(manager, municipalityId, bookingId);
      if (!lapsed) return;
      // The lottery's lock serialises forfeits of one lottery, so two never promote the same entry.
      const lottery = (await this.lotteries.find(municipalityId, lapsed.lotteryId, manager, { lock: true }))!;
      const entry = await this.lotteries.entryOfBooking(manager, municipalityId, bookingId);
      const booking = await this.bookings.find(municipalityId, bookingId, manager);
      if (!entry || !['won', 'promoted'].includes(entry.status) || !booking || !['expired', 'released'].includes(booking.status)) return;
      const now = this.clock.now();
      await this.lotteries.setEntryStatus(manager, municipalityId, lottery.id, entry.entryNumber, 'forfeited', undefined, now);
      const candidates = (await this.lotteries.entriesOf(municipalityId, lottery.id, manager))
        .filter((other) => other.status === 'waitlisted' && other.roomCode === entry.roomCode && other.useDate === entry.useDate)
        .filter((other) => other.slotStarts.some((start) => entry.slotStarts.includes(start)))
        .sort((a, b) => a.drawPosition! - b.drawPosition!);
      const promoted: number[] = [];
      for (const candidate of candidates) {
        const held = await this.tryHold(manager, lottery, candidate, now);
        if (!held) continue;
        await this.lotteries.setEntryStatus(manager, municipalityId, lottery.id, candidate.entryNumber, 'promoted', held, now);
        promoted.push(candidate.entryNumber);
      }
      await this.audit.record(
        municipalityId,
        {
          actor: { kind: 'system', id: 'lottery-forfeit' },
          action: 'lottery.forfeited',
          target: { type: 'lottery', id: lottery.id },
          details: { entryNumber: entry.entryNumber, bookingId, promoted },
        },
        manager,
      );
      this.logger.log({ msg: 'lottery win forfeited', lotteryId: lottery.id, entryNumber: entry.entryNumber, promoted });
    });
  }

  // Public

  async list(municipalityId: MunicipalityId, facilityCode: string | null): Promise<LotteryDto[]> {
    const lotteries = await this.lotteries.list(municipalityId, facilityCode);
    const now = this.clock.now();
    return Promise.all(lotteries.map(async (lottery) => toLotteryDto(lottery, await this.lotteries.countEntries(municipalityId, lottery.id), now)));
  }

  async get(municipalityId: MunicipalityId, id: string): Promise<LotteryDto> {
    const lottery = await this.lotteries.find(municipalityId, id);
    if (!lottery) throw BookingError.lotteryNotFound(id);
    return toLotteryDto(lottery, await this.lotteries.countEntries(municipalityId, id), this.clock.now());
  }

  /** The published draw: the sorted entries (no names), every key and position, and the results. */
  async drawResult(municipalityId: MunicipalityId, id: string): Promise<LotteryDrawDto> {
    const lottery = await this.lotteries.find(municipalityId, id);
    if (!lottery) throw BookingError.lotteryNotFound(id);
    if (lottery.status !== 'drawn' || !lottery.drawnAt || !lottery.resultHash) throw BookingError.lotteryNotDrawn(lottery.entryClosesAt);
    const drawn = (await this.lotteries.entriesOf(municipalityId, id)).filter((entry) => entry.drawPosition !== null);
    return {
      lotteryId: lottery.id,
      seed: lottery.seed,
      method: DRAW_METHOD,
      drawnAt: lottery.drawnAt.toISOString(),
      entryCount: drawn.length,
      resultHash: lottery.resultHash,
      entries: drawn.map(toPublicEntryDto),
      order: [...drawn].sort((a, b) => a.drawPosition! - b.drawPosition!).map(toDrawnEntryDto),
    };
  }

  // Residents

  async enter(resident: ResidentPrincipal, id: string, request: LotteryEntryRequestDto): Promise<LotteryEntryDto> {
    const municipalityId = resident.municipalityId;
    const entry = await this.lotteries.transaction(async (manager) => {
      // The row lock orders entries: numbers follow arrival, and the per-resident limit is exact.
      const lottery = await this.lotteries.find(municipalityId, id, manager, { lock: true });
      if (!lottery) throw BookingError.lotteryNotFound(id);
      const now = this.clock.now();
      this.requireOpen(lottery, now);
      if (!lottery.roomCodes.includes(request.room) || request.date < lottery.periodFrom || request.date > lottery.periodTo) throw BookingError.lotteryOutsidePeriod();
      const facility = (await this.facilities.find(municipalityId, lottery.facilityCode, manager)) as Facility;
      const room = facility.rooms.find((candidate) => candidate.code === request.room && candidate.active);
      if (!facility.active || !room) throw BookingError.roomNotFound(lottery.facilityCode, request.room);
      if (request.attendees > room.capacity) throw BookingError.overCapacity(room.capacity);
      // The facility's calendar: closed days, holidays and slots off the grid are refused as for a hold.
      const { slotStarts } = resolveSlots(facility, { facilityCode: facility.code, roomCode: room.code, date: request.date, slots: request.slots }, now, this.timeZone(municipalityId), {
        ignoreWindow: true,
      });
      const live = (await this.lotteries.entriesOfResident(municipalityId, id, resident.id, manager)).filter((mine) => mine.status === 'entered');
      if (live.some((mine) => mine.roomCode === room.code && mine.useDate === request.date && mine.slotStarts.join(',') === slotStarts.join(','))) throw BookingError.lotteryDuplicateEntry();
      if (live.length >= lottery.maxEntriesPerResident) throw BookingError.lotteryTooManyEntries(lottery.maxEntriesPerResident);
      const inserted = await this.lotteries.insertEntry(manager, municipalityId, id, {
        residentId: resident.id,
        roomCode: room.code,
        useDate: request.date,
        slotStarts,
        organizerName: request.organizerName.trim(),
        purpose: request.purpose.trim(),
        attendees: request.attendees,
        now,
      });
      if (!inserted) throw BookingError.lotteryDuplicateEntry();
      return inserted;
    });
    return toEntryDto(entry);
  }

  async mine(resident: ResidentPrincipal, id: string): Promise<LotteryEntryDto[]> {
    const lottery = await this.lotteries.find(resident.municipalityId, id);
    if (!lottery) throw BookingError.lotteryNotFound(id);
    return (await this.lotteries.entriesOfResident(resident.municipalityId, id, resident.id)).map(toEntryDto);
  }

  async withdraw(resident: ResidentPrincipal, id: string, entryNumber: number): Promise<LotteryEntryDto> {
    const municipalityId = resident.municipalityId;
    const entry = await this.lotteries.transaction(async (manager) => {
      // Under the lottery's lock: a withdrawal and the draw never cross.
      const lottery = await this.lotteries.find(municipalityId, id, manager, { lock: true });
      if (!lottery) throw BookingError.lotteryNotFound(id);
      this.requireOpen(lottery, this.clock.now());
      const withdrawn = await this.lotteries.withdraw(manager, municipalityId, id, entryNumber, resident.id, this.clock.now());
      // Someone else's entry, or one withdrawn already: not found either way.
      if (!withdrawn) throw BookingError.lotteryEntryNotFound(entryNumber);
      return withdrawn;
    });
    return toEntryDto(entry);
  }

  private requireOpen(lottery: Lottery, now: Date): void {
    const phase = phaseOf(lottery, now);
    if (phase === 'upcoming') throw BookingError.lotteryNotOpen(lottery.entryOpensAt);
    if (phase !== 'open') throw BookingError.lotteryClosed(lottery.entryClosesAt);
  }

  private timeZone(municipalityId: MunicipalityId): string {
    return this.directory.get(municipalityId)?.timeZone ?? 'Asia/Tokyo';
  }
}
