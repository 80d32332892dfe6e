import { BadRequestException, Body, Delete, Get, HttpCode, Param, ParseUUIDPipe, type PipeTransform, Post, Put, Query } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentResident, CurrentStaff, type ResidentPrincipal, ResidentOnly, type StaffPrincipal, StaffOnly } from '@madoguchi/identity';
import { ApiController, CurrentMunicipality, type MunicipalityId, Public } from '@madoguchi/kernel';
import type { AvailabilityDto } from './availability/availability.dto';
import { AvailabilityQuery } from './availability/availability.dto';
import { AvailabilityService } from './availability/availability.service';
import { BookingCancellationService } from './bookings/booking-cancellation.service';
import { BookingHoldsService } from './bookings/booking-holds.service';
import {
  type BlockDto,
  BlockRequestDto,
  type BlockResultDto,
  type BookingDto,
  CancelBookingDto,
  type CancellationQuoteDto,
  type DayListDto,
  DayQuery,
  HoldRequestDto,
  MarkUseDto,
  ResolveAttentionDto,
  StaffCancelBookingDto,
  type StaffBookingDto,
} from './bookings/dto/booking.dto';
import { FacilityDeskService } from './bookings/facility-desk.service';
import { ResidentBookingsService } from './bookings/resident-bookings.service';
import { type AdminFacilityDto, FACILITY_CODE_PATTERN, type FacilityDto, FacilityInputDto } from './facilities/dto/facility.dto';
import { FacilitiesService } from './facilities/facilities.service';

const uuid = new ParseUUIDPipe();

/** A facility code in the path, checked like a body field. */
class FacilityCodePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!FACILITY_CODE_PATTERN.test(value)) throw new BadRequestException({ message: ['code must be a facility code (a-z, 0-9, -)'] });
    return value;
  }
}
const facilityCode = new FacilityCodePipe();

@ApiTags('facilities (public)')
@ApiHeader({ name: 'X-Municipality-Id', required: false })
@ApiController('facilities')
@Public()
export class FacilitiesPublicController {
  constructor(
    private readonly facilities: FacilitiesService,
    private readonly availability: AvailabilityService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Facilities that can be booked: rooms, capacity, rates, opening hours, closed days, cancellation policy' })
  list(@CurrentMunicipality() municipalityId: MunicipalityId): Promise<FacilityDto[]> {
    return this.facilities.list(municipalityId);
  }

  @Get(':code')
  get(@CurrentMunicipality() municipalityId: MunicipalityId, @Param('code', facilityCode) code: string): Promise<FacilityDto> {
    return this.facilities.get(municipalityId, code);
  }

  @Get(':code/availability')
  @ApiOperation({ summary: 'Free, held, booked, blocked and closed slots per room and day (at most 31 days)' })
  availabilityOf(@CurrentMunicipality() municipalityId: MunicipalityId, @Param('code', facilityCode) code: string, @Query() query: AvailabilityQuery): Promise<AvailabilityDto> {
    return this.availability.availability(municipalityId, code, query);
  }
}

@ApiTags('facilities (administrators)')
@ApiController('admin/facilities')
@StaffOnly('administrator')
export class FacilitiesAdminController {
  constructor(private readonly facilities: FacilitiesService) {}

  @Get()
  list(@CurrentStaff() staff: StaffPrincipal): Promise<AdminFacilityDto[]> {
    return this.facilities.adminList(staff);
  }

  @Put(':code')
  @ApiOperation({ summary: 'Create or replace a facility (rooms, hours, closed days, holidays, slots, rates, reductions, cancellation policy)' })
  put(@CurrentStaff() staff: StaffPrincipal, @Param('code', facilityCode) code: string, @Body() body: FacilityInputDto): Promise<AdminFacilityDto> {
    return this.facilities.adminPut(staff, code, body);
  }
}

@ApiTags('bookings (resident)')
@ApiController('bookings')
@ResidentOnly()
export class ResidentBookingsController {
  constructor(
    private readonly holds: BookingHoldsService,
    private readonly bookings: ResidentBookingsService,
    private readonly cancellations: BookingCancellationService,
  ) {}

  @Post('holds')
  @ApiOperation({ summary: 'Provisional hold (仮予約) of slots: 201, or 409 BOOKING_SLOT_TAKEN. Apply with its id as the form\'s holdId before it expires' })
  hold(@CurrentResident() resident: ResidentPrincipal, @Body() body: HoldRequestDto): Promise<BookingDto> {
    return this.holds.holdForResident(resident, body);
  }

  @Get()
  list(@CurrentResident() resident: ResidentPrincipal): Promise<BookingDto[]> {
    return this.bookings.list(resident);
  }

  @Get(':id')
  get(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string): Promise<BookingDto> {
    return this.bookings.get(resident, id);
  }

  @Get(':id/cancellation')
  @ApiOperation({ summary: 'What cancelling now would refund, by the facility\'s notice periods' })
  cancellation(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string): Promise<CancellationQuoteDto> {
    return this.cancellations.quote(resident, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel: a hold is given up (its application withdrawn); a confirmed booking is refunded as the policy allows' })
  cancel(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string, @Body() body: CancelBookingDto): Promise<BookingDto> {
    return this.cancellations.cancelByResident(resident, id, body.reason?.trim() || null);
  }
}

@ApiTags('bookings (counter)')
@ApiController('staff/counter/bookings')
@StaffOnly('clerk', 'reviewer')
export class CounterBookingsHoldController {
  constructor(private readonly holds: BookingHoldsService) {}

  @Post('holds')
  @ApiOperation({ summary: 'Hold slots for a visitor at the counter: lasts the facility\'s counter hold time (longer than online)' })
  hold(@CurrentStaff() staff: StaffPrincipal, @Body() body: HoldRequestDto): Promise<BookingDto> {
    return this.holds.holdAtCounter(staff, body);
  }
}

@ApiTags('bookings (staff)')
@ApiController('staff')
@StaffOnly('clerk', 'reviewer')
export class FacilityDeskController {
  constructor(
    private readonly desk: FacilityDeskService,
    private readonly cancellations: BookingCancellationService,
  ) {}

  @Get('facilities/:code/bookings')
  @ApiOperation({ summary: "A day's bookings and blocks of a facility, per room" })
  day(@CurrentStaff() staff: StaffPrincipal, @Param('code', facilityCode) code: string, @Query() query: DayQuery): Promise<DayListDto> {
    return this.desk.day(staff, code, query.date);
  }

  @Post('facilities/:code/blocks')
  @ApiOperation({ summary: 'Block slots for municipal use or maintenance; bookings under the block are flagged for handling' })
  block(@CurrentStaff() staff: StaffPrincipal, @Param('code', facilityCode) code: string, @Body() body: BlockRequestDto): Promise<BlockResultDto> {
    return this.desk.block(staff, code, body);
  }

  @Delete('facilities/:code/blocks/:id')
  liftBlock(@CurrentStaff() staff: StaffPrincipal, @Param('code', facilityCode) code: string, @Param('id', uuid) id: string): Promise<BlockDto> {
    return this.desk.liftBlock(staff, code, id);
  }

  @Post('bookings/:id/use')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that a booking was used, or that nobody came (no-show)' })
  markUse(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Body() body: MarkUseDto): Promise<StaffBookingDto> {
    return this.desk.markUse(staff, id, body.outcome);
  }

  @Post('bookings/:id/attention/resolve')
  @HttpCode(200)
  resolveAttention(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Body() body: ResolveAttentionDto): Promise<StaffBookingDto> {
    return this.desk.resolveAttention(staff, id, body.note.trim());
  }

  @Post('bookings/:id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'The municipality cancels a confirmed booking (e.g. under a block): full refund' })
  cancel(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Body() body: StaffCancelBookingDto): Promise<StaffBookingDto> {
    return this.cancellations.cancelByStaff(staff, id, body.reason.trim());
  }
}
