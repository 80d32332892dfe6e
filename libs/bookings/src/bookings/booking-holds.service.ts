import { Injectable } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import { IdentityError, type ResidentPrincipal, type StaffPrincipal } from '@madoguchi/identity';
import { Clock, type MunicipalityId, OutboxRepository, AUDIT_RECORD_TOPIC, declareOutboxTopic } from '@madoguchi/kernel';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { BookingError } from '../booking.errors';
import { localParts } from '../facilities/facility-time';
import { FacilityRepository } from '../facilities/facility.repository';
import { LotteryRepository } from '../lottery/lottery.repository';
import type { Facility } from '../facilities/facility.types';
import { BookingRepository, type LapsedHold } from './booking.repository';
import type { Booking, BookingChannel, HolderKind } from './booking.types';
import { toBookingDto } from './booking.mapper';
import type { BookingDto, HoldRequestDto } from './dto/booking.dto';
import { resolveSlots, type SlotChoice } from './slot-choice';

/** Topic of the message that ends an application whose hold lapsed. */
export const BOOKING_LAPSED_TOPIC = declareOutboxTopic('booking.lapsed');
/** A resident's holds not yet used by an application: enough to compare a few rooms, too few to hoard a calendar. */
export const MAX_OPEN_HOLDS_PER_RESIDENT = 3;
/** Topic of the message that forfeits a lottery win whose hold lapsed, and passes its slots down the waitlist. */
export const LOTTERY_FORFEIT_TOPIC = declareOutboxTopic('lottery.forfeit');
/** Counter staff with a clerk's desk role place holds for visitors. */
export const COUNTER_HOLD_ROLES = ['clerk', 'reviewer'] as const;

export interface Holder {
  kind: HolderKind;
  id: string;
  channel: BookingChannel;
}

/** A hold for a lottery win: its entry, and the payment deadline in place of the facility's hold time. */
export interface LotteryPlacement {
  lotteryId: string;
  entryNumber: number;
  expiresAt: Date;
}

/**
 * Provisional holds (仮予約): a room's slots taken for a while, before the
 * application that pays for them. Holds are placed here only, under the
 * room's advisory lock; the exclusion constraint on `bookings` decides who
 * gets a slot when several ask at once. A hold lapses at its expiry (15
 * minutes online, longer at the counter, per facility): the sweep marks it
 * expired, which frees the slots, and tells the application through the
 * outbox so that it ends too.
 */
@Injectable()
export class BookingHoldsService {
  constructor(
    private readonly facilities: FacilityRepository,
    private readonly bookings: BookingRepository,
    private readonly lotteries: LotteryRepository,
    private readonly outbox: OutboxRepository,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
  ) {}

  /** A signed-in resident holds slots online. */
  async holdForResident(resident: ResidentPrincipal, request: HoldRequestDto): Promise<BookingDto> {
    const municipalityId = resident.municipalityId;
    const booking = await this.bookings.transaction((manager) =>
      this.place(manager, municipalityId, choiceOf(request), { kind: 'resident', id: resident.id, channel: 'online' }, this.clock.now()),
    );
    return this.dto(booking);
  }

  /** Counter staff of the facility's department hold slots for a visitor; the hold lasts the counter's longer time. */
  async holdAtCounter(staff: StaffPrincipal, request: HoldRequestDto): Promise<BookingDto> {
    if (!staff.roles.some((role) => (COUNTER_HOLD_ROLES as readonly string[]).includes(role))) throw IdentityError.forbidden();
    const municipalityId = staff.municipalityId;
    const facility = await this.facilities.find(municipalityId, request.facility);
    if (!facility || !staff.departments.includes(facility.department)) throw BookingError.facilityNotFound(request.facility);
    const booking = await this.bookings.transaction((manager) =>
      this.place(manager, municipalityId, choiceOf(request), { kind: 'staff', id: staff.id, channel: 'counter' }, this.clock.now()),
    );
    return this.dto(booking);
  }

  /**
   * Places a hold inside the caller's transaction (the hold route's own,
   * or the engine's when a submission holds its slots itself, or the
   * lottery's draw with `lottery` set: the use date may then lie beyond the
   * booking window (the lottery's period decides), the hold lapses at the
   * winner's payment deadline, and it does not count as an open hold).
   */
  async place(manager: EntityManager, municipalityId: MunicipalityId, choice: SlotChoice, holder: Holder, now: Date, lottery?: LotteryPlacement): Promise<Booking> {
    const facility = await this.facilities.find(municipalityId, choice.facilityCode, manager);
    if (!facility?.active) throw BookingError.facilityNotFound(choice.facilityCode);
    if (!facility.rooms.some((room) => room.code === choice.roomCode && room.active)) throw BookingError.roomNotFound(choice.facilityCode, choice.roomCode);
    const timeZone = this.timeZone(municipalityId);
    const { slotStarts, ranges } = resolveSlots(facility, choice, now, timeZone, { ignoreWindow: lottery !== undefined });
    // One holder's holds one at a time: the repeat below and the limit on open holds are then exact.
    await this.bookings.lockHolder(manager, municipalityId, holder.kind, holder.id);
    // A repeated request (a retry, or applying without naming the hold) gets the holder's own hold back, not a 409.
    const same = lottery ? null : await this.bookings.sameOpenHold(manager, municipalityId, holder, { facilityCode: facility.code, roomCode: choice.roomCode, date: choice.date, slotStarts }, now);
    if (same) return same;
    if (!lottery && holder.kind === 'resident' && (await this.bookings.openHoldsOf(manager, municipalityId, holder.kind, holder.id, now)) >= MAX_OPEN_HOLDS_PER_RESIDENT) {
      throw BookingError.tooManyHolds(MAX_OPEN_HOLDS_PER_RESIDENT);
    }
    // Fast refusal without queueing on the room's lock when the slots are plainly taken;
    // only an optimisation: the exclusion constraint still decides every race below.
    if (await this.bookings.taken(manager, municipalityId, facility.code, choice.roomCode, ranges, now)) throw BookingError.slotTaken();
    await this.bookings.lockRoom(manager, municipalityId, facility.code, choice.roomCode);
    // Until its draw, a lottery's rooms and dates go to its entries only (checked under the room's lock, which creating a lottery takes too).
    if (!lottery) {
      const lotteryId = await this.lotteries.undrawnCovering(manager, municipalityId, facility.code, choice.roomCode, choice.date);
      if (lotteryId) throw BookingError.slotInLottery(lotteryId);
    }
    if (await this.bookings.blocked(manager, municipalityId, facility.code, choice.roomCode, ranges)) throw BookingError.slotBlocked();
    // Holds that lapsed but were not swept yet must not stand in the way.
    await this.recordLapsed(manager, await this.bookings.lapse(manager, now, { municipalityId, facilityCode: facility.code, roomCode: choice.roomCode, ranges }), now);

    const id = randomUUID();
    const year = Number(localParts(now, timeZone).date.slice(0, 4));
    const bookingNumber = `${year}-${String(await this.bookings.nextNumber(manager, municipalityId, year)).padStart(6, '0')}`;
    const inserted = await this.bookings.insertHold(manager, municipalityId, {
      id,
      bookingNumber,
      facilityCode: facility.code,
      roomCode: choice.roomCode,
      useDate: choice.date,
      slotStarts,
      slotMinutes: facility.rules.slotMinutes,
      ranges,
      channel: holder.channel,
      holderKind: holder.kind,
      holderId: holder.id,
      expiresAt: lottery?.expiresAt ?? new Date(now.getTime() + holdMinutes(facility, holder.channel) * 60_000),
      lotteryEntry: lottery ? { lotteryId: lottery.lotteryId, entryNumber: lottery.entryNumber } : undefined,
      now,
    });
    if (!inserted) throw BookingError.slotTaken();
    await this.bookings.appendEvent(manager, municipalityId, id, {
      seq: 1,
      type: 'hold.placed',
      fromStatus: null,
      toStatus: 'held',
      actor: { kind: holder.kind, id: holder.id },
      details: lottery ? { channel: holder.channel, lotteryId: lottery.lotteryId, entryNumber: lottery.entryNumber } : { channel: holder.channel },
      at: now,
    });
    await this.outbox.enqueue(manager, municipalityId, {
      topic: AUDIT_RECORD_TOPIC,
      availableAt: now,
      payload: {
        actor: { kind: holder.kind, id: holder.id },
        action: 'booking.hold.placed',
        target: { type: 'booking', id },
        details: { facility: facility.code, room: choice.roomCode, date: choice.date, slots: slotStarts, channel: holder.channel, origin: lottery ? 'lottery' : 'hold' },
      },
    });
    return (await this.bookings.find(municipalityId, id, manager))!;
  }

  /** The worker's sweep: lapsed holds of every municipality, a batch per transaction. */
  async sweep(limit = 100): Promise<number> {
    return this.bookings.transaction(async (manager) => {
      const now = this.clock.now();
      const lapsed = await this.bookings.lapse(manager, now, null, limit);
      await this.recordLapsed(manager, lapsed, now);
      return lapsed.length;
    });
  }

  /**
   * History for each lapsed hold, and a message to end its application
   * (sent from the outbox, so the sweep never waits on an application's lock
   * while the engine, holding that lock, waits on the booking's).
   */
  private async recordLapsed(manager: EntityManager, lapsed: LapsedHold[], now: Date): Promise<void> {
    for (const hold of lapsed) {
      await this.bookings.appendEvent(manager, hold.municipalityId, hold.id, {
        seq: hold.revision,
        type: 'hold.expired',
        fromStatus: 'held',
        toStatus: 'expired',
        actor: { kind: 'system', id: 'hold-expiry' },
        details: { expiresAt: hold.expiresAt.toISOString() },
        at: now,
      });
      if (hold.applicationId) {
        await this.outbox.enqueue(manager, hold.municipalityId, {
          topic: BOOKING_LAPSED_TOPIC,
          applicationId: hold.applicationId,
          availableAt: now,
          payload: { applicationId: hold.applicationId, bookingId: hold.id },
        });
      }
      await this.offerBackIfLotteryWin(manager, hold.municipalityId, hold, now);
    }
  }

  /**
   * A lottery win that lapsed unpaid or was given up: the lottery forfeits it
   * and offers its slots down the waitlist (after commit, idempotently).
   */
  async offerBackIfLotteryWin(manager: EntityManager, municipalityId: MunicipalityId, booking: { id: string; origin: string }, now: Date): Promise<void> {
    if (booking.origin !== 'lottery') return;
    await this.outbox.enqueue(manager, municipalityId, { topic: LOTTERY_FORFEIT_TOPIC, availableAt: now, payload: { bookingId: booking.id } });
  }

  private timeZone(municipalityId: MunicipalityId): string {
    return this.directory.get(municipalityId)?.timeZone ?? 'Asia/Tokyo';
  }

  private async dto(booking: Booking): Promise<BookingDto> {
    return toBookingDto(booking, await this.facilities.find(booking.municipalityId as MunicipalityId, booking.facilityCode), this.clock.now());
  }
}

export function holdMinutes(facility: Facility, channel: BookingChannel): number {
  return channel === 'online' ? facility.rules.holds.onlineMinutes : facility.rules.holds.counterMinutes;
}

function choiceOf(request: HoldRequestDto): SlotChoice {
  return { facilityCode: request.facility, roomCode: request.room, date: request.date, slots: request.slots };
}
