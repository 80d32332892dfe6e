import { RequestError } from '@madoguchi/kernel';

export enum MyNumberOidcErrorCode {
  Disabled = 'MYNUMBER_OIDC_DISABLED',
  TransactionInvalid = 'MYNUMBER_OIDC_TRANSACTION_INVALID',
  ResponseInvalid = 'MYNUMBER_OIDC_RESPONSE_INVALID',
  Cancelled = 'MYNUMBER_OIDC_CANCELLED',
  SignedHashMismatch = 'MYNUMBER_OIDC_SIGNED_HASH_MISMATCH',
  ServiceUnavailable = 'MYNUMBER_OIDC_SERVICE_UNAVAILABLE',
}

/** Refusals of the browser flow; the card's own refusals keep their JPKI_* codes. */
export class MyNumberOidcError extends RequestError {
  static disabled(): MyNumberOidcError {
    return new MyNumberOidcError(404, MyNumberOidcErrorCode.Disabled, {
      ja: 'マイナンバーカードによるブラウザでのログインは利用できません。',
      en: 'Signing in with My Number Card in the browser is not available here.',
    });
  }
  static transactionInvalid(): MyNumberOidcError {
    return new MyNumberOidcError(400, MyNumberOidcErrorCode.TransactionInvalid, {
      ja: 'ログインの手続が見つからないか、期限が切れています。最初からやり直してください。',
      en: 'This sign-in was not started in this browser, was already used or has expired. Start again.',
    });
  }
  static responseInvalid(detail: string): MyNumberOidcError {
    return new MyNumberOidcError(
      400,
      MyNumberOidcErrorCode.ResponseInvalid,
      { ja: '認証サービスからの応答を確認できませんでした。最初からやり直してください。', en: 'The answer of the authentication service did not verify. Start again.' },
      { reason: detail },
    );
  }
  static cancelled(): MyNumberOidcError {
    return new MyNumberOidcError(400, MyNumberOidcErrorCode.Cancelled, { ja: '認証が中止されました。', en: 'The authentication was cancelled.' });
  }
  static signedHashMismatch(): MyNumberOidcError {
    return new MyNumberOidcError(400, MyNumberOidcErrorCode.SignedHashMismatch, {
      ja: '署名された内容が申請内容と一致しません。',
      en: 'What was signed is not the content of the application.',
    });
  }
  static serviceUnavailable(): MyNumberOidcError {
    return new MyNumberOidcError(503, MyNumberOidcErrorCode.ServiceUnavailable, {
      ja: '認証サービスに接続できません。しばらくしてからやり直してください。',
      en: 'The authentication service cannot be reached. Try again later.',
    });
  }
}
