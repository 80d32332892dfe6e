import { Injectable } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import { checkPeriod, type MunicipalityId } from '@madoguchi/kernel';
import { ProceduresService } from '@madoguchi/procedures';
import { CHANNELS, type Channel, type ProcedureDefinition } from '@madoguchi/workflow';
import { ApplicationChannelsRepository, type ChannelCount } from './application-channels.repository';
import type { OnlineProceduresKpiDto } from './dto/online-procedures-kpi.dto';
import { KpiError } from './kpi.errors';
import { computeOnlineProcedureKpi } from './online-procedure-kpi';

@Injectable()
export class KpiService {
  constructor(
    private readonly procedures: ProceduresService,
    private readonly directory: MunicipalityDirectory,
    private readonly channels: ApplicationChannelsRepository,
  ) {}

  async onlineProcedures(municipalityId: MunicipalityId, asOf?: string, from?: string): Promise<OnlineProceduresKpiDto> {
    const settings = this.directory.get(municipalityId);
    if (!settings) throw new Error(`no settings for municipality ${municipalityId}`);
    const to = asOf ?? this.procedures.today(municipalityId);
    const periodFrom = from ?? fiscalYearStart(to, settings.fiscalYearStartMonth);
    if (periodFrom > to) throw KpiError.periodInvalid(periodFrom, to);
    checkPeriod(periodFrom, to);
    const definitions = await this.procedures.latestDefinitions(municipalityId);
    const kpi = computeOnlineProcedureKpi(definitions, { ...settings.kpi.onlineProcedures, stages: settings.kpi.stages }, to);
    const counts = await this.channels.submittedByChannel(municipalityId, periodFrom, to, settings.timeZone);
    return { municipalityId, ...kpi, applicationsByChannel: { from: periodFrom, to, ...byChannel(counts, definitions) } };
  }
}

type ChannelCounts = Record<Channel, number>;

/** Online share per procedure and overall, from what each application records as its channel. */
export function byChannel(
  counts: ChannelCount[],
  definitions: ProcedureDefinition[],
): Omit<OnlineProceduresKpiDto['applicationsByChannel'], 'from' | 'to'> {
  const names = new Map(definitions.map((definition) => [definition.code, definition.name]));
  const perProcedure = new Map<string, ChannelCounts>();
  const overall = zero();
  for (const { procedureCode, channel, count } of counts) {
    const row = perProcedure.get(procedureCode) ?? zero();
    row[channel] += count;
    overall[channel] += count;
    perProcedure.set(procedureCode, row);
  }
  return {
    ...summary(overall),
    procedures: [...perProcedure.entries()]
      .sort(([left], [right]) => left.localeCompare(right))
      .map(([code, row]) => ({ code, name: names.get(code) ?? { ja: code, en: code }, ...summary(row) })),
  };
}

function zero(): ChannelCounts {
  return Object.fromEntries(CHANNELS.map((channel) => [channel, 0])) as ChannelCounts;
}

function summary(row: ChannelCounts): { byChannel: ChannelCounts; total: number; onlineShare: number | null } {
  const total = CHANNELS.reduce((sum, channel) => sum + row[channel], 0);
  return { byChannel: row, total, onlineShare: total === 0 ? null : Math.round((row.online / total) * 10_000) / 10_000 };
}

function fiscalYearStart(date: string, startMonth: number): string {
  const [year, month] = date.split('-').map(Number);
  const fiscalYear = month >= startMonth ? year : year - 1;
  return `${fiscalYear}-${String(startMonth).padStart(2, '0')}-01`;
}
