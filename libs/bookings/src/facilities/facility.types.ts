import type { LocalizedText } from '@madoguchi/workflow';

export const FACILITY_KINDS = ['gymnasium', 'meetingRoom', 'sportsGround', 'hall', 'other'] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];

/** Keys of `openingHours`, in the order of Date#getUTCDay (0 = Sunday). */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Open from `open` to `close` (HH:MM, local time, close after open, at most 24:00). */
export interface OpeningHours {
  open: string;
  close: string;
}

export const HOLIDAY_POLICIES = ['closed', 'open'] as const;
export type HolidayPolicy = (typeof HOLIDAY_POLICIES)[number];

/** One tier of a cancellation policy: cancelled `daysBefore` or more calendar days before the day of use. */
export interface CancellationTier {
  daysBefore: number;
  refundPercent: number;
}

/** 減免 a facility grants, claimed with the form's `reductionCode`. */
export interface FacilityReduction {
  code: string;
  label: LocalizedText;
  /** 100 is a full exemption (免除). */
  percent: number;
}

/**
 * When and how a facility can be booked. Stored whole as `facilities.rules`
 * and always checked by `checkFacility` before it is written.
 */
export interface FacilityRules {
  /** Per weekday; null closes the facility on that weekday (e.g. 月曜休館). */
  openingHours: Record<Weekday, OpeningHours | null>;
  /** Slots start at opening time and follow each other; the last one ends by closing time. */
  slotMinutes: number;
  /** National holidays (祝日, 振替休日, 国民の休日): closed, or open with `holidayHours` (else that weekday's hours). */
  holidays: HolidayPolicy;
  holidayHours: OpeningHours | null;
  /** Specific closed dates (点検日, YYYY-MM-DD). */
  closedDates: string[];
  /** Closed every year on these days (MM-DD), e.g. the year-end closure 12-29 … 01-03. */
  closedAnnually: string[];
  /** How far ahead (calendar days, from today) slots can be held. */
  bookingWindowDays: number;
  /** How long a provisional hold (仮予約) lasts: online, and at the counter (longer: the resident pays at the desk). */
  holds: { onlineMinutes: number; counterMinutes: number };
  /** Refund by notice period, most notice first; the last tier has daysBefore 0. */
  cancellation: CancellationTier[];
  reductions: FacilityReduction[];
}

export interface Room {
  code: string;
  name: LocalizedText;
  /** People allowed at once. */
  capacity: number;
  /** Yen per slot for residents (市内) and non-residents (市外). */
  rates: { resident: number; nonResident: number };
  active: boolean;
}

/**
 * What the public-facility list (公共施設一覧) publishes beyond the booking
 * rules; every field optional (null: not known). The English name is the
 * facility's `name.en`.
 */
export interface FacilityDetails {
  /** 名称_カナ, full-width katakana. */
  nameKana: string | null;
  /** 所在地_連結表記: prefecture, city, street and number in one string. */
  address: string | null;
  /** WGS 84 decimal degrees; both or neither. */
  latitude: number | null;
  longitude: number | null;
  phone: string | null;
  url: string | null;
}

export const NO_FACILITY_DETAILS: FacilityDetails = { nameKana: null, address: null, latitude: null, longitude: null, phone: null, url: null };

export interface Facility {
  municipalityId: string;
  code: string;
  name: LocalizedText;
  kind: FacilityKind;
  /** The department whose staff run it (blocks, day list, marking use). */
  department: string;
  /** The booking procedure residents apply through (category booking). */
  procedureCode: string;
  rules: FacilityRules;
  details: FacilityDetails;
  rooms: Room[];
  active: boolean;
  source: 'config' | 'admin';
  configChecksum: string | null;
  revision: number;
  updatedAt: Date;
}

/** What is written for a facility: everything but the bookkeeping columns. */
export type FacilityDefinition = Pick<Facility, 'code' | 'name' | 'kind' | 'department' | 'procedureCode' | 'rules' | 'details' | 'rooms' | 'active'>;

export const RESIDENCIES = ['resident', 'nonResident'] as const;
export type Residency = (typeof RESIDENCIES)[number];

export const DEFAULT_HOLDS = { onlineMinutes: 15, counterMinutes: 24 * 60 } as const;
export const DEFAULT_BOOKING_WINDOW_DAYS = 90;
