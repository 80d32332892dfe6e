import { Body, Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { BookingCancellationService, BookingJourneyService, ResidentBookingsService } from '@madoguchi/bookings';
import { CurrentResident, type ResidentPrincipal, ResidentOnly } from '@madoguchi/identity';
import { Clock, RequestError } from '@madoguchi/kernel';
import { PaymentsService } from '@madoguchi/payments';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { PageContextFactory } from '../shared/page-context';
import { PageController } from '../shared/page-controller';
import { sendPage } from '../shared/page-response';
import { bookingFormValues, parseBookingAnswers, single } from './booking-forms';
import { BookingsListView, BookingView, CancelledView, CancelView } from './bookings.view';

const uuid = new ParseUUIDPipe();
/** The methods offered on the booking page: the ones that hand over to the provider's page and come back. */
const PAY_METHODS = ['card', 'paypay'] as const;
/** Form fields the booking page has; a problem the service reports on another field is shown in the summary only. */
const FORM_FIELDS = new Set(['organizerName', 'phone', 'email', 'purpose', 'attendees', 'residency', 'reductionCode', 'groupRegistrationNumber']);

/**
 * A resident's bookings as pages: the list, one booking at its current step
 * (apply with the hold, pay, the use permit), and cancelling with the refund
 * shown first. Another resident's booking is 404, as in the JSON API: the
 * same services decide.
 */
@ResidentOnly()
@PageController('bookings')
export class BookingsPageController {
  constructor(
    private readonly bookings: ResidentBookingsService,
    private readonly journey: BookingJourneyService,
    private readonly cancellations: BookingCancellationService,
    private readonly payments: PaymentsService,
    private readonly clock: Clock,
    private readonly pages: PageContextFactory,
  ) {}

  @Get()
  async list(@CurrentResident() resident: ResidentPrincipal, @Req() request: Request, @Res() response: Response): Promise<void> {
    const context = this.pages.of(request);
    const bookings = await this.bookings.list(resident);
    sendPage(response, context.lang, renderDocument(BookingsListView({ context, bookings })));
  }

  @Get(':id')
  async booking(@CurrentResident() resident: ResidentPrincipal, @Req() request: Request, @Res() response: Response, @Param('id', uuid) id: string): Promise<void> {
    const context = this.pages.of(request);
    const overview = await this.journey.overview(resident, id);
    sendPage(response, context.lang, renderDocument(BookingView({ context, overview, now: this.clock.now().toISOString(), values: null, errors: [] })));
  }

  /** The booking application for a hold: sent, the page shows the next step; with problems, the form again with them. */
  @Post(':id/apply')
  async apply(
    @CurrentResident() resident: ResidentPrincipal,
    @Req() request: Request,
    @Res() response: Response,
    @Param('id', uuid) id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const context = this.pages.of(request);
    const values = bookingFormValues(body);
    const parsed = parseBookingAnswers(values);
    let errors: FieldError[] = parsed.problems.map((problem) => ({ fieldId: problem.field, message: context.t(problem.message) }));
    if (parsed.answers) {
      try {
        await this.journey.apply(resident, id, parsed.answers);
        return response.redirect(303, `/bookings/${id}`);
      } catch (error) {
        errors = this.formErrors(context.lang, error);
      }
    }
    const overview = await this.journey.overview(resident, id);
    sendPage(response, context.lang, renderDocument(BookingView({ context, overview, now: this.clock.now().toISOString(), values, errors })), 422);
  }

  @Post(':id/pay')
  async pay(
    @CurrentResident() resident: ResidentPrincipal,
    @Req() request: Request,
    @Res() response: Response,
    @Param('id', uuid) id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const method = single(body.method);
    const applicationId = single(body.application) ?? '';
    if (!method || !(PAY_METHODS as readonly string[]).includes(method)) {
      const context = this.pages.of(request);
      const overview = await this.journey.overview(resident, id);
      const errors = [{ fieldId: 'method', message: context.t('booking.error.method') }];
      return sendPage(response, context.lang, renderDocument(BookingView({ context, overview, now: this.clock.now().toISOString(), values: null, errors })), 422);
    }
    // The payments library checks the application is this resident's and due, and prices it.
    const payment = await this.payments.startForResident(resident, /^[0-9a-f-]{36}$/.test(applicationId) ? applicationId : '00000000-0000-0000-0000-000000000000', method as (typeof PAY_METHODS)[number]);
    response.redirect(303, payment.redirectUrl ?? `/bookings/${id}`);
  }

  @Get(':id/permit.pdf')
  async permit(@CurrentResident() resident: ResidentPrincipal, @Res() response: Response, @Param('id', uuid) id: string): Promise<void> {
    const file = await this.journey.permitPdf(resident, id);
    response
      .status(200)
      .set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
      })
      .send(file.data);
  }

  @Get(':id/cancel')
  async confirmCancel(@CurrentResident() resident: ResidentPrincipal, @Req() request: Request, @Res() response: Response, @Param('id', uuid) id: string): Promise<void> {
    const context = this.pages.of(request);
    const quote = await this.cancellations.quote(resident, id);
    sendPage(response, context.lang, renderDocument(CancelView({ context, booking: { id }, quote })));
  }

  @Post(':id/cancel')
  async cancel(@CurrentResident() resident: ResidentPrincipal, @Res() response: Response, @Param('id', uuid) id: string): Promise<void> {
    await this.cancellations.cancelByResident(resident, id, null);
    response.redirect(303, `/bookings/${id}/cancelled`);
  }

  @Get(':id/cancelled')
  async cancelled(@CurrentResident() resident: ResidentPrincipal, @Req() request: Request, @Res() response: Response, @Param('id', uuid) id: string): Promise<void> {
    const context = this.pages.of(request);
    const booking = await this.bookings.get(resident, id);
    sendPage(response, context.lang, renderDocument(CancelledView({ context, booking })));
  }

  /** A refusal of the application as messages: per field when the form schema names one of ours, else one message. */
  private formErrors(lang: string, error: unknown): FieldError[] {
    if (!(error instanceof RequestError) || error.httpStatus >= 500) throw error;
    const pick = (text: { ja: string; en: string }) => (lang === 'en' ? text.en : text.ja);
    const problems = (error.details as { errors?: Array<{ field: string; message: { ja: string; en: string } }> } | undefined)?.errors ?? [];
    const fieldErrors = problems.filter((problem) => FORM_FIELDS.has(problem.field)).map((problem) => ({ fieldId: problem.field, message: pick(problem.message) }));
    if (fieldErrors.length > 0) return fieldErrors;
    if (error.code === 'BOOKING_OVER_CAPACITY') return [{ fieldId: 'attendees', message: pick(error.userMessage) }];
    return [{ fieldId: 'organizerName', message: pick(error.userMessage) }];
  }
}
