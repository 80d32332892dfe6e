import { Injectable } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import { IdentityError, type StaffPrincipal } from '@madoguchi/identity';
import { Clock, isoDateIn, type MunicipalityId, type ReadFrom } from '@madoguchi/kernel';
import { ProceduresService } from '@madoguchi/procedures';
import type { LocalizedText } from '@madoguchi/workflow';
import { DashboardService, requireManager } from '../dashboard/dashboard.service';
import { KpiError } from '../kpi.errors';
import type { KpiInputDto, KpiValueInputDto } from './kpi.dto';
import { KpiRepository, type KpiValueRecord } from './kpi.repository';
import {
  fiscalYearEnd,
  gapToTarget,
  isOnTrack,
  type KpiDefinition,
  type KpiRecord,
  monthEnd,
  monthsBetween,
  plannedValueOn,
} from './kpi.types';

export interface KpiHistoryPoint {
  /** YYYY-MM-01. */
  month: string;
  value: number | null;
  /** snapshot: stored at month end; live: the month under way, computed now; entered: the latest value staff entered. */
  kind: 'snapshot' | 'live' | 'entered' | 'none';
  /** The straight line from baseline to target at the end of the month. */
  plan: number;
}

export interface KpiCard {
  code: string;
  name: LocalizedText;
  unit: string;
  source: KpiRecord['source'];
  measure: KpiRecord['measure'];
  direction: KpiRecord['direction'];
  department: string | null;
  baseline: { value: number; date: string };
  target: { value: number; fiscalYear: number; date: string };
  current: { month: string; value: number } | null;
  plannedNow: number | null;
  gap: number | null;
  onTrack: boolean | null;
  history: KpiHistoryPoint[];
}

export interface KpiDetail extends KpiCard {
  values: Array<{ id: string; month: string; value: number; note: string | null; enteredBy: string; enteredAt: string; superseded: boolean }>;
  revisions: Array<{ revision: number; changedBy: string; changedAt: string; definition: KpiDefinition }>;
}

export interface AdminKpi extends KpiDefinition {
  revision: number;
  updatedBy: string;
  updatedAt: string;
}

/** Longest history a card shows, from the baseline month: ten years of months. */
const MAX_MONTHS = 120;

/**
 * The register of plan KPIs: administrators edit it, managers and
 * administrators read it and enter the monthly values of entered KPIs.
 * Entered values are appended, never updated: a correction is a new row for
 * the same month, the latest wins, and every row stays listed.
 */
@Injectable()
export class KpiRegisterService {
  constructor(
    private readonly kpis: KpiRepository,
    private readonly dashboard: DashboardService,
    private readonly procedures: ProceduresService,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
  ) {}

  async adminList(staff: StaffPrincipal): Promise<AdminKpi[]> {
    requireAdministrator(staff);
    return (await this.kpis.list(staff.municipalityId, { activeOnly: false }, 'primary')).map(toAdminKpi);
  }

  async adminPut(staff: StaffPrincipal, code: string, input: KpiInputDto): Promise<AdminKpi> {
    requireAdministrator(staff);
    const definition = toDefinition(code, input);
    const problems = await this.problems(staff.municipalityId, definition);
    if (problems.length > 0) throw KpiError.invalid(problems);
    await this.save(staff.municipalityId, definition, `staff:${staff.id}`, null);
    return toAdminKpi((await this.kpis.find(staff.municipalityId, code))!);
  }

  /** Writes a definition and its revision (also used by the config sync). */
  async save(municipalityId: MunicipalityId, definition: KpiDefinition, by: string, configChecksum: string | null): Promise<number> {
    return this.kpis.transaction((manager) => this.kpis.save(manager, municipalityId, definition, by, this.clock.now(), configChecksum));
  }

  /** What is wrong with a definition, as `/pointer: reason` lines. */
  async problems(municipalityId: MunicipalityId, definition: KpiDefinition): Promise<string[]> {
    const problems: string[] = [];
    if (definition.source === 'measured' && !definition.measure) problems.push('/measure: a measured KPI names its measure');
    if (definition.source === 'entered' && definition.measure) problems.push('/measure: an entered KPI has no measure');
    if (definition.target.value === definition.baseline.value) problems.push('/target/value: the target equals the baseline');
    const settings = this.directory.get(municipalityId);
    if (settings && fiscalYearEnd(definition.target.fiscalYear, settings.fiscalYearStartMonth) <= definition.baseline.date) {
      problems.push('/target/fiscalYear: the target year ends before the baseline date');
    }
    if (settings && definition.department && !settings.departments.some((department) => department.code === definition.department)) {
      problems.push(`/department: no department "${definition.department}"`);
    }
    if (definition.procedureCodes.length > 0) {
      const known = new Set((await this.procedures.latestDefinitions(municipalityId)).map((procedure) => procedure.code));
      for (const code of definition.procedureCodes) if (!known.has(code)) problems.push(`/procedureCodes: no procedure "${code}"`);
    }
    return problems;
  }

  async list(staff: StaffPrincipal, filter: { fiscalYear?: number; department?: string }): Promise<KpiCard[]> {
    requireManager(staff);
    return this.cards(staff.municipalityId, filter);
  }

  /**
   * Every active KPI's card, with no access check: for callers that have
   * decided who may see it (the managers' routes above, the annual report,
   * the public progress data, which holds only aggregate figures). Read
   * from the replica: a value entered a moment ago may show a moment later.
   */
  async cards(municipalityId: MunicipalityId, filter: { fiscalYear?: number; department?: string }): Promise<KpiCard[]> {
    const all = await this.kpis.list(municipalityId, { activeOnly: true }, 'replica');
    const kpis = filter.department ? all.filter((kpi) => kpi.department === filter.department) : all;
    const values = await this.kpis.values(municipalityId, kpis.map((kpi) => kpi.code), 'replica');
    const snapshots = await this.kpis.snapshots(municipalityId, kpis.map((kpi) => kpi.code), 'replica');
    const cards: KpiCard[] = [];
    for (const kpi of kpis) {
      cards.push(await this.card(municipalityId, kpi, values.filter((v) => v.kpiCode === kpi.code), snapshots.filter((s) => s.kpiCode === kpi.code), 'replica', filter.fiscalYear));
    }
    return cards;
  }

  /** One active KPI's card as of the chosen fiscal year (for its chart). */
  async cardOf(staff: StaffPrincipal, code: string, fiscalYear?: number): Promise<KpiCard> {
    requireManager(staff);
    const kpi = await this.kpis.find(staff.municipalityId, code);
    if (!kpi || !kpi.active) throw KpiError.notFound(code);
    const [values, snapshots] = await Promise.all([this.kpis.values(staff.municipalityId, [code], 'replica'), this.kpis.snapshots(staff.municipalityId, [code], 'replica')]);
    return this.card(staff.municipalityId, kpi, values, snapshots, 'replica', fiscalYear);
  }

  /** From the primary: the page staff land on after entering a value shows it. */
  async detail(staff: StaffPrincipal, code: string): Promise<KpiDetail> {
    requireManager(staff);
    const kpi = await this.kpis.find(staff.municipalityId, code);
    if (!kpi) throw KpiError.notFound(code);
    const [values, snapshots, revisions] = await Promise.all([
      this.kpis.values(staff.municipalityId, [code], 'primary'),
      this.kpis.snapshots(staff.municipalityId, [code], 'primary'),
      this.kpis.revisions(staff.municipalityId, code),
    ]);
    const latest = latestPerMonth(values);
    return {
      ...(await this.card(staff.municipalityId, kpi, values, snapshots, 'primary')),
      values: values.map((value) => ({
        id: value.id,
        month: value.month,
        value: value.value,
        note: value.note,
        enteredBy: value.enteredBy,
        enteredAt: value.enteredAt.toISOString(),
        superseded: latest.get(value.month)?.id !== value.id,
      })),
      revisions: revisions.map((revision) => ({ ...revision, changedAt: revision.changedAt.toISOString() })),
    };
  }

  async enterValue(staff: StaffPrincipal, code: string, input: KpiValueInputDto): Promise<KpiDetail> {
    requireManager(staff);
    const kpi = await this.kpis.find(staff.municipalityId, code);
    if (!kpi || !kpi.active) throw KpiError.notFound(code);
    if (kpi.source !== 'entered') throw KpiError.notEntered(code);
    const month = `${input.month}-01`;
    if (month > this.today(staff.municipalityId)) throw KpiError.monthInFuture(input.month);
    await this.kpis.appendValue(staff.municipalityId, {
      kpiCode: code,
      month,
      value: input.value,
      note: input.note ?? null,
      enteredBy: `staff:${staff.id}`,
      enteredAt: this.clock.now(),
    });
    return this.detail(staff, code);
  }

  private today(municipalityId: MunicipalityId): string {
    return isoDateIn(this.clock.now(), this.directory.get(municipalityId)?.timeZone ?? 'Asia/Tokyo');
  }

  private async card(
    municipalityId: MunicipalityId,
    kpi: KpiRecord,
    values: KpiValueRecord[],
    snapshots: Array<{ month: string; value: number | null }>,
    from: ReadFrom,
    fiscalYear?: number,
  ): Promise<KpiCard> {
    const settings = this.directory.get(municipalityId)!;
    const startMonth = settings.fiscalYearStartMonth;
    const today = this.today(municipalityId);
    const targetDate = fiscalYearEnd(kpi.target.fiscalYear, startMonth);
    // As of: today, or the end of the chosen fiscal year when that is over.
    const chosenEnd = fiscalYear === undefined ? today : fiscalYearEnd(fiscalYear, startMonth);
    const asOf = chosenEnd < today ? chosenEnd : today;
    const lastMonth = (targetDate > asOf ? targetDate : asOf).slice(0, 7) + '-01';
    const months = monthsBetween(kpi.baseline.date, lastMonth).slice(-MAX_MONTHS);
    const latest = latestPerMonth(values);
    const stored = new Map(snapshots.map((snapshot) => [snapshot.month, snapshot.value]));
    const currentMonth = asOf.slice(0, 7) + '-01';
    const history: KpiHistoryPoint[] = [];
    for (const month of months) {
      const plan = plannedValueOn(monthEnd(month), kpi, startMonth);
      if (month > currentMonth) {
        history.push({ month, value: null, kind: 'none', plan });
      } else if (kpi.source === 'entered') {
        const entered = latest.get(month);
        history.push({ month, value: entered?.value ?? null, kind: entered ? 'entered' : 'none', plan });
      } else if (stored.has(month)) {
        history.push({ month, value: stored.get(month) ?? null, kind: 'snapshot', plan });
      } else if (month === today.slice(0, 7) + '-01') {
        // The month under way has no snapshot yet: computed now, and marked so.
        history.push({ month, value: (await this.dashboard.measure(municipalityId, kpi, month, today, from)).value, kind: 'live', plan });
      } else {
        history.push({ month, value: null, kind: 'none', plan });
      }
    }
    const last = [...history].reverse().find((point) => point.value !== null && point.month <= currentMonth);
    const current = last ? { month: last.month, value: last.value! } : null;
    const plannedNow = current ? plannedValueOn(minDate(monthEnd(current.month), asOf), kpi, startMonth) : null;
    return {
      code: kpi.code,
      name: kpi.name,
      unit: kpi.unit,
      source: kpi.source,
      measure: kpi.measure,
      direction: kpi.direction,
      department: kpi.department,
      baseline: kpi.baseline,
      target: { ...kpi.target, date: targetDate },
      current,
      plannedNow,
      gap: gapToTarget(kpi.direction, current?.value ?? null, kpi.target.value),
      onTrack: plannedNow === null ? null : isOnTrack(kpi.direction, current!.value, plannedNow),
      history,
    };
  }
}

function requireAdministrator(staff: StaffPrincipal): void {
  if (!staff.roles.includes('administrator')) throw IdentityError.forbidden();
}

function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

/** The value that counts for each month: the latest entered (by time, then id). Values come ordered oldest first. */
function latestPerMonth(values: KpiValueRecord[]): Map<string, KpiValueRecord> {
  const latest = new Map<string, KpiValueRecord>();
  for (const value of values) latest.set(value.month, value);
  return latest;
}

export function toDefinition(code: string, input: KpiInputDto): KpiDefinition {
  return {
    code,
    name: { ja: input.name.ja, en: input.name.en },
    unit: input.unit,
    baseline: { value: input.baseline.value, date: input.baseline.date },
    target: { value: input.target.value, fiscalYear: input.target.fiscalYear },
    direction: input.direction,
    source: input.source,
    measure: input.measure ?? null,
    procedureCodes: input.procedureCodes ?? [],
    department: input.department ?? null,
    sortOrder: input.sortOrder ?? 0,
    active: input.active ?? true,
  };
}

function toAdminKpi(record: KpiRecord): AdminKpi {
  return {
    code: record.code,
    name: record.name,
    unit: record.unit,
    baseline: record.baseline,
    target: record.target,
    direction: record.direction,
    source: record.source,
    measure: record.measure,
    procedureCodes: record.procedureCodes,
    department: record.department,
    sortOrder: record.sortOrder,
    active: record.active,
    revision: record.revision,
    updatedBy: record.updatedBy,
    updatedAt: record.updatedAt.toISOString(),
  };
}

