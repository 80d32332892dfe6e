import { Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { CurrentStaff, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { AnnualReportService, EvaluationService, parseFiscalYear, reportKpiChart, sendChartImage } from '@madoguchi/reporting';
import { renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { sendPage } from '../../../portal/src/shared/page-response';
import { OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { annualReportPath, AnnualReportView } from './annual-report.view';

/**
 * /office/reports/annual/:fiscalYear: the annual progress report for the
 * advisory committee as a printable page, its charts, and the PDF, all on
 * AnnualReportService as /api/v1/reports/annual/:fy.pdf uses it (managers,
 * and administrators who print it for them).
 */
@StaffOnly('manager', 'administrator')
@OfficePageController('reports/annual')
export class AnnualReportPageController {
  constructor(
    private readonly reports: AnnualReportService,
    private readonly evaluation: EvaluationService,
    private readonly pages: OfficeContextFactory,
  ) {}

  /** The menu's link: this fiscal year's report. */
  @Get()
  current(@Res() response: Response, @CurrentStaff() staff: StaffPrincipal): void {
    response.redirect(303, annualReportPath(this.evaluation.currentFiscalYear(staff.municipalityId)));
  }

  @Get(':fiscalYear')
  async page(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('fiscalYear') fiscalYear: string): Promise<void> {
    const context = await this.pages.of(request);
    const content = await this.reports.content(staff, parseFiscalYear(fiscalYear));
    const language = context.lang === 'en' ? 'en' : 'ja';
    const charts = new Map(content.kpis.map((kpi) => [kpi.code, reportKpiChart(kpi, language)]));
    sendPage(response, context.lang, renderDocument(AnnualReportView({ context, content, charts })));
  }

  @Get(':fiscalYear/charts/:code.svg')
  async chart(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('fiscalYear') fiscalYear: string, @Param('code') code: string): Promise<void> {
    const context = await this.pages.of(request);
    const chart = await this.reports.chart(staff, parseFiscalYear(fiscalYear), code, context.lang === 'en' ? 'en' : 'ja');
    if (!chart) throw new NotFoundException();
    sendChartImage(response, chart, { shared: false });
  }

  @Get(':fiscalYear/report.pdf')
  async pdf(@Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('fiscalYear') fiscalYear: string): Promise<void> {
    const file = await this.reports.pdf(staff, parseFiscalYear(fiscalYear));
    response
      .status(200)
      .set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="${file.fileName}"`,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'private, no-store',
      })
      .send(Buffer.from(file.data));
  }
}
