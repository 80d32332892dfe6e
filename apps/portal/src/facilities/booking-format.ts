import { localParts } from '@madoguchi/kernel';
import { formatDate, type Lang } from '@madoguchi/ui';
import type { PageContext } from '../shared/page-context';

/**
 * Facility times are local to the municipality; the portal serves Japanese
 * municipalities, all in one zone (AvailabilityDto.timeZone says the same).
 */
export const FACILITY_TIME_ZONE = 'Asia/Tokyo';

const pad = (value: number) => String(value).padStart(2, '0');

/** An instant as the local date in words and the time: 令和8年11月22日（2026年11月22日） 10:15. */
export function formatInstant(lang: Lang, iso: string): string {
  const parts = localParts(new Date(iso), FACILITY_TIME_ZONE);
  return `${formatDate(lang, parts.date)} ${pad(parts.hour)}:${pad(parts.minute)}`;
}

/** Slots joined as ranges: 13:00〜15:00、15:00〜17:00. */
export function formatSlots(context: PageContext, slots: Array<{ start: string; end: string }>): string {
  return slots.map((slot) => context.t('facilities.hoursValue', { open: slot.start, close: slot.end })).join(context.lang === 'en' ? ', ' : '、');
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekdayKey = (typeof WEEKDAYS)[number];
export const WEEKDAY_KEYS = WEEKDAYS;

/** 11月24日（火） / Tue 24/11: a short date for the column headers of the grid. */
export function formatDayHeader(context: PageContext, date: string, weekday: string): string {
  const [, month, day] = date.split('-').map(Number);
  const key = (WEEKDAYS as readonly string[]).includes(weekday) ? (weekday as WeekdayKey) : 'sun';
  return context.t('facilities.dayHeader', { month, day, weekday: context.t(`facilities.weekday.${key}`) });
}
