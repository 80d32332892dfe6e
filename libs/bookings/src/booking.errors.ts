import { RequestError } from '@madoguchi/kernel';
import { WorkflowError } from '@madoguchi/workflow';
import { CLOSED_REASON_TEXT, type ClosedReason, type FacilityProblem } from './facilities/facility-rules';

export enum BookingErrorCode {
  FacilityNotFound = 'BOOKING_FACILITY_NOT_FOUND',
  RoomNotFound = 'BOOKING_ROOM_NOT_FOUND',
  NotFound = 'BOOKING_NOT_FOUND',
  FacilityInvalid = 'BOOKING_FACILITY_INVALID',
  RangeInvalid = 'BOOKING_RANGE_INVALID',
  DayClosed = 'BOOKING_DAY_CLOSED',
  SlotInvalid = 'BOOKING_SLOT_INVALID',
  SlotPast = 'BOOKING_SLOT_PAST',
  OutsideWindow = 'BOOKING_OUTSIDE_WINDOW',
  SlotTaken = 'BOOKING_SLOT_TAKEN',
  SlotBlocked = 'BOOKING_SLOT_BLOCKED',
  TooManyHolds = 'BOOKING_TOO_MANY_HOLDS',
  HoldExpired = 'BOOKING_HOLD_EXPIRED',
  HoldMismatch = 'BOOKING_HOLD_MISMATCH',
  HoldInUse = 'BOOKING_HOLD_IN_USE',
  SlotsMissing = 'BOOKING_SLOTS_MISSING',
  WrongProcedure = 'BOOKING_WRONG_PROCEDURE',
  OverCapacity = 'BOOKING_OVER_CAPACITY',
  ReductionUnknown = 'BOOKING_REDUCTION_UNKNOWN',
  NotCancellable = 'BOOKING_NOT_CANCELLABLE',
  AlreadyStarted = 'BOOKING_ALREADY_STARTED',
  BlockOverlap = 'BOOKING_BLOCK_OVERLAP',
  BlockNotFound = 'BOOKING_BLOCK_NOT_FOUND',
  UseNotYet = 'BOOKING_USE_NOT_YET',
  UseAlreadyMarked = 'BOOKING_USE_ALREADY_MARKED',
  NotConfirmed = 'BOOKING_NOT_CONFIRMED',
  NoAttention = 'BOOKING_NO_ATTENTION',
  SlotInLottery = 'BOOKING_SLOT_IN_LOTTERY',
  LotteryNotFound = 'LOTTERY_NOT_FOUND',
  LotteryInvalid = 'LOTTERY_INVALID',
  LotteryOverlap = 'LOTTERY_OVERLAP',
  LotteryNotOpen = 'LOTTERY_NOT_OPEN',
  LotteryClosed = 'LOTTERY_CLOSED',
  LotteryNotDrawn = 'LOTTERY_NOT_DRAWN',
  LotteryStillOpen = 'LOTTERY_STILL_OPEN',
  LotteryOutsidePeriod = 'LOTTERY_OUTSIDE_PERIOD',
  LotteryDuplicateEntry = 'LOTTERY_DUPLICATE_ENTRY',
  LotteryTooManyEntries = 'LOTTERY_TOO_MANY_ENTRIES',
  LotteryEntryNotFound = 'LOTTERY_ENTRY_NOT_FOUND',
}

export class BookingError extends RequestError {
  static facilityNotFound(code: string): BookingError {
    return new BookingError(404, BookingErrorCode.FacilityNotFound, { ja: '施設が見つかりません。', en: 'Facility not found.' }, { code });
  }

  static roomNotFound(facility: string, room: string): BookingError {
    return new BookingError(404, BookingErrorCode.RoomNotFound, { ja: 'この施設にその部屋・面はありません。', en: 'The facility has no such room or court.' }, { facility, room });
  }

  static notFound(id: string): BookingError {
    return new BookingError(404, BookingErrorCode.NotFound, { ja: '予約が見つかりません。', en: 'Booking not found.' }, { id });
  }

  static facilityInvalid(problems: FacilityProblem[]): BookingError {
    return new BookingError(
      422,
      BookingErrorCode.FacilityInvalid,
      { ja: '施設の設定に誤りがあります。', en: 'The facility settings are not valid.' },
      { problems },
    );
  }

  static rangeInvalid(reason: string, maxDays: number): BookingError {
    return new BookingError(
      400,
      BookingErrorCode.RangeInvalid,
      { ja: `検索する期間は開始日から${maxDays}日以内で指定してください。`, en: `Search at most ${maxDays} days from the start date, with "from" not after "to".` },
      { reason, maxDays },
    );
  }

  static dayClosed(date: string, reason: ClosedReason): BookingError {
    return new BookingError(422, BookingErrorCode.DayClosed, CLOSED_REASON_TEXT[reason], { date, reason });
  }

  static slotInvalid(slots: string[]): BookingError {
    return new BookingError(
      422,
      BookingErrorCode.SlotInvalid,
      { ja: '選択された時間帯はこの施設の利用枠にありません。', en: 'Those start times are not slots of this facility on that day.' },
      { slots },
    );
  }

  static slotPast(): BookingError {
    return new BookingError(422, BookingErrorCode.SlotPast, { ja: '開始時刻を過ぎた時間帯は予約できません。', en: 'A slot that has started cannot be booked.' });
  }

  static outsideWindow(lastDate: string): BookingError {
    return new BookingError(
      422,
      BookingErrorCode.OutsideWindow,
      { ja: `予約できるのは${lastDate}までの利用分です。`, en: `Slots can be booked up to ${lastDate}.` },
      { lastDate },
    );
  }

  static slotTaken(): BookingError {
    return new BookingError(
      409,
      BookingErrorCode.SlotTaken,
      { ja: '選択された時間帯は、ほかの方が先に予約されました。別の時間帯をお選びください。', en: 'Someone else booked one of those slots first. Please choose another slot.' },
    );
  }

  static slotBlocked(): BookingError {
    return new BookingError(
      409,
      BookingErrorCode.SlotBlocked,
      { ja: '選択された時間帯は市の行事や点検のため予約できません。', en: 'Those slots are reserved for municipal use or maintenance.' },
    );
  }

  static tooManyHolds(limit: number): BookingError {
    return new BookingError(
      409,
      BookingErrorCode.TooManyHolds,
      { ja: `仮予約は同時に${limit}件までです。申込みを済ませるか、不要な仮予約を取り消してください。`, en: `At most ${limit} provisional holds at a time. Apply with one or cancel one first.` },
      { limit },
    );
  }

  static holdMismatch(): BookingError {
    return new BookingError(
      422,
      BookingErrorCode.HoldMismatch,
      { ja: '申請の施設・日時が仮予約の内容と一致しません。', en: 'The facility, room, date or slots of the form differ from the hold.' },
    );
  }

  static holdInUse(): BookingError {
    return new BookingError(409, BookingErrorCode.HoldInUse, { ja: 'この仮予約はすでに別の申請で使われています。', en: 'This hold is already used by another application.' });
  }

  static slotsMissing(): BookingError {
    return new BookingError(
      422,
      BookingErrorCode.SlotsMissing,
      { ja: '予約する施設・部屋・日付・時間帯を選んでください。', en: 'Choose the facility, room, date and slots to book.' },
    );
  }

  static wrongProcedure(facility: string, procedureCode: string): BookingError {
    return new BookingError(
      422,
      BookingErrorCode.WrongProcedure,
      { ja: 'この施設はこの手続では予約できません。', en: `Facility "${facility}" is booked through "${procedureCode}", not this procedure.` },
      { facility, procedureCode },
    );
  }

  static overCapacity(capacity: number): BookingError {
    return new BookingError(
      422,
      BookingErrorCode.OverCapacity,
      { ja: `利用人数がこの部屋の定員（${capacity}人）を超えています。`, en: `More people than the room holds (${capacity}).` },
      { capacity },
    );
  }

  static reductionUnknown(code: string): BookingError {
    return new BookingError(422, BookingErrorCode.ReductionUnknown, { ja: 'この施設では選択された減免は受けられません。', en: `The facility offers no reduction "${code}".` }, { code });
  }

  static notCancellable(status: string): BookingError {
    return new BookingError(409, BookingErrorCode.NotCancellable, { ja: 'この予約は取り消せる状態ではありません。', en: `A ${status} booking cannot be cancelled.` }, { status });
  }

  static alreadyStarted(): BookingError {
    return new BookingError(
      409,
      BookingErrorCode.AlreadyStarted,
      { ja: '利用開始時刻を過ぎた予約は取り消せません。', en: 'A booking whose first slot has started cannot be cancelled.' },
    );
  }

  static blockOverlap(room: string): BookingError {
    return new BookingError(
      409,
      BookingErrorCode.BlockOverlap,
      { ja: 'その時間帯には別の利用停止がすでに設定されています。', en: 'Another block already covers part of that time in this room.' },
      { room },
    );
  }

  static blockNotFound(id: string): BookingError {
    return new BookingError(404, BookingErrorCode.BlockNotFound, { ja: '利用停止の設定が見つかりません。', en: 'Block not found.' }, { id });
  }

  static useNotYet(): BookingError {
    return new BookingError(409, BookingErrorCode.UseNotYet, { ja: '利用開始前の予約には記録できません。', en: 'Use can be recorded once the first slot has started.' });
  }

  static useAlreadyMarked(outcome: string): BookingError {
    return new BookingError(409, BookingErrorCode.UseAlreadyMarked, { ja: 'この予約の利用状況はすでに記録されています。', en: `Use is already recorded as "${outcome}".` }, { outcome });
  }

  static notConfirmed(status: string): BookingError {
    return new BookingError(409, BookingErrorCode.NotConfirmed, { ja: '本予約になっていない予約です。', en: `The booking is ${status}, not confirmed.` }, { status });
  }

  static slotInLottery(lotteryId: string): BookingError {
    return new BookingError(
      409,
      BookingErrorCode.SlotInLottery,
      { ja: 'この時間帯は抽選の対象です。抽選にお申し込みください。', en: 'These slots are allocated by lottery; enter the lottery instead.' },
      { lotteryId },
    );
  }

  static lotteryNotFound(id: string): BookingError {
    return new BookingError(404, BookingErrorCode.LotteryNotFound, { ja: '抽選が見つかりません。', en: 'Lottery not found.' }, { id });
  }

  static lotteryInvalid(reason: string): BookingError {
    return new BookingError(422, BookingErrorCode.LotteryInvalid, { ja: '抽選の設定に誤りがあります。', en: `The lottery settings are not valid: ${reason}` }, { reason });
  }

  static lotteryOverlap(lotteryId: string): BookingError {
    return new BookingError(
      409,
      BookingErrorCode.LotteryOverlap,
      { ja: '同じ部屋・期間に抽選がすでに設定されています。', en: 'Another lottery not yet drawn already covers one of these rooms in that period.' },
      { lotteryId },
    );
  }

  static lotteryNotOpen(opensAt: Date): BookingError {
    return new BookingError(
      409,
      BookingErrorCode.LotteryNotOpen,
      { ja: 'この抽選の申込受付はまだ始まっていません。', en: 'Entries for this lottery are not open yet.' },
      { opensAt: opensAt.toISOString() },
    );
  }

  static lotteryClosed(closesAt: Date): BookingError {
    return new BookingError(
      409,
      BookingErrorCode.LotteryClosed,
      { ja: 'この抽選の申込受付は締め切りました。', en: 'Entries for this lottery are closed (the deadline has passed).' },
      { closesAt: closesAt.toISOString() },
    );
  }

  static lotteryNotDrawn(closesAt: Date): BookingError {
    return new BookingError(
      409,
      BookingErrorCode.LotteryNotDrawn,
      { ja: 'この抽選はまだ行われていません。', en: 'This lottery has not been drawn yet; the draw follows the deadline.' },
      { closesAt: closesAt.toISOString() },
    );
  }

  static lotteryStillOpen(closesAt: Date): BookingError {
    return new BookingError(
      409,
      BookingErrorCode.LotteryStillOpen,
      { ja: '申込締切前のため抽選できません。', en: 'The lottery cannot be drawn before its entry deadline.' },
      { closesAt: closesAt.toISOString() },
    );
  }

  static lotteryOutsidePeriod(): BookingError {
    return new BookingError(
      422,
      BookingErrorCode.LotteryOutsidePeriod,
      { ja: '抽選の対象外の部屋または日付です。', en: 'That room or date is not part of this lottery.' },
    );
  }

  static lotteryDuplicateEntry(): BookingError {
    return new BookingError(409, BookingErrorCode.LotteryDuplicateEntry, { ja: '同じ内容ですでに申し込まれています。', en: 'You already entered this lottery for the same slots.' });
  }

  static lotteryTooManyEntries(limit: number): BookingError {
    return new BookingError(
      409,
      BookingErrorCode.LotteryTooManyEntries,
      { ja: `この抽選に申し込めるのはお一人${limit}件までです。`, en: `At most ${limit} entries per resident in this lottery.` },
      { limit },
    );
  }

  static lotteryEntryNotFound(entryNumber: number): BookingError {
    return new BookingError(404, BookingErrorCode.LotteryEntryNotFound, { ja: '抽選の申込みが見つかりません。', en: 'Lottery entry not found.' }, { entryNumber });
  }

  static noAttention(): BookingError {
    return new BookingError(409, BookingErrorCode.NoAttention, { ja: 'この予約に対応が必要な事項はありません。', en: 'The booking is not flagged for handling.' });
  }
}

/**
 * The hold lapsed (or was released) before the application could take it.
 * A WorkflowError on purpose: refusing `payment.succeeded` this way makes the
 * payments library refund money that arrives after the hold's expiry, as it
 * does for any application that no longer takes a payment.
 */
export class BookingHoldExpiredError extends WorkflowError {
  constructor(bookingId: string | null, expiredAt: Date | null) {
    super(
      409,
      BookingErrorCode.HoldExpired,
      {
        ja: '仮予約の有効期限が過ぎたため、予約は取り消されました。もう一度空き状況をご確認ください。',
        en: 'The provisional hold expired and its slots were released. Please check availability again.',
      },
      { bookingId, expiredAt: expiredAt?.toISOString() ?? null },
    );
  }
}
