import { RequestError } from '@madoguchi/kernel';

export enum CounterEntryErrorCode {
  ProcedureNotInDepartment = 'COUNTER_ENTRY_PROCEDURE_NOT_IN_DEPARTMENT',
  ResidentUnknown = 'COUNTER_ENTRY_RESIDENT_UNKNOWN',
  IdentityRequired = 'COUNTER_ENTRY_IDENTITY_REQUIRED',
  IdentityNoteHasNumber = 'COUNTER_ENTRY_IDENTITY_NOTE_HAS_NUMBER',
  HandoverCodeMalformed = 'HANDOVER_CODE_MALFORMED',
  HandoverNotFound = 'HANDOVER_NOT_FOUND',
  HandoverExpired = 'HANDOVER_EXPIRED',
  HandoverUsed = 'HANDOVER_USED',
}

/** Refusals of assisted entry at the counter and of the QR handover. */
export class CounterEntryError extends RequestError {
  /** Staff enter only procedures their departments own; others are "not found" to them. */
  static procedureNotInDepartment(code: string): CounterEntryError {
    return new CounterEntryError(
      404,
      CounterEntryErrorCode.ProcedureNotInDepartment,
      { ja: 'この手続はあなたの所属課の担当ではありません。', en: `Procedure "${code}" is not handled by your department.` },
      { code },
    );
  }

  static residentUnknown(): CounterEntryError {
    return new CounterEntryError(422, CounterEntryErrorCode.ResidentUnknown, {
      ja: '指定された住民のアカウントが見つかりません。',
      en: 'No resident account with this id exists in this municipality.',
    });
  }

  static identityRequired(identity: string): CounterEntryError {
    return new CounterEntryError(
      422,
      CounterEntryErrorCode.IdentityRequired,
      {
        ja: 'この手続は窓口での本人確認が必要です。本人確認書類を確認して記録してから提出してください。',
        en: 'This procedure needs the applicant’s identity checked at the counter: record the check, then submit.',
      },
      { identity },
    );
  }

  static identityNoteHasNumber(): CounterEntryError {
    return new CounterEntryError(422, CounterEntryErrorCode.IdentityNoteHasNumber, {
      ja: '本人確認書類の番号は記録しないでください（備考に数字を続けて6桁以上書くことはできません）。',
      en: 'Do not record document numbers: the note may not contain six or more digits in a row.',
    });
  }

  static handoverCodeMalformed(): CounterEntryError {
    return new CounterEntryError(400, CounterEntryErrorCode.HandoverCodeMalformed, {
      ja: '引継ぎコードの形式が正しくありません。',
      en: 'A handover code is 16 letters and digits.',
    });
  }

  static handoverNotFound(): CounterEntryError {
    return new CounterEntryError(404, CounterEntryErrorCode.HandoverNotFound, {
      ja: '引継ぎコードが見つかりません。住民の方に新しいコードを表示していただいてください。',
      en: 'No such handover code. Ask the resident to show a new one.',
    });
  }

  static handoverExpired(): CounterEntryError {
    return new CounterEntryError(410, CounterEntryErrorCode.HandoverExpired, {
      ja: '引継ぎコードの有効期限（15分）が切れています。住民の方に新しいコードを表示していただいてください。',
      en: 'This handover code has expired (15 minutes). Ask the resident to show a new one.',
    });
  }

  static handoverUsed(): CounterEntryError {
    return new CounterEntryError(410, CounterEntryErrorCode.HandoverUsed, {
      ja: 'この引継ぎコードはすでに使用されています。',
      en: 'This handover code has already been used.',
    });
  }
}
