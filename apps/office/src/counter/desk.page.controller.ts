import { Get, NotFoundException, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { CounterDeskService, QueueStatusService } from '@madoguchi/counter';
import { CurrentStaff, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { DomainError } from '@madoguchi/kernel';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { sendPage } from '../../../portal/src/shared/page-response';
import { OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { DESK_ACTIONS, type DeskAction, type DeskNotice, DeskListView, DeskView, deskHref } from './desk.view';

const uuid = new ParseUUIDPipe();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const text = (value: unknown, max: number): string => (typeof value === 'string' ? value.trim().slice(0, max) : '');

/** The desk actions by their path segment, as the JSON routes name them. */
const ACTION_PATHS: Record<string, DeskAction> = { recall: 'recall', 'no-show': 'noShow', start: 'start', finish: 'finish' };

/**
 * /office/counter/desks: the desk console of a counter (窓口呼出し). Call
 * next, recall, no-show, start, finish, transfer keeping the place, link
 * the visit to an application. Every form posts to CounterDeskService, the
 * service the JSON routes under /staff/counters and /staff/counter-tickets
 * call, and answers with a 303 back to the console (post/redirect/get). A
 * refusal (nobody waiting, another desk got there first) is shown on the
 * console with the service's own message and status.
 */
@StaffOnly('clerk')
@OfficePageController('counter/desks')
export class DeskPageController {
  constructor(
    private readonly desk: CounterDeskService,
    private readonly status: QueueStatusService,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get()
  async list(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const counters = await this.desk.listCounters(staff);
    sendPage(response, context.lang, renderDocument(DeskListView({ context, counters })));
  }

  @Get(':counter')
  async page(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('counter', uuid) counterId: string): Promise<void> {
    const done = text(request.query.done, 20);
    const notice: DeskNotice | null = done && (DESK_ACTIONS as readonly string[]).includes(done) ? { kind: done as DeskNotice['kind'], number: text(request.query.number, 20) } : null;
    await this.render(request, response, staff, counterId, { notice });
  }

  @Post(':counter/call-next')
  async callNext(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('counter', uuid) counterId: string): Promise<void> {
    await this.attempt(request, response, staff, counterId, () => this.desk.callNext(staff, counterId), 'called');
  }

  @Post(':counter/tickets/:ticket/transfer')
  async transfer(
    @Req() request: Request,
    @Res() response: Response,
    @CurrentStaff() staff: StaffPrincipal,
    @Param('counter', uuid) counterId: string,
    @Param('ticket', uuid) ticketId: string,
  ): Promise<void> {
    const target = text((request.body as Record<string, unknown>)?.counterId, 36);
    if (!UUID.test(target)) {
      const context = await this.pages.of(request);
      return this.render(request, response, staff, counterId, { errors: [{ fieldId: 'transfer-counter', message: context.t('counterDesk.transferMissing') }] }, 400);
    }
    await this.attempt(request, response, staff, counterId, () => this.desk.transfer(staff, ticketId, { counterId: target }), 'transfer');
  }

  @Post(':counter/tickets/:ticket/application')
  async link(
    @Req() request: Request,
    @Res() response: Response,
    @CurrentStaff() staff: StaffPrincipal,
    @Param('counter', uuid) counterId: string,
    @Param('ticket', uuid) ticketId: string,
  ): Promise<void> {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const applicationId = text(body.applicationId, 40);
    if (!UUID.test(applicationId)) {
      const context = await this.pages.of(request);
      return this.render(request, response, staff, counterId, { errors: [{ fieldId: 'application-id', message: context.t('counterDesk.applicationIdMissing') }], applicationId }, 400);
    }
    // "Link and open" goes on to the case page; the plain link comes back to the console.
    const open = body.open === '1' ? `/office/applications/${applicationId}` : null;
    await this.attempt(request, response, staff, counterId, () => this.desk.linkApplication(staff, ticketId, applicationId), 'link', open);
  }

  @Post(':counter/tickets/:ticket/:action')
  async act(
    @Req() request: Request,
    @Res() response: Response,
    @CurrentStaff() staff: StaffPrincipal,
    @Param('counter', uuid) counterId: string,
    @Param('ticket', uuid) ticketId: string,
    @Param('action') path: string,
  ): Promise<void> {
    const action = ACTION_PATHS[path];
    if (!action) throw new NotFoundException();
    await this.attempt(request, response, staff, counterId, () => this.desk.act(staff, ticketId, action), action);
  }

  /** Runs one desk action; a refusal other than "not found" is shown on the console with its message. */
  private async attempt(
    request: Request,
    response: Response,
    staff: StaffPrincipal,
    counterId: string,
    run: () => Promise<{ number: string }>,
    kind: DeskNotice['kind'],
    next: string | null = null,
  ): Promise<void> {
    try {
      const ticket = await run();
      response.redirect(303, next ?? deskHref(counterId, { done: kind, number: ticket.number }));
    } catch (error) {
      if (!(error instanceof DomainError) || (error as DomainError & { httpStatus: number }).httpStatus === 404) throw error;
      const context = await this.pages.of(request);
      const message = context.lang === 'en' ? error.userMessage.en : error.userMessage.ja;
      await this.render(request, response, staff, counterId, { problem: message }, (error as DomainError & { httpStatus: number }).httpStatus);
    }
  }

  private async render(
    request: Request,
    response: Response,
    staff: StaffPrincipal,
    counterId: string,
    state: { notice?: DeskNotice | null; problem?: string; errors?: FieldError[]; applicationId?: string },
    status = 200,
  ): Promise<void> {
    const context = await this.pages.of(request);
    // The queue first: it is the access check (another municipality's or a retired counter is "not found").
    const queue = await this.desk.queue(staff, counterId);
    const [counters, board] = await Promise.all([this.desk.listCounters(staff), this.status.status(staff.municipalityId)]);
    const serviceNames = Object.fromEntries(board.services.map((service) => [service.code, context.lang === 'en' ? service.name.en : service.name.ja]));
    const html = renderDocument(
      DeskView({
        context,
        counter: counters.find((counter) => counter.id === counterId)!,
        counters,
        queue,
        serviceNames,
        notice: state.notice ?? null,
        problem: state.problem ?? null,
        errors: state.errors ?? [],
        applicationId: state.applicationId ?? '',
      }),
    );
    sendPage(response, context.lang, html, status);
  }
}
