import type { DrawnEntryDto, LotteryDto, LotteryEntryDto, PublicEntryDto } from './dto/lottery.dto';
import { type Lottery, type LotteryEntry, phaseOf } from './lottery.types';

/** Fields listed one by one, so a new column never leaks (the creator's staff id stays inside). */
export function toLotteryDto(lottery: Lottery, entryCount: number, now: Date): LotteryDto {
  return {
    id: lottery.id,
    facility: lottery.facilityCode,
    rooms: lottery.roomCodes,
    periodFrom: lottery.periodFrom,
    periodTo: lottery.periodTo,
    entryOpensAt: lottery.entryOpensAt.toISOString(),
    entryClosesAt: lottery.entryClosesAt.toISOString(),
    seed: lottery.seed,
    status: phaseOf(lottery, now),
    paymentHours: lottery.paymentHours,
    maxEntriesPerResident: lottery.maxEntriesPerResident,
    entryCount: lottery.entryCount ?? entryCount,
    drawnAt: lottery.drawnAt?.toISOString() ?? null,
    resultHash: lottery.resultHash,
  };
}

/** The resident's own entry. */
export function toEntryDto(entry: LotteryEntry): LotteryEntryDto {
  return {
    lotteryId: entry.lotteryId,
    entryNumber: entry.entryNumber,
    room: entry.roomCode,
    date: entry.useDate,
    slots: entry.slotStarts,
    organizerName: entry.organizerName,
    purpose: entry.purpose,
    attendees: entry.attendees,
    status: entry.status,
    drawPosition: entry.drawPosition,
    bookingId: entry.bookingId,
    createdAt: entry.createdAt.toISOString(),
  };
}

/** What anyone may see of an entry: the request, never who made it. */
export function toPublicEntryDto(entry: LotteryEntry): PublicEntryDto {
  return { entryNumber: entry.entryNumber, room: entry.roomCode, date: entry.useDate, slots: entry.slotStarts };
}

export function toDrawnEntryDto(entry: LotteryEntry): DrawnEntryDto {
  return { position: entry.drawPosition!, entryNumber: entry.entryNumber, key: entry.drawKey!, outcome: entry.drawOutcome!, status: entry.status };
}
