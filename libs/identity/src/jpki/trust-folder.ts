import { parseCertificate } from './certificate';
import { describeCrl } from './crl';

/** What one file of the trust folder contributes: CA certificates (PEM) and CRLs (DER). */
export interface TrustFileContent {
  anchors: string[];
  crls: Buffer[];
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

function toPem(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

/** A trust anchor must be a CA that may sign certificates and is valid now; anything else is refused with the reason. */
function caCertificate(der: Buffer, now: Date): string {
  let certificate;
  try {
    certificate = parseCertificate(der);
  } catch (error) {
    throw new Error(`not a readable certificate (${(error as Error).message})`, { cause: error });
  }
  if (!certificate.basicConstraints?.ca) throw new Error('an end-entity certificate (basicConstraints CA:true missing); only CA certificates belong here');
  if (certificate.keyUsage && !certificate.keyUsage.has('keyCertSign')) throw new Error('a CA certificate without keyCertSign');
  if (certificate.summary.notAfter.getTime() <= now.getTime()) throw new Error(`an expired CA certificate (not after ${certificate.summary.notAfter.toISOString()})`);
  if (certificate.summary.notBefore.getTime() > now.getTime()) throw new Error(`a CA certificate not yet valid (not before ${certificate.summary.notBefore.toISOString()})`);
  return toPem(der);
}

function crl(der: Buffer): Buffer {
  try {
    describeCrl(der);
  } catch {
    throw new Error('not a readable CRL');
  }
  return der;
}

/**
 * Reads one file of JPKI_TRUST_DIR: PEM (CERTIFICATE and X509 CRL blocks
 * only) or DER (a certificate or a CRL). Throws an Error whose message is
 * the reason the file does not belong there: a private key, an end-entity
 * or expired certificate, or bytes that are neither.
 */
export function readTrustFile(bytes: Buffer, now: Date): TrustFileContent {
  const content: TrustFileContent = { anchors: [], crls: [] };
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN ')) {
    for (const [, label, body] of text.matchAll(PEM_BLOCK)) {
      const der = Buffer.from(body.replace(/\s+/g, ''), 'base64');
      if (label === 'CERTIFICATE') content.anchors.push(caCertificate(der, now));
      else if (label === 'X509 CRL') content.crls.push(crl(der));
      else if (label.includes('PRIVATE KEY')) throw new Error('a private key; keys never belong in the trust folder');
      else throw new Error(`a PEM block "${label}"; only CERTIFICATE and X509 CRL belong here`);
    }
  } else {
    let asCertificate: string | null = null;
    let certificateError: Error | null = null;
    try {
      asCertificate = caCertificate(bytes, now);
    } catch (error) {
      certificateError = error as Error;
    }
    if (asCertificate) content.anchors.push(asCertificate);
    else if (certificateError && !certificateError.message.startsWith('not a readable certificate')) throw certificateError;
    else {
      try {
        content.crls.push(crl(bytes));
      } catch {
        throw new Error('neither a certificate nor a CRL (PEM or DER)');
      }
    }
  }
  if (content.anchors.length === 0 && content.crls.length === 0) throw new Error('neither a certificate nor a CRL (PEM or DER)');
  return content;
}
