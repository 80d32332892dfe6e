export * from './jpki.types';
export * from './jpki.errors';
export {
  JPKI_BASIC4_OIDS,
  JPKI_MAX_CHAIN_CERTIFICATES,
  JPKI_MIN_RSA_BITS,
  JPKI_POLICY_OIDS,
  MADOGUCHI_SIMULATED_JPKI_ARC,
} from './jpki.profile';
export { verifyCertificateChain, assertTrustAnchors, type VerifyCertificateChainInput } from './certificate-chain';
export { describeCrl, type CrlDescription } from './crl';
export { verifyNonceSignature, type VerifyNonceSignatureInput } from './nonce-signature';
export { canonicalContentHash, contentSigningBytes } from './content-hash';
export { verifyContentSignature, type JpkiContentVerification, type VerifyContentSignatureInput } from './content-signature';
export {
  reverifyRecord,
  JPKI_SIGNATURE_ALGORITHM,
  type JpkiReverification,
  type JpkiVerificationRecord,
  type ReverifyOptions,
} from './verification-record';
export type { SignatureInput } from './rsa-signature';
