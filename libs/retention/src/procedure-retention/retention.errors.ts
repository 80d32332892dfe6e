import { RequestError } from '@madoguchi/kernel';

export enum RetentionErrorCode {
  NoLegalHold = 'RETENTION_NO_LEGAL_HOLD',
}

export class RetentionError extends RequestError {
  static noLegalHold(): RetentionError {
    return new RetentionError(404, RetentionErrorCode.NoLegalHold, {
      ja: 'この申請には訴訟ホールド(法的保全)が設定されていません。',
      en: 'This application is not under legal hold.',
    });
  }
}
