import { JpkiError } from './jpki.errors';
import type { CertificateInput, JpkiChainVerification, RevocationLists, TrustAnchors } from './jpki.types';
import { decodeSignature, type SignatureInput } from './rsa-signature';
import { verifySignedBytes } from './signed-bytes';

export interface VerifyNonceSignatureInput {
  /** Leaf (the authentication certificate) first, then any CA certificates; PEM blocks may share one string. */
  readonly certificateChain: CertificateInput | readonly CertificateInput[];
  /** The nonce exactly as the server issued it: bytes, or a string signed as its UTF-8 bytes. */
  readonly nonce: Uint8Array | string;
  /** RSASSA-PKCS1-v1_5 / SHA-256 over the nonce bytes; base64 or bytes. */
  readonly signature: SignatureInput;
  readonly anchors: TrustAnchors;
  readonly crls: RevocationLists;
  /** The request time: validity and revocation are judged at it. */
  readonly at: Date;
}

/**
 * Login with the authentication certificate (利用者証明用): the chain checks
 * of `verifyCertificateChain` for kind `authentication`, then the signature
 * over the nonce. Whether the nonce was issued, is unused and unexpired is
 * stored state: the caller checks that (JPKI_NONCE_REPLAYED / _EXPIRED).
 */
export async function verifyNonceSignature(input: VerifyNonceSignatureInput): Promise<JpkiChainVerification<'authentication'>> {
  const kind = 'authentication';
  const nonce = typeof input.nonce === 'string' ? Buffer.from(input.nonce, 'utf8') : input.nonce;
  if (!(nonce instanceof Uint8Array) || nonce.length === 0) throw JpkiError.malformed('empty nonce', kind);
  return verifySignedBytes(kind, input, nonce, decodeSignature(input.signature, kind));
}
