import { Inject, Injectable } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import { documentFont, fiscalYearLabel, PdfRenderer, wareki } from '@madoguchi/documents';
import type { StaffPrincipal } from '@madoguchi/identity';
import { Clock, isoDateIn } from '@madoguchi/kernel';
import { EvaluationService } from '../evaluation/evaluation.service';
import { REPORTING_ROLES, requireRole } from '../reporting-access';
import { layoutAnnualReport } from './annual-report.layout';
import { REPORT_KPI_SOURCE, type ReportKpiSource } from './report-kpi-source';

export interface AnnualReportFile {
  fileName: string;
  data: Uint8Array;
}

/** The annual progress report (PDF) for a fiscal year: every KPI with its chart, the evaluation table and notes. */
@Injectable()
export class AnnualReportService {
  private readonly renderer = new PdfRenderer(documentFont());

  constructor(
    @Inject(REPORT_KPI_SOURCE) private readonly kpis: ReportKpiSource,
    private readonly evaluation: EvaluationService,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
  ) {}

  async pdf(staff: StaffPrincipal, fiscalYear: number): Promise<AnnualReportFile> {
    requireRole(staff, REPORTING_ROLES.annualReport);
    const settings = this.directory.get(staff.municipalityId)!;
    const [kpis, evaluation] = await Promise.all([this.kpis.kpis(staff.municipalityId, fiscalYear), this.evaluation.yearOf(staff.municipalityId, fiscalYear)]);
    const now = this.clock.now();
    const today = isoDateIn(now, settings.timeZone);
    const label = fiscalYearLabel(fiscalYear);
    const pages = layoutAnnualReport(this.renderer.font, {
      municipality: settings.name,
      fiscalYear,
      fiscalYearLabel: label,
      madeOn: wareki(today),
      kpis,
      evaluation,
    });
    const data = await this.renderer.renderPages(pages, {
      title: `${label} DX推進計画 進捗報告書`,
      subject: `Annual progress report on the DX plan, FY${fiscalYear} — ${settings.name.en}`,
      author: settings.name.ja,
      issuedAt: now,
    });
    return { fileName: `annual-report-${fiscalYear}.pdf`, data };
  }
}
