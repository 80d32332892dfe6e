import { canonicalContentHash, contentSigningBytes } from './content-hash';
import type { Basic4, CertificateInput, JpkiChainVerification, RevocationLists, TrustAnchors } from './jpki.types';
import { decodeSignature, type SignatureInput } from './rsa-signature';
import { verifySignedBytes } from './signed-bytes';
import { buildVerificationRecord, type JpkiVerificationRecord } from './verification-record';

export interface VerifyContentSignatureInput {
  /** Leaf (the signing certificate) first, then any CA certificates. */
  readonly certificateChain: CertificateInput | readonly CertificateInput[];
  /** The exact submitted content, as parsed from JSON. */
  readonly content: unknown;
  /** RSASSA-PKCS1-v1_5 / SHA-256 over `contentSigningBytes(content)`; base64 or bytes. */
  readonly signature: SignatureInput;
  readonly anchors: TrustAnchors;
  readonly crls: RevocationLists;
  /** The signing time: validity and revocation are judged at it, and it is recorded. */
  readonly at: Date;
}

export interface JpkiContentVerification {
  readonly certificate: JpkiChainVerification<'signing'>;
  /** The applicant's 基本4情報 from the signing certificate, to bind to the application. */
  readonly basic4: Basic4;
  readonly contentHash: string;
  /** Store this with the application for long-term validation (`reverifyRecord`). */
  readonly record: JpkiVerificationRecord;
}

/**
 * Signing an application with the signing certificate (署名用): the chain
 * checks for kind `signing`, then the signature over the canonical content.
 * Any change of the content changes the hash and breaks the signature.
 */
export async function verifyContentSignature(input: VerifyContentSignatureInput): Promise<JpkiContentVerification> {
  const kind = 'signing';
  const signature = decodeSignature(input.signature, kind);
  const signedBytes = contentSigningBytes(input.content);
  const contentHash = canonicalContentHash(input.content);
  const verification = await verifySignedBytes(kind, input, signedBytes, signature);
  return {
    certificate: verification,
    basic4: verification.basic4,
    contentHash,
    record: buildVerificationRecord(verification, contentHash, signature),
  };
}
