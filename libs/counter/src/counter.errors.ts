import { RequestError } from '@madoguchi/kernel';
import type { TicketStatus } from './counter.types';
import type { SlotProblem } from './local-time';
import type { TicketAction } from './ticket-state';

export enum CounterErrorCode {
  CounterNotFound = 'COUNTER_NOT_FOUND',
  ServiceNotFound = 'COUNTER_SERVICE_NOT_FOUND',
  TicketNotFound = 'COUNTER_TICKET_NOT_FOUND',
  NobodyWaiting = 'COUNTER_NOBODY_WAITING',
  TicketState = 'COUNTER_TICKET_STATE',
  ServiceExists = 'COUNTER_SERVICE_EXISTS',
  PrefixTaken = 'COUNTER_PREFIX_TAKEN',
  ServiceNotServed = 'COUNTER_SERVICE_NOT_SERVED',
  TransferInvalid = 'COUNTER_TRANSFER_INVALID',
  SlotInvalid = 'COUNTER_SLOT_INVALID',
  SlotFull = 'COUNTER_SLOT_FULL',
  BookingClosed = 'COUNTER_BOOKING_CLOSED',
  BookingExists = 'COUNTER_BOOKING_EXISTS',
  RangeInvalid = 'COUNTER_RANGE_INVALID',
}

const SLOT_MESSAGES: Record<SlotProblem, { ja: string; en: string }> = {
  notOnGrid: { ja: '予約は15分単位の時刻でお選びください。', en: 'Pick a slot on the 15-minute grid.' },
  outsideHours: { ja: '受付時間（8時30分〜17時）内の時刻をお選びください。', en: 'Pick a slot within opening hours (8:30–17:00).' },
  closedDay: { ja: '土曜日・日曜日は予約できません。', en: 'Saturdays and Sundays cannot be booked.' },
  past: { ja: '過ぎた時刻は予約できません。', en: 'That time has passed.' },
  tooFar: { ja: '予約は60日先までです。', en: 'Bookings open 60 days ahead.' },
};

export class CounterError extends RequestError {
  static counterNotFound(id: string): CounterError {
    return new CounterError(404, CounterErrorCode.CounterNotFound, { ja: '窓口が見つかりません。', en: 'Counter not found.' }, { id });
  }

  static serviceNotFound(code: string): CounterError {
    return new CounterError(404, CounterErrorCode.ServiceNotFound, { ja: '受付の種類が見つかりません。', en: 'Service not found.' }, { code });
  }

  static ticketNotFound(id: string): CounterError {
    return new CounterError(404, CounterErrorCode.TicketNotFound, { ja: '整理券が見つかりません。', en: 'Ticket not found.' }, { id });
  }

  static nobodyWaiting(counterId: string): CounterError {
    return new CounterError(
      409,
      CounterErrorCode.NobodyWaiting,
      { ja: 'この窓口でお待ちの方はいません。', en: 'Nobody is waiting for this counter.' },
      { counterId },
    );
  }

  static ticketState(status: TicketStatus, action: TicketAction, allowed: TicketAction[]): CounterError {
    return new CounterError(
      409,
      CounterErrorCode.TicketState,
      { ja: 'この整理券は現在の状態ではその操作ができません。', en: `A ${status} ticket cannot take "${action}".` },
      { status, action, allowedActions: allowed },
    );
  }

  static serviceExists(code: string): CounterError {
    return new CounterError(409, CounterErrorCode.ServiceExists, { ja: 'この受付コードは既に登録されています。', en: `Service ${code} already exists.` }, { code });
  }

  static prefixTaken(prefix: string): CounterError {
    return new CounterError(
      409,
      CounterErrorCode.PrefixTaken,
      { ja: 'この記号は他の受付で使われています。', en: `Ticket prefix ${prefix} is used by another service.` },
      { ticketPrefix: prefix },
    );
  }

  static serviceNotServed(counterId: string, serviceCode: string): CounterError {
    return new CounterError(
      422,
      CounterErrorCode.ServiceNotServed,
      { ja: 'その窓口はこの受付を扱っていません。', en: 'That counter does not serve this service.' },
      { counterId, serviceCode },
    );
  }

  static transferInvalid(reason: string): CounterError {
    return new CounterError(422, CounterErrorCode.TransferInvalid, { ja: '転送先を確認してください。', en: `Transfer not possible: ${reason}` }, { reason });
  }

  static slotInvalid(problem: SlotProblem): CounterError {
    return new CounterError(422, CounterErrorCode.SlotInvalid, SLOT_MESSAGES[problem], { reason: problem });
  }

  static slotFull(): CounterError {
    return new CounterError(409, CounterErrorCode.SlotFull, {
      ja: 'この時間帯は予約がいっぱいです。別の時間をお選びください。',
      en: 'This slot is fully booked. Pick another time.',
    });
  }

  static bookingClosed(code: string): CounterError {
    return new CounterError(
      409,
      CounterErrorCode.BookingClosed,
      { ja: 'この受付はインターネット予約を受け付けていません。', en: 'This service takes no online bookings.' },
      { code },
    );
  }

  static bookingExists(): CounterError {
    return new CounterError(409, CounterErrorCode.BookingExists, {
      ja: '同じ日にこの受付の予約が既にあります。',
      en: 'You already have a booking for this service that day.',
    });
  }

  static rangeInvalid(reason: string): CounterError {
    return new CounterError(422, CounterErrorCode.RangeInvalid, { ja: '集計期間を確認してください（最長366日）。', en: `Invalid date range: ${reason}` }, { reason });
  }
}
