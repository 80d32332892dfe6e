import { fromMinutes, localParts, toMinutes } from '../facilities/facility-time';
import type { Facility } from '../facilities/facility.types';
import type { Booking, FacilityBlock } from './booking.types';
import { isLapsed } from './booking.types';
import type { BlockDto, BookingDto, SlotDto, StaffBookingDto } from './dto/booking.dto';

export function slotsOf(booking: Pick<Booking, 'slotStarts' | 'slotMinutes'>): SlotDto[] {
  return booking.slotStarts.map((start) => ({ start, end: fromMinutes((toMinutes(start) ?? 0) + booking.slotMinutes) }));
}

/**
 * Fields listed one by one, so a new column never leaks. A hold past its
 * expiry shows as expired even before the sweep has marked it.
 */
export function toBookingDto(booking: Booking, facility: Facility | null, now: Date): BookingDto {
  const room = facility?.rooms.find((candidate) => candidate.code === booking.roomCode);
  return {
    id: booking.id,
    bookingNumber: booking.bookingNumber,
    status: isLapsed(booking, now) ? 'expired' : booking.status,
    facility: { code: booking.facilityCode, name: facility?.name ?? { ja: booking.facilityCode, en: booking.facilityCode } },
    room: { code: booking.roomCode, name: room?.name ?? { ja: booking.roomCode, en: booking.roomCode } },
    date: booking.useDate,
    slots: slotsOf(booking),
    channel: booking.channel,
    applicationId: booking.applicationId,
    expiresAt: booking.status === 'held' ? (booking.expiresAt?.toISOString() ?? null) : null,
    fee:
      booking.residency && booking.feeBase !== null && booking.feeAmount !== null
        ? { residency: booking.residency, base: booking.feeBase, reductionCode: booking.reductionCode, reductionPercent: booking.reductionPercent, amount: booking.feeAmount }
        : null,
    cancellation:
      booking.cancelledAt && booking.cancelledByKind
        ? {
            cancelledAt: booking.cancelledAt.toISOString(),
            by: booking.cancelledByKind,
            reason: booking.cancelReason,
            refundPercent: booking.refundPercent ?? 0,
            refundAmount: booking.refundAmount ?? 0,
          }
        : null,
    useOutcome: booking.useOutcome,
    createdAt: booking.createdAt.toISOString(),
  };
}

export function toStaffBookingDto(booking: Booking, facility: Facility | null, now: Date): StaffBookingDto {
  return {
    ...toBookingDto(booking, facility, now),
    holderKind: booking.holderKind,
    organizerName: booking.organizerName,
    purpose: booking.purpose,
    attendees: booking.attendees,
    needsAttention: booking.needsAttention,
    attentionReason: booking.attentionReason,
    useMarkedAt: booking.useMarkedAt?.toISOString() ?? null,
  };
}

export function toBlockDto(block: FacilityBlock, timeZone: string): BlockDto {
  const start = localParts(block.startsAt, timeZone);
  const end = localParts(block.endsAt, timeZone);
  return {
    id: block.id,
    room: block.roomCode,
    date: block.useDate,
    start: fromMinutes(Math.round(start.minutes)),
    // A block to midnight ends on the next day's 00:00: show it as 24:00.
    end: end.date > block.useDate ? '24:00' : fromMinutes(Math.round(end.minutes)),
    reason: block.reason,
    note: block.note,
    createdAt: block.createdAt.toISOString(),
  };
}
