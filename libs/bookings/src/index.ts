/**
 * libs/bookings — public facility booking (公共施設予約).
 *
 * Owns facilities and their rooms, provisional holds and bookings (with an
 * exclusion constraint against double booking), staff blocks, and the
 * booking step of booking procedures. Public: facilities and availability.
 * Residents: holds, their bookings, cancellation with the refund the notice
 * period allows. Staff of the facility's department: the day list, blocks,
 * use and no-show. Administrators: facilities (also seeded from
 * config/facilities/<municipality>.yaml at boot).
 *
 * It never writes applications or payments: it moves applications through
 * the engine (a transition hook, outbox handlers) and refunds through
 * PaymentsService. The lottery (抽選) lives in lottery/: its wins are
 * holds with `bookings.origin` 'lottery'.
 */
export * from './bookings.module';
export * from './booking.errors';
export * from './facilities/facility.types';
export * from './facilities/facility-rules';
export * from './facilities/facility-catalog-sync.service';
export * from './facilities/facilities.service';
export * from './facilities/dto/facility.dto';
export * from './bookings/booking.types';
export * from './bookings/booking-holds.service';
export * from './bookings/resident-bookings.service';
export * from './bookings/booking-cancellation.service';
export * from './bookings/booking-journey.service';
export * from './availability/availability.service';
export * from './bookings/facility-desk.service';
export * from './bookings/dto/booking.dto';
export * from './availability/availability.dto';
export * from './lottery/lottery.service';
export * from './lottery/lottery-draw';
export * from './lottery/dto/lottery.dto';
export { toFacilityInput } from './facilities/facility.mapper';
