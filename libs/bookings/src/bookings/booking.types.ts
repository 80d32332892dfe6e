import type { Residency } from '../facilities/facility.types';

export const BOOKING_STATUSES = ['held', 'confirmed', 'expired', 'released', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Statuses that take their slots (the exclusion constraint's WHERE). */
export const LIVE_STATUSES: readonly BookingStatus[] = ['held', 'confirmed'];

export const USE_OUTCOMES = ['used', 'noShow'] as const;
export type UseOutcome = (typeof USE_OUTCOMES)[number];

export const BLOCK_REASONS = ['municipalUse', 'maintenance'] as const;
export type BlockReason = (typeof BLOCK_REASONS)[number];

export type BookingChannel = 'online' | 'counter';
export type HolderKind = 'resident' | 'staff';
export type BookingOrigin = 'hold' | 'lottery';

export interface Booking {
  municipalityId: string;
  id: string;
  bookingNumber: string;
  facilityCode: string;
  roomCode: string;
  /** YYYY-MM-DD, the facility's local date. */
  useDate: string;
  /** 'HH:MM' local start times, in order. */
  slotStarts: string[];
  slotMinutes: number;
  /** Start of the first slot. */
  startsAt: Date;
  status: BookingStatus;
  /** 'lottery': a lottery win (or promotion), holding its slots until the payment deadline. */
  origin: BookingOrigin;
  channel: BookingChannel;
  holderKind: HolderKind;
  holderId: string;
  applicationId: string | null;
  /** When a hold lapses; null while the municipality has the application (review) and once confirmed. */
  expiresAt: Date | null;
  residency: Residency | null;
  reductionCode: string | null;
  reductionPercent: number | null;
  feeBase: number | null;
  feeAmount: number | null;
  organizerName: string | null;
  purpose: string | null;
  attendees: number | null;
  needsAttention: boolean;
  attentionReason: string | null;
  useOutcome: UseOutcome | null;
  useMarkedBy: string | null;
  useMarkedAt: Date | null;
  cancelledAt: Date | null;
  cancelledByKind: HolderKind | null;
  cancelledBy: string | null;
  cancelReason: string | null;
  refundPercent: number | null;
  refundAmount: number | null;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface FacilityBlock {
  id: string;
  facilityCode: string;
  roomCode: string;
  useDate: string;
  startsAt: Date;
  endsAt: Date;
  reason: BlockReason;
  note: string | null;
  createdBy: string;
  createdAt: Date;
  liftedAt: Date | null;
}

export interface BookingActor {
  kind: 'resident' | 'staff' | 'system';
  id: string;
}

/** A hold lapses at expiresAt, even before the sweep has marked it. */
export function isLapsed(booking: Pick<Booking, 'status' | 'expiresAt'>, now: Date): boolean {
  return booking.status === 'held' && booking.expiresAt !== null && booking.expiresAt.getTime() <= now.getTime();
}
