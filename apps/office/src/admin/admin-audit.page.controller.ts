import { Get, Req, Res } from '@nestjs/common';
import { type AuditListQuery, AuditService, type AuditVerification } from '@madoguchi/audit';
import { CurrentStaff, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { DomainError } from '@madoguchi/kernel';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { sendPage } from '../../../portal/src/shared/page-response';
import { OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { AUDIT_PARAMS, AuditView } from './admin-audit.view';

const PAGE_SIZE = 50;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day in Japan as an instant (Japan keeps no daylight saving time): its start, or the next day's start. */
function dayStart(date: string, next = false): Date | null {
  if (!DATE.test(date)) return null;
  const utc = new Date(`${date}T00:00:00Z`);
  // Refuses days that do not exist (2026-02-30), which Date would roll over.
  if (Number.isNaN(utc.getTime()) || utc.toISOString().slice(0, 10) !== date) return null;
  const start = new Date(utc.getTime() - 9 * 60 * 60 * 1000);
  return next ? new Date(start.getTime() + 24 * 60 * 60 * 1000) : start;
}

/**
 * /office/admin/audit: the audit log, read-only, on AuditService as
 * GET /api/v1/admin/audit uses it; /verify adds the chain's verification
 * (GET /api/v1/admin/audit/verify). Verifying changes nothing, so it is a
 * plain GET form.
 */
@StaffOnly('administrator')
@OfficePageController('admin/audit')
export class AdminAuditPageController {
  constructor(
    private readonly audit: AuditService,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get()
  async list(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    await this.render(request, response, staff, null);
  }

  @Get('verify')
  async verify(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    await this.render(request, response, staff, await this.audit.verify(staff.municipalityId));
  }

  private async render(request: Request, response: Response, staff: StaffPrincipal, verification: AuditVerification | null): Promise<void> {
    const context = await this.pages.of(request);
    const { t } = context;
    const values: Record<string, string> = {};
    for (const name of [...AUDIT_PARAMS, 'before'] as const) {
      const value = request.query[name];
      if (typeof value === 'string' && value.trim() !== '') values[name] = value.trim().slice(0, 200);
    }
    const errors: FieldError[] = [];
    const query: AuditListQuery = { limit: PAGE_SIZE };
    for (const name of ['action', 'actorId', 'targetType', 'targetId'] as const) if (values[name]) query[name] = values[name];
    if (values.from) {
      const from = dayStart(values.from);
      if (from) query.from = from;
      else errors.push({ fieldId: 'from', message: t('office.admin.audit.dateInvalid') });
    }
    if (values.to) {
      const to = dayStart(values.to, true);
      if (to) query.to = to;
      else errors.push({ fieldId: 'to', message: t('office.admin.audit.dateInvalid') });
    }
    if (values.before && /^[1-9]\d{0,15}$/.test(values.before)) query.before = Number(values.before);
    let page = { entries: [], nextBefore: null } as Awaited<ReturnType<AuditService['list']>>;
    if (errors.length === 0) {
      try {
        page = await this.audit.list(staff.municipalityId, query);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const field = String((error.details as { field?: string } | undefined)?.field ?? 'action');
        errors.push({ fieldId: field, message: context.lang === 'en' ? error.userMessage.en : error.userMessage.ja });
      }
    }
    sendPage(response, context.lang, renderDocument(AuditView({ context, page, values, errors, verification })), errors.length > 0 ? 400 : 200);
  }
}
