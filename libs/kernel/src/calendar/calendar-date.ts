/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function isoDateIn(instant: Date, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(instant);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Last day of each month from the month of `from` to the month of `to`, as YYYY-MM-DD. */
export function monthEnds(from: string, to: string): string[] {
  const [fromYear, fromMonth] = from.split('-').map(Number);
  const [toYear, toMonth] = to.split('-').map(Number);
  const result: string[] = [];
  for (let year = fromYear, month = fromMonth; year < toYear || (year === toYear && month <= toMonth); month += 1) {
    if (month > 12) {
      month = 1;
      year += 1;
      if (year > toYear || (year === toYear && month > toMonth)) break;
    }
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    result.push(`${year}-${String(month).padStart(2, '0')}-${String(lastDay).padStart(2, '0')}`);
  }
  return result;
}

/** Whole days from a to b (both YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
