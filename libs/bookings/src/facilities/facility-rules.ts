import holidayJp from '@holiday-jp/holiday_jp';
import type { LocalizedText } from '@madoguchi/workflow';
import { fromMinutes, isRealDate, toMinutes, weekdayOf } from './facility-time';
import {
  type CancellationTier,
  type FacilityDefinition,
  type FacilityReduction,
  type FacilityRules,
  type OpeningHours,
  type Residency,
  type Room,
  type Weekday,
  WEEKDAYS,
} from './facility.types';

/**
 * The rules of a facility, pure: which days and slots exist, why a day is
 * closed, what slots cost and what a cancellation gives back. No clock, no
 * database: callers pass the date and the time.
 */

// National holidays, substitute holidays and 国民の休日, maintained upstream (1970–2050).
const HOLIDAYS = holidayJp.holidays as Record<string, { name: string; name_en: string }>;

export type ClosedReason = 'weekly' | 'holiday' | 'date' | 'annual';

export interface SlotTime {
  start: string;
  end: string;
  startMinutes: number;
  endMinutes: number;
}

export interface DayPlan {
  date: string;
  weekday: Weekday;
  /** The national holiday that day, if any. */
  holiday: LocalizedText | null;
  /** Why nothing can be booked that day; null when open. */
  closed: ClosedReason | null;
  /** The slot grid of the hours that would apply (shown as closed on a closed day); empty without hours. */
  slots: SlotTime[];
}

export function holidayOn(date: string): LocalizedText | null {
  const holiday = HOLIDAYS[date];
  return holiday ? { ja: holiday.name, en: holiday.name_en } : null;
}

/** Slots from opening time, one after another, the last ending by closing time. */
export function slotGrid(hours: OpeningHours | null, slotMinutes: number): SlotTime[] {
  if (!hours) return [];
  const open = toMinutes(hours.open);
  const close = toMinutes(hours.close);
  if (open === null || close === null) return [];
  const slots: SlotTime[] = [];
  for (let start = open; start + slotMinutes <= close; start += slotMinutes) {
    slots.push({ start: fromMinutes(start), end: fromMinutes(start + slotMinutes), startMinutes: start, endMinutes: start + slotMinutes });
  }
  return slots;
}

/**
 * One day of a facility. Precedence of closures: a named date (点検日), the
 * yearly closure (年末年始), a national holiday when the facility closes on
 * holidays, then the weekly closure (定休日). A facility open on holidays
 * opens even on its weekly closed day when it has holiday hours.
 */
export function dayPlan(rules: FacilityRules, date: string): DayPlan {
  const weekday = WEEKDAYS[weekdayOf(date)];
  const holiday = holidayOn(date);
  const weekly = rules.openingHours[weekday];
  const hours = holiday && rules.holidays === 'open' ? (rules.holidayHours ?? weekly) : weekly;
  let closed: ClosedReason | null = null;
  if (rules.closedDates.includes(date)) closed = 'date';
  else if (rules.closedAnnually.includes(date.slice(5))) closed = 'annual';
  else if (holiday && rules.holidays === 'closed') closed = 'holiday';
  else if (!hours) closed = 'weekly';
  return { date, weekday, holiday, closed, slots: slotGrid(hours ?? weekly, rules.slotMinutes) };
}

export const CLOSED_REASON_TEXT: Record<ClosedReason, LocalizedText> = {
  weekly: { ja: '休館日（定休日）です。', en: 'The facility is closed on this day of the week.' },
  holiday: { ja: '祝日は休館です。', en: 'The facility is closed on national holidays.' },
  date: { ja: 'この日は休館日（点検等）です。', en: 'The facility is closed on this date.' },
  annual: { ja: '年末年始等の休館日です。', en: 'The facility is closed for the season (e.g. the year-end closure).' },
};

// Fees

export interface Quote {
  /** Yen per slot for the residency. */
  rate: number;
  slots: number;
  residency: Residency;
  /** rate × slots. */
  base: number;
  reduction: FacilityReduction | null;
  /** Yen to pay: the base less the reduction, rounded down (yen have no fractions). */
  amount: number;
}

export function quote(room: Room, slots: number, residency: Residency, reduction: FacilityReduction | null): Quote {
  const rate = residency === 'resident' ? room.rates.resident : room.rates.nonResident;
  const base = rate * slots;
  const amount = reduction ? Math.floor((base * (100 - reduction.percent)) / 100) : base;
  return { rate, slots, residency, base, reduction, amount };
}

// Cancellation

/** The tier for a cancellation `noticeDays` calendar days before the day of use (0 = that day). */
export function cancellationTier(policy: CancellationTier[], noticeDays: number): CancellationTier {
  // checkFacility guarantees a tier with daysBefore 0, so every notice period has one.
  return policy.find((tier) => noticeDays >= tier.daysBefore) ?? { daysBefore: 0, refundPercent: 0 };
}

export function refundFor(paid: number, percent: number): number {
  return Math.floor((paid * percent) / 100);
}

// Checking a facility before it is written

export interface FacilityProblem {
  /** JSON pointer into the facility definition. */
  path: string;
  reason: string;
}

export interface FacilityContext {
  departments: readonly string[];
  /** Codes of the municipality's procedures of category booking. */
  bookingProcedures: readonly string[];
}

/**
 * Cross-field rules the DTO's field checks cannot see. Every case must be
 * covered without gaps: the cancellation tiers reach down to the day of use.
 */
export function checkFacility(definition: FacilityDefinition, context: FacilityContext): FacilityProblem[] {
  const problems: FacilityProblem[] = [];
  const add = (path: string, reason: string) => problems.push({ path, reason });
  const { rules } = definition;

  if (!context.departments.includes(definition.department)) add('/department', `unknown department "${definition.department}"`);
  if (!context.bookingProcedures.includes(definition.procedureCode)) {
    add('/procedureCode', `"${definition.procedureCode}" is not a booking procedure of this municipality (known: ${context.bookingProcedures.join(', ') || 'none'})`);
  }

  if ((definition.details.latitude === null) !== (definition.details.longitude === null)) add('/details', 'give latitude and longitude together, or neither');

  if (definition.rooms.length === 0) add('/rooms', 'a facility needs at least one room or court');
  const codes = new Set<string>();
  definition.rooms.forEach((room, index) => {
    if (codes.has(room.code)) add(`/rooms/${index}/code`, `duplicate room "${room.code}"`);
    codes.add(room.code);
  });

  const checkHours = (hours: OpeningHours | null, path: string) => {
    if (!hours) return;
    const open = toMinutes(hours.open);
    const close = toMinutes(hours.close);
    if (open === null || open === 24 * 60) add(`${path}/open`, 'must be HH:MM (00:00–23:59)');
    if (close === null) add(`${path}/close`, 'must be HH:MM (00:01–24:00)');
    if (open === null || close === null) return;
    if (close <= open) add(path, 'closing time must come after opening time');
    else if (slotGrid(hours, rules.slotMinutes).length === 0) add(path, `shorter than one slot of ${rules.slotMinutes} minutes`);
  };
  for (const weekday of WEEKDAYS) checkHours(rules.openingHours[weekday], `/openingHours/${weekday}`);
  checkHours(rules.holidayHours, '/holidayHours');
  if (rules.holidays === 'closed' && rules.holidayHours) add('/holidayHours', 'holiday hours only apply when holidays are "open"');
  if (WEEKDAYS.every((weekday) => !rules.openingHours[weekday]) && !(rules.holidays === 'open' && rules.holidayHours)) {
    add('/openingHours', 'the facility is never open');
  }

  rules.closedDates.forEach((date, index) => {
    if (!isRealDate(date)) add(`/closedDates/${index}`, 'must be a date (YYYY-MM-DD)');
  });
  rules.closedAnnually.forEach((day, index) => {
    if (!/^\d{2}-\d{2}$/.test(day) || !isRealDate(`2024-${day}`)) add(`/closedAnnually/${index}`, 'must be a day of the year (MM-DD)');
  });

  const tiers = rules.cancellation;
  if (tiers.length === 0) add('/cancellation', 'a cancellation policy needs at least one tier');
  tiers.forEach((tier, index) => {
    if (index > 0 && tier.daysBefore >= tiers[index - 1].daysBefore) add(`/cancellation/${index}/daysBefore`, 'tiers go from the most notice to the least, without repeats');
    if (index > 0 && tier.refundPercent > tiers[index - 1].refundPercent) add(`/cancellation/${index}/refundPercent`, 'less notice never refunds more');
  });
  if (tiers.length > 0 && tiers[tiers.length - 1].daysBefore !== 0) {
    add(`/cancellation/${tiers.length - 1}/daysBefore`, 'the last tier must start at 0 days (a cancellation on the day of use)');
  }

  const reductionCodes = new Set<string>();
  rules.reductions.forEach((reduction, index) => {
    if (reductionCodes.has(reduction.code)) add(`/reductions/${index}/code`, `duplicate reduction "${reduction.code}"`);
    reductionCodes.add(reduction.code);
  });
  if (rules.holds.counterMinutes < rules.holds.onlineMinutes) add('/holds/counterMinutes', 'a counter hold lasts at least as long as an online one');
  return problems;
}
