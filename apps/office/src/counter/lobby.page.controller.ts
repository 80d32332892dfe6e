import { applyDecorators, Controller, Get, Ip, Param, ParseUUIDPipe, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { QueueStatusService, SERVICE_CODE_PATTERN, TicketIssueService } from '@madoguchi/counter';
import { CurrentMunicipality, DomainError, type MunicipalityId, Public } from '@madoguchi/kernel';
import { renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { sendPage } from '../../../portal/src/shared/page-response';
import { OfficeExceptionFilter } from '../shared/office-exception.filter';
import { lobbyHref, LobbyContextFactory } from './lobby-context';
import { KioskTicketView, KioskView, LobbyView } from './lobby.view';

const uuid = new ParseUUIDPipe();

/** How often the lobby display reloads itself without JavaScript, in seconds (a `<noscript>` meta refresh). */
export const LOBBY_REFRESH_SECONDS = 15;
/** How often the lobby script fetches the display to update it in place, in seconds. */
export const LOBBY_POLL_SECONDS = 5;

/** A public lobby page at the root (a tablet, a TV): HTML, outside the OpenAPI document, errors as pages. */
function PublicPageController(path: string): ClassDecorator {
  return applyDecorators(ApiExcludeController(), UseFilters(OfficeExceptionFilter), Controller(path));
}

/**
 * /kiosk: the ticket machine (発券機) on a tablet in the lobby. Anyone may
 * take a ticket: no sign-in, no cookie; the same per-address limit as
 * `POST /counter/tickets` (TicketIssueService.kiosk) applies.
 */
@Public()
@PublicPageController('kiosk')
export class KioskPageController {
  constructor(
    private readonly issue: TicketIssueService,
    private readonly status: QueueStatusService,
    private readonly pages: LobbyContextFactory,
  ) {}

  @Get()
  async page(@Req() request: Request, @Res() response: Response, @CurrentMunicipality() municipalityId: MunicipalityId): Promise<void> {
    await this.render(request, response, municipalityId, null, 200);
  }

  @Post('tickets')
  async take(@Req() request: Request, @Res() response: Response, @CurrentMunicipality() municipalityId: MunicipalityId, @Ip() ip: string): Promise<void> {
    const context = this.pages.of(request, municipalityId);
    const serviceCode = (request.body as Record<string, unknown> | undefined)?.serviceCode;
    if (typeof serviceCode !== 'string' || !SERVICE_CODE_PATTERN.test(serviceCode)) return this.render(request, response, municipalityId, null, 400);
    try {
      const ticket = await this.issue.kiosk(municipalityId, { serviceCode }, ip);
      response.redirect(303, lobbyHref(`/kiosk/tickets/${ticket.id}`, context.lang));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const status = (error as DomainError & { httpStatus: number }).httpStatus;
      if (status === 429) response.setHeader('Retry-After', '60');
      await this.render(request, response, municipalityId, context.lang === 'en' ? error.userMessage.en : error.userMessage.ja, status);
    }
  }

  /** The slip; its address is the ticket's unguessable id, as on the slip's QR code (no personal data). */
  @Get('tickets/:id')
  async slip(@Req() request: Request, @Res() response: Response, @CurrentMunicipality() municipalityId: MunicipalityId, @Param('id', uuid) id: string): Promise<void> {
    const context = this.pages.of(request, municipalityId);
    const ticket = await this.status.ticket(municipalityId, id);
    sendPage(response, context.lang, renderDocument(KioskTicketView({ context, ticket })));
  }

  private async render(request: Request, response: Response, municipalityId: MunicipalityId, problem: string | null, status: number): Promise<void> {
    const context = this.pages.of(request, municipalityId);
    const board = await this.status.status(municipalityId);
    sendPage(response, context.lang, renderDocument(KioskView({ context, board, problem })), status);
  }
}

/**
 * /lobby: the display in the waiting area. Without JavaScript it reloads
 * itself every LOBBY_REFRESH_SECONDS; with it (LOBBY_SCRIPT) it updates the
 * calls in place every LOBBY_POLL_SECONDS, from this same page.
 */
@Public()
@PublicPageController('lobby')
export class LobbyPageController {
  constructor(
    private readonly status: QueueStatusService,
    private readonly pages: LobbyContextFactory,
  ) {}

  @Get()
  async page(@Req() request: Request, @Res() response: Response, @CurrentMunicipality() municipalityId: MunicipalityId): Promise<void> {
    const context = this.pages.of(request, municipalityId);
    const board = await this.status.status(municipalityId);
    // Not the HTTP `Refresh` header: a browser would obey it with JavaScript on too, and the script's in-place updates would be lost in reloads.
    sendPage(response, context.lang, renderDocument(LobbyView({ context, board, refreshSeconds: LOBBY_REFRESH_SECONDS, pollSeconds: LOBBY_POLL_SECONDS })));
  }
}
