import { RequestError } from '@madoguchi/kernel';
import type { JpkiCertificateKind } from './jpki.types';

/**
 * Every refusal of a My Number Card certificate or signature has its own
 * code. HTTP status:
 * - login (authentication certificate): 401;
 * - signing an application (signing certificate): 422 — the resident is
 *   signed in, the signed submission is what is refused;
 * - `JPKI_MALFORMED`: 400 in both, the request is not well-formed;
 * - `JPKI_CRL_UNAVAILABLE`: 503 in both — no current CRL for the issuer is
 *   loaded, which the resident cannot fix and which clears once the worker
 *   has fetched a fresh CRL; being >= 500, the filter also logs it;
 * - `JPKI_NONCE_REPLAYED` / `JPKI_NONCE_EXPIRED`: 401, raised by the login
 *   service, which owns the stored nonces.
 * Details never carry the 基本4情報 or the subject name: they end up in logs.
 */
export enum JpkiErrorCode {
  SignatureInvalid = 'JPKI_SIGNATURE_INVALID',
  CertificateExpired = 'JPKI_CERTIFICATE_EXPIRED',
  CertificateNotYetValid = 'JPKI_CERTIFICATE_NOT_YET_VALID',
  CertificateRevoked = 'JPKI_CERTIFICATE_REVOKED',
  UntrustedIssuer = 'JPKI_UNTRUSTED_ISSUER',
  WrongCertificateKind = 'JPKI_WRONG_CERTIFICATE_KIND',
  KeyUsageInvalid = 'JPKI_KEY_USAGE_INVALID',
  CrlUnavailable = 'JPKI_CRL_UNAVAILABLE',
  Malformed = 'JPKI_MALFORMED',
  NonceReplayed = 'JPKI_NONCE_REPLAYED',
  NonceExpired = 'JPKI_NONCE_EXPIRED',
}

/** Where in the chain a refused certificate sits. */
export type JpkiChainPosition = 'leaf' | 'intermediate' | 'anchor';

const REFUSAL_STATUS: Record<JpkiCertificateKind, number> = { authentication: 401, signing: 422 };

export class JpkiError extends RequestError {
  static signatureInvalid(kind: JpkiCertificateKind, details: Record<string, unknown> = {}): JpkiError {
    return new JpkiError(
      REFUSAL_STATUS[kind],
      JpkiErrorCode.SignatureInvalid,
      kind === 'signing'
        ? {
            ja: '電子署名を確認できませんでした。署名した後に申請内容が変わったか、署名が正しくありません。もう一度署名してください。',
            en: 'The signature does not verify: the content changed after signing, or the signature is wrong. Sign again.',
          }
        : {
            ja: 'マイナンバーカードによる本人確認ができませんでした。もう一度最初からお試しください。',
            en: 'The My Number Card signature does not verify. Start again.',
          },
      { kind, ...details },
    );
  }

  static certificateExpired(kind: JpkiCertificateKind, position: JpkiChainPosition, notAfter: Date): JpkiError {
    return new JpkiError(
      REFUSAL_STATUS[kind],
      JpkiErrorCode.CertificateExpired,
      {
        ja: 'マイナンバーカードの電子証明書の有効期限が切れています。お住まいの市区町村の窓口で更新してください。',
        en: 'The certificate of the My Number Card has expired. Renew it at your municipal office.',
      },
      { kind, position, notAfter: notAfter.toISOString() },
    );
  }

  static certificateNotYetValid(kind: JpkiCertificateKind, position: JpkiChainPosition, notBefore: Date): JpkiError {
    return new JpkiError(
      REFUSAL_STATUS[kind],
      JpkiErrorCode.CertificateNotYetValid,
      {
        ja: 'マイナンバーカードの電子証明書の有効期間がまだ始まっていません。',
        en: 'The certificate of the My Number Card is not valid yet.',
      },
      { kind, position, notBefore: notBefore.toISOString() },
    );
  }

  static certificateRevoked(
    kind: JpkiCertificateKind,
    position: JpkiChainPosition,
    serialNumber: string,
    revokedAt: Date,
  ): JpkiError {
    return new JpkiError(
      REFUSAL_STATUS[kind],
      JpkiErrorCode.CertificateRevoked,
      {
        ja: 'この電子証明書は失効しています。カードの紛失や住所の変更などで失効した場合は、お住まいの市区町村の窓口で再発行してください。',
        en: 'This certificate has been revoked (for example after the card was reported lost or the address changed). Get a new one at your municipal office.',
      },
      { kind, position, serialNumber, revokedAt: revokedAt.toISOString() },
    );
  }

  static untrustedIssuer(kind: JpkiCertificateKind, reason: string, details: Record<string, unknown> = {}): JpkiError {
    return new JpkiError(
      REFUSAL_STATUS[kind],
      JpkiErrorCode.UntrustedIssuer,
      {
        ja: 'この電子証明書は、公的個人認証サービスの認証局が発行したものと確認できませんでした。',
        en: 'This certificate was not issued by a certification authority we trust for the My Number Card.',
      },
      { kind, reason, ...details },
    );
  }

  static wrongCertificateKind(expected: JpkiCertificateKind, found: JpkiCertificateKind | 'none' | 'both'): JpkiError {
    return new JpkiError(
      REFUSAL_STATUS[expected],
      JpkiErrorCode.WrongCertificateKind,
      expected === 'authentication'
        ? {
            ja: 'ログインには利用者証明用電子証明書（暗証番号は数字4桁）を使ってください。',
            en: 'Sign in with the authentication certificate of the card (the 4-digit PIN), not the signing certificate.',
          }
        : {
            ja: '申請への署名には署名用電子証明書（パスワードは英数字6〜16桁）を使ってください。',
            en: 'Sign the application with the signing certificate of the card (the 6-16 character password), not the authentication certificate.',
          },
      { kind: expected, expected, found },
    );
  }

  static keyUsageInvalid(kind: JpkiCertificateKind, reason: string, details: Record<string, unknown> = {}): JpkiError {
    return new JpkiError(
      REFUSAL_STATUS[kind],
      JpkiErrorCode.KeyUsageInvalid,
      {
        ja: 'この電子証明書はこの用途には使えません。',
        en: 'This certificate may not be used for this purpose.',
      },
      { kind, reason, ...details },
    );
  }

  static crlUnavailable(kind: JpkiCertificateKind, reason: 'missing' | 'signature' | 'stale' | 'notYetValid', issuer: string): JpkiError {
    return new JpkiError(
      503,
      JpkiErrorCode.CrlUnavailable,
      {
        ja: '電子証明書の失効情報を確認できないため、現在この操作を受け付けられません。しばらくしてからもう一度お試しください。',
        en: 'The revocation status of the certificate cannot be checked right now. Please try again later.',
      },
      { kind, reason, crlIssuer: issuer },
    );
  }

  static malformed(what: string, kind?: JpkiCertificateKind): JpkiError {
    return new JpkiError(
      400,
      JpkiErrorCode.Malformed,
      {
        ja: '電子証明書または電子署名のデータの形式が正しくありません。',
        en: `The certificate or signature data is not well-formed (${what}).`,
      },
      { ...(kind ? { kind } : {}), reason: what },
    );
  }

  /** For the login service: the nonce was already used once. */
  static nonceReplayed(): JpkiError {
    return new JpkiError(401, JpkiErrorCode.NonceReplayed, {
      ja: 'このログイン要求はすでに使われています。最初からやり直してください。',
      en: 'This sign-in challenge has already been used. Start again.',
    });
  }

  /** For the login service: the nonce is past its expiry (or unknown). */
  static nonceExpired(): JpkiError {
    return new JpkiError(401, JpkiErrorCode.NonceExpired, {
      ja: 'ログイン要求の有効期限が切れました。最初からやり直してください。',
      en: 'This sign-in challenge has expired. Start again.',
    });
  }
}
