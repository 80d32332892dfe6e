import 'reflect-metadata';
import { X509Crl } from '@peculiar/x509';
import { createHash } from 'node:crypto';
import type { ParsedCertificate } from './certificate';
import { decodeUnsignedInteger, DerError, readDer } from './der';
import { JpkiError } from './jpki.errors';
import { OID } from './jpki.profile';
import type { JpkiCertificateKind, JpkiRevocationCheck, RevocationLists } from './jpki.types';

/** What the worker needs to store a CRL it fetched, and to check it is the one it expected. */
export interface CrlDescription {
  /** Subject DN of the issuing CA: the `issuer` of a `RevocationList`. */
  readonly issuer: string;
  readonly crlNumber: string | null;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | null;
  readonly revokedCount: number;
  /** Upper-case hex SHA-256 of the DER. */
  readonly sha256: string;
}

interface ParsedCrl {
  readonly crl: X509Crl;
  readonly issuer: string;
  readonly crlNumber: string | null;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | null;
  readonly sha256: string;
}

/**
 * A real CRL can be large and the loaded set changes only when the worker
 * fetches a new one, so parsing and signature checks are remembered per DER
 * buffer (by identity: keep the loaded buffers and never mutate them).
 */
const parsedCrls = new WeakMap<Uint8Array, ParsedCrl | null>();
const crlSignatures = new WeakMap<ParsedCrl, Map<string, boolean>>();

function parseCrlCached(der: Uint8Array): ParsedCrl | null {
  if (parsedCrls.has(der)) return parsedCrls.get(der) ?? null;
  let parsed: ParsedCrl | null;
  try {
    parsed = parseCrl(der);
  } catch {
    // A broken CRL in the loaded set counts as absent; the worker's describeCrl should have refused it.
    parsed = null;
  }
  parsedCrls.set(der, parsed);
  return parsed;
}

function parseCrl(der: Uint8Array): ParsedCrl {
  const crl = new X509Crl(Buffer.from(der));
  const numberExtension = crl.getExtension(OID.crlNumber);
  return {
    crl,
    issuer: crl.issuer,
    crlNumber: numberExtension ? decodeUnsignedInteger(readDer(new Uint8Array(numberExtension.value))) : null,
    thisUpdate: crl.thisUpdate,
    nextUpdate: crl.nextUpdate ?? null,
    sha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
  };
}

/**
 * Reads a CRL without trusting it (its signature is checked at verification
 * time, against the CA that must have issued it). For the worker that loads
 * CRLs: refuses what is not a CRL with `JPKI_MALFORMED`.
 */
export function describeCrl(der: Uint8Array): CrlDescription {
  try {
    const { crl, issuer, crlNumber, thisUpdate, nextUpdate, sha256 } = parseCrl(der);
    return { issuer, crlNumber, thisUpdate, nextUpdate, revokedCount: crl.entries.length, sha256 };
  } catch (error) {
    if (error instanceof JpkiError) throw error;
    throw JpkiError.malformed(error instanceof DerError ? `bad CRL number: ${error.message}` : 'not a CRL');
  }
}

async function signedBy(crl: ParsedCrl, issuer: ParsedCertificate): Promise<boolean> {
  let verdicts = crlSignatures.get(crl);
  if (!verdicts) crlSignatures.set(crl, (verdicts = new Map()));
  const known = verdicts.get(issuer.summary.fingerprintSha256);
  if (known !== undefined) return known;
  let verdict: boolean;
  try {
    verdict = await crl.crl.verify({ publicKey: issuer.peculiar });
  } catch {
    verdict = false;
  }
  verdicts.set(issuer.summary.fingerprintSha256, verdict);
  return verdict;
}

/**
 * The current CRL of `issuer` at `at`: issued under its name, signed by its
 * key, with thisUpdate <= at < nextUpdate; the newest if several are.
 * Anything less is `JPKI_CRL_UNAVAILABLE`, with the reason closest to usable.
 */
export async function currentCrlOf(
  issuer: ParsedCertificate,
  crls: RevocationLists,
  at: Date,
  kind: JpkiCertificateKind,
): Promise<ParsedCrl> {
  const issuerName = issuer.summary.subject;
  const named: ParsedCrl[] = [];
  for (const entry of crls) {
    if (entry.issuer !== issuerName) continue;
    const parsed = parseCrlCached(entry.der);
    if (parsed?.issuer === issuerName) named.push(parsed);
  }
  const signed: ParsedCrl[] = [];
  for (const candidate of named) if (await signedBy(candidate, issuer)) signed.push(candidate);

  const current = signed
    .filter((crl) => crl.thisUpdate.getTime() <= at.getTime() && crl.nextUpdate !== null && at.getTime() < crl.nextUpdate.getTime())
    .sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime() || compareDecimal(b.crlNumber, a.crlNumber));
  if (current.length > 0) return current[0];

  if (signed.length === 0) throw JpkiError.crlUnavailable(kind, named.length > 0 ? 'signature' : 'missing', issuerName);
  const notYet = signed.every((crl) => crl.thisUpdate.getTime() > at.getTime());
  throw JpkiError.crlUnavailable(kind, notYet ? 'notYetValid' : 'stale', issuerName);
}

function compareDecimal(a: string | null, b: string | null): number {
  const left = BigInt(a ?? -1);
  const right = BigInt(b ?? -1);
  return left === right ? 0 : left > right ? 1 : -1;
}

/** Whether `certificate` is on `crl`; throws `JPKI_CERTIFICATE_REVOKED` if so. */
export function assertNotRevoked(
  crl: ParsedCrl,
  certificate: ParsedCertificate,
  position: 'leaf' | 'intermediate',
  kind: JpkiCertificateKind,
): JpkiRevocationCheck {
  const entry = crl.crl.findRevoked(certificate.summary.serialNumber);
  // removeFromCRL (8) only appears in delta CRLs, which this verifier does not use; any entry revokes.
  if (entry) throw JpkiError.certificateRevoked(kind, position, certificate.summary.serialNumber, entry.revocationDate);
  return {
    serialNumber: certificate.summary.serialNumber,
    crlIssuer: crl.issuer,
    crlNumber: crl.crlNumber,
    thisUpdate: crl.thisUpdate,
    // currentCrlOf only returns CRLs with a nextUpdate.
    nextUpdate: crl.nextUpdate as Date,
    crlSha256: crl.sha256,
  };
}
