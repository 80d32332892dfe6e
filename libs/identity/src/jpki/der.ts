/**
 * The little DER this library needs, read and written by hand.
 *
 * Why not @peculiar/x509 for certificate extensions: its extension factory
 * parses subjectAltName eagerly and throws on any otherName it does not
 * know, and the real signing certificate carries the 基本4情報 exactly there
 * (as otherName entries). So extensions are read here from the bytes that
 * node's X509Certificate has already parsed and whose signature it checks.
 * Only definite lengths and low tag numbers: that is all DER certificates
 * use; anything else is refused as malformed.
 */

export interface DerNode {
  /** The identifier octet: class, constructed bit and tag number. */
  readonly tag: number;
  readonly content: Uint8Array;
  /** The whole TLV. */
  readonly raw: Uint8Array;
}

export class DerError extends Error {}

export const DerTag = {
  Boolean: 0x01,
  Integer: 0x02,
  BitString: 0x03,
  OctetString: 0x04,
  Oid: 0x06,
  Utf8String: 0x0c,
  Sequence: 0x30,
  /** [0] constructed, context-specific. */
  Context0: 0xa0,
  /** [3] constructed, context-specific: the extensions of a TBSCertificate. */
  Context3: 0xa3,
} as const;

/** Reads the single TLV that must fill `bytes` exactly. */
export function readDer(bytes: Uint8Array): DerNode {
  const { node, next } = readAt(bytes, 0);
  if (next !== bytes.length) throw new DerError('trailing bytes after DER value');
  return node;
}

/** The TLVs inside a constructed value, in order. */
export function derChildren(node: DerNode): DerNode[] {
  if ((node.tag & 0x20) === 0) throw new DerError('not a constructed value');
  const children: DerNode[] = [];
  let offset = 0;
  while (offset < node.content.length) {
    const { node: child, next } = readAt(node.content, offset);
    children.push(child);
    offset = next;
  }
  return children;
}

function readAt(bytes: Uint8Array, offset: number): { node: DerNode; next: number } {
  if (offset + 2 > bytes.length) throw new DerError('truncated DER value');
  const tag = bytes[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not supported');
  let length = bytes[offset + 1];
  let header = 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4) throw new DerError('indefinite or oversized length');
    if (offset + 2 + octets > bytes.length) throw new DerError('truncated DER length');
    length = 0;
    for (let i = 0; i < octets; i += 1) length = length * 256 + bytes[offset + 2 + i];
    header += octets;
  }
  const end = offset + header + length;
  if (end > bytes.length) throw new DerError('truncated DER value');
  return {
    node: { tag, content: bytes.subarray(offset + header, end), raw: bytes.subarray(offset, end) },
    next: end,
  };
}

/** `nodes[index]`, which must exist and carry `tag`. */
export function childAt(nodes: readonly DerNode[], index: number, tag: number, what: string): DerNode {
  const node = nodes[index];
  if (!node) throw new DerError(`${what}: missing`);
  return expectTag(node, tag, what);
}

export function expectTag(node: DerNode, tag: number, what: string): DerNode {
  if (node.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, found 0x${node.tag.toString(16)}`);
  return node;
}

export function decodeOid(node: DerNode): string {
  expectTag(node, DerTag.Oid, 'object identifier');
  const bytes = node.content;
  if (bytes.length === 0) throw new DerError('empty object identifier');
  const arcs: bigint[] = [];
  let value = 0n;
  for (let i = 0; i < bytes.length; i += 1) {
    if (value === 0n && bytes[i] === 0x80) throw new DerError('non-minimal object identifier');
    value = (value << 7n) | BigInt(bytes[i] & 0x7f);
    if ((bytes[i] & 0x80) === 0) {
      arcs.push(value);
      value = 0n;
    } else if (i === bytes.length - 1) {
      throw new DerError('truncated object identifier');
    }
  }
  const first = arcs[0] < 80n ? arcs[0] / 40n : 2n;
  const second = arcs[0] - first * 40n;
  return [first, second, ...arcs.slice(1)].join('.');
}

export function decodeUtf8String(node: DerNode): string {
  expectTag(node, DerTag.Utf8String, 'UTF8String');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(node.content);
  } catch {
    throw new DerError('UTF8String is not valid UTF-8');
  }
}

export function decodeBoolean(node: DerNode): boolean {
  expectTag(node, DerTag.Boolean, 'BOOLEAN');
  if (node.content.length !== 1) throw new DerError('BOOLEAN of wrong length');
  return node.content[0] !== 0;
}

/** A non-negative INTEGER as decimal text (CRL numbers reach 20 octets). */
export function decodeUnsignedInteger(node: DerNode): string {
  expectTag(node, DerTag.Integer, 'INTEGER');
  if (node.content.length === 0 || node.content[0] & 0x80) throw new DerError('negative or empty INTEGER');
  let value = 0n;
  for (const byte of node.content) value = (value << 8n) | BigInt(byte);
  return value.toString();
}

// --- writing: used to issue test certificates carrying the 基本4情報 ---

export function encodeTlv(tag: number, content: Uint8Array): Uint8Array {
  const length = content.length;
  let header: number[];
  if (length < 0x80) header = [tag, length];
  else {
    const octets: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
    header = [tag, 0x80 | octets.length, ...octets];
  }
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  out.set(content, header.length);
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function encodeOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map((arc) => BigInt(arc));
  if (arcs.length < 2) throw new DerError(`not an object identifier: ${oid}`);
  const bytes: number[] = [];
  for (const arc of [arcs[0] * 40n + arcs[1], ...arcs.slice(2)]) {
    const group = [Number(arc & 0x7fn)];
    for (let rest = arc >> 7n; rest > 0n; rest >>= 7n) group.unshift(Number(rest & 0x7fn) | 0x80);
    bytes.push(...group);
  }
  return encodeTlv(DerTag.Oid, Uint8Array.from(bytes));
}

export function encodeUnsignedInteger(value: bigint): Uint8Array {
  if (value < 0n) throw new DerError('negative INTEGER');
  const bytes: number[] = [];
  for (let rest = value; rest > 0n; rest >>= 8n) bytes.unshift(Number(rest & 0xffn));
  if (bytes.length === 0 || bytes[0] & 0x80) bytes.unshift(0);
  return encodeTlv(DerTag.Integer, Uint8Array.from(bytes));
}

export function encodeUtf8String(text: string): Uint8Array {
  return encodeTlv(DerTag.Utf8String, new TextEncoder().encode(text));
}
