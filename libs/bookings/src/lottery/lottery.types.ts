export const LOTTERY_STATUSES = ['open', 'drawn'] as const;
export type LotteryStatus = (typeof LOTTERY_STATUSES)[number];
/** What the public sees: `upcoming` and `closed` follow from the clock, `open` and `drawn` from the row. */
export type LotteryPhase = 'upcoming' | 'open' | 'closed' | 'drawn';

export const ENTRY_STATUSES = ['entered', 'withdrawn', 'won', 'waitlisted', 'promoted', 'forfeited'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];
export type DrawOutcome = 'won' | 'waitlisted';

export interface Lottery {
  municipalityId: string;
  id: string;
  facilityCode: string;
  roomCodes: string[];
  periodFrom: string;
  periodTo: string;
  entryOpensAt: Date;
  entryClosesAt: Date;
  seed: string;
  status: LotteryStatus;
  paymentHours: number;
  maxEntriesPerResident: number;
  lastEntryNumber: number;
  createdBy: string;
  createdAt: Date;
  drawnAt: Date | null;
  entryCount: number | null;
  resultHash: string | null;
}

export interface LotteryEntry {
  lotteryId: string;
  entryNumber: number;
  residentId: string;
  roomCode: string;
  useDate: string;
  slotStarts: string[];
  organizerName: string;
  purpose: string;
  attendees: number;
  status: EntryStatus;
  drawKey: string | null;
  drawPosition: number | null;
  drawOutcome: DrawOutcome | null;
  bookingId: string | null;
  createdAt: Date;
}

export function phaseOf(lottery: Pick<Lottery, 'status' | 'entryOpensAt' | 'entryClosesAt'>, now: Date): LotteryPhase {
  if (lottery.status === 'drawn') return 'drawn';
  if (now.getTime() < lottery.entryOpensAt.getTime()) return 'upcoming';
  return now.getTime() < lottery.entryClosesAt.getTime() ? 'open' : 'closed';
}
