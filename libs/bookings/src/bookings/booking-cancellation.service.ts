import { DocumentsService } from '@madoguchi/documents';
import { BookingHoldsService } from './booking-holds.service';
import { Injectable, Logger } from '@nestjs/common';
import { ApplicationWorkflowService } from '@madoguchi/engine';
import { MunicipalityDirectory } from '@madoguchi/config';
import type { ResidentPrincipal, StaffPrincipal } from '@madoguchi/identity';
import { Clock, daysBetween, type MunicipalityId, OutboxRepository, AUDIT_RECORD_TOPIC } from '@madoguchi/kernel';
import { PaymentsService } from '@madoguchi/payments';
import { WorkflowError } from '@madoguchi/workflow';
import type { EntityManager } from 'typeorm';
import { BookingError } from '../booking.errors';
import { cancellationTier, refundFor } from '../facilities/facility-rules';
import { localParts } from '../facilities/facility-time';
import { FacilityRepository } from '../facilities/facility.repository';
import type { Facility } from '../facilities/facility.types';
import { toBookingDto, toStaffBookingDto } from './booking.mapper';
import { BookingRepository } from './booking.repository';
import { type Booking, isLapsed } from './booking.types';
import type { BookingDto, CancellationQuoteDto, StaffBookingDto } from './dto/booking.dto';
import { requireFacilityRole } from './facility-staff-access';

/**
 * Cancelling bookings. A resident cancels a confirmed booking (本予約) up
 * to its start, and gets back the share of the fee the facility's policy
 * gives for the notice (calendar days from today to the day of use: e.g.
 * 7+ days 100 %, 3–6 days 50 %, less 0 %). Staff of the facility cancel for
 * the municipality's own reasons (a block landed on it) with a full refund.
 * The refund is set aside in the same transaction as the cancellation and
 * carried out at the provider from the outbox (libs/payments). A hold not
 * yet paid is given up instead: its application is withdrawn.
 */
@Injectable()
export class BookingCancellationService {
  private readonly logger = new Logger('Bookings');

  constructor(
    private readonly bookings: BookingRepository,
    private readonly facilities: FacilityRepository,
    private readonly payments: PaymentsService,
    private readonly documents: DocumentsService,
    private readonly holds: BookingHoldsService,
    private readonly workflow: ApplicationWorkflowService,
    private readonly outbox: OutboxRepository,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
  ) {}

  /** What cancelling now would refund. */
  async quote(resident: ResidentPrincipal, id: string): Promise<CancellationQuoteDto> {
    const { booking, facility } = await this.residents(resident, id);
    const now = this.clock.now();
    const noticeDays = this.noticeDays(resident.municipalityId, booking, now);
    const tier = cancellationTier(facility.rules.cancellation, Math.max(noticeDays, 0));
    const paid = booking.status === 'confirmed' ? (booking.feeAmount ?? 0) : 0;
    const cancellable = booking.status === 'confirmed' ? booking.startsAt.getTime() > now.getTime() : booking.status === 'held' && !isLapsed(booking, now);
    return { cancellable, noticeDays, refundPercent: tier.refundPercent, paid, refundAmount: refundFor(paid, tier.refundPercent) };
  }

  async cancelByResident(resident: ResidentPrincipal, id: string, reason: string | null): Promise<BookingDto> {
    const municipalityId = resident.municipalityId;
    const { booking, facility } = await this.residents(resident, id);
    const now = this.clock.now();
    if (booking.status === 'held' && !isLapsed(booking, now)) {
      await this.giveUpHold(municipalityId, booking, { kind: 'resident', id: resident.id }, reason, now);
    } else {
      await this.bookings.transaction(async (manager) => {
        const locked = await this.lockConfirmed(manager, municipalityId, id, now);
        const tier = cancellationTier(facility.rules.cancellation, this.noticeDays(municipalityId, locked, now));
        await this.cancel(manager, municipalityId, locked, { kind: 'resident', id: resident.id }, reason, tier.refundPercent, now);
      });
    }
    return toBookingDto((await this.bookings.find(municipalityId, id))!, facility, this.clock.now());
  }

  /** The municipality cancels a confirmed booking (e.g. one a block landed on): the whole fee goes back. */
  async cancelByStaff(staff: StaffPrincipal, id: string, reason: string): Promise<StaffBookingDto> {
    requireFacilityRole(staff);
    const municipalityId = staff.municipalityId;
    const booking = await this.bookings.find(municipalityId, id);
    const facility = booking ? await this.facilities.find(municipalityId, booking.facilityCode) : null;
    if (!booking || !facility || !staff.departments.includes(facility.department)) throw BookingError.notFound(id);
    const now = this.clock.now();
    await this.bookings.transaction(async (manager) => {
      const locked = await this.lockConfirmed(manager, municipalityId, id, now);
      await this.cancel(manager, municipalityId, locked, { kind: 'staff', id: staff.id }, reason, 100, now);
    });
    return toStaffBookingDto((await this.bookings.find(municipalityId, id))!, facility, this.clock.now());
  }

  private async lockConfirmed(manager: EntityManager, municipalityId: MunicipalityId, id: string, now: Date): Promise<Booking> {
    const booking = (await this.bookings.find(municipalityId, id, manager, { lock: true }))!;
    if (booking.status !== 'confirmed') throw BookingError.notCancellable(isLapsed(booking, now) ? 'expired' : booking.status);
    if (booking.startsAt.getTime() <= now.getTime()) throw BookingError.alreadyStarted();
    return booking;
  }

  private async cancel(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    booking: Booking,
    by: { kind: 'resident' | 'staff'; id: string },
    reason: string | null,
    refundPercent: number,
    now: Date,
  ): Promise<void> {
    const refundAmount =
      booking.applicationId && refundPercent > 0
        ? await this.payments.refundShare(manager, municipalityId, booking.applicationId, {
            percent: refundPercent,
            reason: `施設予約の取消し（${booking.bookingNumber}、返還${refundPercent}%）`,
            cause: `booking.cancelled:${booking.id}`,
            actor: by.kind === 'staff' ? { kind: 'staff', id: by.id } : { kind: 'system', id: 'bookings' },
          })
        : 0;
    const updated = await this.bookings.update(manager, municipalityId, booking.id, {
      status: 'cancelled',
      attention: null,
      cancellation: { byKind: by.kind, by: by.id, reason, refundPercent, refundAmount },
      now,
    });
    await this.bookings.appendEvent(manager, municipalityId, booking.id, {
      seq: updated.revision,
      type: 'booking.cancelled',
      fromStatus: booking.status,
      toStatus: 'cancelled',
      actor: by,
      details: { refundPercent, refundAmount },
      at: now,
    });
    // The permit no longer stands: whoever checks its code learns it was revoked.
    if (booking.applicationId) {
      await this.documents.revokeInForce(manager, municipalityId, booking.applicationId, 'usePermit', {
        reason: `施設予約の取消し（${booking.bookingNumber}） / Booking cancelled`,
        actor: by,
      });
    }
    if (booking.applicationId) await this.closeApplication(manager, municipalityId, booking.applicationId, by, reason, refundPercent, refundAmount);
    await this.outbox.enqueue(manager, municipalityId, {
      topic: AUDIT_RECORD_TOPIC,
      applicationId: booking.applicationId ?? undefined,
      availableAt: now,
      payload: { actor: by, action: 'booking.cancelled', target: { type: 'booking', id: booking.id }, details: { refundPercent, refundAmount } },
    });
  }

  /**
   * The application of a cancelled booking leaves `completed` (or the issuing
   * of its permit) for `cancelled`, through the engine and in the
   * cancellation's transaction: its timeline says so and the resident is told
   * what the policy refunds (the `bookingCancelled` notice). Applications of
   * a procedure compiled without that step stay as they are.
   */
  private async closeApplication(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    applicationId: string,
    by: { kind: 'resident' | 'staff'; id: string },
    reason: string | null,
    refundPercent: number,
    refundAmount: number,
  ): Promise<void> {
    try {
      await this.workflow.transition(
        municipalityId,
        applicationId,
        { type: 'booking.cancelled', actor: by, payload: { refundPercent, refundAmount, reason: reason ?? '' } },
        manager,
      );
    } catch (error) {
      // The machine refuses before anything is written, so the cancellation itself stands.
      if (!(error instanceof WorkflowError)) throw error;
      this.logger.warn({ msg: 'application does not accept booking.cancelled', applicationId, code: error.code });
    }
  }

  /**
   * A hold not yet confirmed: with an application, the application is
   * withdrawn (the booking hook gives the slots back in that transaction);
   * without one, the hold is released here.
   */
  private async giveUpHold(municipalityId: MunicipalityId, booking: Booking, by: { kind: 'resident'; id: string }, reason: string | null, now: Date): Promise<void> {
    if (booking.applicationId) {
      try {
        await this.workflow.transition(municipalityId, booking.applicationId, {
          type: 'resident.withdraw',
          payload: { reason: reason ?? '施設予約の取消し' },
          actor: by,
        });
      } catch (error) {
        // Confirmed or ended meanwhile.
        if (error instanceof WorkflowError) throw BookingError.notCancellable(booking.status);
        throw error;
      }
      return;
    }
    await this.bookings.transaction(async (manager) => {
      const locked = (await this.bookings.find(municipalityId, booking.id, manager, { lock: true }))!;
      if (locked.status !== 'held' || locked.applicationId) throw BookingError.notCancellable(locked.status);
      const updated = await this.bookings.update(manager, municipalityId, booking.id, { status: 'released', now });
      await this.bookings.appendEvent(manager, municipalityId, booking.id, {
        seq: updated.revision,
        type: 'hold.released',
        fromStatus: 'held',
        toStatus: 'released',
        actor: by,
        details: { reason },
        at: now,
      });
      await this.holds.offerBackIfLotteryWin(manager, municipalityId, locked, now);
    });
  }

  private async residents(resident: ResidentPrincipal, id: string): Promise<{ booking: Booking; facility: Facility }> {
    const booking = await this.bookings.find(resident.municipalityId, id);
    // Someone else's booking is "not found": its existence is not confirmed.
    if (!booking || !(await this.bookings.isResidents(resident.municipalityId, booking, resident.id))) throw BookingError.notFound(id);
    const facility = await this.facilities.find(resident.municipalityId, booking.facilityCode);
    return { booking, facility: facility! };
  }

  private noticeDays(municipalityId: MunicipalityId, booking: Booking, now: Date): number {
    const today = localParts(now, this.directory.get(municipalityId)?.timeZone ?? 'Asia/Tokyo').date;
    return daysBetween(today, booking.useDate);
  }
}
