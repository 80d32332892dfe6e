import { RequestError } from '@madoguchi/kernel';

export enum WorkQueueErrorCode {
  CursorInvalid = 'QUEUE_CURSOR_INVALID',
}

export class WorkQueueError extends RequestError {
  /** A cursor that is not one we issued, or one issued for another sort or order. */
  static cursorInvalid(reason: string): WorkQueueError {
    return new WorkQueueError(
      400,
      WorkQueueErrorCode.CursorInvalid,
      {
        ja: 'ページの指定が正しくありません。一覧を最初から表示し直してください。',
        en: 'The page cursor is not valid for this list. Start again from the first page.',
      },
      { reason },
    );
  }
}
