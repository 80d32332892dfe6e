import { RequestError } from '../errors/domain-error';
import { daysBetween } from './calendar-date';
import { isRealDate } from './local-time';

/**
 * Days a period parameter may name. A real date outside these years is
 * still a mistake for a municipal service (and 9999-12-31 plus one day is
 * a timestamp PostgreSQL refuses).
 */
export const PERIOD_FIRST_YEAR = 1900;
export const PERIOD_LAST_YEAR = 2999;

/** YYYY-MM-DD, a day that exists, within the years above. */
export function isPeriodDay(value: string): boolean {
  if (!isRealDate(value)) return false;
  const year = Number(value.slice(0, 4));
  return year >= PERIOD_FIRST_YEAR && year <= PERIOD_LAST_YEAR;
}

export type PeriodProblem = 'invalidDate' | 'fromAfterTo' | 'tooLong';

/**
 * The one check every route that takes a period runs (KPI, accounting CSV,
 * counter statistics, work queue, facility availability): valid days,
 * `from` ≤ `to`, and at most `maxDays` days (both ends counted) where an
 * unbounded span is expensive. Null when the period is fine.
 */
export function periodProblem(from: string | null | undefined, to: string | null | undefined, maxDays?: number): PeriodProblem | null {
  for (const day of [from, to]) if (day != null && !isPeriodDay(day)) return 'invalidDate';
  if (from == null || to == null) return null;
  const days = daysBetween(from, to);
  if (days < 0) return 'fromAfterTo';
  if (maxDays !== undefined && days + 1 > maxDays) return 'tooLong';
  return null;
}

export class PeriodError extends RequestError {
  static of(problem: PeriodProblem, maxDays?: number): PeriodError {
    switch (problem) {
      case 'invalidDate':
        return new PeriodError('PERIOD_DATE_INVALID', {
          ja: `日付は ${PERIOD_FIRST_YEAR}〜${PERIOD_LAST_YEAR} 年の実在する日を YYYY-MM-DD で指定してください。`,
          en: `Dates must be days that exist, YYYY-MM-DD, in the years ${PERIOD_FIRST_YEAR}–${PERIOD_LAST_YEAR}.`,
        });
      case 'fromAfterTo':
        return new PeriodError('PERIOD_REVERSED', { ja: '期間の開始日が終了日より後になっています。', en: 'The start of the period is after its end.' });
      case 'tooLong':
        return new PeriodError(
          'PERIOD_TOO_LONG',
          { ja: `期間は最長 ${maxDays} 日までです。期間を分けて指定してください。`, en: `The period may be at most ${maxDays} days; ask for it in parts.` },
          { maxDays },
        );
    }
  }

  private constructor(code: string, message: { ja: string; en: string }, details?: Record<string, unknown>) {
    super(400, code, message, details);
  }
}

/** Throws the shared PeriodError when the period is not fine. */
export function checkPeriod(from: string | null | undefined, to: string | null | undefined, maxDays?: number): void {
  const problem = periodProblem(from, to, maxDays);
  if (problem) throw PeriodError.of(problem, maxDays);
}
