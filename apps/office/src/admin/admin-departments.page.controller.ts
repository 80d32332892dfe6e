import { Get, Param, Post, Req, Res } from '@nestjs/common';
import { CurrentStaff, type Department, IdentityError, StaffAdminService, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { sendPage } from '../../../portal/src/shared/page-response';
import { type OfficeContext, OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { checkNames, codeParam, formOf, refusalOnForm, text } from './admin-form';
import { ADMIN_DEPARTMENTS, type DepartmentFormValues, DepartmentListView, DepartmentRenameView } from './admin-departments.view';

/** A department code, as DepartmentDto has it. */
export const DEPARTMENT_CODE = /^[a-z][a-z0-9-]{1,31}$/;

const departmentCode = codeParam(DEPARTMENT_CODE, 'code');

const EMPTY: DepartmentFormValues = { code: '', nameJa: '', nameEn: '', active: true };

/**
 * /office/admin/departments: the municipality's departments (課), on
 * StaffAdminService as /api/v1/admin/departments uses it: list, create,
 * rename or deactivate. A department is never deleted (staff, facilities
 * and cases name it).
 */
@StaffOnly('administrator')
@OfficePageController('admin/departments')
export class AdminDepartmentsPageController {
  constructor(
    private readonly admin: StaffAdminService,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get()
  async list(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const done = text(request.query.done, 20);
    const notice = ['created', 'renamed'].includes(done) ? { kind: done as 'created' | 'renamed', code: text(request.query.code, 32) } : null;
    await this.renderList(context, response, staff, EMPTY, [], notice);
  }

  @Post()
  async create(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const values = valuesOf(formOf(request), true);
    const errors: FieldError[] = [];
    if (!DEPARTMENT_CODE.test(values.code)) errors.push({ fieldId: 'code', message: context.t('office.admin.departments.codeInvalid') });
    checkNames(context, values, errors);
    if (errors.length > 0) return this.renderList(context, response, staff, values, errors, null, 400);
    try {
      await this.admin.createDepartment(staff.municipalityId, staff.id, { code: values.code, name: { ja: values.nameJa, en: values.nameEn }, active: true });
    } catch (error) {
      // A code already taken (409) is said by the code field.
      const refusal = refusalOnForm(context, error, () => 'code');
      return this.renderList(context, response, staff, values, [refusal.error], null, refusal.status);
    }
    response.redirect(303, `${ADMIN_DEPARTMENTS}?done=created&code=${values.code}`);
  }

  @Get(':code/edit')
  async edit(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code', departmentCode) code: string): Promise<void> {
    const context = await this.pages.of(request);
    const department = await this.find(staff, code);
    const values = { code, nameJa: department.name.ja, nameEn: department.name.en, active: department.active };
    sendPage(response, context.lang, renderDocument(DepartmentRenameView({ context, values, errors: [] })));
  }

  @Post(':code')
  async update(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code', departmentCode) code: string): Promise<void> {
    const context = await this.pages.of(request);
    await this.find(staff, code);
    const values = { ...valuesOf(formOf(request), false), code };
    const errors: FieldError[] = [];
    checkNames(context, values, errors);
    if (errors.length > 0) return sendPage(response, context.lang, renderDocument(DepartmentRenameView({ context, values, errors })), 400);
    await this.admin.updateDepartment(staff.municipalityId, staff.id, { code, name: { ja: values.nameJa, en: values.nameEn }, active: values.active });
    response.redirect(303, `${ADMIN_DEPARTMENTS}?done=renamed&code=${code}`);
  }

  /** Another municipality's department, or none, is "not found". */
  private async find(staff: StaffPrincipal, code: string): Promise<Department> {
    const department = (await this.admin.listDepartments(staff.municipalityId)).find((item) => item.code === code);
    if (!department) throw IdentityError.notFound();
    return department;
  }

  private async renderList(context: OfficeContext, response: Response, staff: StaffPrincipal, values: DepartmentFormValues, errors: FieldError[], notice: { kind: 'created' | 'renamed'; code: string } | null, status = 200): Promise<void> {
    const departments = await this.admin.listDepartments(staff.municipalityId);
    sendPage(response, context.lang, renderDocument(DepartmentListView({ context, departments, values, errors, notice })), status);
  }
}

function valuesOf(body: Record<string, unknown>, withCode: boolean): DepartmentFormValues {
  return { code: withCode ? text(body.code, 32) : '', nameJa: text(body.nameJa, 100), nameEn: text(body.nameEn, 100), active: body.active === '1' };
}
