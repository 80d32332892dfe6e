import 'reflect-metadata';
import { X509Certificate as PeculiarCertificate } from '@peculiar/x509';
import { X509Certificate } from 'node:crypto';
import {
  childAt,
  decodeBoolean,
  decodeOid,
  decodeUtf8String,
  DerError,
  derChildren,
  DerTag,
  expectTag,
  readDer,
  type DerNode,
} from './der';
import { JPKI_BASIC4_OIDS, JPKI_MAX_CERTIFICATE_BYTES, OID } from './jpki.profile';
import type { Basic4, CertificateInput, JpkiCertificateSummary } from './jpki.types';

/** Key usage bits in RFC 5280 order (bit 0 first). */
const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGE_BITS)[number];

export interface CertificateExtension {
  readonly critical: boolean;
  readonly value: Uint8Array;
}

/** One certificate, parsed once: node for signatures, our DER reader for extensions. */
export interface ParsedCertificate {
  readonly der: Buffer;
  readonly x509: X509Certificate;
  /** Used to verify CRL signatures (webcrypto); only its public key is ever read. */
  readonly peculiar: PeculiarCertificate;
  readonly summary: JpkiCertificateSummary;
  readonly extensions: ReadonlyMap<string, CertificateExtension>;
  readonly basicConstraints: { readonly ca: boolean; readonly pathLength: number | null } | null;
  readonly keyUsage: ReadonlySet<KeyUsageName> | null;
  readonly policies: readonly string[] | null;
}

/** Raised for anything that is not a well-formed certificate; callers map it to their error. */
export class CertificateFormatError extends Error {}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/**
 * Strict base64 (standard or URL-safe alphabet, padding optional,
 * whitespace ignored): Buffer.from alone skips garbage silently.
 */
export function decodeBase64Strict(text: string): Buffer {
  const cleaned = text.replace(/\s+/g, '');
  if (cleaned.length === 0 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(cleaned)) throw new CertificateFormatError('not base64');
  if (/[+/]/.test(cleaned) && /[-_]/.test(cleaned)) throw new CertificateFormatError('mixed base64 alphabets');
  const standard = cleaned.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  const bytes = Buffer.from(standard, 'base64');
  if (bytes.toString('base64').replace(/=+$/, '') !== standard) throw new CertificateFormatError('not canonical base64');
  return bytes;
}

/** Every certificate in the input, in order, as DER. */
export function certificateDers(input: CertificateInput | readonly CertificateInput[]): Buffer[] {
  const items: readonly CertificateInput[] = typeof input === 'string' || input instanceof Uint8Array ? [input] : input;
  const ders: Buffer[] = [];
  for (const item of items) {
    if (item instanceof Uint8Array) {
      ders.push(Buffer.from(item));
    } else if (typeof item === 'string' && item.includes('-----BEGIN')) {
      const blocks = [...item.matchAll(PEM_BLOCK)];
      if (blocks.length === 0 || blocks.some(([, label]) => label !== 'CERTIFICATE')) {
        throw new CertificateFormatError('PEM without CERTIFICATE blocks');
      }
      for (const [, , body] of blocks) ders.push(decodeBase64Strict(body));
    } else if (typeof item === 'string') {
      ders.push(decodeBase64Strict(item));
    } else {
      throw new CertificateFormatError('not a certificate');
    }
  }
  return ders;
}

export function parseCertificate(der: Buffer): ParsedCertificate {
  if (der.length > JPKI_MAX_CERTIFICATE_BYTES) throw new CertificateFormatError('certificate too large');
  let x509: X509Certificate;
  let peculiar: PeculiarCertificate;
  try {
    x509 = new X509Certificate(der);
    // A copy backed by a plain ArrayBuffer: with the DOM lib in the program (preact's JSX types) a Buffer is not a BufferSource.
    peculiar = new PeculiarCertificate(new Uint8Array(der));
  } catch {
    throw new CertificateFormatError('not an X.509 certificate');
  }
  // The DER node and peculiar both accept a certificate followed by junk; only the exact encoding counts.
  if (!x509.raw.equals(der)) throw new CertificateFormatError('trailing bytes after certificate');
  try {
    const extensions = readExtensions(der);
    return {
      der,
      x509,
      peculiar,
      summary: {
        subject: peculiar.subject,
        issuer: peculiar.issuer,
        serialNumber: x509.serialNumber.toUpperCase(),
        notBefore: peculiar.notBefore,
        notAfter: peculiar.notAfter,
        fingerprintSha256: x509.fingerprint256.replace(/:/g, '').toUpperCase(),
      },
      extensions,
      basicConstraints: readBasicConstraints(extensions.get(OID.basicConstraints)),
      keyUsage: readKeyUsage(extensions.get(OID.keyUsage)),
      policies: readPolicies(extensions.get(OID.certificatePolicies)),
    };
  } catch (error) {
    if (error instanceof DerError) throw new CertificateFormatError(`bad extension encoding: ${error.message}`);
    throw error;
  }
}

function readExtensions(der: Uint8Array): Map<string, CertificateExtension> {
  const certificate = expectTag(readDer(der), DerTag.Sequence, 'Certificate');
  const tbs = childAt(derChildren(certificate), 0, DerTag.Sequence, 'TBSCertificate');
  const wrapper = derChildren(tbs).find((node) => node.tag === DerTag.Context3);
  const extensions = new Map<string, CertificateExtension>();
  if (!wrapper) return extensions;
  const list = childAt(derChildren(wrapper), 0, DerTag.Sequence, 'Extensions');
  for (const extension of derChildren(list)) {
    const parts = derChildren(expectTag(extension, DerTag.Sequence, 'Extension'));
    if (parts.length < 2 || parts.length > 3) throw new DerError('Extension of wrong length');
    const oid = decodeOid(parts[0]);
    const critical = parts.length === 3 ? decodeBoolean(parts[1]) : false;
    const value = expectTag(parts[parts.length - 1], DerTag.OctetString, 'extnValue').content;
    // RFC 5280 4.2: a certificate must not include more than one instance of an extension.
    if (extensions.has(oid)) throw new DerError(`extension ${oid} appears twice`);
    extensions.set(oid, { critical, value });
  }
  return extensions;
}

function readBasicConstraints(extension: CertificateExtension | undefined): ParsedCertificate['basicConstraints'] {
  if (!extension) return null;
  const parts = derChildren(expectTag(readDer(extension.value), DerTag.Sequence, 'BasicConstraints'));
  let ca = false;
  let pathLength: number | null = null;
  for (const part of parts) {
    if (part.tag === DerTag.Boolean) ca = decodeBoolean(part);
    else if (part.tag === DerTag.Integer) {
      if (part.content.length > 2 || part.content[0] & 0x80) throw new DerError('bad pathLenConstraint');
      pathLength = part.content.reduce((value, byte) => value * 256 + byte, 0);
    } else throw new DerError('bad BasicConstraints');
  }
  return { ca, pathLength };
}

function readKeyUsage(extension: CertificateExtension | undefined): ReadonlySet<KeyUsageName> | null {
  if (!extension) return null;
  const bits = expectTag(readDer(extension.value), DerTag.BitString, 'KeyUsage').content;
  if (bits.length === 0 || bits[0] > 7) throw new DerError('bad KeyUsage bit string');
  const usages = new Set<KeyUsageName>();
  KEY_USAGE_BITS.forEach((name, bit) => {
    const byte = bits[1 + (bit >> 3)];
    if (byte !== undefined && byte & (0x80 >> (bit & 7))) usages.add(name);
  });
  return usages;
}

function readPolicies(extension: CertificateExtension | undefined): string[] | null {
  if (!extension) return null;
  return derChildren(expectTag(readDer(extension.value), DerTag.Sequence, 'CertificatePolicies')).map((policy) =>
    decodeOid(childAt(derChildren(expectTag(policy, DerTag.Sequence, 'PolicyInformation')), 0, DerTag.Oid, 'policyIdentifier')),
  );
}

/** The otherName entries of subjectAltName, by type id (any type may repeat). */
function readOtherNames(certificate: ParsedCertificate): { typeId: string; value: DerNode }[] {
  const extension = certificate.extensions.get(OID.subjectAltName);
  if (!extension) return [];
  const names = derChildren(expectTag(readDer(extension.value), DerTag.Sequence, 'SubjectAltName'));
  return names
    .filter((name) => name.tag === DerTag.Context0)
    .map((name) => {
      const parts = derChildren(name);
      const typeId = decodeOid(childAt(parts, 0, DerTag.Oid, 'otherName type-id'));
      const explicitValue = childAt(parts, 1, DerTag.Context0, 'otherName value');
      const inner = derChildren(explicitValue);
      if (inner.length !== 1) throw new DerError('otherName value must hold one value');
      return { typeId, value: inner[0] };
    });
}

/**
 * The 基本4情報 of a signing certificate, exactly as the issuer wrote them:
 * each item present once, no normalisation.
 */
export function readBasic4(certificate: ParsedCertificate): Basic4 {
  try {
    const otherNames = readOtherNames(certificate);
    const item = (oid: string, label: string): string => {
      const found = otherNames.filter((name) => name.typeId === oid);
      if (found.length !== 1) throw new CertificateFormatError(`基本4情報 ${label}: expected once, found ${found.length} times`);
      const text = decodeUtf8String(found[0].value);
      if (text.length === 0) throw new CertificateFormatError(`基本4情報 ${label} is empty`);
      return text;
    };
    const name = item(JPKI_BASIC4_OIDS.name, 'name');
    const address = item(JPKI_BASIC4_OIDS.address, 'address');
    const dateOfBirth = item(JPKI_BASIC4_OIDS.dateOfBirth, 'dateOfBirth');
    const sex = item(JPKI_BASIC4_OIDS.sex, 'sex');
    if (!isCalendarDate(dateOfBirth)) throw new CertificateFormatError('基本4情報 dateOfBirth is not YYYY-MM-DD');
    if (sex !== 'male' && sex !== 'female') throw new CertificateFormatError('基本4情報 sex is not male or female');
    return { name, address, dateOfBirth, sex };
  } catch (error) {
    if (error instanceof DerError) throw new CertificateFormatError(`bad subjectAltName: ${error.message}`);
    throw error;
  }
}

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
