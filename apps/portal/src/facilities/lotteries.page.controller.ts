import { Body, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { BookingError, BookingJourneyService, LotteryService } from '@madoguchi/bookings';
import { CurrentResident, type ResidentPrincipal, ResidentOnly } from '@madoguchi/identity';
import { Public } from '@madoguchi/kernel';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { PageContextFactory } from '../shared/page-context';
import { PageController } from '../shared/page-controller';
import { sendPage } from '../shared/page-response';
import { lotteryFormValues, parseLotteryEntry, single } from './booking-forms';
import { LotteriesListView, LotteryEntriesView, LotteryView } from './lotteries.view';

const uuid = new ParseUUIDPipe();
const FACILITY_CODE = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** Where a refusal of an entry is shown: by the field it is about, else at the top of the form. */
const ENTRY_ERROR_FIELD: Partial<Record<string, string>> = {
  BOOKING_ROOM_NOT_FOUND: 'room',
  LOTTERY_OUTSIDE_PERIOD: 'date',
  BOOKING_DAY_CLOSED: 'date',
  BOOKING_SLOT_INVALID: 'slots',
  BOOKING_OVER_CAPACITY: 'attendees',
};

/**
 * Lotteries (抽選): the public list and page (seed, deadline, status, the
 * published draw) and a resident's entries (enter, withdraw, a win's hold),
 * on the same LotteryService as /api/v1/lotteries.
 */
@PageController('lotteries')
export class LotteriesPageController {
  constructor(
    private readonly lotteries: LotteryService,
    private readonly journey: BookingJourneyService,
    private readonly pages: PageContextFactory,
  ) {}

  @Get()
  @Public()
  async list(@Req() request: Request, @Res() response: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const context = this.pages.of(request);
    const facility = single(query.facility);
    const lotteries = await this.journey.lotteryList(context.municipalityId, facility && FACILITY_CODE.test(facility) ? facility : null);
    sendPage(response, context.lang, renderDocument(LotteriesListView({ context, lotteries })));
  }

  @Get(':id')
  @Public()
  async lottery(@Req() request: Request, @Res() response: Response, @Param('id', uuid) id: string): Promise<void> {
    const context = this.pages.of(request);
    const page = await this.journey.lotteryPage(context.municipalityId, id);
    sendPage(response, context.lang, renderDocument(LotteryView({ context, ...page })));
  }

  @Get(':id/entries')
  @ResidentOnly()
  async entries(@CurrentResident() resident: ResidentPrincipal, @Req() request: Request, @Res() response: Response, @Param('id', uuid) id: string, @Query() query: Record<string, unknown>): Promise<void> {
    const context = this.pages.of(request);
    const mine = await this.journey.lotteryEntries(resident, id);
    const entered = single(query.entered);
    const notice = entered && /^\d{1,9}$/.test(entered) ? context.t('lottery.entered', { number: entered }) : single(query.withdrawn) ? context.t('lottery.withdrawn') : null;
    sendPage(response, context.lang, renderDocument(LotteryEntriesView({ context, ...mine, values: null, errors: [], notice })));
  }

  @Post(':id/entries')
  @ResidentOnly()
  async enter(
    @CurrentResident() resident: ResidentPrincipal,
    @Req() request: Request,
    @Res() response: Response,
    @Param('id', uuid) id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const context = this.pages.of(request);
    const values = lotteryFormValues(body);
    const parsed = parseLotteryEntry(values);
    let errors: FieldError[] = parsed.problems.map((problem) => ({ fieldId: problem.field, message: context.t(problem.message) }));
    if (parsed.entry) {
      try {
        const entry = await this.lotteries.enter(resident, id, parsed.entry);
        return response.redirect(303, `/lotteries/${id}/entries?entered=${entry.entryNumber}`);
      } catch (error) {
        if (!(error instanceof BookingError) || error.httpStatus === 404 || error.httpStatus >= 500) throw error;
        errors = [{ fieldId: ENTRY_ERROR_FIELD[error.code] ?? 'room', message: context.lang === 'en' ? error.userMessage.en : error.userMessage.ja }];
      }
    }
    const mine = await this.journey.lotteryEntries(resident, id);
    sendPage(response, context.lang, renderDocument(LotteryEntriesView({ context, ...mine, values, errors, notice: null })), 422);
  }

  @Post(':id/entries/:number/withdraw')
  @ResidentOnly()
  async withdraw(@CurrentResident() resident: ResidentPrincipal, @Res() response: Response, @Param('id', uuid) id: string, @Param('number') number: string): Promise<void> {
    const entryNumber = /^[1-9]\d{0,8}$/.test(number) ? Number(number) : 0;
    if (!entryNumber) throw BookingError.lotteryNotFound(id);
    await this.lotteries.withdraw(resident, id, entryNumber);
    response.redirect(303, `/lotteries/${id}/entries?withdrawn=1`);
  }
}
