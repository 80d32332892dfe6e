import { Injectable } from '@nestjs/common';
import type { ResidentPrincipal } from '@madoguchi/identity';
import { Clock } from '@madoguchi/kernel';
import { BookingError } from '../booking.errors';
import { FacilityRepository } from '../facilities/facility.repository';
import { toBookingDto } from './booking.mapper';
import { BookingRepository } from './booking.repository';
import type { BookingDto } from './dto/booking.dto';

/** A resident's own bookings: holds in their name and bookings of their applications. Anyone else's are "not found". */
@Injectable()
export class ResidentBookingsService {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly facilities: FacilityRepository,
    private readonly clock: Clock,
  ) {}

  async list(resident: ResidentPrincipal): Promise<BookingDto[]> {
    const [bookings, facilities] = await Promise.all([
      this.bookings.listForResident(resident.municipalityId, resident.id),
      this.facilities.list(resident.municipalityId, { activeOnly: false }),
    ]);
    const now = this.clock.now();
    return bookings.map((booking) => toBookingDto(booking, facilities.find((facility) => facility.code === booking.facilityCode) ?? null, now));
  }

  async get(resident: ResidentPrincipal, id: string): Promise<BookingDto> {
    const booking = await this.bookings.find(resident.municipalityId, id);
    if (!booking || !(await this.bookings.isResidents(resident.municipalityId, booking, resident.id))) throw BookingError.notFound(id);
    return toBookingDto(booking, await this.facilities.find(resident.municipalityId, booking.facilityCode), this.clock.now());
  }
}
