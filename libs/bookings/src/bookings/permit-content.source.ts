import { Injectable } from '@nestjs/common';
import type { DocumentContentSource, PermitContent } from '@madoguchi/documents';
import type { MunicipalityId } from '@madoguchi/kernel';
import { FacilityRepository } from '../facilities/facility.repository';
import { slotsOf } from './booking.mapper';
import { BookingRepository } from './booking.repository';

/**
 * What the use permit (利用許可証) prints, for the documents library: the
 * confirmed booking of the application. Null for anything else (no booking,
 * or one that is not confirmed), so no permit is ever printed for slots the
 * resident does not have.
 */
@Injectable()
export class PermitContentSource implements DocumentContentSource {
  readonly kinds = ['permit'];

  constructor(
    private readonly bookings: BookingRepository,
    private readonly facilities: FacilityRepository,
  ) {}

  async content(municipalityId: MunicipalityId, applicationId: string): Promise<Record<string, unknown> | null> {
    const booking = await this.bookings.findByApplication(municipalityId, applicationId);
    if (booking?.status !== 'confirmed') return null;
    const facility = await this.facilities.find(municipalityId, booking.facilityCode);
    if (!facility) return null;
    const room = facility.rooms.find((candidate) => candidate.code === booking.roomCode);
    const reduction = booking.reductionCode ? facility.rules.reductions.find((candidate) => candidate.code === booking.reductionCode) : null;
    const permit: PermitContent = {
      bookingNumber: booking.bookingNumber,
      facility: facility.name,
      room: room?.name ?? { ja: booking.roomCode, en: booking.roomCode },
      slots: slotsOf(booking).map((slot) => ({ date: booking.useDate, start: slot.start, end: slot.end })),
      organizerName: booking.organizerName ?? '',
      purpose: booking.purpose ?? '',
      attendees: booking.attendees,
      fee: booking.feeAmount ?? 0,
      reduction: booking.reductionCode ? `${reduction?.label.ja ?? booking.reductionCode}（${booking.reductionPercent}%減免）` : null,
    };
    return { ...permit };
  }
}
