/**
 * The counter's local-time rules, pure: booking slots of a day and what
 * makes a slot bookable. The wall-clock helpers live in the kernel.
 */
import { daysBetween, localInstant, localParts } from '@madoguchi/kernel';

export { daysBetween, isRealDate, localInstant, localParts, type LocalParts } from '@madoguchi/kernel';

/**
 * When residents can book a visit: weekdays, slots of 15 minutes from 8:30,
 * the last starting at 16:45 (the usual 開庁時間 of 8:30–17:15). Public
 * holidays and the year-end closure are not known here yet.
 */
export const BOOKING_HOURS = { firstSlotMinute: 8 * 60 + 30, lastSlotMinute: 16 * 60 + 45, slotMinutes: 15, maxDaysAhead: 60 } as const;

export type SlotProblem = 'notOnGrid' | 'outsideHours' | 'closedDay' | 'past' | 'tooFar';

/** Why a resident cannot book `slotAt`, or null when they can. */
export function slotProblem(slotAt: Date, now: Date, timeZone: string): SlotProblem | null {
  const local = localParts(slotAt, timeZone);
  const minuteOfDay = local.hour * 60 + local.minute;
  if (local.second !== 0 || slotAt.getMilliseconds() !== 0 || minuteOfDay % BOOKING_HOURS.slotMinutes !== 0) return 'notOnGrid';
  if (minuteOfDay < BOOKING_HOURS.firstSlotMinute || minuteOfDay > BOOKING_HOURS.lastSlotMinute) return 'outsideHours';
  if (local.weekday === 0 || local.weekday === 6) return 'closedDay';
  if (slotAt.getTime() <= now.getTime()) return 'past';
  if (daysBetween(localParts(now, timeZone).date, local.date) > BOOKING_HOURS.maxDaysAhead) return 'tooFar';
  return null;
}

/** Every slot of a local day that can still be booked at `now` (none on a closed day). */
export function slotsOfDay(date: string, now: Date, timeZone: string): Date[] {
  const slots: Date[] = [];
  for (let minute = BOOKING_HOURS.firstSlotMinute; minute <= BOOKING_HOURS.lastSlotMinute; minute += BOOKING_HOURS.slotMinutes) {
    const slot = localInstant(date, minute, timeZone);
    if (slotProblem(slot, now, timeZone) === null) slots.push(slot);
  }
  return slots;
}
