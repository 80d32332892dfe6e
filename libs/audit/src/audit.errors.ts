import { RequestError } from '@madoguchi/kernel';

export enum AuditErrorCode {
  InvalidQuery = 'AUDIT_INVALID_QUERY',
}

/**
 * Errors a caller of the audit viewer can cause. A malformed entry passed to
 * record() is a programming error and throws a plain Error (a 500 that
 * reveals nothing), never one of these.
 */
export class AuditError extends RequestError {
  static invalidQuery(field: string, expected: string): AuditError {
    return new AuditError(
      400,
      AuditErrorCode.InvalidQuery,
      {
        ja: '監査ログの検索条件に誤りがあります。',
        en: `The audit log query is not valid: "${field}" must be ${expected}.`,
      },
      { field, expected },
    );
  }
}
