/** 利用者証明用 (login) or 署名用 (signing an application). */
export type JpkiCertificateKind = 'authentication' | 'signing';

/**
 * A certificate as it arrives: PEM text (one or more CERTIFICATE blocks),
 * base64 of the DER, or the DER bytes.
 */
export type CertificateInput = string | Uint8Array;

/**
 * The CA certificates a municipality trusts (the national CA's root and, if
 * it has one, its issuing CA), PEM or DER, from configuration. Check them at
 * start with `assertTrustAnchors` so a bad file stops the boot.
 */
export type TrustAnchors = readonly CertificateInput[];

/** One CRL as the worker loaded it. */
export interface RevocationList {
  /**
   * Subject DN of the CA that issued it, as `describeCrl(der).issuer` gives
   * it. Used to pick candidates only: the verifier checks the CRL's own
   * issuer name and its signature by that CA before believing it.
   */
  readonly issuer: string;
  readonly der: Uint8Array;
}

/** The CRLs currently loaded, any number per issuer (the current one is picked by date). */
export type RevocationLists = readonly RevocationList[];

export type Basic4Sex = 'male' | 'female';

/** 基本4情報, exactly as the signing certificate carries them. */
export interface Basic4 {
  /** 氏名 */
  readonly name: string;
  /** 住所 */
  readonly address: string;
  /** 生年月日, `YYYY-MM-DD` (Gregorian). */
  readonly dateOfBirth: string;
  /** 性別 */
  readonly sex: Basic4Sex;
}

/** What one certificate of a verified chain says about itself. */
export interface JpkiCertificateSummary {
  /** RFC 4514 style, e.g. `CN=..., O=..., C=JP`. */
  readonly subject: string;
  readonly issuer: string;
  /** Upper-case hex, as on the CRL. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Upper-case hex SHA-256 of the DER: a stable key for the certificate. */
  readonly fingerprintSha256: string;
}

/** Which CRL showed that a certificate of the chain was not revoked. */
export interface JpkiRevocationCheck {
  /** Serial number of the certificate checked. */
  readonly serialNumber: string;
  readonly crlIssuer: string;
  /** The cRLNumber extension in decimal, or null when the CRL has none. */
  readonly crlNumber: string | null;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  /** Upper-case hex SHA-256 of the CRL's DER, to find the archived CRL later. */
  readonly crlSha256: string;
}

export interface JpkiChainVerification<K extends JpkiCertificateKind = JpkiCertificateKind>
  extends JpkiCertificateSummary {
  readonly kind: K;
  /** The 基本4情報 of a signing certificate; null for an authentication certificate. */
  readonly basic4: K extends 'signing' ? Basic4 : null;
  /** Leaf first, the trust anchor last. */
  readonly chain: readonly JpkiCertificateSummary[];
  /** DER of each certificate of `chain`, base64, same order. */
  readonly chainDer: readonly string[];
  /** One per certificate below the anchor, leaf first. */
  readonly revocation: readonly JpkiRevocationCheck[];
  /** The instant the validity and revocation were judged at. */
  readonly verifiedAt: Date;
}
