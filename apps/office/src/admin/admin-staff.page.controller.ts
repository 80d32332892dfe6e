import { Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { CurrentStaff, IdentityError, StaffAdminService, StaffOnly, type StaffPrincipal, toStaffDto } from '@madoguchi/identity';
import { DomainError } from '@madoguchi/kernel';
import { type ApprovalLevel, APPROVAL_LEVELS, STAFF_ROLES, type StaffRole } from '@madoguchi/workflow';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { sendPage } from '../../../portal/src/shared/page-response';
import { type OfficeContext, OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { ADMIN_STAFF, StaffConfirmView, type StaffFormValues, StaffFormView, StaffListView, type StaffNotice, StaffSecretView } from './admin-staff.view';

const uuid = new ParseUUIDPipe();
const LOGIN_ID = /^[a-z0-9][a-z0-9._-]{2,63}$/;
const text = (value: unknown, max: number): string => (typeof value === 'string' ? value.trim().slice(0, max) : '');
const list = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string').slice(0, 50);

/** Which field a refusal of the service belongs to, so the message sits by it. */
function fieldOfError(error: DomainError): string {
  if (error.code === 'AUTH_WEAK_PASSWORD') return 'password';
  if (error.httpStatus === 409) return 'loginId';
  if (/DEPARTMENT/.test(error.code)) return 'departments';
  if (/ROLE|LEVEL/.test(error.code)) return 'roles';
  return 'staff-form';
}

/**
 * /office/admin/staff: the staff accounts of the municipality, on
 * StaffAdminService as /api/v1/admin/staff… uses it. Deactivation and a TOTP
 * reset go through a confirmation page; a new secret is shown once, in the
 * answer to the POST.
 */
@StaffOnly('administrator')
@OfficePageController('admin/staff')
export class AdminStaffPageController {
  constructor(
    private readonly admin: StaffAdminService,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get()
  async list(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const [accounts, locked, departments] = await Promise.all([
      this.admin.list(staff.municipalityId),
      this.admin.listLocked(staff.municipalityId),
      this.admin.listDepartments(staff.municipalityId),
    ]);
    const lockedUntil = new Map(locked.map((account) => [account.id, account.lockedUntil!.toISOString()]));
    const done = text(request.query.done, 20);
    const notice = ['created', 'deactivated', 'unlocked'].includes(done) ? ({ kind: done, name: text(request.query.name, 100) } as StaffNotice) : null;
    const rows = accounts.map((account) => ({ ...toStaffDto(account), lockedUntil: lockedUntil.get(account.id) ?? null }));
    sendPage(response, context.lang, renderDocument(StaffListView({ context, staff: rows, departments, notice, selfId: staff.id })));
  }

  @Get('new')
  async form(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const departments = await this.admin.listDepartments(staff.municipalityId);
    const values: StaffFormValues = { loginId: '', displayName: '', roles: [], approvalLevel: '', departments: [] };
    sendPage(response, context.lang, renderDocument(StaffFormView({ context, departments, values, errors: [] })));
  }

  @Post()
  async create(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values: StaffFormValues = {
      loginId: text(body.loginId, 64),
      displayName: text(body.displayName, 100),
      roles: list(body.roles),
      approvalLevel: text(body.approvalLevel, 20),
      departments: list(body.departments),
    };
    const password = typeof body.password === 'string' ? body.password.slice(0, 256) : '';
    const errors = this.check(context, values, password);
    if (errors.length === 0) {
      try {
        const { account, totp } = await this.admin.create(staff.municipalityId, staff.id, {
          loginId: values.loginId,
          password,
          displayName: values.displayName,
          roles: values.roles as StaffRole[],
          approvalLevel: (values.approvalLevel || null) as ApprovalLevel | null,
          departments: values.departments,
          active: true,
        });
        if (totp) return sendPage(response, context.lang, renderDocument(StaffSecretView({ context, account: toStaffDto(account), ...totp, created: true })));
        return response.redirect(303, `${ADMIN_STAFF}?done=created&name=${encodeURIComponent(account.displayName)}`);
      } catch (error) {
        if (!(error instanceof DomainError) || (error as DomainError & { httpStatus: number }).httpStatus >= 500) throw error;
        errors.push({ fieldId: fieldOfError(error as DomainError & { httpStatus: number }), message: context.lang === 'en' ? error.userMessage.en : error.userMessage.ja });
      }
    }
    const departments = await this.admin.listDepartments(staff.municipalityId);
    sendPage(response, context.lang, renderDocument(StaffFormView({ context, departments, values, errors })), 400);
  }

  /** The form's own checks, worded for the page; the service checks again (departments exist, password strength). */
  private check(context: OfficeContext, values: StaffFormValues, password: string): FieldError[] {
    const { t } = context;
    const errors: FieldError[] = [];
    if (!LOGIN_ID.test(values.loginId)) errors.push({ fieldId: 'loginId', message: t('office.admin.staff.loginIdInvalid') });
    if (!values.displayName) errors.push({ fieldId: 'displayName', message: t('office.admin.staff.displayNameMissing') });
    if (!password) errors.push({ fieldId: 'password', message: t('office.admin.staff.passwordMissing') });
    if (values.roles.length === 0 || values.roles.some((role) => !(STAFF_ROLES as readonly string[]).includes(role))) errors.push({ fieldId: 'roles', message: t('office.admin.staff.rolesMissing') });
    if (values.approvalLevel && !(APPROVAL_LEVELS as readonly string[]).includes(values.approvalLevel)) values.approvalLevel = '';
    return errors;
  }

  @Post(':id/unlock')
  async unlock(@Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    await this.admin.unlock(staff.municipalityId, staff.id, id);
    const account = await this.admin.get(staff.municipalityId, id);
    response.redirect(303, `${ADMIN_STAFF}?done=unlocked&name=${encodeURIComponent(account.displayName)}`);
  }

  @Get(':id/deactivate')
  async confirmDeactivate(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    await this.confirm(request, response, staff, id, 'deactivate');
  }

  @Post(':id/deactivate')
  async deactivate(@Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const account = await this.admin.get(staff.municipalityId, id);
    // Everything else stays as it is: the same update as PUT /admin/staff/:id with active false.
    await this.admin.update(staff.municipalityId, staff.id, id, {
      displayName: account.displayName,
      roles: account.roles,
      approvalLevel: account.approvalLevel,
      departments: account.departments,
      active: false,
    });
    response.redirect(303, `${ADMIN_STAFF}?done=deactivated&name=${encodeURIComponent(account.displayName)}`);
  }

  @Get(':id/totp-reset')
  async confirmTotpReset(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    if (id === staff.id) throw IdentityError.cannotResetOwnTotp();
    await this.confirm(request, response, staff, id, 'totp-reset');
  }

  @Post(':id/totp-reset')
  async totpReset(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const totp = await this.admin.resetTotp(staff.municipalityId, staff.id, id);
    const context = await this.pages.of(request);
    const account = await this.admin.get(staff.municipalityId, id);
    response.set('Cache-Control', 'no-store');
    sendPage(response, context.lang, renderDocument(StaffSecretView({ context, account: toStaffDto(account), ...totp, created: false })));
  }

  private async confirm(request: Request, response: Response, staff: StaffPrincipal, id: string, action: 'deactivate' | 'totp-reset'): Promise<void> {
    const context = await this.pages.of(request);
    const account = await this.admin.get(staff.municipalityId, id);
    sendPage(response, context.lang, renderDocument(StaffConfirmView({ context, account: toStaffDto(account), action })));
  }
}
