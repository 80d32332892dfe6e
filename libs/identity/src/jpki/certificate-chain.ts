import {
  CertificateFormatError,
  certificateDers,
  parseCertificate,
  readBasic4,
  type KeyUsageName,
  type ParsedCertificate,
} from './certificate';
import { assertNotRevoked, currentCrlOf } from './crl';
import { JpkiError, type JpkiChainPosition } from './jpki.errors';
import {
  JPKI_MAX_CHAIN_CERTIFICATES,
  JPKI_MIN_RSA_BITS,
  JPKI_POLICY_OIDS,
  UNDERSTOOD_CRITICAL_EXTENSIONS,
} from './jpki.profile';
import type {
  Basic4,
  CertificateInput,
  JpkiCertificateKind,
  JpkiChainVerification,
  JpkiRevocationCheck,
  RevocationLists,
  TrustAnchors,
} from './jpki.types';

/** Key usages each kind of card certificate must have (as on the real card). */
const REQUIRED_KEY_USAGE: Record<JpkiCertificateKind, readonly KeyUsageName[]> = {
  authentication: ['digitalSignature'],
  signing: ['digitalSignature', 'nonRepudiation'],
};
/** A card key never signs certificates or CRLs. */
const FORBIDDEN_LEAF_KEY_USAGE: readonly KeyUsageName[] = ['keyCertSign', 'cRLSign'];

export interface VerifyCertificateChainInput<K extends JpkiCertificateKind> {
  readonly leaf: CertificateInput;
  /** CA certificates the client sent along; untrusted, used only to find a path to an anchor. */
  readonly intermediates?: readonly CertificateInput[];
  readonly anchors: TrustAnchors;
  readonly crls: RevocationLists;
  /** The instant to judge validity and revocation at (the request time). */
  readonly at: Date;
  readonly kind: K;
}

/**
 * Verifies a card certificate the way the national service would: a path of
 * valid signatures from the leaf to a configured anchor (directly, or through
 * one or more CA certificates the client sent), every certificate valid at
 * `at`, CA certificates marked CA, the leaf of the requested kind with its
 * key usages, and neither the leaf nor any intermediate on the current CRL of
 * its issuer. Throws a `JpkiError` for the first problem found.
 */
export async function verifyCertificateChain<K extends JpkiCertificateKind>(
  input: VerifyCertificateChainInput<K>,
): Promise<JpkiChainVerification<K>> {
  return (await verifyChainWithPath(input)).verification;
}

/** `verifyCertificateChain`, also handing back the parsed path (leaf first) for the signature check. */
export async function verifyChainWithPath<K extends JpkiCertificateKind>(
  input: VerifyCertificateChainInput<K>,
): Promise<{ path: readonly ParsedCertificate[]; verification: JpkiChainVerification<K> }> {
  const { kind, at } = input;
  assertInstant(at);
  const leaf = parseClientCertificates(input.leaf, kind);
  if (leaf.length !== 1) throw JpkiError.malformed('expected exactly one leaf certificate', kind);
  const intermediates = parseClientCertificates(input.intermediates ?? [], kind);
  if (intermediates.length + 1 > JPKI_MAX_CHAIN_CERTIFICATES) throw JpkiError.malformed('too many certificates', kind);
  const anchors = parseTrustAnchors(input.anchors);

  const path = buildPath(leaf[0], intermediates, anchors, kind);
  const basic4 = checkPath(path, at, kind);

  const revocation: JpkiRevocationCheck[] = [];
  for (let index = 0; index < path.length - 1; index += 1) {
    const crl = await currentCrlOf(path[index + 1], input.crls, at, kind);
    revocation.push(assertNotRevoked(crl, path[index], index === 0 ? 'leaf' : 'intermediate', kind));
  }
  return { path, verification: toVerification(path, kind, basic4, revocation, at) };
}

/** A chain as a client sends it, as DER, leaf first; refuses an empty one. */
export function splitChain(chain: CertificateInput | readonly CertificateInput[], kind: JpkiCertificateKind): Buffer[] {
  try {
    const ders = certificateDers(chain);
    if (ders.length === 0) throw new CertificateFormatError('no certificate');
    if (ders.length > JPKI_MAX_CHAIN_CERTIFICATES) throw new CertificateFormatError('too many certificates');
    return ders;
  } catch (error) {
    if (error instanceof CertificateFormatError) throw JpkiError.malformed(error.message, kind);
    throw error;
  }
}

/** For boot: every configured anchor parses and is a CA certificate. Throws a plain Error naming the bad one. */
export function assertTrustAnchors(anchors: TrustAnchors): void {
  if (anchors.length === 0) throw new Error('JPKI trust anchors: none configured');
  parseTrustAnchors(anchors);
}

export function parseClientCertificates(
  input: CertificateInput | readonly CertificateInput[],
  kind: JpkiCertificateKind,
): ParsedCertificate[] {
  try {
    const ders = certificateDers(input);
    if (ders.length > JPKI_MAX_CHAIN_CERTIFICATES) throw new CertificateFormatError('too many certificates');
    return ders.map(parseCertificate);
  } catch (error) {
    if (error instanceof CertificateFormatError) throw JpkiError.malformed(error.message, kind);
    throw error;
  }
}

/** Anchors come from configuration: a bad one is our fault (500), not the client's. */
export function parseTrustAnchors(anchors: TrustAnchors): ParsedCertificate[] {
  return anchors.flatMap((anchor, index) => {
    try {
      return certificateDers(anchor).map((der) => {
        const certificate = parseCertificate(der);
        if (!certificate.basicConstraints?.ca) throw new CertificateFormatError('not a CA certificate');
        return certificate;
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`JPKI trust anchor #${index + 1}: ${reason}`, { cause: error });
    }
  });
}

export function issues(issuer: ParsedCertificate, subject: ParsedCertificate): boolean {
  // checkIssued: names, key identifiers and the issuer's keyCertSign (OpenSSL); verify: the signature itself.
  return subject.x509.checkIssued(issuer.x509) && subject.x509.verify(issuer.x509.publicKey);
}

function buildPath(
  leaf: ParsedCertificate,
  intermediates: readonly ParsedCertificate[],
  anchors: readonly ParsedCertificate[],
  kind: JpkiCertificateKind,
): ParsedCertificate[] {
  const path = [leaf];
  for (;;) {
    const current = path[path.length - 1];
    const anchor = anchors.find((candidate) => issues(candidate, current));
    if (anchor) return [...path, anchor];
    const next = intermediates.find((candidate) => !path.includes(candidate) && issues(candidate, current));
    if (!next || path.length >= JPKI_MAX_CHAIN_CERTIFICATES) {
      throw JpkiError.untrustedIssuer(kind, 'noPathToTrustAnchor', { issuer: current.summary.issuer });
    }
    path.push(next);
  }
}

function positionOf(index: number, path: readonly ParsedCertificate[]): JpkiChainPosition {
  return index === 0 ? 'leaf' : index === path.length - 1 ? 'anchor' : 'intermediate';
}

/**
 * Everything about a path whose signatures already check out, except
 * revocation: CA constraints, critical extensions, validity at `at`, and the
 * leaf's kind, key usage and key. Returns the 基本4情報 of a signing leaf.
 * Shared with re-verification of a stored record.
 */
export function checkPath(path: readonly ParsedCertificate[], at: Date, kind: JpkiCertificateKind): Basic4 | null {
  const leaf = path[0];
  for (let index = 1; index < path.length; index += 1) {
    const ca = path[index];
    const constraints = ca.basicConstraints;
    if (!constraints?.ca) throw JpkiError.untrustedIssuer(kind, 'issuerIsNotCa', { position: positionOf(index, path) });
    if (ca.keyUsage && !ca.keyUsage.has('keyCertSign')) {
      throw JpkiError.untrustedIssuer(kind, 'issuerMayNotSignCertificates', { position: positionOf(index, path) });
    }
    // pathLenConstraint counts the CA certificates below this one, leaf excluded.
    if (constraints.pathLength !== null && index - 1 > constraints.pathLength) {
      throw JpkiError.untrustedIssuer(kind, 'pathLengthExceeded', { position: positionOf(index, path) });
    }
  }
  // Extensions of the anchor are configuration; below it, one we cannot enforce must not be critical.
  for (let index = 0; index < path.length - 1; index += 1) {
    for (const [oid, extension] of path[index].extensions) {
      if (extension.critical && !UNDERSTOOD_CRITICAL_EXTENSIONS.has(oid)) {
        throw JpkiError.untrustedIssuer(kind, 'unsupportedCriticalExtension', { position: positionOf(index, path), oid });
      }
    }
  }
  path.forEach((certificate, index) => {
    const { notBefore, notAfter } = certificate.summary;
    if (at.getTime() < notBefore.getTime()) throw JpkiError.certificateNotYetValid(kind, positionOf(index, path), notBefore);
    if (at.getTime() > notAfter.getTime()) throw JpkiError.certificateExpired(kind, positionOf(index, path), notAfter);
  });

  if (leaf.basicConstraints?.ca) throw JpkiError.keyUsageInvalid(kind, 'leafIsCa');
  const policies = leaf.policies ?? [];
  const isAuthentication = policies.includes(JPKI_POLICY_OIDS.authentication);
  const isSigning = policies.includes(JPKI_POLICY_OIDS.signing);
  const found = isAuthentication && isSigning ? 'both' : isAuthentication ? 'authentication' : isSigning ? 'signing' : 'none';
  if (found !== kind) throw JpkiError.wrongCertificateKind(kind, found);

  if (!leaf.keyUsage) throw JpkiError.keyUsageInvalid(kind, 'keyUsageMissing');
  const missing = REQUIRED_KEY_USAGE[kind].filter((usage) => !leaf.keyUsage?.has(usage));
  if (missing.length > 0) throw JpkiError.keyUsageInvalid(kind, 'keyUsageMissing', { missing });
  const forbidden = FORBIDDEN_LEAF_KEY_USAGE.filter((usage) => leaf.keyUsage?.has(usage));
  if (forbidden.length > 0) throw JpkiError.keyUsageInvalid(kind, 'keyUsageForbidden', { forbidden });

  const key = leaf.x509.publicKey;
  if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < JPKI_MIN_RSA_BITS) {
    throw JpkiError.keyUsageInvalid(kind, 'keyAlgorithm', { required: `RSA >= ${JPKI_MIN_RSA_BITS} bits` });
  }

  if (kind !== 'signing') return null;
  try {
    return readBasic4(leaf);
  } catch (error) {
    if (error instanceof CertificateFormatError) throw JpkiError.malformed(error.message, kind);
    throw error;
  }
}

export function toVerification<K extends JpkiCertificateKind>(
  path: readonly ParsedCertificate[],
  kind: K,
  basic4: Basic4 | null,
  revocation: readonly JpkiRevocationCheck[],
  at: Date,
): JpkiChainVerification<K> {
  return {
    ...path[0].summary,
    kind,
    basic4: basic4 as JpkiChainVerification<K>['basic4'],
    chain: path.map((certificate) => certificate.summary),
    chainDer: path.map((certificate) => certificate.der.toString('base64')),
    revocation,
    verifiedAt: new Date(at.getTime()),
  };
}

export function assertInstant(at: Date): void {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new TypeError('JPKI verification needs a valid `at` instant');
}
