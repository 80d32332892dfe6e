/**
 * Wall-clock time of a municipality, pure. Facilities open by local time
 * (09:00 in Asia/Tokyo), bookings are stored as instants.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

interface LocalParts {
  date: string;
  minutes: number;
}

export function localParts(instant: Date, timeZone: string): LocalParts {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
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
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) + Number(parts.second) / 60 };
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
    const shownAsUtc = Date.UTC(y, m - 1, d, 0, 0) + local.minutes * 60_000;
    guess = asUtc - (shownAsUtc - guess);
  }
  return new Date(guess);
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of 'HH:MM' ('24:00' is 1440, for a closing time); null when malformed. */
export function toMinutes(value: string): number | null {
  if (value === '24:00') return 24 * 60;
  const match = HH_MM.exec(value);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

export function fromMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Whether `value` is YYYY-MM-DD and a date that exists. */
export function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).toISOString().slice(0, 10) === value;
}

/** 0 = Sunday … 6 = Saturday, of a calendar date. */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}
