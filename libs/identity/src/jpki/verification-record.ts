import { checkPath, issues, parseClientCertificates, parseTrustAnchors, splitChain } from './certificate-chain';
import type { ParsedCertificate } from './certificate';
import { canonicalContentHash, contentSigningBytes } from './content-hash';
import { JpkiError } from './jpki.errors';
import type { Basic4, JpkiCertificateSummary, JpkiChainVerification, TrustAnchors } from './jpki.types';
import { decodeSignature, rsaPkcs1Sha256Verifies } from './rsa-signature';

export const JPKI_SIGNATURE_ALGORITHM = 'RSASSA-PKCS1-v1_5/SHA-256' as const;

/**
 * What was verified when an application was signed, as plain JSON, so the
 * signature can be checked again years later — after the certificate has
 * expired and its CRL is long gone — from this record and the content alone
 * (long-term validation). Store it beside the application, immutable (and
 * its hash in the audit chain): whoever can rewrite it, notably
 * `verifiedAt`, can rewrite history; this record is evidence only as far as
 * its storage is tamper-evident.
 */
export interface JpkiVerificationRecord {
  readonly version: 1;
  readonly kind: 'signing';
  readonly signatureAlgorithm: typeof JPKI_SIGNATURE_ALGORITHM;
  /** `canonicalContentHash(content)`: lower-case hex SHA-256 of the canonical JSON. */
  readonly contentHash: string;
  /** The signature as received, base64. */
  readonly signature: string;
  /** DER base64 of each certificate, leaf first, the trust anchor last. */
  readonly certificateChain: readonly string[];
  /** The CRL that cleared each certificate below the anchor, leaf first. */
  readonly revocation: readonly {
    readonly serialNumber: string;
    readonly crlIssuer: string;
    readonly crlNumber: string | null;
    readonly thisUpdate: string;
    readonly nextUpdate: string;
    readonly crlSha256: string;
  }[];
  /** ISO instant the certificate was judged valid and unrevoked at: the signing time. */
  readonly verifiedAt: string;
  readonly result: {
    readonly valid: true;
    readonly subject: string;
    readonly issuer: string;
    readonly serialNumber: string;
    readonly notBefore: string;
    readonly notAfter: string;
    readonly fingerprintSha256: string;
    readonly basic4: Basic4;
  };
}

export interface JpkiReverification {
  readonly valid: true;
  /** The signing time from the record, at which validity was judged. */
  readonly verifiedAt: Date;
  readonly contentHash: string;
  readonly certificate: JpkiCertificateSummary;
  readonly basic4: Basic4;
}

export function buildVerificationRecord(
  verification: JpkiChainVerification<'signing'>,
  contentHash: string,
  signature: Buffer,
): JpkiVerificationRecord {
  return {
    version: 1,
    kind: 'signing',
    signatureAlgorithm: JPKI_SIGNATURE_ALGORITHM,
    contentHash,
    signature: signature.toString('base64'),
    certificateChain: [...verification.chainDer],
    revocation: verification.revocation.map((check) => ({
      serialNumber: check.serialNumber,
      crlIssuer: check.crlIssuer,
      crlNumber: check.crlNumber,
      thisUpdate: check.thisUpdate.toISOString(),
      nextUpdate: check.nextUpdate.toISOString(),
      crlSha256: check.crlSha256,
    })),
    verifiedAt: verification.verifiedAt.toISOString(),
    result: {
      valid: true,
      subject: verification.subject,
      issuer: verification.issuer,
      serialNumber: verification.serialNumber,
      notBefore: verification.notBefore.toISOString(),
      notAfter: verification.notAfter.toISOString(),
      fingerprintSha256: verification.fingerprintSha256,
      basic4: { ...verification.basic4 },
    },
  };
}

export interface ReverifyOptions {
  /**
   * The anchors trusted at signing time (keep retired ones). When given, the
   * record's chain must end in one of them; without them the record's own
   * self-signed root is taken on faith.
   */
  readonly anchors?: TrustAnchors;
}

/**
 * Checks a stored signature again from the record alone: the content still
 * hashes to the signed hash, the signature verifies with the recorded
 * certificate, the recorded chain still links up, and every certificate was
 * valid at the recorded signing time. No CRL is fetched: revocation was
 * settled at signing time and the record says by which CRL. So this succeeds
 * after the certificate has expired, and fails once the content changes.
 */
export async function reverifyRecord(
  record: JpkiVerificationRecord,
  content: unknown,
  options: ReverifyOptions = {},
): Promise<JpkiReverification> {
  const kind = 'signing';
  const verifiedAt = assertRecordShape(record);
  const contentHash = canonicalContentHash(content);
  if (contentHash !== record.contentHash) throw JpkiError.signatureInvalid(kind, { reason: 'contentChanged' });

  const path = parseClientCertificates(splitChain(record.certificateChain, kind), kind);
  if (path.length < 2) throw JpkiError.malformed('record: chain must end in its trust anchor', kind);
  for (let index = 0; index < path.length - 1; index += 1) {
    if (!issues(path[index + 1], path[index])) throw JpkiError.untrustedIssuer(kind, 'recordedChainBroken', { index });
  }
  assertTrustedTop(path[path.length - 1], options.anchors);

  const basic4 = checkPath(path, verifiedAt, kind) as Basic4;
  const leaf = path[0].summary;
  if (leaf.serialNumber !== record.result.serialNumber || !sameBasic4(basic4, record.result.basic4)) {
    throw JpkiError.malformed('record: result does not match its certificate', kind);
  }
  const cleared = new Set(record.revocation.map((check) => check.serialNumber));
  if (path.slice(0, -1).some((certificate) => !cleared.has(certificate.summary.serialNumber))) {
    throw JpkiError.malformed('record: revocation check missing for a certificate', kind);
  }

  const signature = decodeSignature(record.signature, kind);
  if (!rsaPkcs1Sha256Verifies(path[0], contentSigningBytes(content), signature)) {
    throw JpkiError.signatureInvalid(kind, { reason: 'signatureMismatch' });
  }
  return { valid: true, verifiedAt, contentHash, certificate: leaf, basic4 };
}

function assertTrustedTop(top: ParsedCertificate, anchors: TrustAnchors | undefined): void {
  if (anchors) {
    if (!parseTrustAnchors(anchors).some((anchor) => anchor.der.equals(top.der))) {
      throw JpkiError.untrustedIssuer('signing', 'recordedAnchorNotTrusted');
    }
  } else if (!issues(top, top)) {
    throw JpkiError.untrustedIssuer('signing', 'recordedChainNotRooted');
  }
}

function sameBasic4(a: Basic4, b: Basic4 | undefined): boolean {
  return !!b && a.name === b.name && a.address === b.address && a.dateOfBirth === b.dateOfBirth && a.sex === b.sex;
}

function assertRecordShape(record: JpkiVerificationRecord): Date {
  const bad = (what: string): never => {
    throw JpkiError.malformed(`record: ${what}`, 'signing');
  };
  if (record === null || typeof record !== 'object') bad('not an object');
  if (record.version !== 1 || record.kind !== 'signing') bad('unknown version or kind');
  if (record.signatureAlgorithm !== JPKI_SIGNATURE_ALGORITHM) bad('unknown signature algorithm');
  if (typeof record.contentHash !== 'string' || !/^[0-9a-f]{64}$/.test(record.contentHash)) bad('contentHash');
  if (typeof record.signature !== 'string') bad('signature');
  if (!Array.isArray(record.certificateChain) || !record.certificateChain.every((der) => typeof der === 'string')) {
    bad('certificateChain');
  }
  if (!Array.isArray(record.revocation)) bad('revocation');
  if (!record.result || record.result.valid !== true) bad('result');
  const verifiedAt = new Date(typeof record.verifiedAt === 'string' ? record.verifiedAt : Number.NaN);
  if (Number.isNaN(verifiedAt.getTime())) bad('verifiedAt');
  return verifiedAt;
}
