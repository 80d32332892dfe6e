import { RequestError } from '@madoguchi/kernel';

export enum IdentityErrorCode {
  Unauthenticated = 'AUTH_UNAUTHENTICATED',
  InvalidCredentials = 'AUTH_INVALID_CREDENTIALS',
  AccountLocked = 'AUTH_ACCOUNT_LOCKED',
  EmailNotVerified = 'AUTH_EMAIL_NOT_VERIFIED',
  TotpRequired = 'AUTH_TOTP_REQUIRED',
  TotpInvalid = 'AUTH_TOTP_INVALID',
  TotpEnrollmentRequired = 'AUTH_TOTP_ENROLLMENT_REQUIRED',
  Forbidden = 'AUTH_FORBIDDEN',
  AccessRuleMissing = 'AUTH_ACCESS_RULE_MISSING',
  CsrfFailed = 'AUTH_CSRF_FAILED',
  TenantMismatch = 'AUTH_TENANT_MISMATCH',
  TokenInvalid = 'AUTH_TOKEN_INVALID',
  RefreshReused = 'AUTH_REFRESH_REUSED',
  RateLimited = 'AUTH_RATE_LIMITED',
  WeakPassword = 'AUTH_WEAK_PASSWORD',
  IndividualNumberInvalid = 'IDENTITY_INDIVIDUAL_NUMBER_INVALID',
  NotFound = 'IDENTITY_NOT_FOUND',
  Conflict = 'IDENTITY_CONFLICT',
}

export class IdentityError extends RequestError {
  static unauthenticated(): IdentityError {
    return new IdentityError(401, IdentityErrorCode.Unauthenticated, { ja: 'ログインが必要です。', en: 'You need to sign in.' });
  }
  static invalidCredentials(): IdentityError {
    return new IdentityError(401, IdentityErrorCode.InvalidCredentials, {
      ja: 'メールアドレス（ID）またはパスワードが正しくありません。',
      en: 'The sign-in details are not correct.',
    });
  }
  static locked(until: Date): IdentityError {
    return new IdentityError(
      423,
      IdentityErrorCode.AccountLocked,
      {
        ja: 'ログインの失敗が続いたため、しばらくログインできません。時間をおいてお試しください。',
        en: 'Too many failed sign-ins. Try again later.',
      },
      { lockedUntil: until.toISOString() },
    );
  }
  static emailNotVerified(): IdentityError {
    return new IdentityError(403, IdentityErrorCode.EmailNotVerified, {
      ja: 'メールアドレスの確認が済んでいません。届いたメールのリンクを開いてください。',
      en: 'Confirm your e-mail address first, using the link we sent you.',
    });
  }
  static totpRequired(): IdentityError {
    return new IdentityError(401, IdentityErrorCode.TotpRequired, {
      ja: '確認コード（ワンタイムパスワード）を入力してください。',
      en: 'Enter the one-time code from your authenticator.',
    });
  }
  static totpInvalid(): IdentityError {
    return new IdentityError(401, IdentityErrorCode.TotpInvalid, { ja: '確認コードが正しくありません。', en: 'The one-time code is not correct.' });
  }
  static totpEnrollmentRequired(): IdentityError {
    return new IdentityError(403, IdentityErrorCode.TotpEnrollmentRequired, {
      ja: '管理者は二要素認証の設定が必要です。',
      en: 'Administrators must set up two-factor authentication.',
    });
  }
  static forbidden(): IdentityError {
    return new IdentityError(403, IdentityErrorCode.Forbidden, { ja: 'この操作を行う権限がありません。', en: 'You are not allowed to do this.' });
  }
  static accessRuleMissing(): IdentityError {
    // Fail closed: a route nobody declared a rule for is nobody's.
    return new IdentityError(403, IdentityErrorCode.AccessRuleMissing, { ja: 'この操作を行う権限がありません。', en: 'This route declares no access rule.' });
  }
  static csrf(): IdentityError {
    return new IdentityError(403, IdentityErrorCode.CsrfFailed, {
      ja: '画面の有効期限が切れました。ページを再読み込みしてください。',
      en: 'Missing or wrong CSRF token. Reload the page.',
    });
  }
  static tenantMismatch(): IdentityError {
    return new IdentityError(403, IdentityErrorCode.TenantMismatch, {
      ja: 'この自治体の操作はできません。',
      en: 'Your sign-in belongs to another municipality.',
    });
  }
  static tokenInvalid(): IdentityError {
    return new IdentityError(401, IdentityErrorCode.TokenInvalid, {
      ja: 'リンクまたはトークンが無効か、有効期限が切れています。',
      en: 'The link or token is invalid or has expired.',
    });
  }
  static refreshReused(): IdentityError {
    return new IdentityError(401, IdentityErrorCode.RefreshReused, {
      ja: '安全のためログアウトしました。もう一度ログインしてください。',
      en: 'A used refresh token was presented; the session was ended for safety. Sign in again.',
    });
  }
  static rateLimited(retryAfterSeconds: number): IdentityError {
    return new IdentityError(
      429,
      IdentityErrorCode.RateLimited,
      { ja: '短時間に操作が集中しました。しばらくしてからお試しください。', en: 'Too many attempts. Try again later.' },
      { retryAfterSeconds },
    );
  }
  static weakPassword(): IdentityError {
    return new IdentityError(422, IdentityErrorCode.WeakPassword, {
      ja: 'パスワードは12文字以上で、メールアドレスと異なるものにしてください。',
      en: 'Use a password of at least 12 characters that is not your e-mail address.',
    });
  }
  static individualNumberInvalid(): IdentityError {
    return new IdentityError(422, IdentityErrorCode.IndividualNumberInvalid, {
      ja: '個人番号（マイナンバー）が正しくありません。12桁の番号をご確認ください。',
      en: 'The individual number is not valid. Check the 12 digits.',
    });
  }
  static notFound(): IdentityError {
    return new IdentityError(404, IdentityErrorCode.NotFound, { ja: '見つかりません。', en: 'Not found.' });
  }
  static conflict(what: string): IdentityError {
    return new IdentityError(409, IdentityErrorCode.Conflict, { ja: '既に登録されています。', en: `${what} already exists.` });
  }
}
