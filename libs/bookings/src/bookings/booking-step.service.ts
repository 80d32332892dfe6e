import { Injectable, Logger } from '@nestjs/common';
import { type ApplicationEntity, ApplicationRepository, ApplicationWorkflowService, type TransitionContext, type TransitionHook } from '@madoguchi/engine';
import { Clock, type MunicipalityId, type OutboxMessage, declareOutboxTopic } from '@madoguchi/kernel';
import { ProcedureRegistry } from '@madoguchi/procedures';
import { type WorkflowActor, WorkflowError } from '@madoguchi/workflow';
import { BookingError, BookingHoldExpiredError } from '../booking.errors';
import { quote } from '../facilities/facility-rules';
import { FacilityRepository } from '../facilities/facility.repository';
import { RESIDENCIES, type Residency } from '../facilities/facility.types';
import { BookingHoldsService, type Holder } from './booking-holds.service';
import { type BookingPatch, BookingRepository } from './booking.repository';
import { type Booking, type BookingStatus, isLapsed } from './booking.types';
import { sameChoice, type SlotChoice } from './slot-choice';

/** The engine's outbox topic on entering `awaitingBooking`. */
export const BOOKING_HOLD_TOPIC = declareOutboxTopic('booking.hold');

const SYSTEM: WorkflowActor = { kind: 'system', id: 'bookings' };
/** Where an application ends without its booking: the hold goes back. */
const ENDINGS: Record<string, BookingStatus> = { withdrawn: 'released', rejected: 'released', expired: 'expired' };

/** The booking fields of a booking procedure's form (v2 of kominkan-yoyaku and taiikukan-yoyaku). */
interface BookingForm extends SlotChoice {
  holdId: string | null;
  residency: Residency;
  reductionCode: string | null;
  organizerName: string | null;
  purpose: string | null;
  attendees: number | null;
}

/**
 * The booking step of a procedure, on the engine's transaction (a
 * TransitionHook) and from the outbox:
 *
 * - submission takes the slots: the hold named by the form's `holdId`
 *   (placed before with POST /bookings/holds), or a new hold placed right
 *   there, so a slot someone else took refuses the submission with 409
 *   BOOKING_SLOT_TAKEN and nothing is written; the booking is priced from
 *   the facility's rates, the residency and the reduction claimed;
 * - `booking.hold` (entering awaitingBooking) answers `booking.confirmed`
 *   with the fee when it is due now, or `booking.released` if the hold lapsed;
 * - while staff review, the hold does not lapse (the municipality has it);
 * - reaching a decided state (issuing, notifying, completed: paid, or
 *   nothing to pay) confirms the booking (本予約); a hold that lapsed refuses
 *   that transition, so money arriving after the expiry is refunded by the
 *   payments library;
 * - withdrawal, rejection and expiry give the slots back.
 */
@Injectable()
export class BookingStepService implements TransitionHook {
  readonly name = 'bookings';
  private readonly logger = new Logger('Bookings');

  constructor(
    private readonly bookings: BookingRepository,
    private readonly facilities: FacilityRepository,
    private readonly holds: BookingHoldsService,
    private readonly registry: ProcedureRegistry,
    private readonly applications: ApplicationRepository,
    private readonly workflow: ApplicationWorkflowService,
    private readonly clock: Clock,
  ) {}

  /** A booking procedure's case changing state: slots are taken, released or confirmed. */
  async involved({ municipalityId, application, result }: TransitionContext): Promise<boolean> {
    return result.from !== result.to && (await this.isBookingProcedure(municipalityId, application));
  }

  async before(context: TransitionContext): Promise<void> {
    const { municipalityId, application, result, input, manager, at } = context;
    if (result.from === result.to || !(await this.isBookingProcedure(municipalityId, application))) return;
    if (result.from === 'draft') {
      if (input.type === 'resident.submit') await this.takeSlots(context);
      return;
    }
    const booking = await this.bookings.findByApplication(municipalityId, application.id, manager, { lock: true });
    if (!booking) return;
    const ending = ENDINGS[result.to];
    if (ending) {
      if (booking.status === 'held') {
        await this.change(context, booking, { status: ending }, ending === 'expired' ? 'hold.expired' : 'hold.released', { state: result.to });
        await this.holds.offerBackIfLotteryWin(manager, municipalityId, booking, at);
      }
      return;
    }
    if (booking.status === 'confirmed' || booking.status === 'cancelled') return;
    // The application goes on to its booking only with a live hold: a lapsed one refuses the step.
    const goingOn = result.meta.decided || input.type === 'booking.confirmed';
    if (booking.status !== 'held' || isLapsed(booking, at)) {
      if (goingOn) throw new BookingHoldExpiredError(booking.id, booking.expiresAt);
      return;
    }
    if (result.meta.decided) {
      // Paid, or nothing to pay: 本予約. The fee is what the application charged.
      const charged = result.context.fee.amount;
      await this.change(
        context,
        booking,
        { status: 'confirmed', expiresAt: null, fee: charged !== null && booking.feeBase !== null ? { base: booking.feeBase, amount: charged } : undefined },
        'booking.confirmed',
        { event: input.type, fee: charged },
      );
      return;
    }
    if (input.type === 'booking.confirmed' && result.to !== 'awaitingPayment' && booking.expiresAt !== null) {
      // Staff review next: the hold is the municipality's to decide on, it no longer lapses on the resident's clock.
      await this.change(context, booking, { expiresAt: null }, 'hold.underReview', { state: result.to });
    }
  }

  /** `booking.hold`: the application entered awaitingBooking at `revision`. Idempotent. */
  async onBookingStep(message: OutboxMessage): Promise<void> {
    const { applicationId, revision } = message.payload as { applicationId: string; revision: number };
    const municipalityId = message.municipalityId;
    const application = await this.applications.find(municipalityId, applicationId);
    if (application?.state !== 'awaitingBooking' || application.revision !== revision) return;
    const booking = await this.bookings.findByApplication(municipalityId, applicationId);
    const { definition } = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
    const feeNow = definition.fee.rule !== 'none' && definition.fee.timing === 'atSubmission';
    try {
      if (!booking || booking.status !== 'held' || isLapsed(booking, this.clock.now())) throw new BookingHoldExpiredError(booking?.id ?? null, booking?.expiresAt ?? null);
      await this.workflow.transition(municipalityId, applicationId, {
        type: 'booking.confirmed',
        // `amount` is the fee when it is due now; `quotedAmount` is what the rates give, for staff assessing it later.
        payload: { bookingId: booking.id, bookingNumber: booking.bookingNumber, quotedAmount: booking.feeAmount, ...(feeNow && booking.feeAmount !== null ? { amount: booking.feeAmount } : {}) },
        actor: SYSTEM,
        expectedRevision: revision,
      });
    } catch (error) {
      if (error instanceof BookingHoldExpiredError) {
        await this.endApplication(municipalityId, applicationId, 'booking.released', booking?.id ?? null, revision);
        return;
      }
      // Moved on meanwhile (withdrawn, or a redelivery that already confirmed).
      if (error instanceof WorkflowError) return;
      throw error;
    }
  }

  /** `booking.lapsed`: the sweep expired the application's hold; the application ends too. Idempotent. */
  async onLapsed(message: OutboxMessage): Promise<void> {
    const { applicationId, bookingId } = message.payload as { applicationId: string; bookingId: string };
    const municipalityId = message.municipalityId;
    const application = await this.applications.find(municipalityId, applicationId);
    // Waiting for the booking step or for the payment the hold was waiting for; in any other state the hold no longer decides.
    const event = application?.state === 'awaitingBooking' ? 'booking.released' : application?.state === 'awaitingPayment' ? 'deadline.reached' : null;
    if (!application || !event) return;
    await this.endApplication(municipalityId, applicationId, event, bookingId, application.revision);
  }

  private async endApplication(municipalityId: MunicipalityId, applicationId: string, type: string, bookingId: string | null, revision: number): Promise<void> {
    try {
      await this.workflow.transition(municipalityId, applicationId, { type, payload: { reason: 'holdExpired', bookingId }, actor: SYSTEM, expectedRevision: revision });
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      this.logger.log({ msg: 'application moved on before its lapsed hold ended it', applicationId, code: error.code });
    }
  }

  /** Submission of a booking procedure: the form's slots are held for the application, and priced. */
  private async takeSlots(context: TransitionContext): Promise<void> {
    const { municipalityId, application, manager, at, input } = context;
    const form = bookingForm(application.formData);
    const facility = await this.facilities.find(municipalityId, form.facilityCode, manager);
    if (!facility?.active) throw BookingError.facilityNotFound(form.facilityCode);
    if (facility.procedureCode !== application.procedureCode) throw BookingError.wrongProcedure(facility.code, facility.procedureCode);
    const room = facility.rooms.find((candidate) => candidate.code === form.roomCode && candidate.active);
    if (!room) throw BookingError.roomNotFound(facility.code, form.roomCode);
    if (form.attendees !== null && form.attendees > room.capacity) throw BookingError.overCapacity(room.capacity);
    const reduction = form.reductionCode ? facility.rules.reductions.find((candidate) => candidate.code === form.reductionCode) : null;
    if (form.reductionCode && !reduction) throw BookingError.reductionUnknown(form.reductionCode);

    const holder: Holder =
      application.channel === 'online'
        ? { kind: 'resident', id: application.applicantId ?? input.actor.id, channel: 'online' }
        : { kind: 'staff', id: application.enteredBy ?? input.actor.id, channel: 'counter' };
    let booking: Booking;
    if (form.holdId) {
      const held = await this.bookings.find(municipalityId, form.holdId, manager, { lock: true });
      // Someone else's hold is "not found": its existence is not confirmed.
      const mine = held && (holder.kind === 'resident' ? held.holderKind === 'resident' && held.holderId === holder.id : held.channel === 'counter');
      if (!held || !mine) throw BookingError.notFound(form.holdId);
      if (held.applicationId && held.applicationId !== application.id) throw BookingError.holdInUse();
      if (held.status !== 'held' || isLapsed(held, at)) throw new BookingHoldExpiredError(held.id, held.expiresAt);
      if (!sameChoice({ facilityCode: held.facilityCode, roomCode: held.roomCode, date: held.useDate, slots: held.slotStarts }, form)) throw BookingError.holdMismatch();
      booking = held;
    } else {
      booking = await this.holds.place(manager, municipalityId, form, holder, at);
    }
    const price = quote(room, booking.slotStarts.length, form.residency, reduction ?? null);
    await this.change(
      context,
      booking,
      {
        applicationId: application.id,
        residency: form.residency,
        reduction: reduction ? { code: reduction.code, percent: reduction.percent } : null,
        fee: { base: price.base, amount: price.amount },
        organizer: { name: form.organizerName, purpose: form.purpose, attendees: form.attendees },
      },
      'hold.applied',
      { applicationId: application.id, fee: price.amount },
    );
  }

  private async change(
    { manager, municipalityId, input, at }: TransitionContext,
    booking: Booking,
    patch: Omit<BookingPatch, 'now'>,
    type: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    const updated = await this.bookings.update(manager, municipalityId, booking.id, { ...patch, now: at });
    await this.bookings.appendEvent(manager, municipalityId, booking.id, {
      seq: updated.revision,
      type,
      fromStatus: booking.status,
      toStatus: updated.status,
      actor: { kind: input.actor.kind === 'provider' ? 'system' : input.actor.kind, id: input.actor.id },
      details,
      at,
    });
  }

  private async isBookingProcedure(municipalityId: MunicipalityId, application: ApplicationEntity): Promise<boolean> {
    const { definition } = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
    return definition.steps.includes('booking');
  }
}

/**
 * The booking fields of a submitted form. The form schema has checked their
 * types already; a form without them (version 1 of the booking procedures
 * named a room but no slots) cannot take slots.
 */
function bookingForm(form: Record<string, unknown>): BookingForm {
  const text = (key: string) => (typeof form[key] === 'string' && (form[key] as string).length > 0 ? (form[key] as string) : null);
  const slots = Array.isArray(form.slots) && form.slots.every((slot) => typeof slot === 'string') ? (form.slots as string[]) : null;
  const facilityCode = text('facility');
  const roomCode = text('room');
  const date = text('date');
  if (!facilityCode || !roomCode || !date || !slots || slots.length === 0) throw BookingError.slotsMissing();
  const residency = text('residency');
  const attendees = form.attendees ?? form.participants;
  return {
    facilityCode,
    roomCode,
    date,
    slots,
    holdId: text('holdId'),
    // Who counts as a resident (市内在住・在勤・在学) is declared on the form and checked at the desk on the day.
    residency: residency && (RESIDENCIES as readonly string[]).includes(residency) ? (residency as Residency) : 'nonResident',
    reductionCode: text('reductionCode'),
    organizerName: text('organizerName'),
    purpose: text('purpose'),
    attendees: typeof attendees === 'number' && Number.isInteger(attendees) ? attendees : null,
  };
}
