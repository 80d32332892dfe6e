import { Injectable } from '@nestjs/common';
import { ResidentApplicationDrafts } from '@madoguchi/engine';
import { DocumentsService, type PdfFile } from '@madoguchi/documents';
import type { ResidentPrincipal } from '@madoguchi/identity';
import { MunicipalityDirectory } from '@madoguchi/config';
import { addDays, Clock, isRealDate, localParts, type MunicipalityId, RequestError } from '@madoguchi/kernel';
import type { AvailabilityDto } from '../availability/availability.dto';
import { AvailabilityService } from '../availability/availability.service';
import { BookingError } from '../booking.errors';
import type { FacilityDto, ReductionViewDto } from '../facilities/dto/facility.dto';
import { FacilitiesService } from '../facilities/facilities.service';
import { slotGrid } from '../facilities/facility-rules';
import type { LotteryDrawDto, LotteryDto, LotteryEntryDto } from '../lottery/dto/lottery.dto';
import { LotteryService } from '../lottery/lottery.service';
import type { BookingDto } from './dto/booking.dto';
import { ResidentBookingsService } from './resident-bookings.service';

/** The answers of the booking application a resident types; the slots come from the hold. */
export interface BookingApplicationAnswers {
  organizerName: string;
  phone: string;
  email: string;
  purpose: string;
  attendees: number;
  residency: 'resident' | 'nonResident';
  reductionCode?: string;
  groupRegistrationNumber?: string;
}

/** A booking with where its application stands and its use permit, for the resident's booking page. */
export interface BookingOverview {
  booking: BookingDto;
  /** The booking procedure to apply with (kominkan-yoyaku, taiikukan-yoyaku). */
  procedureCode: string;
  /** Reductions (減免) the application may claim. */
  reductions: ReductionViewDto[];
  /** Capacity of the booked room: the most attendees the application may name. */
  capacity: number | null;
  application: { id: string; state: string; referenceNumber: string | null; fee: number | null } | null;
  /** The issued 利用許可証, once the booking is paid and the permit issued. */
  permit: { documentId: string; serial: string; verificationCode: string } | null;
}

/**
 * The resident's walk through one booking, as the portal pages need it:
 * the booking with its application and permit in one read, applying with a
 * hold (draft and submission as one step: a failed submission discards its
 * draft, so retries do not pile drafts up against the draft limit) and the
 * permit's PDF. Access is the booking's: another resident's booking is "not
 * found" before anything else is read. Starts applications only through
 * the engine's ResidentApplicationDrafts port, with the checks of the
 * resident's own path.
 */
@Injectable()
export class BookingJourneyService {
  constructor(
    private readonly bookings: ResidentBookingsService,
    private readonly facilities: FacilitiesService,
    private readonly applications: ResidentApplicationDrafts,
    private readonly documents: DocumentsService,
    private readonly lotteries: LotteryService,
    private readonly availability: AvailabilityService,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
  ) {}

  /**
   * A facility and one week of its availability from `from` (today when
   * absent, unreadable or past: availability before today says nothing
   * bookable). `today` lets the page decide whether to offer the week before.
   */
  async facilityWeek(municipalityId: MunicipalityId, code: string, from: string | null): Promise<{ facility: FacilityDto; availability: AvailabilityDto; today: string }> {
    const facility = await this.facilities.get(municipalityId, code);
    const today = localParts(this.clock.now(), this.directory.get(municipalityId)?.timeZone ?? 'Asia/Tokyo').date;
    const start = from && isRealDate(from) && from > today ? from : today;
    const availability = await this.availability.availability(municipalityId, code, { from: start, to: addDays(start, 6) });
    return { facility, availability, today };
  }

  async overview(resident: ResidentPrincipal, bookingId: string): Promise<BookingOverview> {
    const booking = await this.bookings.get(resident, bookingId);
    const facility = await this.facilities.get(resident.municipalityId, booking.facility.code);
    const base = {
      booking,
      procedureCode: facility.procedureCode,
      reductions: facility.reductions,
      capacity: facility.rooms.find((room) => room.code === booking.room.code)?.capacity ?? null,
    };
    if (!booking.applicationId) return { ...base, application: null, permit: null };
    const application = await this.applications.summary(resident, booking.applicationId);
    const permit = (await this.documents.listMine(resident, booking.applicationId)).find((document) => document.kind === 'usePermit' && document.status === 'issued') ?? null;
    return {
      ...base,
      application: { id: application.id, state: application.state, referenceNumber: application.referenceNumber, fee: application.fee },
      permit: permit ? { documentId: permit.id, serial: permit.serial, verificationCode: permit.verificationCode } : null,
    };
  }

  /** Applies for a held booking with the resident's answers; answers the application's id. */
  async apply(resident: ResidentPrincipal, bookingId: string, answers: BookingApplicationAnswers): Promise<string> {
    const booking = await this.bookings.get(resident, bookingId);
    // Sent twice (a double click, a reload): the first application stands.
    if (booking.applicationId) return booking.applicationId;
    if (booking.status !== 'held') throw BookingError.notFound(bookingId);
    const facility = await this.facilities.get(resident.municipalityId, booking.facility.code);
    const formData: Record<string, unknown> = {
      facility: booking.facility.code,
      room: booking.room.code,
      date: booking.date,
      slots: booking.slots.map((slot) => slot.start),
      holdId: booking.id,
      ...answers,
    };
    const draft = await this.applications.create(resident, facility.procedureCode, formData);
    try {
      await this.applications.submit(resident, draft.id, draft.revision);
    } catch (error) {
      if (error instanceof RequestError) await this.applications.discard(resident, draft.id).catch(() => undefined);
      throw error;
    }
    return draft.id;
  }

  async permitPdf(resident: ResidentPrincipal, bookingId: string): Promise<PdfFile> {
    const { booking, permit } = await this.overview(resident, bookingId);
    if (!permit || !booking.applicationId) throw BookingError.notFound(bookingId);
    return this.documents.pdfOfMine(resident, booking.applicationId, permit.documentId);
  }

  /** The lotteries with their facility's name, for the public list. */
  async lotteryList(municipalityId: MunicipalityId, facilityCode: string | null): Promise<Array<{ lottery: LotteryDto; facility: FacilityDto | null }>> {
    const [lotteries, facilities] = await Promise.all([this.lotteries.list(municipalityId, facilityCode), this.facilities.list(municipalityId)]);
    return lotteries.map((lottery) => ({ lottery, facility: facilities.find((facility) => facility.code === lottery.facility) ?? null }));
  }

  /** One lottery as the public sees it: its facility and, once drawn, the published draw. */
  async lotteryPage(municipalityId: MunicipalityId, id: string): Promise<{ lottery: LotteryDto; facility: FacilityDto | null; draw: LotteryDrawDto | null }> {
    const lottery = await this.lotteries.get(municipalityId, id);
    const [facilities, draw] = await Promise.all([
      this.facilities.list(municipalityId),
      lottery.status === 'drawn' ? this.lotteries.drawResult(municipalityId, id) : Promise.resolve(null),
    ]);
    return { lottery, facility: facilities.find((facility) => facility.code === lottery.facility) ?? null, draw };
  }

  /**
   * A resident's entries of one lottery, with what the entry form offers:
   * the lottery's rooms and the slot start times the facility has on any
   * day (the service still refuses a slot the chosen day lacks).
   */
  async lotteryEntries(resident: ResidentPrincipal, id: string): Promise<{ lottery: LotteryDto; facility: FacilityDto | null; slotStarts: string[]; entries: LotteryEntryDto[] }> {
    const entries = await this.lotteries.mine(resident, id);
    const lottery = await this.lotteries.get(resident.municipalityId, id);
    const facility = (await this.facilities.list(resident.municipalityId)).find((candidate) => candidate.code === lottery.facility) ?? null;
    const starts = new Set<string>();
    for (const hours of [...Object.values(facility?.openingHours ?? {}), facility?.holidayHours ?? null]) {
      for (const slot of slotGrid(hours, facility?.slotMinutes ?? 60)) starts.add(slot.start);
    }
    return { lottery, facility, slotStarts: [...starts].sort(), entries };
  }
}
