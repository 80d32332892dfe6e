import type { AdminFacilityDto, FacilityDto, FacilityInputDto } from './dto/facility.dto';
import { DEFAULT_BOOKING_WINDOW_DAYS, DEFAULT_HOLDS, type Facility, type FacilityDefinition, type FacilityDetails, WEEKDAYS } from './facility.types';

/** A facility as written (admin body or config entry), with the defaults of what it leaves out. */
export function toDefinition(code: string, input: FacilityInputDto): FacilityDefinition {
  const hours = (value: { open: string; close: string } | null | undefined) => (value ? { open: value.open, close: value.close } : null);
  return {
    code,
    name: { ja: input.name.ja, en: input.name.en },
    kind: input.kind,
    department: input.department,
    procedureCode: input.procedureCode,
    active: input.active ?? true,
    details: {
      nameKana: input.details?.nameKana ?? null,
      address: input.details?.address ?? null,
      latitude: input.details?.latitude ?? null,
      longitude: input.details?.longitude ?? null,
      phone: input.details?.phone ?? null,
      url: input.details?.url ?? null,
    },
    rooms: input.rooms.map((room) => ({
      code: room.code,
      name: { ja: room.name.ja, en: room.name.en },
      capacity: room.capacity,
      rates: { resident: room.rates.resident, nonResident: room.rates.nonResident },
      active: room.active ?? true,
    })),
    rules: {
      openingHours: Object.fromEntries(WEEKDAYS.map((weekday) => [weekday, hours(input.openingHours[weekday])])) as FacilityDefinition['rules']['openingHours'],
      slotMinutes: input.slotMinutes,
      holidays: input.holidays,
      holidayHours: hours(input.holidayHours),
      closedDates: [...(input.closedDates ?? [])].sort(),
      closedAnnually: [...(input.closedAnnually ?? [])].sort(),
      bookingWindowDays: input.bookingWindowDays ?? DEFAULT_BOOKING_WINDOW_DAYS,
      holds: input.holds ? { onlineMinutes: input.holds.onlineMinutes, counterMinutes: input.holds.counterMinutes } : { ...DEFAULT_HOLDS },
      cancellation: input.cancellation.map((tier) => ({ daysBefore: tier.daysBefore, refundPercent: tier.refundPercent })),
      reductions: (input.reductions ?? []).map((reduction) => ({ code: reduction.code, label: { ja: reduction.label.ja, en: reduction.label.en }, percent: reduction.percent })),
    },
  };
}

/** What anyone sees: active rooms only, no department or bookkeeping. */
export function toFacilityDto(facility: Facility): FacilityDto {
  const { rules } = facility;
  return {
    code: facility.code,
    name: facility.name,
    kind: facility.kind,
    procedureCode: facility.procedureCode,
    rooms: facility.rooms.filter((room) => room.active).map((room) => ({ code: room.code, name: room.name, capacity: room.capacity, rates: { ...room.rates } })),
    openingHours: Object.fromEntries(WEEKDAYS.map((weekday) => [weekday, rules.openingHours[weekday] ? { ...rules.openingHours[weekday]! } : null])),
    slotMinutes: rules.slotMinutes,
    holidays: rules.holidays,
    holidayHours: rules.holidayHours ? { ...rules.holidayHours } : null,
    closedDates: [...rules.closedDates],
    closedAnnually: [...rules.closedAnnually],
    bookingWindowDays: rules.bookingWindowDays,
    holds: { ...rules.holds },
    cancellation: rules.cancellation.map((tier) => ({ daysBefore: tier.daysBefore, refundPercent: tier.refundPercent })),
    reductions: rules.reductions.map((reduction) => ({ code: reduction.code, label: reduction.label, percent: reduction.percent })),
    details: toDetailsDto(facility.details),
  };
}

function toDetailsDto(details: FacilityDetails): FacilityDetails {
  return {
    nameKana: details.nameKana,
    address: details.address,
    latitude: details.latitude,
    longitude: details.longitude,
    phone: details.phone,
    url: details.url,
  };
}

export function toAdminFacilityDto(facility: Facility): AdminFacilityDto {
  return {
    ...toFacilityDto(facility),
    rooms: facility.rooms.map((room) => ({ code: room.code, name: room.name, capacity: room.capacity, rates: { ...room.rates }, active: room.active })),
    department: facility.department,
    active: facility.active,
    source: facility.source,
    revision: facility.revision,
    updatedAt: facility.updatedAt.toISOString(),
  };
}

/**
 * The body that writes a facility back as it is (FacilitiesService.adminPut
 * replaces the whole facility): what an administrator's page changes one
 * field of, leaving the rest (hours, policies, reductions, rooms) as stored.
 */
export function toFacilityInput(facility: AdminFacilityDto): FacilityInputDto {
  const hours = (value: { open: string; close: string } | null | undefined) => (value ? { open: value.open, close: value.close } : null);
  const details = Object.fromEntries(Object.entries(facility.details).filter(([, value]) => value !== null));
  return {
    name: { ja: facility.name.ja, en: facility.name.en },
    kind: facility.kind as FacilityInputDto['kind'],
    department: facility.department,
    procedureCode: facility.procedureCode,
    rooms: facility.rooms.map((room) => ({ code: room.code, name: { ja: room.name.ja, en: room.name.en }, capacity: room.capacity, rates: { ...room.rates }, active: room.active })),
    openingHours: Object.fromEntries(WEEKDAYS.map((weekday) => [weekday, hours(facility.openingHours[weekday])])) as unknown as FacilityInputDto['openingHours'],
    slotMinutes: facility.slotMinutes,
    holidays: facility.holidays as FacilityInputDto['holidays'],
    ...(facility.holidayHours ? { holidayHours: hours(facility.holidayHours)! } : {}),
    closedDates: [...facility.closedDates],
    closedAnnually: [...facility.closedAnnually],
    bookingWindowDays: facility.bookingWindowDays,
    holds: { ...facility.holds },
    cancellation: facility.cancellation.map((tier) => ({ daysBefore: tier.daysBefore, refundPercent: tier.refundPercent })),
    reductions: facility.reductions.map((reduction) => ({ code: reduction.code, label: { ja: reduction.label.ja, en: reduction.label.en }, percent: reduction.percent })),
    details: details as FacilityInputDto['details'],
    active: facility.active,
  };
}
