import { Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { CurrentStaff, DepartmentRepository, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { DASHBOARD_CHARTS, type DashboardChart, type DashboardFilter, DashboardService, kpiHistoryChart, KpiChartsService, KpiRegisterService } from '@madoguchi/kpi';
import { sendChartImage } from '@madoguchi/reporting';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { sendPage } from '../../../portal/src/shared/page-response';
import { type OfficeContext, OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { withoutSvg } from './chart-figure';
import { type DashboardData, type DashboardFilterValues, DashboardView } from './dashboard.view';

/** Fiscal years the filter offers: the current one and the four before it (the plans' baselines are a few years back). */
const YEARS_BACK = 4;

const text = (value: unknown, max: number): string => (typeof value === 'string' ? value.trim().slice(0, max) : '');

/** The chart routes' query: the dashboard filter as the page passes it; anything unknown is the default. */
export function chartQuery(query: Record<string, unknown>): { filter: DashboardFilter; lang: 'ja' | 'en' } {
  const year = text(query.fiscalYear, 4);
  const department = text(query.department, 40);
  return {
    filter: {
      fiscalYear: /^\d{4}$/.test(year) && Number(year) >= 2000 && Number(year) <= 2100 ? Number(year) : undefined,
      department: /^[a-z][a-z0-9-]{0,39}$/.test(department) ? department : undefined,
    },
    lang: query.lang === 'en' ? 'en' : 'ja',
  };
}

/**
 * /office/dashboard: the managers' dashboard on the services the JSON API
 * uses (KpiRegisterService for the plan KPIs, DashboardService for the
 * figures, KpiChartsService for the charts), so the page shows what
 * /api/v1/kpis and /api/v1/dashboard/* show. Aggregates only: no resident's
 * data is read.
 */
@StaffOnly('manager', 'administrator')
@OfficePageController('dashboard')
export class DashboardPageController {
  constructor(
    private readonly register: KpiRegisterService,
    private readonly dashboard: DashboardService,
    private readonly charts: KpiChartsService,
    private readonly departments: DepartmentRepository,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get()
  async show(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const current = this.dashboard.period(staff.municipalityId, {}).period.fiscalYear;
    const fiscalYears = Array.from({ length: YEARS_BACK + 1 }, (_, index) => current - index);
    const departments = (await this.departments.list(staff.municipalityId)).filter((department) => department.active);
    const values: DashboardFilterValues = { fiscalYear: text(request.query.fiscalYear, 10), department: text(request.query.department, 50) };
    const errors: FieldError[] = [];
    const filter: DashboardFilter = {};
    if (values.fiscalYear) {
      if (fiscalYears.includes(Number(values.fiscalYear)) && /^\d{4}$/.test(values.fiscalYear)) filter.fiscalYear = Number(values.fiscalYear);
      else errors.push({ fieldId: 'fiscalYear', message: context.t('office.dashboard.yearInvalid') });
    }
    if (values.department) {
      if (departments.some((department) => department.code === values.department)) filter.department = values.department;
      else errors.push({ fieldId: 'department', message: context.t('office.dashboard.departmentInvalid') });
    }
    const data = await this.data(context, staff, filter, fiscalYears, departments);
    sendPage(response, context.lang, renderDocument(DashboardView({ context, data, values, errors })), errors.length > 0 ? 400 : 200);
  }

  @Get(':chart/chart.svg')
  async chart(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('chart') name: string): Promise<void> {
    if (!(DASHBOARD_CHARTS as readonly string[]).includes(name)) throw new NotFoundException();
    const { filter, lang } = chartQuery(request.query as Record<string, unknown>);
    sendChartImage(response, await this.charts.dashboardChart(staff, name as DashboardChart, filter, lang), { shared: false });
  }

  private async data(context: OfficeContext, staff: StaffPrincipal, filter: DashboardFilter, fiscalYears: number[], departments: DashboardData['departments']): Promise<DashboardData> {
    const lang = context.lang === 'en' ? 'en' : 'ja';
    const cards = await this.register.list(staff, filter);
    const [onlineProcedures, channels, cashless, processing, counter] = await Promise.all([
      this.dashboard.onlineProcedures(staff, filter),
      this.dashboard.channels(staff, filter),
      this.dashboard.cashless(staff, filter),
      this.dashboard.processingTimes(staff, filter),
      this.dashboard.counter(staff, filter),
    ]);
    const charts = {} as DashboardData['charts'];
    for (const name of DASHBOARD_CHARTS) charts[name] = withoutSvg(await this.charts.dashboardChart(staff, name, filter, lang));
    return {
      fiscalYear: channels.period.fiscalYear,
      department: filter.department ?? null,
      fiscalYears,
      departments,
      cards: cards.map((card) => ({ card, chart: withoutSvg(kpiHistoryChart(card, lang)) })),
      onlineProcedures,
      channels,
      cashless,
      processing,
      counter,
      charts,
    };
  }
}
