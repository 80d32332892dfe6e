import { RequestError } from '@madoguchi/kernel';

export enum DocumentErrorCode {
  NotFound = 'DOCUMENT_NOT_FOUND',
  Revoked = 'DOCUMENT_REVOKED',
  AlreadyRevoked = 'DOCUMENT_ALREADY_REVOKED',
  VerifyRequestInvalid = 'DOCUMENT_VERIFY_REQUEST_INVALID',
  NotIssuable = 'DOCUMENT_NOT_ISSUABLE',
}

export class DocumentError extends RequestError {
  /** Also for a document of another application, department or municipality: existence is not confirmed. */
  static notFound(): DocumentError {
    return new DocumentError(404, DocumentErrorCode.NotFound, { ja: '書類が見つかりません。', en: 'Document not found.' });
  }

  static revoked(replacedBy: string | null): DocumentError {
    return new DocumentError(
      410,
      DocumentErrorCode.Revoked,
      { ja: 'この書類は取り消されています。再交付された書類をご利用ください。', en: 'This document has been revoked. Use the reissued one.' },
      { replacedBy },
    );
  }

  /** A second revocation or reissue of the same document (a replayed request included). */
  static alreadyRevoked(replacedBy: string | null): DocumentError {
    return new DocumentError(
      409,
      DocumentErrorCode.AlreadyRevoked,
      { ja: 'この書類はすでに取り消されています。', en: 'This document has already been revoked.' },
      { replacedBy },
    );
  }

  static verifyRequestInvalid(problem: string): DocumentError {
    return new DocumentError(
      400,
      DocumentErrorCode.VerifyRequestInvalid,
      { ja: '検証コード、またはPDFファイルを送信してください。', en: `Send a verification code (and optionally a SHA-256), or the PDF itself: ${problem}.` },
      { problem },
    );
  }

  /** The application has no document to issue now (e.g. a receipt before submission). */
  static notIssuable(reason: string): DocumentError {
    return new DocumentError(409, DocumentErrorCode.NotIssuable, { ja: 'この申請には現在交付できる書類がありません。', en: `No document can be issued for this application now: ${reason}.` }, { reason });
  }
}

/** Not a request's fault: the registry has no record for the applicant. The outbox retries, then parks it for staff. */
export class RegistryRecordMissingError extends Error {
  constructor(readonly applicationId: string) {
    super(`resident registry has no record for the applicant of application ${applicationId}`);
    this.name = 'RegistryRecordMissingError';
  }
}
