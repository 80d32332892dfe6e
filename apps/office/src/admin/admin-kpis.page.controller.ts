import { Get, Param, Post, Req, Res } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import { CurrentStaff, DepartmentRepository, StaffAdminService, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { DomainError } from '@madoguchi/kernel';
import { type AdminKpi, KPI_DIRECTIONS, KPI_MEASURES, KPI_SOURCES, type KpiDetail, type KpiDirection, type KpiMeasure, KpiRegisterService, type KpiSource } from '@madoguchi/kpi';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { sendPage } from '../../../portal/src/shared/page-response';
import { kpiCodePipe, staffNames } from '../dashboard/kpi.page.controller';
import { type OfficeContext, OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { ADMIN_KPIS, AdminKpiFormView, AdminKpiListView, type KpiFormValues } from './admin-kpis.view';

const CODE = /^[a-z0-9][a-z0-9-]{0,62}$/;
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

const text = (value: unknown, max: number): string => (typeof value === 'string' ? value.trim().slice(0, max) : '');
const numberOf = (value: string): number => Number(value.replace(/,/g, ''));

function valuesOf(record: AdminKpi): KpiFormValues {
  return {
    code: record.code,
    nameJa: record.name.ja,
    nameEn: record.name.en,
    unit: record.unit,
    baselineValue: String(record.baseline.value),
    baselineDate: record.baseline.date,
    targetValue: String(record.target.value),
    targetFiscalYear: String(record.target.fiscalYear),
    direction: record.direction,
    source: record.source,
    measure: record.measure ?? '',
    procedureCodes: record.procedureCodes.join(' '),
    department: record.department ?? '',
    sortOrder: String(record.sortOrder),
    active: record.active,
  };
}

function posted(body: Record<string, unknown>): KpiFormValues {
  const active = Array.isArray(body.active) ? body.active : [body.active];
  return {
    code: text(body.code, 70),
    nameJa: text(body.nameJa, 300),
    nameEn: text(body.nameEn, 300),
    unit: text(body.unit, 30),
    baselineValue: text(body.baselineValue, 40),
    baselineDate: text(body.baselineDate, 20),
    targetValue: text(body.targetValue, 40),
    targetFiscalYear: text(body.targetFiscalYear, 10),
    direction: text(body.direction, 10),
    source: text(body.source, 10),
    measure: text(body.measure, 40),
    procedureCodes: text(body.procedureCodes, 2000),
    department: text(body.department, 50),
    sortOrder: text(body.sortOrder, 10),
    active: active.includes('true'),
  };
}

/** Which field a service problem (`/pointer: reason`) belongs to, and how the page words it. */
function problemToError(context: OfficeContext, problem: string): FieldError {
  const { t } = context;
  const [pointer] = problem.split(':', 1);
  switch (pointer) {
    case '/target/value':
      return { fieldId: 'targetValue', message: t('office.adminKpi.targetEqualsBaseline') };
    case '/target/fiscalYear':
      return { fieldId: 'targetFiscalYear', message: t('office.adminKpi.targetBeforeBaseline') };
    case '/department':
      return { fieldId: 'department', message: t('office.adminKpi.departmentInvalid') };
    case '/procedureCodes':
      return { fieldId: 'procedureCodes', message: t('office.adminKpi.procedureUnknown', { code: /"([^"]+)"/.exec(problem)?.[1] ?? '' }) };
    case '/measure':
      return { fieldId: 'measure', message: t('office.adminKpi.measureMissing') };
    default:
      return { fieldId: 'kpi-form', message: problem };
  }
}

/**
 * /office/admin/kpis: the register of plan KPIs, on KpiRegisterService as
 * GET and PUT /api/v1/admin/kpis use it. Every save is a new revision (the
 * register keeps them all and shows them on the edit page); a KPI is
 * retired, never deleted, so its history stays.
 */
@StaffOnly('administrator')
@OfficePageController('admin/kpis')
export class AdminKpisPageController {
  constructor(
    private readonly register: KpiRegisterService,
    private readonly admin: StaffAdminService,
    private readonly departments: DepartmentRepository,
    private readonly directory: MunicipalityDirectory,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get()
  async list(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const kpis = await this.register.adminList(staff);
    const saved = text(request.query.saved, 70);
    const view = AdminKpiListView({ context, kpis, names: await staffNames(this.admin, staff), timeZone: this.timeZone(staff), saved: CODE.test(saved) ? saved : null });
    sendPage(response, context.lang, renderDocument(view));
  }

  @Get('new')
  async newForm(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const values: KpiFormValues = {
      code: '',
      nameJa: '',
      nameEn: '',
      unit: '',
      baselineValue: '',
      baselineDate: '',
      targetValue: '',
      targetFiscalYear: '',
      direction: 'up',
      source: 'entered',
      measure: '',
      procedureCodes: '',
      department: '',
      sortOrder: '0',
      active: true,
    };
    await this.form(context, response, staff, values, [], null);
  }

  @Post()
  async create(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const values = posted((request.body ?? {}) as Record<string, unknown>);
    const errors: FieldError[] = [];
    if (!CODE.test(values.code)) errors.push({ fieldId: 'code', message: context.t('office.adminKpi.codeInvalid') });
    else if ((await this.register.adminList(staff)).some((kpi) => kpi.code === values.code)) errors.push({ fieldId: 'code', message: context.t('office.adminKpi.codeTaken') });
    await this.save(context, response, staff, values, errors, null);
  }

  @Get(':code')
  async editForm(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code', kpiCodePipe) code: string): Promise<void> {
    const context = await this.pages.of(request);
    const { record, detail } = await this.existing(staff, code);
    await this.form(context, response, staff, valuesOf(record), [], detail);
  }

  @Post(':code')
  async update(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code', kpiCodePipe) code: string): Promise<void> {
    const context = await this.pages.of(request);
    const { detail } = await this.existing(staff, code);
    const values = { ...posted((request.body ?? {}) as Record<string, unknown>), code };
    await this.save(context, response, staff, values, [], detail);
  }

  /** The record (administrators' view) and its revisions; 404 when the register has no such code. */
  private async existing(staff: StaffPrincipal, code: string): Promise<{ record: AdminKpi; detail: KpiDetail }> {
    const record = (await this.register.adminList(staff)).find((kpi) => kpi.code === code);
    const detail = await this.register.detail(staff, code);
    return { record: record!, detail };
  }

  private async save(context: OfficeContext, response: Response, staff: StaffPrincipal, values: KpiFormValues, errors: FieldError[], existing: KpiDetail | null): Promise<void> {
    errors.push(...this.check(context, values));
    if (errors.length === 0) {
      try {
        await this.register.adminPut(staff, values.code, {
          name: { ja: values.nameJa, en: values.nameEn },
          unit: values.unit,
          baseline: { value: numberOf(values.baselineValue), date: values.baselineDate },
          target: { value: numberOf(values.targetValue), fiscalYear: Number(values.targetFiscalYear) },
          direction: values.direction as KpiDirection,
          source: values.source as KpiSource,
          ...(values.source === 'measured' ? { measure: values.measure as KpiMeasure } : {}),
          procedureCodes: codesOf(values.procedureCodes),
          ...(values.department ? { department: values.department } : {}),
          sortOrder: Number(values.sortOrder || '0'),
          active: values.active,
        });
        return response.redirect(303, `${ADMIN_KPIS}?saved=${encodeURIComponent(values.code)}`);
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'KPI_INVALID') throw error;
        const problems = (error.details?.problems as string[] | undefined) ?? [];
        errors.push(...problems.map((problem) => problemToError(context, problem)));
      }
    }
    await this.form(context, response, staff, values, errors, existing, 400);
  }

  /** The form's own checks (the API DTO's rules), worded for the page; the service checks the rest (target year, procedures). */
  private check(context: OfficeContext, values: KpiFormValues): FieldError[] {
    const { t } = context;
    const errors: FieldError[] = [];
    const isNumber = (value: string) => NUMBER.test(value.replace(/,/g, '')) && Math.abs(numberOf(value)) <= 1e12;
    if (!values.nameJa || values.nameJa.length > 200) errors.push({ fieldId: 'nameJa', message: t('office.adminKpi.nameMissing') });
    if (!values.nameEn || values.nameEn.length > 200) errors.push({ fieldId: 'nameEn', message: t('office.adminKpi.nameMissing') });
    if (!values.unit || values.unit.length > 20) errors.push({ fieldId: 'unit', message: t('office.adminKpi.unitMissing') });
    if (!isNumber(values.baselineValue)) errors.push({ fieldId: 'baselineValue', message: t('office.adminKpi.numberInvalid') });
    if (!ISO_DATE.test(values.baselineDate) || Number.isNaN(Date.parse(`${values.baselineDate}T00:00:00Z`))) errors.push({ fieldId: 'baselineDate', message: t('office.adminKpi.dateInvalid') });
    if (!isNumber(values.targetValue)) errors.push({ fieldId: 'targetValue', message: t('office.adminKpi.numberInvalid') });
    const year = Number(values.targetFiscalYear);
    if (!/^\d{4}$/.test(values.targetFiscalYear) || year < 2000 || year > 2100) errors.push({ fieldId: 'targetFiscalYear', message: t('office.adminKpi.yearInvalid') });
    if (!(KPI_DIRECTIONS as readonly string[]).includes(values.direction)) errors.push({ fieldId: 'direction', message: t('office.adminKpi.directionMissing') });
    if (!(KPI_SOURCES as readonly string[]).includes(values.source)) errors.push({ fieldId: 'source', message: t('office.adminKpi.sourceMissing') });
    else if (values.source === 'measured' && !(KPI_MEASURES as readonly string[]).includes(values.measure)) errors.push({ fieldId: 'measure', message: t('office.adminKpi.measureMissing') });
    else if (values.source === 'entered' && values.measure) errors.push({ fieldId: 'measure', message: t('office.adminKpi.measureForEntered') });
    const codes = codesOf(values.procedureCodes);
    const badCode = codes.find((code) => !CODE.test(code));
    if (badCode !== undefined || codes.length > 100) errors.push({ fieldId: 'procedureCodes', message: t('office.adminKpi.procedureUnknown', { code: badCode ?? '' }) });
    if (!/^\d{1,5}$/.test(values.sortOrder || '0') || Number(values.sortOrder || '0') > 10_000) errors.push({ fieldId: 'sortOrder', message: t('office.adminKpi.sortOrderInvalid') });
    return errors;
  }

  private async form(context: OfficeContext, response: Response, staff: StaffPrincipal, values: KpiFormValues, errors: FieldError[], existing: KpiDetail | null, status = 200): Promise<void> {
    const departments = (await this.departments.list(staff.municipalityId)).filter((department) => department.active || department.code === values.department);
    const names = await staffNames(this.admin, staff);
    const view = AdminKpiFormView({ context, values, errors, departments, existing, names, timeZone: this.timeZone(staff) });
    sendPage(response, context.lang, renderDocument(view), status);
  }

  private timeZone(staff: StaffPrincipal): string {
    return this.directory.get(staff.municipalityId)?.timeZone ?? 'Asia/Tokyo';
  }
}

function codesOf(value: string): string[] {
  return value
    .split(/[\s,、]+/)
    .map((code) => code.trim())
    .filter((code) => code.length > 0);
}
