import {
  DerError,
  decodeOid,
  decodeUnsignedInteger,
  decodeUtf8String,
  derChildren,
  DerTag,
  encodeOid,
  encodeTlv,
  encodeUnsignedInteger,
  encodeUtf8String,
  readDer,
} from './der';
import { MADOGUCHI_SIMULATED_JPKI_ARC } from './jpki.profile';

describe('DER reader and writer', () => {
  it('round-trips object identifiers, including the long UUID arc', () => {
    for (const oid of ['2.5.29.19', '1.2.840.113549.1.1.11', '0.9.2342.19200300.100.1.1', `${MADOGUCHI_SIMULATED_JPKI_ARC}.2.4`]) {
      expect(decodeOid(readDer(encodeOid(oid)))).toBe(oid);
    }
    // 2.5.29.19 is 06 03 55 1d 13 in every certificate.
    expect(Buffer.from(encodeOid('2.5.29.19')).toString('hex')).toBe('0603551d13');
  });

  it('encodes long lengths and UTF-8 text', () => {
    const text = '桜ヶ丘市'.repeat(20);
    const encoded = encodeUtf8String(text);
    expect(encoded[1]).toBe(0x81);
    expect(decodeUtf8String(readDer(encoded))).toBe(text);
    const big = encodeTlv(DerTag.OctetString, new Uint8Array(300));
    expect(Buffer.from(big.subarray(0, 4)).toString('hex')).toBe('0482012c');
  });

  it('round-trips unsigned integers, with a leading zero where the top bit is set', () => {
    for (const value of [0n, 1n, 127n, 128n, 255n, 256n, 2n ** 159n]) {
      expect(decodeUnsignedInteger(readDer(encodeUnsignedInteger(value)))).toBe(value.toString());
    }
    expect(Buffer.from(encodeUnsignedInteger(128n)).toString('hex')).toBe('02020080');
  });

  it('walks constructed values', () => {
    const sequence = encodeTlv(DerTag.Sequence, Buffer.concat([encodeOid('2.5.29.15'), encodeUtf8String('x')]));
    const children = derChildren(readDer(sequence));
    expect(children.map((child) => child.tag)).toEqual([DerTag.Oid, DerTag.Utf8String]);
  });

  it('refuses what DER does not allow', () => {
    const refuse = (hex: string) => expect(() => readDer(Buffer.from(hex, 'hex'))).toThrow(DerError);
    refuse('');
    refuse('0403aabb'); // truncated
    refuse('0401aabb'); // trailing bytes
    refuse('3080000000'); // indefinite length
    refuse('1f2201aa'); // high tag number
    expect(() => decodeUtf8String(readDer(Buffer.from('0c01ff', 'hex')))).toThrow(DerError);
    expect(() => decodeOid(readDer(Buffer.from('0602558f', 'hex')))).toThrow(DerError);
    expect(() => decodeUnsignedInteger(readDer(Buffer.from('020180', 'hex')))).toThrow(DerError);
    expect(() => derChildren(readDer(encodeUtf8String('x')))).toThrow(DerError);
  });
});
