/**
 * Local wall-clock time of a municipality, pure: the day a ticket number
 * belongs to, and the booking slots of a day.
 */

export interface LocalParts {
  /** YYYY-MM-DD. */
  date: string;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function localParts(instant: Date, timeZone: string): LocalParts {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday),
  };
}

/** The instant a local date and time of day (minutes after midnight) fall on. */
export function localInstant(date: string, minutesOfDay: number, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  const asUtc = Date.UTC(year, month - 1, day, 0, minutesOfDay);
  // The zone's offset near that instant; two rounds settle a change of offset that day.
  let guess = asUtc;
  for (let round = 0; round < 2; round += 1) {
    const local = localParts(new Date(guess), timeZone);
    const [y, m, d] = local.date.split('-').map(Number);
    const shownAsUtc = Date.UTC(y, m - 1, d, local.hour, local.minute, local.second);
    guess = asUtc - (shownAsUtc - guess);
  }
  return new Date(guess);
}

/** Whether `value` is YYYY-MM-DD and a real date. */
export function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).toISOString().slice(0, 10) === value;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

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
