import { canonicalJson } from '@madoguchi/kernel';
import { createHash } from 'node:crypto';
import { JpkiError } from './jpki.errors';

/**
 * What a signer signs for an application: the UTF-8 bytes of the canonical
 * JSON of the exact submitted content (keys sorted, no whitespace). The
 * signature is RSASSA-PKCS1-v1_5 with SHA-256 over these bytes, which is the
 * same as the card signing DigestInfo(SHA-256, canonicalContentHash(content))
 * — so a client holding only the hash can have a real card sign it.
 */
export function contentSigningBytes(content: unknown): Buffer {
  assertJsonValue(content, '');
  return Buffer.from(canonicalJson(content), 'utf8');
}

/** Lower-case hex SHA-256 of `contentSigningBytes(content)`. */
export function canonicalContentHash(content: unknown): string {
  return createHash('sha256').update(contentSigningBytes(content)).digest('hex');
}

/**
 * Only what JSON.parse can return: anything else (undefined at the top, a
 * Date, NaN, a class instance) would serialise ambiguously, so two different
 * contents could share a hash.
 */
function assertJsonValue(value: unknown, path: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return;
    throw JpkiError.malformed(`content${path} is not a finite number`, 'signing');
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertJsonValue(item, `${path}[${index}]`));
    return;
  }
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw JpkiError.malformed(`content${path} is not plain JSON`, 'signing');
    }
    for (const [key, item] of Object.entries(value)) {
      // canonicalJson drops undefined members, as JSON.stringify does.
      if (item !== undefined) assertJsonValue(item, `${path}.${key}`);
    }
    return;
  }
  throw JpkiError.malformed(`content${path} is not JSON`, 'signing');
}
