import holidayJp from '@holiday-jp/holiday_jp';

/**
 * Business days (開庁日) of a Japanese municipal office, on ISO dates
 * (`YYYY-MM-DD`, calendar dates with no time zone: callers first take the
 * date in the municipality's zone with `isoDateIn`).
 *
 * Closed: Saturdays, Sundays, national holidays and substitute holidays
 * (from `@holiday-jp/holiday_jp`, maintained upstream; it knows 1970–2050,
 * later years count weekends and the closure only), and the year-end
 * closure 12/29–1/3 (行政機関の休日に関する法律 and the usual 休日条例).
 *
 * The counting rule, used for standard processing times (標準処理期間):
 * - Something that happens on a closed day (an online submission on a
 *   Sunday) is taken as happening on the next business day (翌開庁日).
 * - That day itself is not counted (初日不算入, as in 民法140条): the due
 *   date of an n-day period is the n-th business day after it. With n = 0
 *   it is that day itself.
 * So a submission on Tuesday with 1 day is due Wednesday; on Saturday or
 * Monday it is due Tuesday.
 */

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// One set lookup per day instead of the library's isHoliday, which scans
// every key on each call.
const HOLIDAYS: ReadonlySet<string> = new Set(Object.keys(holidayJp.holidays));

/** Milliseconds at UTC midnight of a valid ISO date; anything else is a programming error. */
function toUtcMs(date: string): number {
  const match = ISO_DATE.exec(date);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const ms = Date.UTC(year, month - 1, day);
    const check = new Date(ms);
    if (check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day) return ms;
  }
  throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

function fromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function closedAt(ms: number, date: string): boolean {
  const weekday = new Date(ms).getUTCDay();
  if (weekday === 0 || weekday === 6) return true;
  const month = date.slice(5, 7);
  const day = Number(date.slice(8, 10));
  if ((month === '12' && day >= 29) || (month === '01' && day <= 3)) return true;
  return HOLIDAYS.has(date);
}

/** Whether the office is open on that date. */
export function isBusinessDay(date: string): boolean {
  return !closedAt(toUtcMs(date), date);
}

/** The date itself when the office is open, else the next business day (翌開庁日). */
export function businessDayOnOrAfter(date: string): string {
  let ms = toUtcMs(date);
  let current = date;
  while (closedAt(ms, current)) {
    ms += DAY_MS;
    current = fromUtcMs(ms);
  }
  return current;
}

/** The calendar date `days` days after (or before, when negative) `date`. */
export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer: ${days}`);
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

/**
 * The n-th business day after `date` (see the rule above: a closed `date`
 * counts from the next business day, which is itself not counted). A
 * negative n goes back: the |n|-th business day before that day.
 */
export function addBusinessDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`business days must be an integer: ${n}`);
  const start = businessDayOnOrAfter(date);
  const step = n < 0 ? -DAY_MS : DAY_MS;
  let ms = toUtcMs(start);
  let current = start;
  for (let left = Math.abs(n); left > 0; ) {
    ms += step;
    current = fromUtcMs(ms);
    if (!closedAt(ms, current)) left -= 1;
  }
  return current;
}

/**
 * Business days from `from` to `to`, by the same rule: the n for which
 * `addBusinessDays(from, n)` is `to` when `to` is a business day (a due date
 * always is). Negative when `to` lies before `from`'s business day, e.g.
 * the days an application is overdue. Counts business days in
 * (start, to] or, going back, minus those in (to, start], where start is
 * `from` or the next business day after it.
 */
export function businessDaysBetween(from: string, to: string): number {
  return businessDayOrdinal(to) - businessDayOrdinal(businessDayOnOrAfter(from));
}

// Business days counted from 1970-01-01, so a difference of two ordinals is
// the count between them in O(1): a work queue computes one per row, often
// across a year or more, and a day-by-day walk showed in its response time.
const yearTables = new Map<number, Uint16Array>();
const yearOffsets = new Map<number, number>([[1970, 0]]);

/** Business days from 1 January of `year` through each day of it. */
function yearTable(year: number): Uint16Array {
  let table = yearTables.get(year);
  if (!table) {
    const first = Date.UTC(year, 0, 1);
    const days = Math.round((Date.UTC(year + 1, 0, 1) - first) / DAY_MS);
    table = new Uint16Array(days);
    for (let day = 0, count = 0; day < days; day += 1) {
      const ms = first + day * DAY_MS;
      if (!closedAt(ms, fromUtcMs(ms))) count += 1;
      table[day] = count;
    }
    yearTables.set(year, table);
  }
  return table;
}

/** Business days from 1970-01-01 up to the end of the year before `year` (negative before 1970). */
function yearOffset(year: number): number {
  let known = year;
  while (!yearOffsets.has(known)) known += year > 1970 ? -1 : 1;
  let offset = yearOffsets.get(known)!;
  for (; known < year; known += 1) {
    offset += yearTable(known)[yearTable(known).length - 1];
    yearOffsets.set(known + 1, offset);
  }
  for (; known > year; known -= 1) {
    offset -= yearTable(known - 1)[yearTable(known - 1).length - 1];
    yearOffsets.set(known - 1, offset);
  }
  return offset;
}

/** How many business days there are from 1970-01-01 through `date`. */
function businessDayOrdinal(date: string): number {
  const year = Number(date.slice(0, 4));
  const dayOfYear = Math.round((toUtcMs(date) - Date.UTC(year, 0, 1)) / DAY_MS);
  return yearOffset(year) + yearTable(year)[dayOfYear];
}
