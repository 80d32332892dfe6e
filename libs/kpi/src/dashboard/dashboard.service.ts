import { Injectable } from '@nestjs/common';
import { MunicipalityDirectory, type MunicipalitySettings } from '@madoguchi/config';
import { IdentityError, type StaffPrincipal } from '@madoguchi/identity';
import { localInstant, type MunicipalityId, type ReadFrom } from '@madoguchi/kernel';
import { hasCashlessMethod, isCashlessMethod, type RecordedPaymentMethod } from '@madoguchi/payments';
import { ProceduresService } from '@madoguchi/procedures';
import { CHANNELS, type Channel, type LocalizedText, type ProcedureDefinition } from '@madoguchi/workflow';
import { computeOnlineProcedureKpi, type OnlineProcedureKpi } from '../online-procedure-kpi';
import {
  fiscalYearContaining,
  fiscalYearEnd,
  fiscalYearStartDate,
  type KpiDefinition,
  type KpiMeasure,
  monthEnd,
  monthsBetween,
  round2,
} from '../register/kpi.types';
import { DashboardRepository, type ProcessingCount } from './dashboard.repository';

export interface DashboardFilter {
  fiscalYear?: number;
  department?: string;
}

export interface DashboardPeriod {
  fiscalYear: number;
  from: string;
  to: string;
  department: string | null;
}

export interface MeasuredValue {
  value: number | null;
  details: Record<string, number>;
}

export type ChannelCounts = Record<Channel, number>;

export interface ChannelsDashboard {
  period: DashboardPeriod;
  total: number;
  onlineShare: number | null;
  byChannel: ChannelCounts;
  procedures: Array<{ code: string; name: LocalizedText; total: number; byChannel: ChannelCounts; onlineShare: number | null }>;
  months: Array<{ month: string; total: number; byChannel: ChannelCounts; onlineShare: number | null }>;
}

export interface CashlessDashboard {
  period: DashboardPeriod;
  feePayments: number;
  cashlessPayments: number;
  cashlessShare: number | null;
  months: Array<{ month: string; feePayments: number; cashlessPayments: number; cashlessShare: number | null }>;
}

export interface ProcessingTimeFigures {
  closed: number;
  medianBusinessDays: number | null;
  p90BusinessDays: number | null;
}

export interface ProcessingTimesDashboard {
  period: DashboardPeriod;
  overall: ProcessingTimeFigures;
  /** Applications closed per number of business days taken (all procedures of the filter), ascending. */
  histogram: Array<{ businessDays: number; count: number }>;
  procedures: Array<{ code: string; name: LocalizedText } & ProcessingTimeFigures>;
}

export interface CounterDashboard {
  period: DashboardPeriod;
  tickets: number;
  called: number;
  noShows: number;
  noShowRate: number | null;
  averageWaitMinutes: number | null;
  services: Array<{
    code: string;
    name: LocalizedText;
    tickets: number;
    called: number;
    noShows: number;
    noShowRate: number | null;
    averageWaitMinutes: number | null;
    hours: Array<{ hour: number; tickets: number; called: number; averageWaitMinutes: number | null }>;
  }>;
}

export interface OnlineProceduresDashboard extends Omit<OnlineProcedureKpi, 'series'> {
  period: DashboardPeriod;
}

const READER_ROLES = ['manager', 'administrator'];

/** Managers and administrators read the dashboard (and enter values). */
export function requireManager(staff: StaffPrincipal): void {
  if (!staff.roles.some((role) => READER_ROLES.includes(role))) throw IdentityError.forbidden();
}

/**
 * The dashboard's figures and the measured KPIs. Rules:
 * - a share is part ÷ whole × 100, rounded to 2 decimals; null when the
 *   whole is 0 (no applications is not 0 % online);
 * - online share counts every channel an application records (online,
 *   counter, mail, convenience store) in the whole, by submission day;
 * - processing time is business days (kernel calendar, 初日不算入) from the
 *   local submission day to the local closing day, over applications closed
 *   in the period; median and p90 by nearest rank (the smallest value with
 *   at least 50 % / 90 % of the cases at or below it);
 * - counter figures are by the local hour a ticket was issued and are not
 *   split by department (counter services belong to none).
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly repository: DashboardRepository,
    private readonly procedures: ProceduresService,
    private readonly directory: MunicipalityDirectory,
  ) {}

  async onlineProcedures(staff: StaffPrincipal, filter: DashboardFilter): Promise<OnlineProceduresDashboard> {
    requireManager(staff);
    const { settings, period } = this.period(staff.municipalityId, filter);
    const definitions = await this.definitions(staff.municipalityId, period.department);
    const { series: _series, ...kpi } = computeOnlineProcedureKpi(
      definitions,
      { ...settings.kpi.onlineProcedures, stages: settings.kpi.stages },
      period.to,
    );
    return { period, ...kpi };
  }

  async channels(staff: StaffPrincipal, filter: DashboardFilter): Promise<ChannelsDashboard> {
    requireManager(staff);
    const { period } = this.period(staff.municipalityId, filter);
    const [counts, definitions] = await Promise.all([
      this.repository.submissions(staff.municipalityId, { from: period.from, to: period.to, department: period.department ?? undefined }, 'replica'),
      this.procedures.latestDefinitions(staff.municipalityId),
    ]);
    const names = new Map(definitions.map((definition) => [definition.code, definition.name]));
    const overall = zero();
    const perProcedure = new Map<string, ChannelCounts>();
    const perMonth = new Map<string, ChannelCounts>(monthsBetween(period.from, period.to).map((month) => [month, zero()]));
    for (const { procedureCode, month, channel, count } of counts) {
      overall[channel] += count;
      const procedure = perProcedure.get(procedureCode) ?? zero();
      procedure[channel] += count;
      perProcedure.set(procedureCode, procedure);
      const inMonth = perMonth.get(month) ?? zero();
      inMonth[channel] += count;
      perMonth.set(month, inMonth);
    }
    return {
      period,
      ...channelSummary(overall),
      procedures: [...perProcedure.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([code, row]) => ({ code, name: names.get(code) ?? { ja: code, en: code }, ...channelSummary(row) })),
      months: [...perMonth.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, row]) => ({ month, ...channelSummary(row) })),
    };
  }

  async cashless(staff: StaffPrincipal, filter: DashboardFilter): Promise<CashlessDashboard> {
    requireManager(staff);
    const { period } = this.period(staff.municipalityId, filter);
    const counts = await this.repository.feePayments(staff.municipalityId, { from: period.from, to: period.to, department: period.department ?? undefined }, 'replica');
    const months = new Map(monthsBetween(period.from, period.to).map((month) => [month, { feePayments: 0, cashlessPayments: 0 }]));
    for (const { month, method, count } of counts) {
      const row = months.get(month) ?? { feePayments: 0, cashlessPayments: 0 };
      row.feePayments += count;
      if (method && isCashlessMethod(method as RecordedPaymentMethod)) row.cashlessPayments += count;
      months.set(month, row);
    }
    const rows = [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, row]) => ({ month, ...row, cashlessShare: share(row.cashlessPayments, row.feePayments) }));
    const feePayments = rows.reduce((sum, row) => sum + row.feePayments, 0);
    const cashlessPayments = rows.reduce((sum, row) => sum + row.cashlessPayments, 0);
    return { period, feePayments, cashlessPayments, cashlessShare: share(cashlessPayments, feePayments), months: rows };
  }

  async processingTimes(staff: StaffPrincipal, filter: DashboardFilter): Promise<ProcessingTimesDashboard> {
    requireManager(staff);
    const { period } = this.period(staff.municipalityId, filter);
    const [counts, definitions] = await Promise.all([
      this.repository.processing(staff.municipalityId, { from: period.from, to: period.to, department: period.department ?? undefined }, 'replica'),
      this.procedures.latestDefinitions(staff.municipalityId),
    ]);
    const names = new Map(definitions.map((definition) => [definition.code, definition.name]));
    const byProcedure = new Map<string, ProcessingCount[]>();
    for (const row of counts) byProcedure.set(row.procedureCode, [...(byProcedure.get(row.procedureCode) ?? []), row]);
    return {
      period,
      overall: processingFigures(counts),
      histogram: mergeByBusinessDays(counts),
      procedures: [...byProcedure.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([code, rows]) => ({ code, name: names.get(code) ?? { ja: code, en: code }, ...processingFigures(rows) })),
    };
  }

  async counter(staff: StaffPrincipal, filter: DashboardFilter): Promise<CounterDashboard> {
    requireManager(staff);
    const { settings, period } = this.period(staff.municipalityId, filter);
    const from = localInstant(period.from, 0, settings.timeZone);
    const to = localInstant(monthEndPlusOne(period.to), 0, settings.timeZone);
    const [hours, names] = await Promise.all([
      this.repository.counterHours(staff.municipalityId, from, to, settings.timeZone, 'replica'),
      this.repository.counterServiceNames(staff.municipalityId, 'replica'),
    ]);
    const services = new Map<string, typeof hours>();
    for (const row of hours) services.set(row.serviceCode, [...(services.get(row.serviceCode) ?? []), row]);
    const total = sumCounter(hours);
    return {
      period,
      ...total,
      services: [...services.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([code, rows]) => ({
          code,
          name: names.get(code) ?? { ja: code, en: code },
          ...sumCounter(rows),
          hours: rows.map((row) => ({ hour: row.hour, tickets: row.tickets, called: row.called, averageWaitMinutes: minutes(row.waitSecondsTotal, row.called) })),
        })),
    };
  }

  /**
   * The value of a measured KPI for one calendar month (YYYY-MM-01) of the
   * municipality; for the month under way, up to `today`. `from`: the
   * replica for a card shown now, the primary for a snapshot kept for good.
   */
  async measure(municipalityId: MunicipalityId, kpi: Pick<KpiDefinition, 'measure' | 'procedureCodes'>, month: string, today: string, from: ReadFrom): Promise<MeasuredValue> {
    const settings = this.settings(municipalityId);
    const last = monthEnd(month) < today ? monthEnd(month) : today;
    const filter = { from: month, to: last, procedureCodes: kpi.procedureCodes.length > 0 ? kpi.procedureCodes : undefined };
    const measure = kpi.measure as KpiMeasure;
    switch (measure) {
      case 'onlineProcedures': {
        const result = computeOnlineProcedureKpi(
          await this.procedures.latestDefinitions(municipalityId),
          { ...settings.kpi.onlineProcedures, stages: settings.kpi.stages },
          last,
        );
        return { value: result.onlineCount, details: { targeted: result.targetedCount } };
      }
      case 'cashlessServices': {
        const definitions = await this.procedures.latestDefinitions(municipalityId);
        return { value: definitions.filter((definition) => hasCashlessMethod(definition, last)).length, details: {} };
      }
      case 'onlineShare':
      case 'convenienceStoreShare': {
        const counts = await this.repository.submissions(municipalityId, filter, from);
        const channel: Channel = measure === 'onlineShare' ? 'online' : 'convenienceStore';
        const part = counts.filter((row) => row.channel === channel).reduce((sum, row) => sum + row.count, 0);
        const whole = counts.reduce((sum, row) => sum + row.count, 0);
        return { value: share(part, whole), details: { part, whole } };
      }
      case 'cashlessPaymentShare': {
        const counts = await this.repository.feePayments(municipalityId, filter, from);
        const part = counts.filter((row) => row.method && isCashlessMethod(row.method as RecordedPaymentMethod)).reduce((sum, row) => sum + row.count, 0);
        const whole = counts.reduce((sum, row) => sum + row.count, 0);
        return { value: share(part, whole), details: { part, whole } };
      }
      case 'processingTimeMedian':
      case 'processingTimeP90': {
        const figures = processingFigures(await this.repository.processing(municipalityId, filter, from));
        return { value: measure === 'processingTimeMedian' ? figures.medianBusinessDays : figures.p90BusinessDays, details: { closed: figures.closed } };
      }
      case 'counterWaitMinutes':
      case 'noShowRate': {
        const start = localInstant(month, 0, settings.timeZone);
        const end = localInstant(monthEndPlusOne(last), 0, settings.timeZone);
        const total = sumCounter(await this.repository.counterHours(municipalityId, start, end, settings.timeZone, from));
        return measure === 'noShowRate'
          ? { value: total.noShowRate, details: { noShows: total.noShows, called: total.called } }
          : { value: total.averageWaitMinutes, details: { called: total.called } };
      }
    }
  }

  period(municipalityId: MunicipalityId, filter: DashboardFilter): { settings: MunicipalitySettings; period: DashboardPeriod } {
    const settings = this.settings(municipalityId);
    const today = this.procedures.today(municipalityId);
    const fiscalYear = filter.fiscalYear ?? fiscalYearContaining(today, settings.fiscalYearStartMonth);
    const from = fiscalYearStartDate(fiscalYear, settings.fiscalYearStartMonth);
    const end = fiscalYearEnd(fiscalYear, settings.fiscalYearStartMonth);
    // A fiscal year under way ends today; one still to come is empty (from > to is fine for the rollups: nothing matches).
    const to = end < today ? end : today;
    return { settings, period: { fiscalYear, from, to, department: filter.department ?? null } };
  }

  private settings(municipalityId: MunicipalityId): MunicipalitySettings {
    const settings = this.directory.get(municipalityId);
    if (!settings) throw new Error(`no settings for municipality ${municipalityId}`);
    return settings;
  }

  private async definitions(municipalityId: MunicipalityId, department: string | null): Promise<ProcedureDefinition[]> {
    const definitions = await this.procedures.latestDefinitions(municipalityId);
    return department ? definitions.filter((definition) => definition.department === department) : definitions;
  }
}

function zero(): ChannelCounts {
  return Object.fromEntries(CHANNELS.map((channel) => [channel, 0])) as ChannelCounts;
}

function channelSummary(row: ChannelCounts): { total: number; byChannel: ChannelCounts; onlineShare: number | null } {
  const total = CHANNELS.reduce((sum, channel) => sum + row[channel], 0);
  return { total, byChannel: row, onlineShare: share(row.online, total) };
}

export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : round2((part / whole) * 100);
}

function minutes(seconds: number, count: number): number | null {
  return count === 0 ? null : round2(seconds / count / 60);
}

/** Nearest-rank percentile of a histogram of business days. */
export function percentile(rows: Array<{ businessDays: number; count: number }>, p: number): number | null {
  const sorted = [...rows].sort((a, b) => a.businessDays - b.businessDays);
  const total = sorted.reduce((sum, row) => sum + row.count, 0);
  if (total === 0) return null;
  const rank = Math.ceil((p / 100) * total);
  let seen = 0;
  for (const row of sorted) {
    seen += row.count;
    if (seen >= rank) return row.businessDays;
  }
  return sorted[sorted.length - 1].businessDays;
}

function processingFigures(rows: Array<{ businessDays: number; count: number }>): ProcessingTimeFigures {
  const histogram = mergeByBusinessDays(rows);
  return {
    closed: histogram.reduce((sum, row) => sum + row.count, 0),
    medianBusinessDays: percentile(histogram, 50),
    p90BusinessDays: percentile(histogram, 90),
  };
}

/** Procedures' histograms merged by business days, ascending. */
function mergeByBusinessDays(rows: Array<{ businessDays: number; count: number }>): Array<{ businessDays: number; count: number }> {
  const merged = new Map<number, number>();
  for (const row of rows) merged.set(row.businessDays, (merged.get(row.businessDays) ?? 0) + row.count);
  return [...merged.entries()].sort(([a], [b]) => a - b).map(([businessDays, count]) => ({ businessDays, count }));
}

function sumCounter(rows: Array<{ tickets: number; called: number; noShows: number; waitSecondsTotal: number }>) {
  const tickets = rows.reduce((sum, row) => sum + row.tickets, 0);
  const called = rows.reduce((sum, row) => sum + row.called, 0);
  const noShows = rows.reduce((sum, row) => sum + row.noShows, 0);
  const wait = rows.reduce((sum, row) => sum + row.waitSecondsTotal, 0);
  return { tickets, called, noShows, noShowRate: share(noShows, called), averageWaitMinutes: minutes(wait, called) };
}

function monthEndPlusOne(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}
