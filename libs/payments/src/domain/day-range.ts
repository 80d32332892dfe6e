/**
 * Calendar days of a municipality's time zone as instants, for "payments of
 * that day" in reports. Pure: no clock.
 */

/** Offset of `timeZone` from UTC at `instant`, in minutes (Asia/Tokyo: 540). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(instant)
      .filter((part) => part.type !== 'literal')
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** Whether `value` is YYYY-MM-DD and a real date. */
export function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** The instant a local calendar day starts in `timeZone`. */
export function startOfDay(isoDate: string, timeZone: string): Date {
  const [year, month, day] = isoDate.split('-').map(Number);
  const utcMidnight = Date.UTC(year, month - 1, day);
  // Two rounds settle the offset even where it changes that day.
  let start = utcMidnight - offsetMinutes(new Date(utcMidnight), timeZone) * 60_000;
  start = utcMidnight - offsetMinutes(new Date(start), timeZone) * 60_000;
  return new Date(start);
}

/** [start of the day, start of the next day) in `timeZone`. */
export function dayRange(isoDate: string, timeZone: string): { from: Date; to: Date } {
  return { from: startOfDay(isoDate, timeZone), to: startOfDay(nextDay(isoDate), timeZone) };
}

export function nextDay(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

/** `2026-11-22T10:00:00+09:00`: the instant as local time with its offset. */
export function localTimestamp(instant: Date, timeZone: string): string {
  const offset = offsetMinutes(instant, timeZone);
  const local = new Date(Math.floor(instant.getTime() / 1000) * 1000 + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const absolute = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
}
