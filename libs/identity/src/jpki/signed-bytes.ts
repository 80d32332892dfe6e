import { splitChain, verifyChainWithPath } from './certificate-chain';
import { JpkiError } from './jpki.errors';
import type { CertificateInput, JpkiCertificateKind, JpkiChainVerification, RevocationLists, TrustAnchors } from './jpki.types';
import { rsaPkcs1Sha256Verifies } from './rsa-signature';

export interface SignedBytesInput {
  readonly certificateChain: CertificateInput | readonly CertificateInput[];
  readonly anchors: TrustAnchors;
  readonly crls: RevocationLists;
  readonly at: Date;
}

/**
 * The part login and signing share: the chain checks for the certificate
 * kind, then the leaf's RSA signature over exactly these bytes.
 */
export async function verifySignedBytes<K extends JpkiCertificateKind>(
  kind: K,
  input: SignedBytesInput,
  bytes: Uint8Array,
  signature: Uint8Array,
): Promise<JpkiChainVerification<K>> {
  const [leaf, ...intermediates] = splitChain(input.certificateChain, kind);
  const { path, verification } = await verifyChainWithPath({ leaf, intermediates, anchors: input.anchors, crls: input.crls, at: input.at, kind });
  if (!rsaPkcs1Sha256Verifies(path[0], bytes, signature)) throw JpkiError.signatureInvalid(kind);
  return verification;
}
