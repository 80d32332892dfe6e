import { Get, NotFoundException, Param, type PipeTransform, Post, Req, Res } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import { CurrentStaff, StaffAdminService, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { Clock, DomainError, isoDateIn } from '@madoguchi/kernel';
import { KpiChartsService, type KpiDetail, kpiHistoryChart, KpiRegisterService } from '@madoguchi/kpi';
import { sendChartImage } from '@madoguchi/reporting';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { sendPage } from '../../../portal/src/shared/page-response';
import { type OfficeContext, OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { withoutSvg } from './chart-figure';
import { chartQuery } from './dashboard.page.controller';
import { OFFICE_KPIS } from './dashboard.view';
import { type KpiValueFormValues, KpiView } from './kpi.view';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** A KPI code in a path: the API's rule; anything else is no such KPI. */
export const kpiCodePipe: PipeTransform<string, string> = {
  transform(value: string): string {
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(value)) throw new NotFoundException();
    return value;
  },
};

const text = (value: unknown, max: number): string => (typeof value === 'string' ? value.trim().slice(0, max) : '');

/** Staff names by id, for "who" columns (colleagues' names, not residents' data). */
export async function staffNames(admin: StaffAdminService, staff: StaffPrincipal): Promise<Map<string, string>> {
  return new Map((await admin.list(staff.municipalityId)).map((account) => [account.id, account.displayName]));
}

/**
 * /office/kpis/:code: one plan KPI, its history and, for an entered KPI,
 * the monthly value form. On KpiRegisterService as /api/v1/kpis/:code and
 * POST /api/v1/kpis/:code/values use it: a value is appended, never
 * overwritten; a correction is a new entry for the same month.
 */
@StaffOnly('manager', 'administrator')
@OfficePageController('kpis')
export class KpiPageController {
  constructor(
    private readonly register: KpiRegisterService,
    private readonly charts: KpiChartsService,
    private readonly admin: StaffAdminService,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get(':code/chart.svg')
  async chart(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code', kpiCodePipe) code: string): Promise<void> {
    const { filter, lang } = chartQuery(request.query as Record<string, unknown>);
    sendChartImage(response, await this.charts.kpi(staff, code, filter, lang), { shared: false });
  }

  @Get(':code')
  async show(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code', kpiCodePipe) code: string): Promise<void> {
    const context = await this.pages.of(request);
    const kpi = await this.register.detail(staff, code);
    const month = isoDateIn(this.clock.now(), this.timeZone(staff)).slice(0, 7);
    await this.render(context, response, staff, kpi, { month, value: '', note: '' }, [], request.query.done === 'entered');
  }

  @Post(':code/values')
  async enter(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code', kpiCodePipe) code: string): Promise<void> {
    const context = await this.pages.of(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values: KpiValueFormValues = { month: text(body.month, 20), value: text(body.value, 40), note: text(body.note, 1000) };
    const errors = check(context, values);
    if (errors.length === 0) {
      try {
        const value = Number(values.value.replace(/,/g, ''));
        await this.register.enterValue(staff, code, { month: values.month, value, ...(values.note ? { note: values.note } : {}) });
        return response.redirect(303, `${OFFICE_KPIS}/${encodeURIComponent(code)}?done=entered`);
      } catch (error) {
        // Only the month's refusal belongs to the form; anything else (not found, a measured KPI) is an error page.
        if (!(error instanceof DomainError) || error.code !== 'KPI_MONTH_IN_FUTURE') throw error;
        errors.push({ fieldId: 'month', message: context.t('office.kpi.monthFuture') });
      }
    }
    await this.render(context, response, staff, await this.register.detail(staff, code), values, errors, false, 400);
  }

  private async render(context: OfficeContext, response: Response, staff: StaffPrincipal, kpi: KpiDetail, values: KpiValueFormValues, errors: FieldError[], entered: boolean, status = 200): Promise<void> {
    const lang = context.lang === 'en' ? 'en' : 'ja';
    const chartSrc = `${OFFICE_KPIS}/${encodeURIComponent(kpi.code)}/chart.svg?lang=${lang}`;
    const names = await staffNames(this.admin, staff);
    const view = KpiView({ context, kpi, chart: withoutSvg(kpiHistoryChart(kpi, lang)), chartSrc, names, timeZone: this.timeZone(staff), values, errors, entered });
    sendPage(response, context.lang, renderDocument(view), status);
  }

  private timeZone(staff: StaffPrincipal): string {
    return this.directory.get(staff.municipalityId)?.timeZone ?? 'Asia/Tokyo';
  }
}

/** The form's own checks, worded for the page; the service checks the month again against today. */
function check(context: OfficeContext, values: KpiValueFormValues): FieldError[] {
  const { t } = context;
  const errors: FieldError[] = [];
  if (!MONTH.test(values.month)) errors.push({ fieldId: 'month', message: t('office.kpi.monthInvalid') });
  const number = values.value.replace(/,/g, '');
  if (!NUMBER.test(number) || Math.abs(Number(number)) > 1e12) errors.push({ fieldId: 'value', message: t('office.kpi.valueInvalid') });
  if (values.note.length > 500) errors.push({ fieldId: 'note', message: t('office.kpi.noteTooLong') });
  return errors;
}
