import type { BookingApplicationAnswers } from '@madoguchi/bookings';
import type { MessageKey } from '@madoguchi/ui';

/**
 * Reading the booking pages' plain HTML forms: strings in, typed requests
 * or per-field messages out. Shapes only (present, a number, a pattern the
 * procedure's schema also states); every rule about facilities, slots and
 * fees stays in libs/bookings, which refuses what it must.
 */

export const single = (value: unknown): string | undefined => (typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined);
const many = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : typeof value === 'string' ? [value] : []);
const text = (value: unknown, max: number) => (single(value) ?? '').trim().slice(0, max);

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const CODE = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** The grid's checkboxes (`room|date|HH:MM`): one room on one day, else which mistake. */
export function parseSlotChoice(value: unknown): { room: string; date: string; slots: string[] } | 'none' | 'mixed' {
  const chosen = many(value)
    .map((item) => item.split('|'))
    .filter((parts) => parts.length === 3 && CODE.test(parts[0]) && DATE.test(parts[1]) && TIME.test(parts[2]));
  if (chosen.length === 0) return 'none';
  const [room, date] = chosen[0];
  if (chosen.some((parts) => parts[0] !== room || parts[1] !== date)) return 'mixed';
  return { room, date, slots: [...new Set(chosen.map((parts) => parts[2]))].sort().slice(0, 12) };
}

export interface FieldProblem {
  field: string;
  message: MessageKey;
}

/** What the booking application form was sent with, kept to fill the form again. */
export type BookingFormValues = Record<'organizerName' | 'phone' | 'email' | 'purpose' | 'attendees' | 'residency' | 'reductionCode' | 'groupRegistrationNumber', string>;

export function bookingFormValues(body: Record<string, unknown>): BookingFormValues {
  return {
    organizerName: text(body.organizerName, 100),
    phone: text(body.phone, 20),
    email: text(body.email, 254),
    purpose: text(body.purpose, 200),
    attendees: text(body.attendees, 7).replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0)),
    residency: text(body.residency, 20),
    reductionCode: text(body.reductionCode, 40),
    groupRegistrationNumber: text(body.groupRegistrationNumber, 8),
  };
}

export function parseBookingAnswers(values: BookingFormValues): { answers: BookingApplicationAnswers; problems: [] } | { answers: null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (!values.organizerName) problems.push({ field: 'organizerName', message: 'booking.error.organizerName' });
  if (!/^0\d{1,4}-?\d{1,4}-?\d{3,4}$/.test(values.phone)) problems.push({ field: 'phone', message: 'booking.error.phone' });
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) problems.push({ field: 'email', message: 'booking.error.email' });
  if (!values.purpose) problems.push({ field: 'purpose', message: 'booking.error.purpose' });
  const attendees = /^\d{1,6}$/.test(values.attendees) ? Number(values.attendees) : NaN;
  if (!(attendees >= 1)) problems.push({ field: 'attendees', message: 'booking.error.attendees' });
  if (values.residency !== 'resident' && values.residency !== 'nonResident') problems.push({ field: 'residency', message: 'booking.error.residency' });
  if (values.groupRegistrationNumber && !/^\d{4,8}$/.test(values.groupRegistrationNumber)) problems.push({ field: 'groupRegistrationNumber', message: 'booking.error.groupNumber' });
  if (problems.length > 0) return { answers: null, problems };
  return {
    answers: {
      organizerName: values.organizerName,
      phone: values.phone,
      email: values.email,
      purpose: values.purpose,
      attendees,
      residency: values.residency as 'resident' | 'nonResident',
      ...(values.reductionCode ? { reductionCode: values.reductionCode } : {}),
      ...(values.groupRegistrationNumber ? { groupRegistrationNumber: values.groupRegistrationNumber } : {}),
    },
    problems: [],
  };
}

export type LotteryFormValues = Record<'room' | 'date' | 'organizerName' | 'purpose' | 'attendees', string> & { slots: string[] };

export function lotteryFormValues(body: Record<string, unknown>): LotteryFormValues {
  return {
    room: text(body.room, 40),
    date: text(body.date, 10),
    slots: many(body.slots).filter((slot) => TIME.test(slot)).slice(0, 12),
    organizerName: text(body.organizerName, 100),
    purpose: text(body.purpose, 200),
    attendees: text(body.attendees, 7),
  };
}

export function parseLotteryEntry(values: LotteryFormValues): { entry: { room: string; date: string; slots: string[]; organizerName: string; purpose: string; attendees: number } | null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (!CODE.test(values.room)) problems.push({ field: 'room', message: 'lottery.error.room' });
  if (!DATE.test(values.date)) problems.push({ field: 'date', message: 'lottery.error.date' });
  if (values.slots.length === 0) problems.push({ field: 'slots', message: 'lottery.error.slots' });
  if (!values.organizerName) problems.push({ field: 'organizerName', message: 'booking.error.organizerName' });
  if (!values.purpose) problems.push({ field: 'purpose', message: 'booking.error.purpose' });
  const attendees = /^\d{1,6}$/.test(values.attendees) ? Number(values.attendees) : NaN;
  if (!(attendees >= 1)) problems.push({ field: 'attendees', message: 'booking.error.attendees' });
  if (problems.length > 0) return { entry: null, problems };
  return { entry: { room: values.room, date: values.date, slots: [...values.slots].sort(), organizerName: values.organizerName, purpose: values.purpose, attendees }, problems };
}
