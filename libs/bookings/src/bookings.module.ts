import { Module, type OnModuleInit } from '@nestjs/common';
import { AuditModule } from '@madoguchi/audit';
import { EngineModule, TransitionHooks } from '@madoguchi/engine';
import { DocumentContentSources, DocumentsModule } from '@madoguchi/documents';
import { IdentityModule } from '@madoguchi/identity';
import { PeriodicJobs, OutboxHandlerRegistry } from '@madoguchi/kernel';
import { PaymentsModule } from '@madoguchi/payments';
import { ProceduresModule } from '@madoguchi/procedures';
import { AvailabilityService } from './availability/availability.service';
import { CounterBookingsHoldController, FacilitiesAdminController, FacilitiesPublicController, FacilityDeskController, ResidentBookingsController } from './bookings.controller';
import { BookingCancellationService } from './bookings/booking-cancellation.service';
import { BookingJourneyService } from './bookings/booking-journey.service';
import { BOOKING_LAPSED_TOPIC, BookingHoldsService, LOTTERY_FORFEIT_TOPIC } from './bookings/booking-holds.service';
import { BookingRepository } from './bookings/booking.repository';
import { BOOKING_HOLD_TOPIC, BookingStepService } from './bookings/booking-step.service';
import { FacilityDeskService } from './bookings/facility-desk.service';
import { PermitContentSource } from './bookings/permit-content.source';
import { ResidentBookingsService } from './bookings/resident-bookings.service';
import { FacilitiesService } from './facilities/facilities.service';
import { FacilityCatalogSyncService } from './facilities/facility-catalog-sync.service';
import { FacilityRepository } from './facilities/facility.repository';
import { LotteriesPublicController, LotteryEntriesController, LotteryStaffController } from './lottery/lottery.controller';
import { LotteryRepository } from './lottery/lottery.repository';
import { LotteryService } from './lottery/lottery.service';

/**
 * Public facility booking (公共施設予約, issue 6): facilities and rooms
 * (config/facilities/ and the admin API), public availability, provisional
 * holds with a durable expiry, the booking step of booking procedures,
 * cancellations with refunds by notice period, staff blocks, the day list
 * and use / no-show records, the use permit's content, and the lottery
 * (抽選) for popular facilities.
 *
 * Owns the facilities, facility_rooms, bookings, booking_events,
 * facility_blocks, lotteries and lottery_entries tables (booking numbers:
 * the kernel's gap-free sequence `booking`). It moves
 * applications only through ApplicationWorkflowService (its transition
 * hook and its outbox handlers) and refunds only through PaymentsService;
 * it never writes their tables. Double booking is refused by PostgreSQL
 * (exclusion constraints), never by this code alone.
 */
@Module({
  imports: [AuditModule, EngineModule, ProceduresModule, IdentityModule, PaymentsModule, DocumentsModule],
  controllers: [
    FacilitiesPublicController,
    FacilitiesAdminController,
    ResidentBookingsController,
    CounterBookingsHoldController,
    FacilityDeskController,
    LotteriesPublicController,
    LotteryEntriesController,
    LotteryStaffController,
  ],
  providers: [
    FacilityRepository,
    BookingRepository,
    FacilitiesService,
    FacilityCatalogSyncService,
    AvailabilityService,
    BookingHoldsService,
    BookingStepService,
    BookingCancellationService,
    FacilityDeskService,
    ResidentBookingsService,
    PermitContentSource,
    LotteryRepository,
    LotteryService,
    BookingJourneyService,
  ],
  // The portal's pages call the same services as the JSON controllers.
  exports: [
    FacilityCatalogSyncService,
    FacilitiesService,
    BookingHoldsService,
    AvailabilityService,
    ResidentBookingsService,
    BookingCancellationService,
    BookingJourneyService,
    LotteryService,
    FacilityDeskService,
  ],
})
export class BookingsModule implements OnModuleInit {
  constructor(
    private readonly hooks: TransitionHooks,
    private readonly handlers: OutboxHandlerRegistry,
    private readonly jobs: PeriodicJobs,
    private readonly step: BookingStepService,
    private readonly holds: BookingHoldsService,
    private readonly documents: DocumentContentSources,
    private readonly permits: PermitContentSource,
    private readonly lotteries: LotteryService,
  ) {}

  onModuleInit(): void {
    this.hooks.register(this.step);
    // Both idempotent: the outbox delivers at least once.
    this.handlers.register(BOOKING_HOLD_TOPIC, (message) => this.step.onBookingStep(message));
    this.handlers.register(BOOKING_LAPSED_TOPIC, (message) => this.step.onLapsed(message));
    this.handlers.register(LOTTERY_FORFEIT_TOPIC, (message) => this.lotteries.onForfeit(message));
    // Holds lapse by the minute: look every few seconds; a busy sweep runs again at once.
    this.jobs.register({ name: 'booking-hold-expiry', idleMs: 5000, run: () => this.holds.sweep() });
    // Draws wait on a deadline set days ahead; a minute late is fine, and staff may draw at once.
    this.jobs.register({ name: 'lottery-draw', idleMs: 60_000, run: () => this.lotteries.drawDue() });
    this.documents.register(this.permits);
  }
}
