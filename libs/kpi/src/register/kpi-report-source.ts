import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import type { ReportKpi, ReportKpiSource } from '@madoguchi/reporting';
import { KpiRegisterService } from './kpi-register.service';

/** The register's figures for the annual report and the public progress data (reporting's port; aggregate figures only). */
@Injectable()
export class KpiReportSource implements ReportKpiSource {
  constructor(private readonly register: KpiRegisterService) {}

  async kpis(municipalityId: MunicipalityId, fiscalYear?: number): Promise<ReportKpi[]> {
    const cards = await this.register.cards(municipalityId, { fiscalYear });
    return cards.map((card) => ({
      code: card.code,
      name: { ja: card.name.ja, en: card.name.en },
      unit: card.unit,
      direction: card.direction,
      department: card.department,
      baseline: { value: card.baseline.value, date: card.baseline.date },
      target: { value: card.target.value, fiscalYear: card.target.fiscalYear, date: card.target.date },
      latest: card.current ? { month: card.current.month, value: card.current.value } : null,
      planned: card.plannedNow,
      gap: card.gap,
      onTrack: card.onTrack,
      history: card.history.map((point) => ({ month: point.month, value: point.value, plan: point.plan })),
    }));
  }
}
