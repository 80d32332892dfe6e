import { Injectable } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import { addDays, Clock, type MunicipalityId, periodProblem } from '@madoguchi/kernel';
import { BookingError } from '../booking.errors';
import { LotteryRepository } from '../lottery/lottery.repository';
import { BookingRepository, type TakenRange } from '../bookings/booking.repository';
import { dayPlan } from '../facilities/facility-rules';
import { localInstant, localParts, toMinutes } from '../facilities/facility-time';
import { FacilityRepository } from '../facilities/facility.repository';
import type { AvailabilityDto, AvailabilityQuery, SlotStatus } from './availability.dto';

/** The longest range one search covers: a month's calendar. */
export const MAX_RANGE_DAYS = 31;

/**
 * Public availability (空き状況), without sign-in. The slot grid comes from
 * the facility's rules (pure); what takes slots comes from one indexed
 * range query over live bookings and blocks of the dates asked for
 * (bookings_live_by_day, facility_blocks_live_by_day). Its cost follows the
 * range, never the number of bookings stored.
 */
@Injectable()
export class AvailabilityService {
  constructor(
    private readonly facilities: FacilityRepository,
    private readonly bookings: BookingRepository,
    private readonly lotteries: LotteryRepository,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
  ) {}

  async availability(municipalityId: MunicipalityId, code: string, query: AvailabilityQuery): Promise<AvailabilityDto> {
    const facility = await this.facilities.find(municipalityId, code);
    if (!facility?.active) throw BookingError.facilityNotFound(code);
    // The shared period check; bookings keeps its own code for it.
    const problem = periodProblem(query.from, query.to, MAX_RANGE_DAYS);
    if (problem) throw BookingError.rangeInvalid(problem, MAX_RANGE_DAYS);
    const rooms = facility.rooms.filter((room) => room.active && (!query.room || room.code === query.room));
    if (query.room && rooms.length === 0) throw BookingError.roomNotFound(code, query.room);
    const at = query.time === undefined ? null : toMinutes(query.time);

    const timeZone = this.directory.get(municipalityId)?.timeZone ?? 'Asia/Tokyo';
    const now = this.clock.now();
    const lastDate = addDays(localParts(now, timeZone).date, facility.rules.bookingWindowDays);
    const taken = groupByRoom(await this.bookings.takenBetween(municipalityId, code, query.from, query.to));
    const lotteries = await this.lotteries.undrawnBetween(municipalityId, code, query.from, query.to);
    const inLottery = (roomCode: string, date: string) => lotteries.some((lottery) => lottery.roomCodes.includes(roomCode) && lottery.from <= date && date <= lottery.to);

    const days: AvailabilityDto['days'] = [];
    for (let date = query.from; date <= query.to; date = addDays(date, 1)) {
      const plan = dayPlan(facility.rules, date);
      const slots = plan.slots.filter((slot) => at === null || (slot.startMinutes <= at && at < slot.endMinutes));
      const instant = dayClock(date, timeZone);
      days.push({
        date,
        weekday: plan.weekday,
        holiday: plan.holiday,
        closed: plan.closed,
        rooms: rooms.map((room) => ({
          room: room.code,
          slots: slots.map((slot) => {
            const startsAt = instant(slot.startMinutes);
            const endsAt = instant(slot.endMinutes);
            const closed = plan.closed !== null || startsAt.getTime() <= now.getTime() || date > lastDate;
            const status = closed ? 'closed' : statusOf(taken.get(room.code) ?? [], startsAt, endsAt, now);
            // Free slots a lottery keeps are not for first come until its draw.
            return { start: slot.start, end: slot.end, status: status === 'free' && inLottery(room.code, date) ? 'lottery' : status };
          }),
        })),
      });
    }
    return { facility: facility.code, timeZone, from: query.from, to: query.to, slotMinutes: facility.rules.slotMinutes, days };
  }
}

/**
 * Minutes of a local day as instants. Zone lookups are the expensive part of
 * a month's grid, so a day without an offset change (every day in Japan)
 * takes two and adds minutes; a day with one asks the zone for each time.
 */
function dayClock(date: string, timeZone: string): (minutes: number) => Date {
  const midnight = localInstant(date, 0, timeZone);
  const next = localInstant(date, 24 * 60, timeZone);
  if (next.getTime() - midnight.getTime() !== 24 * 3600_000) return (minutes) => localInstant(date, minutes, timeZone);
  return (minutes) => new Date(midnight.getTime() + minutes * 60_000);
}

function groupByRoom(ranges: TakenRange[]): Map<string, TakenRange[]> {
  const byRoom = new Map<string, TakenRange[]>();
  for (const range of ranges) byRoom.set(range.roomCode, [...(byRoom.get(range.roomCode) ?? []), range]);
  return byRoom;
}

/** A block outranks a booking (it may lie over one), a booking a hold; a hold past its expiry no longer counts. */
function statusOf(ranges: TakenRange[], startsAt: Date, endsAt: Date, now: Date): SlotStatus {
  let status: SlotStatus = 'free';
  for (const range of ranges) {
    if (range.startsAt.getTime() >= endsAt.getTime() || range.endsAt.getTime() <= startsAt.getTime()) continue;
    if (range.kind === 'blocked') return 'blocked';
    if (range.kind === 'confirmed') status = 'booked';
    else if (status === 'free' && (range.expiresAt === null || range.expiresAt.getTime() > now.getTime())) status = 'held';
  }
  return status;
}
