import type { MunicipalityId } from '@madoguchi/kernel';

/**
 * What the annual report and the public progress data need of the plan
 * KPIs. Reporting owns this port and the kpi library implements it
 * (KpiReportSource), so kpi may use reporting (charts) and reporting never
 * imports kpi: the application binds the two (ReportingModule.withKpiSource).
 * Aggregate figures only: nothing here names a person.
 */
export interface ReportKpi {
  code: string;
  name: { ja: string; en: string };
  unit: string;
  direction: 'up' | 'down';
  department: string | null;
  baseline: { value: number; date: string };
  /** date: the last day of the target fiscal year. */
  target: { value: number; fiscalYear: number; date: string };
  latest: { month: string; value: number } | null;
  /** Where the straight line from baseline to target stands at the latest value's month end. */
  planned: number | null;
  gap: number | null;
  onTrack: boolean | null;
  /** Monthly, oldest first: YYYY-MM-01, the value (null: none), the plan line at month end. */
  history: Array<{ month: string; value: number | null; plan: number }>;
}

export interface ReportKpiSource {
  /** Every active KPI of the municipality as of the end of `fiscalYear` (or today, when that is earlier or no year is given). */
  kpis(municipalityId: MunicipalityId, fiscalYear?: number): Promise<ReportKpi[]>;
}

export const REPORT_KPI_SOURCE = Symbol('REPORT_KPI_SOURCE');
