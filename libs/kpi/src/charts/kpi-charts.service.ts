import { Injectable } from '@nestjs/common';
import type { StaffPrincipal } from '@madoguchi/identity';
import { barsChart, type Chart, type ChartLanguage, groupedBarsChart, histogramChart, reportKpiChart, stackedColumnsChart } from '@madoguchi/reporting';
import { CHANNELS, type Channel } from '@madoguchi/workflow';
import { DashboardService, type DashboardFilter, requireManager } from '../dashboard/dashboard.service';
import { type KpiCard, KpiRegisterService } from '../register/kpi-register.service';

/** The API serves the first three as SVG; the office serves them all. */
export const DASHBOARD_CHARTS = ['channels', 'online-share', 'processing-times', 'online-procedures', 'cashless', 'processing-per-procedure', 'counter-waits', 'no-shows'] as const;
export type DashboardChart = (typeof DASHBOARD_CHARTS)[number];

const CHANNEL_NAMES: Record<Channel, { ja: string; en: string }> = {
  online: { ja: 'オンライン', en: 'Online' },
  counter: { ja: '窓口', en: 'Counter' },
  mail: { ja: '郵送', en: 'Mail' },
  convenienceStore: { ja: 'コンビニ交付', en: 'Convenience store' },
};

/** The managers' charts: the figures of the register and the dashboard, drawn by the reporting chart builders. */
@Injectable()
export class KpiChartsService {
  constructor(
    private readonly register: KpiRegisterService,
    private readonly dashboard: DashboardService,
  ) {}

  async kpi(staff: StaffPrincipal, code: string, filter: { fiscalYear?: number }, language: ChartLanguage): Promise<Chart> {
    requireManager(staff);
    return kpiHistoryChart(await this.register.cardOf(staff, code, filter.fiscalYear), language);
  }

  async dashboardChart(staff: StaffPrincipal, name: DashboardChart, filter: DashboardFilter, language: ChartLanguage): Promise<Chart> {
    requireManager(staff);
    switch (name) {
      case 'channels': {
        const channels = await this.dashboard.channels(staff, filter);
        return stackedColumnsChart({
          title: { ja: `受付方法別の申請件数（${channels.period.fiscalYear}年度）`, en: `Applications by channel, FY${channels.period.fiscalYear}` },
          unit: '件',
          categories: channels.months.map((month) => month.month.slice(0, 7)),
          series: CHANNELS.map((channel) => ({ name: CHANNEL_NAMES[channel], values: channels.months.map((month) => month.byChannel[channel]) })),
          language,
        });
      }
      case 'online-share': {
        const channels = await this.dashboard.channels(staff, filter);
        return barsChart({
          title: { ja: `手続別のオンライン申請率（${channels.period.fiscalYear}年度）`, en: `Online share per procedure, FY${channels.period.fiscalYear}` },
          unit: '%',
          max: 100,
          bars: channels.procedures.map((procedure) => ({ label: procedure.name, value: procedure.onlineShare })),
          language,
        });
      }
      case 'online-procedures': {
        const kpi = await this.dashboard.onlineProcedures(staff, filter);
        const categories = [...new Set(kpi.procedures.map((procedure) => procedure.nationalCategory ?? ''))].sort();
        const label = (category: string) => kpi.byNationalCategory.find((row) => row.nationalCategory === category)?.label ?? { ja: 'その他', en: 'Other' };
        return stackedColumnsChart({
          title: { ja: `対象手続の分野別・段階別の数（${kpi.period.fiscalYear}年度）`, en: `Targeted procedures by category and stage, FY${kpi.period.fiscalYear}` },
          unit: '件',
          categories: categories.map((category) => label(category)[language]),
          series: kpi.stages.map((stage) => ({
            name: stage.label,
            values: categories.map((category) => kpi.procedures.filter((procedure) => (procedure.nationalCategory ?? '') === category && (procedure.stage ?? 'unset') === stage.stage).length),
          })),
          language,
        });
      }
      case 'cashless': {
        const cashless = await this.dashboard.cashless(staff, filter);
        return barsChart({
          title: { ja: `キャッシュレス決済の割合（${cashless.period.fiscalYear}年度）`, en: `Cashless share of fee payments, FY${cashless.period.fiscalYear}` },
          unit: '%',
          max: 100,
          bars: cashless.months.map((month) => ({ label: { ja: month.month.slice(0, 7), en: month.month.slice(0, 7) }, value: month.cashlessShare })),
          language,
        });
      }
      case 'processing-per-procedure': {
        const times = await this.dashboard.processingTimes(staff, filter);
        return groupedBarsChart({
          title: { ja: `手続別の処理日数（${times.period.fiscalYear}年度）`, en: `Processing time per procedure, FY${times.period.fiscalYear}` },
          unit: language === 'ja' ? '営業日' : 'business days',
          categories: times.procedures.map((procedure) => procedure.name),
          series: [
            { name: { ja: '中央値', en: 'Median' }, values: times.procedures.map((procedure) => procedure.medianBusinessDays) },
            { name: { ja: '90パーセンタイル', en: '90th percentile' }, values: times.procedures.map((procedure) => procedure.p90BusinessDays) },
          ],
          language,
        });
      }
      case 'counter-waits': {
        const counter = await this.dashboard.counter(staff, filter);
        const hours = [...new Set(counter.services.flatMap((service) => service.hours.map((row) => row.hour)))].sort((a, b) => a - b);
        return groupedBarsChart({
          title: { ja: `窓口の時間帯別の平均待ち時間（${counter.period.fiscalYear}年度）`, en: `Average counter wait per hour, FY${counter.period.fiscalYear}` },
          unit: language === 'ja' ? '分' : 'min',
          layout: 'columns',
          categories: hours.map((hour) => ({ ja: `${hour}時台`, en: `${String(hour).padStart(2, '0')}:00` })),
          series: counter.services.map((service) => ({
            name: service.name,
            values: hours.map((hour) => service.hours.find((row) => row.hour === hour)?.averageWaitMinutes ?? null),
          })),
          language,
        });
      }
      case 'no-shows': {
        const counter = await this.dashboard.counter(staff, filter);
        return barsChart({
          title: { ja: `窓口の不在率（呼出しに応答なし、${counter.period.fiscalYear}年度）`, en: `No-show rate at the counter, FY${counter.period.fiscalYear}` },
          unit: '%',
          max: 100,
          bars: counter.services.map((service) => ({ label: service.name, value: service.noShowRate })),
          language,
        });
      }
      case 'processing-times': {
        const times = await this.dashboard.processingTimes(staff, filter);
        return histogramChart({
          title: { ja: `処理日数の分布（${times.period.fiscalYear}年度）`, en: `Processing time, FY${times.period.fiscalYear}` },
          unit: language === 'ja' ? '営業日' : 'business days',
          values: times.histogram.map((row) => ({ value: row.businessDays, count: row.count })),
          binWidth: 1,
          maxBins: 21,
          language,
        });
      }
    }
  }
}

/** A KPI's monthly history against the plan line, its target marked. Also used by the annual report's tables. */
export function kpiHistoryChart(card: KpiCard, language: ChartLanguage): Chart {
  return reportKpiChart(card, language);
}
