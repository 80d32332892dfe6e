import { addDays } from '@madoguchi/kernel';
import { BookingError } from '../booking.errors';
import { dayPlan } from '../facilities/facility-rules';
import { isRealDate, localInstant, localParts, toMinutes } from '../facilities/facility-time';
import type { Facility } from '../facilities/facility.types';
import type { SlotRange } from './booking.repository';

/** Slots a resident chose: one room of a facility, one day, one or more slot start times. */
export interface SlotChoice {
  facilityCode: string;
  roomCode: string;
  date: string;
  slots: string[];
}

export interface ResolvedSlots {
  /** Start times, sorted and without repeats. */
  slotStarts: string[];
  ranges: SlotRange[];
}

/**
 * Checks a choice against the facility's calendar at `now` and turns it into
 * instants: the day is within the booking window and open, each start time
 * is a slot of that day, and none has started.
 */
export function resolveSlots(facility: Facility, choice: SlotChoice, now: Date, timeZone: string, options: { ignoreWindow?: boolean } = {}): ResolvedSlots {
  if (!isRealDate(choice.date)) throw BookingError.slotInvalid(choice.slots);
  const today = localParts(now, timeZone).date;
  const lastDate = addDays(today, facility.rules.bookingWindowDays);
  if (choice.date < today) throw BookingError.slotPast();
  // A lottery sets its own period, typically beyond the ordinary booking window.
  if (!options.ignoreWindow && choice.date > lastDate) throw BookingError.outsideWindow(lastDate);
  const plan = dayPlan(facility.rules, choice.date);
  if (plan.closed) throw BookingError.dayClosed(choice.date, plan.closed);
  const slotStarts = [...new Set(choice.slots)].sort((a, b) => (toMinutes(a) ?? 0) - (toMinutes(b) ?? 0));
  const unknown = slotStarts.filter((start) => !plan.slots.some((slot) => slot.start === start));
  if (slotStarts.length === 0 || unknown.length > 0) throw BookingError.slotInvalid(unknown);
  const ranges = slotStarts.map((start) => {
    const slot = plan.slots.find((candidate) => candidate.start === start)!;
    return { startsAt: localInstant(choice.date, slot.startMinutes, timeZone), endsAt: localInstant(choice.date, slot.endMinutes, timeZone) };
  });
  if (ranges[0].startsAt.getTime() <= now.getTime()) throw BookingError.slotPast();
  return { slotStarts, ranges };
}

/** Whether two choices name the same room, day and slots (in any order). */
export function sameChoice(a: SlotChoice, b: SlotChoice): boolean {
  const slots = (choice: SlotChoice) => [...new Set(choice.slots)].sort().join(',');
  return a.facilityCode === b.facilityCode && a.roomCode === b.roomCode && a.date === b.date && slots(a) === slots(b);
}
