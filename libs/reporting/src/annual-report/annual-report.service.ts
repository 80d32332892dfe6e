import { Inject, Injectable } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import { documentFont, fiscalYearLabel, PdfRenderer, wareki } from '@madoguchi/documents';
import type { StaffPrincipal } from '@madoguchi/identity';
import { Clock, isoDateIn } from '@madoguchi/kernel';
import { EvaluationService } from '../evaluation/evaluation.service';
import { REPORTING_ROLES, requireRole } from '../reporting-access';
import type { Chart, ChartLanguage } from '../charts/charts';
import { type AnnualReportContent, layoutAnnualReport } from './annual-report.layout';
import { reportKpiChart } from './report-kpi-chart';
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

  /** What the report shows, for the printable page and the PDF alike. */
  async content(staff: StaffPrincipal, fiscalYear: number): Promise<AnnualReportContent> {
    requireRole(staff, REPORTING_ROLES.annualReport);
    const settings = this.directory.get(staff.municipalityId)!;
    const [kpis, evaluation] = await Promise.all([this.kpis.kpis(staff.municipalityId, fiscalYear), this.evaluation.yearOf(staff.municipalityId, fiscalYear)]);
    const today = isoDateIn(this.clock.now(), settings.timeZone);
    return { municipality: settings.name, fiscalYear, fiscalYearLabel: fiscalYearLabel(fiscalYear), madeOn: wareki(today), kpis, evaluation };
  }

  /** One KPI's chart of the report (the page embeds it as an image); null when the municipality has no such KPI. */
  async chart(staff: StaffPrincipal, fiscalYear: number, code: string, language: ChartLanguage): Promise<Chart | null> {
    requireRole(staff, REPORTING_ROLES.annualReport);
    const kpi = (await this.kpis.kpis(staff.municipalityId, fiscalYear)).find((candidate) => candidate.code === code);
    return kpi ? reportKpiChart(kpi, language) : null;
  }

  async pdf(staff: StaffPrincipal, fiscalYear: number): Promise<AnnualReportFile> {
    const content = await this.content(staff, fiscalYear);
    const now = this.clock.now();
    const settings = this.directory.get(staff.municipalityId)!;
    const label = content.fiscalYearLabel;
    const pages = layoutAnnualReport(this.renderer.font, content);
    const data = await this.renderer.renderPages(pages, {
      title: `${label} DX推進計画 進捗報告書`,
      subject: `Annual progress report on the DX plan, FY${fiscalYear} — ${settings.name.en}`,
      author: settings.name.ja,
      issuedAt: now,
    });
    return { fileName: `annual-report-${fiscalYear}.pdf`, data };
  }
}
