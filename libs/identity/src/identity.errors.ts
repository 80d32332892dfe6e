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
  TooManyRequests = 'RATE_LIMITED',
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
  /** Sign-in and other credential routes (the error filter adds the Retry-After header from retryAfterSeconds). */
  static rateLimited(retryAfterSeconds: number): IdentityError {
    return new IdentityError(
      429,
      IdentityErrorCode.RateLimited,
      { ja: 'ログインなどの試行が続いたため、しばらくお待ちください。', en: 'Too many attempts. Try again later.' },
      { retryAfterSeconds },
    );
  }
  /** Any other route with a request limit (the kiosk, say): nothing to do with signing in. */
  static tooManyRequests(retryAfterSeconds: number): IdentityError {
    return new IdentityError(
      429,
      IdentityErrorCode.TooManyRequests,
      { ja: '短時間に操作が集中しました。しばらくしてからお試しください。', en: 'Too many requests. Try again later.' },
      { retryAfterSeconds },
    );
  }
  /**
   * A password too short, too long, or too easy to guess (zxcvbn score below
   * the minimum). `details` says which, with the estimator's advice in both
   * languages when it has any.
   */
  static weakPassword(details: {
    reason: 'tooShort' | 'tooLong' | 'tooGuessable';
    minLength: number;
    minScore: number;
    score?: number;
    warning?: { ja: string; en: string } | null;
    suggestions?: Array<{ ja: string; en: string }>;
  }): IdentityError {
    return new IdentityError(
      422,
      IdentityErrorCode.WeakPassword,
      {
        ja: `推測されやすいパスワードです。${details.minLength}文字以上で、メールアドレスや名前、よくある言葉・繰り返しを避け、関係のない単語をいくつか組み合わせてください。`,
        en: `This password is too easy to guess. Use at least ${details.minLength} characters, avoid your e-mail address, name, common words and repeats, and combine several unrelated words.`,
      },
      details,
    );
  }
  static locked(until: Date): IdentityError {
    return new IdentityError(
      423,
      IdentityErrorCode.AccountLocked,
      {
        ja: 'ログインの失敗が続いたため、このアカウントは一時的にロックされています。管理者に連絡するか、時間をおいてお試しください。',
        en: 'Too many failed sign-ins: this account is locked for now. Ask an administrator to unlock it, or try again later.',
      },
      { lockedUntil: until.toISOString() },
    );
  }
  static cannotResetOwnTotp(): IdentityError {
    return new IdentityError(403, 'IDENTITY_OWN_TOTP_RESET', {
      ja: '自分の二要素認証はリセットできません。別の管理者に依頼してください。',
      en: 'You cannot reset your own two-factor authentication; ask another administrator.',
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
