import { constants, verify as verifySignature } from 'node:crypto';
import { CertificateFormatError, decodeBase64Strict, type ParsedCertificate } from './certificate';
import { JpkiError } from './jpki.errors';
import type { JpkiCertificateKind } from './jpki.types';

/** A signature as it arrives: base64 (standard or URL-safe) or raw bytes. */
export type SignatureInput = string | Uint8Array;

export function decodeSignature(signature: SignatureInput, kind: JpkiCertificateKind): Buffer {
  if (signature instanceof Uint8Array) {
    if (signature.length === 0) throw JpkiError.malformed('empty signature', kind);
    return Buffer.from(signature);
  }
  if (typeof signature !== 'string') throw JpkiError.malformed('signature is not base64', kind);
  try {
    return decodeBase64Strict(signature);
  } catch (error) {
    if (error instanceof CertificateFormatError) throw JpkiError.malformed(`signature: ${error.message}`, kind);
    throw error;
  }
}

/** RSASSA-PKCS1-v1_5 with SHA-256 (what the card computes) by the leaf's key. */
export function rsaPkcs1Sha256Verifies(leaf: ParsedCertificate, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verifySignature('sha256', data, { key: leaf.x509.publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
}
