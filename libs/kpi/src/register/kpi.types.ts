import { addDays, daysBetween } from '@madoguchi/kernel';
import type { LocalizedText } from '@madoguchi/workflow';

/**
 * What the system measures by itself. Each is defined for one calendar month
 * of the municipality's time zone (see the dashboard service for the rules):
 * - onlineProcedures: targeted procedures online at month end (count);
 * - cashlessServices: procedures with a cashless method at month end (count);
 * - onlineShare: applications submitted online ÷ all submitted in the month (%);
 * - convenienceStoreShare: submitted through convenience-store issuance ÷ all
 *   submitted in the month, over the KPI's procedureCodes (the certificates) (%);
 * - cashlessPaymentShare: fee payments made cashless ÷ all fee payments (%);
 * - processingTimeMedian / processingTimeP90: business days from submission
 *   to closing of the applications closed in the month;
 * - counterWaitMinutes: mean minutes from ticket issue to first call;
 * - noShowRate: tickets marked no-show ÷ tickets called (%).
 * procedureCodes, when set, limit the application measures to those procedures.
 */
export const KPI_MEASURES = [
  'onlineProcedures',
  'cashlessServices',
  'onlineShare',
  'convenienceStoreShare',
  'cashlessPaymentShare',
  'processingTimeMedian',
  'processingTimeP90',
  'counterWaitMinutes',
  'noShowRate',
] as const;
export type KpiMeasure = (typeof KPI_MEASURES)[number];
export const KPI_SOURCES = ['measured', 'entered'] as const;
export type KpiSource = (typeof KPI_SOURCES)[number];
export const KPI_DIRECTIONS = ['up', 'down'] as const;
export type KpiDirection = (typeof KPI_DIRECTIONS)[number];

export interface KpiDefinition {
  code: string;
  name: LocalizedText;
  unit: string;
  baseline: { value: number; date: string };
  /** fiscalYear: the Gregorian year the target fiscal year starts in. */
  target: { value: number; fiscalYear: number };
  direction: KpiDirection;
  source: KpiSource;
  measure: KpiMeasure | null;
  procedureCodes: string[];
  department: string | null;
  sortOrder: number;
  active: boolean;
}

export interface KpiRecord extends KpiDefinition {
  revision: number;
  updatedBy: string;
  updatedAt: Date;
  configChecksum: string | null;
}

/** Last day of a fiscal year that starts in `startMonth` of `fiscalYear`. */
export function fiscalYearEnd(fiscalYear: number, startMonth: number): string {
  const next = startMonth === 1 ? `${fiscalYear + 1}-01-01` : `${fiscalYear + 1}-${String(startMonth).padStart(2, '0')}-01`;
  return addDays(next, -1);
}

/** First day of the fiscal year `fiscalYear` (the year it starts in). */
export function fiscalYearStartDate(fiscalYear: number, startMonth: number): string {
  return `${fiscalYear}-${String(startMonth).padStart(2, '0')}-01`;
}

/** The fiscal year (the year it starts in) that contains `date`. */
export function fiscalYearContaining(date: string, startMonth: number): number {
  const [year, month] = date.split('-').map(Number);
  return month >= startMonth ? year : year - 1;
}

/**
 * The plan's straight line: the baseline value on the baseline date, the
 * target value on the last day of the target fiscal year, linear between
 * (by calendar days), flat before and after. Rounded to 2 decimals.
 */
export function plannedValueOn(date: string, kpi: Pick<KpiDefinition, 'baseline' | 'target'>, fiscalYearStartMonth: number): number {
  const end = fiscalYearEnd(kpi.target.fiscalYear, fiscalYearStartMonth);
  if (date <= kpi.baseline.date) return kpi.baseline.value;
  if (date >= end) return kpi.target.value;
  const share = daysBetween(kpi.baseline.date, date) / daysBetween(kpi.baseline.date, end);
  return round2(kpi.baseline.value + (kpi.target.value - kpi.baseline.value) * share);
}

/**
 * On track: the latest value is at least where the straight line is at the
 * end of that value's month (up), or at most (down). No value yet: null.
 */
export function isOnTrack(direction: KpiDirection, value: number | null, planned: number): boolean | null {
  if (value === null) return null;
  return direction === 'up' ? value >= planned : value <= planned;
}

/** Distance still to go to the target, never negative once it is reached. */
export function gapToTarget(direction: KpiDirection, value: number | null, target: number): number | null {
  if (value === null) return null;
  return round2(Math.max(0, direction === 'up' ? target - value : value - target));
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** First day of each month from the month of `from` through the month of `to`. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number);
  const [toYear, toMonth] = to.split('-').map(Number);
  while (year < toYear || (year === toYear && month <= toMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}-01`);
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/** Last day of the month that starts on `month` (YYYY-MM-01). */
export function monthEnd(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return addDays(m === 12 ? `${year + 1}-01-01` : `${year}-${String(m + 1).padStart(2, '0')}-01`, -1);
}
