/**
 * Wall-clock time of a municipality, pure: what a local date and time is
 * for an instant, and the other way round. Counter slots, ticket days and
 * facility opening hours are local times; the database stores instants.
 */

export interface LocalParts {
  /** YYYY-MM-DD. */
  date: string;
  hour: number;
  minute: number;
  second: number;
  /** Minutes after local midnight, seconds as a fraction. */
  minutes: number;
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
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  const second = Number(parts.second);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour,
    minute,
    second,
    minutes: hour * 60 + minute + second / 60,
    weekday: WEEKDAYS.indexOf(parts.weekday),
  };
}

/** The instant of a local date and time of day (minutes after midnight; 1440 is the next midnight). */
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

/** Whether `value` is YYYY-MM-DD and a date that exists. */
export function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).toISOString().slice(0, 10) === value;
}
