import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { BookingError, BookingHoldsService, BookingJourneyService, FacilitiesService } from '@madoguchi/bookings';
import { CurrentResident, type ResidentPrincipal, ResidentOnly } from '@madoguchi/identity';
import { addDays, isRealDate, Public } from '@madoguchi/kernel';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { PageContextFactory } from '../shared/page-context';
import { PageController } from '../shared/page-controller';
import { sendPage } from '../shared/page-response';
import { NotFoundView } from '../shared/portal-page';
import { FacilitiesListView, FacilityView, slotCheckboxId } from './facilities.view';
import { parseSlotChoice, single } from './booking-forms';

/** Why the hold form came back (a query flag after post/redirect/get): the message of the error summary. */
const HOLD_ERRORS = {
  noSlot: 'facilities.error.noSlot',
  oneDay: 'facilities.error.oneDay',
  taken: 'facilities.error.taken',
  lottery: 'facilities.error.lottery',
  tooManyHolds: 'facilities.error.tooManyHolds',
} as const;
type HoldErrorKind = keyof typeof HOLD_ERRORS;

/** Service refusals a resident can fix by choosing again: back to the grid with a message. */
const HOLD_ERROR_OF_CODE: Partial<Record<string, HoldErrorKind>> = {
  BOOKING_SLOT_TAKEN: 'taken',
  BOOKING_SLOT_BLOCKED: 'taken',
  BOOKING_SLOT_PAST: 'taken',
  BOOKING_SLOT_IN_LOTTERY: 'lottery',
  BOOKING_TOO_MANY_HOLDS: 'tooManyHolds',
};

const FACILITY_CODE = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * Facilities and their availability (public), and holding slots (a
 * resident): the same FacilitiesService, AvailabilityService and
 * BookingHoldsService as GET /facilities… and POST /bookings/holds.
 */
@PageController('facilities')
export class FacilitiesPageController {
  constructor(
    private readonly facilities: FacilitiesService,
    private readonly journey: BookingJourneyService,
    private readonly holds: BookingHoldsService,
    private readonly pages: PageContextFactory,
  ) {}

  @Get()
  @Public()
  async list(@Req() request: Request, @Res() response: Response): Promise<void> {
    const context = this.pages.of(request);
    const facilities = await this.facilities.list(context.municipalityId);
    sendPage(response, context.lang, renderDocument(FacilitiesListView({ context, facilities })));
  }

  @Get(':code')
  @Public()
  async facility(@Req() request: Request, @Res() response: Response, @Param('code') code: string, @Query() query: Record<string, unknown>): Promise<void> {
    const context = this.pages.of(request);
    if (!FACILITY_CODE.test(code)) return sendPage(response, context.lang, renderDocument(NotFoundView({ context })), 404);
    const from = single(query.from) ?? null;
    const { facility, availability, today } = await this.journey.facilityWeek(context.municipalityId, code, from && isRealDate(from) ? from : null);
    const errorKind = single(query.error);
    const errors: FieldError[] = [];
    if (errorKind && errorKind in HOLD_ERRORS) {
      const firstFree = availability.days.flatMap((day) => day.rooms.flatMap((room) => room.slots.filter((slot) => slot.status === 'free').map((slot) => slotCheckboxId(room.room, day.date, slot.start))))[0];
      errors.push({ fieldId: firstFree ?? 'availability', message: context.t(HOLD_ERRORS[errorKind as HoldErrorKind]) });
    }
    const start = availability.from;
    const previous = start > today ? (addDays(start, -7) > today ? addDays(start, -7) : today) : null;
    const html = renderDocument(
      FacilityView({
        context,
        facility,
        availability,
        previousHref: previous ? `/facilities/${code}?from=${previous}#availability` : null,
        nextHref: `/facilities/${code}?from=${addDays(start, 7)}#availability`,
        errors,
      }),
    );
    sendPage(response, context.lang, html, errors.length > 0 ? 422 : 200);
  }

  /** Holds the chosen slots (one room, one day) and goes to the held booking; a choice to fix goes back to the grid. */
  @Post(':code/holds')
  @ResidentOnly()
  async hold(@CurrentResident() resident: ResidentPrincipal, @Res() response: Response, @Param('code') code: string, @Body() body: Record<string, unknown>): Promise<void> {
    if (!FACILITY_CODE.test(code)) throw BookingError.facilityNotFound(code.slice(0, 40));
    const from = single(body.from);
    const back = (kind: HoldErrorKind) => response.redirect(303, `/facilities/${code}?${new URLSearchParams({ ...(from && isRealDate(from) ? { from } : {}), error: kind })}#availability`);
    const choice = parseSlotChoice(body.slot);
    if (choice === 'none') return back('noSlot');
    if (choice === 'mixed') return back('oneDay');
    try {
      const booking = await this.holds.holdForResident(resident, { facility: code, room: choice.room, date: choice.date, slots: choice.slots });
      response.redirect(303, `/bookings/${booking.id}`);
    } catch (error) {
      const kind = error instanceof BookingError ? HOLD_ERROR_OF_CODE[error.code] : undefined;
      if (!kind) throw error;
      back(kind);
    }
  }
}
