import { BadRequestException, Get, Post, Req, Res, ValidationPipe } from '@nestjs/common';
import { ApplicationAccessService, ClaimsService, WorkQueueQuery } from '@madoguchi/applications';
import { CurrentStaff, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { sendPage } from '../../../portal/src/shared/page-response';
import { OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { QUEUE_PARAMS, queueHref, QueueView } from './queue.view';

/** The API's own query rules (WorkQueueQuery): the page filters exactly as GET /staff/applications does. */
const PIPE = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: false, stopAtFirstError: true });

/** The submitted filter values, blank ones dropped (an empty select means "any"). */
function filterValues(query: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of QUEUE_PARAMS) {
    const value = query[name];
    if (typeof value === 'string' && value.trim() !== '') values[name] = value.trim().slice(0, 600);
  }
  return values;
}

/**
 * /office/queue: the work queue of the staff member's departments with the
 * API's filters, sorts and keyset pages, counts per state, and the bulk
 * claim/assign form. One call to ApplicationAccessService.queueBoard.
 */
@StaffOnly('clerk', 'reviewer', 'approver')
@OfficePageController('queue')
export class QueuePageController {
  constructor(
    private readonly access: ApplicationAccessService,
    private readonly claims: ClaimsService,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get()
  async queue(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const values = filterValues(request.query as Record<string, unknown>);
    let query: WorkQueueQuery;
    let invalid: string[] = [];
    try {
      query = (await PIPE.transform(values, { type: 'query', metatype: WorkQueueQuery })) as WorkQueueQuery;
    } catch (error) {
      if (!(error instanceof BadRequestException)) throw error;
      const messages = (error.getResponse() as { message?: string[] | string }).message ?? [];
      invalid = Array.isArray(messages) ? messages : [messages];
      query = {};
    }
    const board = await this.access.queueBoard(staff, query);
    const bulk = typeof request.query.done === 'string' ? { done: Number(request.query.done) || 0, failed: Number(request.query.failed) || 0 } : null;
    sendPage(response, context.lang, renderDocument(QueueView({ context, board, values, invalid, bulk, staffId: staff.id })), invalid.length > 0 ? 400 : 200);
  }

  /** Bulk: claim the chosen cases, or assign them to a colleague; each case on its own rules. */
  @Post('bulk')
  async bulk(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const ids = (Array.isArray(body.ids) ? body.ids : [body.ids]).filter((id): id is string => typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)).slice(0, 100);
    const assignee = typeof body.assignee === 'string' && /^[0-9a-f-]{36}$/i.test(body.assignee) ? body.assignee : null;
    const back = filterValues(typeof body.back === 'string' ? Object.fromEntries(new URLSearchParams(body.back)) : {});
    const results = await this.claims.bulk(staff, ids, assignee);
    const failed = results.filter((result) => result.error !== null).length + (ids.length === 0 ? 0 : 0);
    response.redirect(303, queueHref(back, { done: String(results.length - failed), failed: String(failed) }));
  }
}
