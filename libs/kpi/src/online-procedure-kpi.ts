import { PROCEDURE_STAGE_LABELS, type ProcedureStage } from '@madoguchi/config';
import { daysBetween, monthEnds } from '@madoguchi/kernel';
import { onlineStatus, type OfflineReason } from '@madoguchi/procedures';
import { NATIONAL_CATEGORY_LABELS, type LocalizedText, type NationalCategory, type ProcedureDefinition } from '@madoguchi/workflow';

export interface KpiSettings {
  baseline: { count: number; date: string };
  target: { count: number; date: string };
  stages: Record<string, ProcedureStage>;
}

export interface ProcedureKpiStatus {
  code: string;
  name: LocalizedText;
  nationalCategory: NationalCategory | null;
  stage: ProcedureStage | null;
  online: boolean;
  onlineSince: string | null;
  offlineReasons: OfflineReason[];
}

export interface KpiSeriesPoint {
  /** Last day of the month. */
  month: string;
  /** Targeted procedures online that day; null for months still to come. */
  online: number | null;
  /** The straight line from baseline to target, for comparison. */
  plan: number;
}

export interface OnlineProcedureKpi {
  asOf: string;
  targetedCount: number;
  onlineCount: number;
  baseline: { count: number; date: string };
  target: { count: number; date: string };
  gap: number;
  /** Where the straight line says the count should be on asOf. */
  plannedCount: number;
  onTrack: boolean;
  /** First month end on which the target was reached, if it was. */
  targetReachedOn: string | null;
  stages: Array<{ stage: ProcedureStage | 'unset'; label: LocalizedText; count: number }>;
  byNationalCategory: Array<{ nationalCategory: NationalCategory; label: LocalizedText; targeted: number; online: number }>;
  procedures: ProcedureKpiStatus[];
  series: KpiSeriesPoint[];
}

/** Linear from baseline to target; flat before and after. Rounded to one decimal. */
export function plannedCountOn(date: string, baseline: KpiSettings['baseline'], target: KpiSettings['target']): number {
  if (date <= baseline.date) return baseline.count;
  if (date >= target.date) return target.count;
  const share = daysBetween(baseline.date, date) / daysBetween(baseline.date, target.date);
  return Math.round((baseline.count + (target.count - baseline.count) * share) * 10) / 10;
}

/**
 * How many targeted procedures are online against the city's target. Pure:
 * the same definitions, settings and date always give the same answer.
 */
export function computeOnlineProcedureKpi(definitions: ProcedureDefinition[], settings: KpiSettings, asOf: string): OnlineProcedureKpi {
  const targeted = definitions.filter((definition) => definition.targeted).sort((a, b) => a.code.localeCompare(b.code));
  const procedures: ProcedureKpiStatus[] = targeted.map((definition) => {
    const status = onlineStatus(definition, asOf);
    return {
      code: definition.code,
      name: definition.name,
      nationalCategory: definition.nationalCategory,
      stage: settings.stages[definition.code] ?? null,
      online: status.online,
      onlineSince: status.onlineSince,
      offlineReasons: status.reasons,
    };
  });
  const onlineCount = procedures.filter((procedure) => procedure.online).length;
  const countOn = (date: string) => targeted.filter((definition) => onlineStatus(definition, date).online).length;

  const lastMonth = asOf > settings.target.date ? asOf : settings.target.date;
  const series = monthEnds(settings.baseline.date, lastMonth).map((month) => {
    // The month that contains asOf reports asOf itself: it is not over yet.
    const pointDate = month > asOf && month.slice(0, 7) === asOf.slice(0, 7) ? asOf : month;
    return {
      month,
      online: pointDate > asOf ? null : countOn(pointDate),
      plan: plannedCountOn(month, settings.baseline, settings.target),
    };
  });
  const reached = series.find((point) => point.online !== null && point.online >= settings.target.count);
  const plannedCount = plannedCountOn(asOf, settings.baseline, settings.target);

  const stageKeys = [...(Object.keys(PROCEDURE_STAGE_LABELS) as ProcedureStage[]), 'unset' as const];
  const stages = stageKeys.map((stage) => ({
    stage,
    label: stage === 'unset' ? { ja: '未設定', en: 'Not set' } : PROCEDURE_STAGE_LABELS[stage],
    count: procedures.filter((procedure) => (procedure.stage ?? 'unset') === stage).length,
  }));
  const categories = [...new Set(procedures.map((procedure) => procedure.nationalCategory).filter((value): value is NationalCategory => value !== null))];
  const byNationalCategory = categories.sort().map((nationalCategory) => {
    const inCategory = procedures.filter((procedure) => procedure.nationalCategory === nationalCategory);
    return {
      nationalCategory,
      label: NATIONAL_CATEGORY_LABELS[nationalCategory],
      targeted: inCategory.length,
      online: inCategory.filter((procedure) => procedure.online).length,
    };
  });

  return {
    asOf,
    targetedCount: targeted.length,
    onlineCount,
    baseline: settings.baseline,
    target: settings.target,
    gap: Math.max(0, settings.target.count - onlineCount),
    plannedCount,
    onTrack: onlineCount >= plannedCount,
    targetReachedOn: reached?.month ?? null,
    stages,
    byNationalCategory,
    procedures,
    series,
  };
}
