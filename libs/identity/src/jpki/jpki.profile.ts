/**
 * The certificate profile of the simulated national CA: how a card
 * certificate says which kind it is and where the signing certificate
 * carries the 基本4情報. The software cards (simulated-cards/) issue
 * exactly this; the verifier accepts exactly this.
 *
 * It follows the shape of the real card:
 * - the kind is a certificate policy (the real 署名用 and 利用者証明用
 *   certificates are told apart by their J-LIS policy OIDs, not by
 *   extendedKeyUsage);
 * - the 基本4情報 are otherName entries of subjectAltName, one per item,
 *   each a UTF8String.
 *
 * The OIDs are our own, under a UUID arc (2.25, ITU-T X.667), which anyone may
 * allocate without registration, rather than under the J-LIS arc
 * 1.2.392.200149, which is not ours to allocate. Going live against the real
 * JPKI means swapping in J-LIS's published OIDs and value formats here
 * (their birth date and sex are coded differently), and nothing else.
 */

/** UUID 9635ab19-d8df-4c43-8c98-0a1d4953b796 as an OID arc (2.25.<uuid as integer>). */
export const MADOGUCHI_SIMULATED_JPKI_ARC = '2.25.199662861441104726817234116830827886486';

/** Certificate policy OIDs that mark the kind of a card certificate. */
export const JPKI_POLICY_OIDS = {
  authentication: `${MADOGUCHI_SIMULATED_JPKI_ARC}.1.1`,
  signing: `${MADOGUCHI_SIMULATED_JPKI_ARC}.1.2`,
} as const;

/** subjectAltName otherName type ids of the 基本4情報 in a signing certificate. */
export const JPKI_BASIC4_OIDS = {
  name: `${MADOGUCHI_SIMULATED_JPKI_ARC}.2.1`,
  address: `${MADOGUCHI_SIMULATED_JPKI_ARC}.2.2`,
  /** UTF8String `YYYY-MM-DD` (Gregorian). */
  dateOfBirth: `${MADOGUCHI_SIMULATED_JPKI_ARC}.2.3`,
  /** UTF8String `male` or `female`. */
  sex: `${MADOGUCHI_SIMULATED_JPKI_ARC}.2.4`,
} as const;

/** Minimum RSA modulus of a card key (the card uses RSA 2048). */
export const JPKI_MIN_RSA_BITS = 2048;

/** At most this many certificates in a chain a client sends, so a request cannot make us chase a long path. */
export const JPKI_MAX_CHAIN_CERTIFICATES = 4;

/** A card certificate is a few kilobytes; anything far larger is refused before parsing. */
export const JPKI_MAX_CERTIFICATE_BYTES = 16 * 1024;

export const OID = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  certificatePolicies: '2.5.29.32',
  subjectAltName: '2.5.29.17',
  extKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  crlDistributionPoints: '2.5.29.31',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  crlNumber: '2.5.29.20',
} as const;

/**
 * Critical extensions this verifier understands. A certificate below the
 * anchor with any other critical extension is refused (RFC 5280 4.2): for
 * example nameConstraints or policyConstraints, which it does not enforce.
 */
export const UNDERSTOOD_CRITICAL_EXTENSIONS: ReadonlySet<string> = new Set([
  OID.basicConstraints,
  OID.keyUsage,
  OID.certificatePolicies,
  OID.subjectAltName,
  OID.extKeyUsage,
]);
