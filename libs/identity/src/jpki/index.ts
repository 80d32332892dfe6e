/**
 * My Number Card (公的個人認証, JPKI) cryptography, as a pure library.
 *
 * Owns: verifying a card certificate up to a configured trust anchor
 * (signatures, validity at a given instant, CA constraints, the kind and key
 * usage of the card certificate, revocation by the issuer's current CRL),
 * login signatures over a nonce, signatures over an application's canonical
 * content with the 基本4情報 of the signer, and the record that lets such a
 * signature be verified again after the certificate has expired.
 *
 * Never: reads the clock (the instant is a parameter), touches the database
 * or the network (trust anchors and CRLs are handed in), keeps nonces (the
 * login service does: JPKI_NONCE_REPLAYED / JPKI_NONCE_EXPIRED), or logs —
 * and error details never carry the 基本4情報.
 *
 * The certificate profile (policy OIDs marking the kind, subjectAltName
 * otherName entries carrying the 基本4情報) is in jpki.profile.ts; the software
 * cards in ./simulated-cards issue exactly that.
 */
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
export { readTrustFile, type TrustFileContent } from './trust-folder';
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
