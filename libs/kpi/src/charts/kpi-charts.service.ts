import { Injectable } from '@nestjs/common';
import type { StaffPrincipal } from '@madoguchi/identity';
import { barsChart, type Chart, type ChartLanguage, histogramChart, reportKpiChart, stackedColumnsChart } from '@madoguchi/reporting';
import { CHANNELS, type Channel } from '@madoguchi/workflow';
import { DashboardService, type DashboardFilter, requireManager } from '../dashboard/dashboard.service';
import { type KpiCard, KpiRegisterService } from '../register/kpi-register.service';

export const DASHBOARD_CHARTS = ['channels', 'online-share', 'processing-times'] as const;
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
