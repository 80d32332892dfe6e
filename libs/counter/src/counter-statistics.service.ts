import { Injectable } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import type { StaffPrincipal } from '@madoguchi/identity';
import { COUNTER_ROLES, requireRole } from './counter-access';
import { CounterError } from './counter.errors';
import { type HourFigures, CounterStatisticsRepository } from './counter-statistics.repository';
import { CounterSetupRepository } from './counter-setup.repository';
import type { CounterStatisticsDto, FiguresDto } from './dto/statistics.dto';
import { type MunicipalityId, periodProblem } from '@madoguchi/kernel';
import { localInstant } from './local-time';

/** Stable CSV columns (open data): add at the end, never rename or reorder. */
export const COUNTER_STATISTICS_CSV_COLUMNS = [
  'service_code',
  'service_name_ja',
  'service_name_en',
  'hour',
  'tickets',
  'called',
  'served',
  'no_shows',
  'cancelled',
  'no_show_rate',
  'average_wait_seconds',
  'average_service_seconds',
] as const;

const MAX_RANGE_DAYS = 366;

type Sums = Omit<HourFigures, 'serviceCode' | 'hour'>;

const ZERO: Sums = { tickets: 0, called: 0, served: 0, noShows: 0, cancelled: 0, waitSecondsTotal: 0, serviceCount: 0, serviceSecondsTotal: 0 };

function add(a: Sums, b: Sums): Sums {
  return {
    tickets: a.tickets + b.tickets,
    called: a.called + b.called,
    served: a.served + b.served,
    noShows: a.noShows + b.noShows,
    cancelled: a.cancelled + b.cancelled,
    waitSecondsTotal: a.waitSecondsTotal + b.waitSecondsTotal,
    serviceCount: a.serviceCount + b.serviceCount,
    serviceSecondsTotal: a.serviceSecondsTotal + b.serviceSecondsTotal,
  };
}

const tenth = (value: number) => Math.round(value * 10) / 10;

/** Averages from sums, so totals over hours and services weigh every visit the same. */
function figures(sums: Sums): FiguresDto {
  return {
    tickets: sums.tickets,
    called: sums.called,
    served: sums.served,
    noShows: sums.noShows,
    cancelled: sums.cancelled,
    noShowRate: sums.called > 0 ? Math.round((sums.noShows / sums.called) * 10_000) / 10_000 : null,
    averageWaitSeconds: sums.called > 0 ? tenth(sums.waitSecondsTotal / sums.called) : null,
    averageServiceSeconds: sums.serviceCount > 0 ? tenth(sums.serviceSecondsTotal / sums.serviceCount) : null,
  };
}

function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  // Quote what needs it; a leading formula character is defused for spreadsheets.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Waiting and service times per service and local hour, and the no-show
 * rate, for managers: from the ticket event log, over a range of local days.
 */
@Injectable()
export class CounterStatisticsService {
  constructor(
    private readonly statistics: CounterStatisticsRepository,
    private readonly setup: CounterSetupRepository,
    private readonly directory: MunicipalityDirectory,
  ) {}

  async report(staff: StaffPrincipal, from: string, to: string): Promise<CounterStatisticsDto> {
    requireRole(staff, COUNTER_ROLES.statistics);
    // The shared period check; the counter keeps its own code for it.
    const problem = periodProblem(from, to, MAX_RANGE_DAYS);
    if (problem === 'invalidDate') throw CounterError.rangeInvalid('dates must be YYYY-MM-DD');
    if (problem === 'fromAfterTo') throw CounterError.rangeInvalid('from is after to');
    if (problem === 'tooLong') throw CounterError.rangeInvalid(`at most ${MAX_RANGE_DAYS} days`);
    return this.figuresOf(staff.municipalityId, from, to);
  }

  /**
   * The figures without an access check, for callers that publish only
   * aggregates (open data, which suppresses small counts itself). `from` and
   * `to` must already be valid local dates.
   */
  async figuresOf(municipalityId: MunicipalityId, from: string, to: string): Promise<CounterStatisticsDto> {
    const timeZone = this.directory.get(municipalityId)?.timeZone ?? 'Asia/Tokyo';
    const start = localInstant(from, 0, timeZone);
    const end = localInstant(to, 24 * 60, timeZone);
    const [rows, services] = await Promise.all([
      this.statistics.hourFigures(municipalityId, start, end, timeZone),
      this.setup.listServices(municipalityId, false),
    ]);
    const byService = new Map<string, HourFigures[]>();
    for (const row of rows) byService.set(row.serviceCode, [...(byService.get(row.serviceCode) ?? []), row]);
    const shown = services.filter((service) => service.active || byService.has(service.code));
    let total = ZERO;
    const entries = shown.map((service) => {
      const hours = byService.get(service.code) ?? [];
      const sums = hours.reduce<Sums>((sum, hour) => add(sum, hour), ZERO);
      total = add(total, sums);
      return {
        code: service.code,
        name: { ...service.name },
        ...figures(sums),
        hours: hours.map((hour) => ({ hour: hour.hour, ...figures(hour) })),
      };
    });
    return { from, to, timeZone, total: figures(total), services: entries };
  }

  /** The same figures, one CSV row per service and hour (UTF-8 with BOM, CRLF: opens in Excel as is). */
  async csv(staff: StaffPrincipal, from: string, to: string): Promise<{ fileName: string; csv: string }> {
    const report = await this.report(staff, from, to);
    const lines = [COUNTER_STATISTICS_CSV_COLUMNS.join(',')];
    for (const service of report.services) {
      for (const hour of service.hours) {
        lines.push(
          [
            service.code,
            service.name.ja,
            service.name.en,
            hour.hour,
            hour.tickets,
            hour.called,
            hour.served,
            hour.noShows,
            hour.cancelled,
            hour.noShowRate,
            hour.averageWaitSeconds,
            hour.averageServiceSeconds,
          ]
            .map(csvField)
            .join(','),
        );
      }
    }
    return { fileName: `counter-statistics-${staff.municipalityId}-${from}-${to}.csv`, csv: `\uFEFF${lines.join('\r\n')}\r\n` };
  }
}
