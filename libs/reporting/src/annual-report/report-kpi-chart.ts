import { type Chart, type ChartLanguage, lineAgainstPlanChart } from '../charts/charts';
import type { ReportKpi } from './report-kpi-source';

/**
 * A plan KPI's monthly history against the straight line from baseline to
 * target, from the report figures: the annual report page and the public
 * progress page draw the same chart the dashboard draws from the register.
 */
export function reportKpiChart(kpi: Pick<ReportKpi, 'name' | 'unit' | 'direction' | 'target' | 'history'>, language: ChartLanguage): Chart {
  return lineAgainstPlanChart({
    title: kpi.name,
    unit: kpi.unit,
    labels: kpi.history.map((point) => point.month.slice(0, 7)),
    actual: kpi.history.map((point) => point.value),
    plan: kpi.history.map((point) => point.plan),
    target: { value: kpi.target.value, label: language === 'ja' ? `${kpi.target.fiscalYear}年度末` : `end of FY${kpi.target.fiscalYear}` },
    direction: kpi.direction,
    language,
  });
}
