import { Get, Query, Req, Res } from '@nestjs/common';
import { CurrentResident, DepartmentRepository, ResidentOnly, type ResidentPrincipal } from '@madoguchi/identity';
import { RequestError } from '@madoguchi/kernel';
import { AccessLogService, sendAccessLogCsv } from '@madoguchi/retention';
import { renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { PageContextFactory } from '../shared/page-context';
import { PageController } from '../shared/page-controller';
import { sendPage } from '../shared/page-response';
import { AccessLogView } from './access-log.view';

/** Entries per page: enough for most residents' whole history on one page. */
const PAGE_SIZE = 50;

/** `before` is a positive sequence number from our own "older" link; anything else is a bad address. */
function cursorOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && /^[1-9][0-9]{0,15}$/.test(value)) return Number(value);
  throw new RequestError(400, 'VALIDATION_FAILED', {
    ja: 'ページの指定が正しくありません。最初のページから見てください。',
    en: 'That page address is not valid. Start from the first page.',
  });
}

/**
 * "Who has looked at my information": the resident's own record of staff
 * reads, on the same service as `/api/v1/me/access-log` (built from the
 * audit log only), and its CSV for the signed-in resident.
 */
@ResidentOnly()
@PageController('account')
export class AccessLogPageController {
  constructor(
    private readonly accessLog: AccessLogService,
    private readonly departments: DepartmentRepository,
    private readonly pages: PageContextFactory,
  ) {}

  @Get('access-log')
  async list(@CurrentResident() resident: ResidentPrincipal, @Req() request: Request, @Res() response: Response, @Query('before') before: unknown): Promise<void> {
    const context = this.pages.of(request);
    const cursor = cursorOf(before);
    const [page, departments] = await Promise.all([this.accessLog.page(resident, { before: cursor, limit: PAGE_SIZE }), this.departments.list(resident.municipalityId)]);
    const departmentNames = new Map(departments.map((department) => [department.code, context.lang === 'en' ? department.name.en : department.name.ja]));
    const view = AccessLogView({ context, entries: page.entries, departmentNames, nextBefore: page.nextBefore, paged: cursor !== undefined });
    sendPage(response, context.lang, renderDocument(view));
  }

  @Get('access-log.csv')
  async csv(@CurrentResident() resident: ResidentPrincipal, @Res() response: Response): Promise<void> {
    sendAccessLogCsv(response, await this.accessLog.csv(resident));
  }
}
