import { canonicalJson } from '@madoguchi/kernel';
import { createHash } from 'node:crypto';
import {
  ANOTHER_CA_NAME,
  cardChain,
  createTestCa,
  createTestPki,
  issueTestCard,
  issueTestCrl,
  signContentWithCard,
  signWithCard,
  type TestCard,
  type TestPki,
} from '../../../../test/support/jpki/test-pki';
import { verifyCertificateChain } from './certificate-chain';
import { canonicalContentHash, contentSigningBytes } from './content-hash';
import { verifyContentSignature } from './content-signature';
import { JpkiErrorCode } from './jpki.errors';
import type { RevocationLists } from './jpki.types';
import { reverifyRecord, type JpkiVerificationRecord } from './verification-record';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

const CONTENT = {
  procedure: 'certificate-of-residence',
  form: { copies: 2, purpose: '勤務先への提出', includeHousehold: true, note: null, items: ['本人', '世帯主'] },
  fee: 600,
};

describe('content signatures (signing an application with the signing certificate)', () => {
  let pki: TestPki;
  let card: TestCard;
  let crls: RevocationLists;

  beforeAll(async () => {
    pki = await createTestPki({ now: NOW });
    card = await pki.issueCard();
    crls = await pki.crls();
  });

  const signAndVerify = (overrides: Partial<Parameters<typeof verifyContentSignature>[0]> = {}) =>
    verifyContentSignature({
      certificateChain: cardChain(card, 'signing'),
      content: CONTENT,
      signature: signContentWithCard(card, CONTENT),
      anchors: pki.anchors,
      crls,
      at: NOW,
      ...overrides,
    });

  describe('canonicalContentHash', () => {
    it('is SHA-256 over the canonical JSON, whatever the key order', () => {
      const expected = createHash('sha256').update(canonicalJson(CONTENT), 'utf8').digest('hex');
      expect(canonicalContentHash(CONTENT)).toBe(expected);
      expect(canonicalContentHash({ fee: 600, form: { ...CONTENT.form }, procedure: CONTENT.procedure })).toBe(expected);
      expect(canonicalContentHash({ b: 1, a: 'あ' })).toBe(createHash('sha256').update('{"a":"あ","b":1}', 'utf8').digest('hex'));
    });

    it('changes with any change of the content', () => {
      const hash = canonicalContentHash(CONTENT);
      expect(canonicalContentHash({ ...CONTENT, fee: 601 })).not.toBe(hash);
      expect(canonicalContentHash({ ...CONTENT, fee: '600' })).not.toBe(hash);
      expect(canonicalContentHash({ ...CONTENT, form: { ...CONTENT.form, items: ['世帯主', '本人'] } })).not.toBe(hash);
      expect(canonicalContentHash({ ...CONTENT, extra: null })).not.toBe(hash);
    });

    it('refuses what JSON cannot carry unambiguously', () => {
      for (const content of [undefined, { at: new Date(0) }, { n: Number.NaN }, { n: Infinity }, [() => 1], { big: 1n }, new Map()]) {
        expect(() => canonicalContentHash(content)).toThrow(expect.objectContaining({ code: JpkiErrorCode.Malformed }));
      }
    });
  });

  it('verifies the signature, binds the 基本4情報 and returns a record', async () => {
    const result = await signAndVerify();
    expect(result.basic4).toEqual({ name: '窓口 太郎', address: '桜ヶ丘市中央1-1-1', dateOfBirth: '1980-04-01', sex: 'male' });
    expect(result.contentHash).toBe(canonicalContentHash(CONTENT));
    expect(result.certificate).toMatchObject({ kind: 'signing', serialNumber: card.signing.serialNumber });
    expect(result.record).toMatchObject({
      version: 1,
      kind: 'signing',
      contentHash: result.contentHash,
      signature: signContentWithCard(card, CONTENT),
      verifiedAt: NOW.toISOString(),
      result: { valid: true, serialNumber: card.signing.serialNumber, basic4: card.basic4 },
    });
    expect(result.record.certificateChain).toEqual([card.signing.der.toString('base64'), pki.root.der.toString('base64')]);
    expect(result.record.revocation).toEqual([
      expect.objectContaining({ serialNumber: card.signing.serialNumber, crlIssuer: pki.root.name, crlNumber: '1' }),
    ]);
    expect(JSON.parse(JSON.stringify(result.record))).toEqual(result.record);
  });

  it('is the same as the card signing the hash (DigestInfo of the content hash)', () => {
    // RSASSA-PKCS1-v1_5 is deterministic: signing the bytes equals signing their SHA-256 digest through the card.
    const bytes = contentSigningBytes(CONTENT);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(canonicalContentHash(CONTENT));
    expect(signWithCard(card, 'signing', bytes)).toBe(signContentWithCard(card, CONTENT));
  });

  it('verifies the same content with its keys in another order', async () => {
    const reordered = { fee: 600, procedure: CONTENT.procedure, form: { ...CONTENT.form } };
    await expect(signAndVerify({ content: reordered })).resolves.toMatchObject({ contentHash: canonicalContentHash(CONTENT) });
  });

  it('refuses content changed after signing', async () => {
    for (const changed of [{ ...CONTENT, fee: 0 }, { ...CONTENT, form: { ...CONTENT.form, copies: 3 } }, { ...CONTENT, added: true }]) {
      await expect(signAndVerify({ content: changed })).rejects.toMatchObject({ code: JpkiErrorCode.SignatureInvalid, httpStatus: 422 });
    }
  });

  it('refuses a signature by the authentication key, and the authentication certificate', async () => {
    await expect(signAndVerify({ signature: signWithCard(card, 'authentication', contentSigningBytes(CONTENT)) })).rejects.toMatchObject({
      code: JpkiErrorCode.SignatureInvalid,
    });
    await expect(
      signAndVerify({ certificateChain: cardChain(card, 'authentication'), signature: signWithCard(card, 'authentication', contentSigningBytes(CONTENT)) }),
    ).rejects.toMatchObject({ code: JpkiErrorCode.WrongCertificateKind, httpStatus: 422 });
  });

  it('refuses a revoked or expired signing certificate, and one from another CA', async () => {
    await expect(signAndVerify({ crls: await pki.crls({ revoked: [card.signing.serialNumber] }) })).rejects.toMatchObject({
      code: JpkiErrorCode.CertificateRevoked,
      httpStatus: 422,
    });
    await expect(signAndVerify({ at: new Date(card.signing.certificate.notAfter.getTime() + 1) })).rejects.toMatchObject({
      code: JpkiErrorCode.CertificateExpired,
    });
    const other = await createTestCa({ now: NOW, name: ANOTHER_CA_NAME, keys: pki.root.keys });
    const stranger = await issueTestCard(other, { now: NOW, keys: card.keys });
    await expect(signAndVerify({ certificateChain: cardChain(stranger, 'signing') })).rejects.toMatchObject({
      code: JpkiErrorCode.UntrustedIssuer,
      httpStatus: 422,
    });
  });

  it('refuses a malformed signature or content', async () => {
    await expect(signAndVerify({ signature: '***' })).rejects.toMatchObject({ code: JpkiErrorCode.Malformed, httpStatus: 400 });
    await expect(signAndVerify({ content: undefined })).rejects.toMatchObject({ code: JpkiErrorCode.Malformed });
  });

  describe('long-term validation', () => {
    let shortCard: TestCard;
    let record: JpkiVerificationRecord;
    const signedAt = NOW;
    const afterExpiry = new Date(NOW.getTime() + 40 * DAY);

    beforeAll(async () => {
      // A signing certificate with a month left: by `afterExpiry` it has expired and its CRL is long stale.
      shortCard = await pki.issueCard({ keys: card.keys, signing: { notAfter: new Date(NOW.getTime() + 30 * DAY) } });
      const result = await verifyContentSignature({
        certificateChain: cardChain(shortCard, 'signing'),
        content: CONTENT,
        signature: signContentWithCard(shortCard, CONTENT),
        anchors: pki.anchors,
        crls,
        at: signedAt,
      });
      // Stored as JSON, read back years later.
      record = JSON.parse(JSON.stringify(result.record)) as JpkiVerificationRecord;
    });

    it('re-verifies from the record alone after the certificate has expired', async () => {
      await expect(
        verifyCertificateChain({ leaf: shortCard.signing.pem, anchors: pki.anchors, crls, at: afterExpiry, kind: 'signing' }),
      ).rejects.toMatchObject({ code: JpkiErrorCode.CertificateExpired });
      const again = await reverifyRecord(record, CONTENT);
      expect(again).toMatchObject({ valid: true, verifiedAt: signedAt, contentHash: canonicalContentHash(CONTENT), basic4: card.basic4 });
      expect(again.certificate.serialNumber).toBe(shortCard.signing.serialNumber);
      await expect(reverifyRecord(record, CONTENT, { anchors: pki.anchors })).resolves.toMatchObject({ valid: true });
    });

    it('fails once the content has changed', async () => {
      await expect(reverifyRecord(record, { ...CONTENT, fee: 0 })).rejects.toMatchObject({
        code: JpkiErrorCode.SignatureInvalid,
        details: { reason: 'contentChanged' },
      });
    });

    it('fails when the record is tampered with', async () => {
      // The hash adjusted to the new content: the signature no longer matches.
      const changed = { ...CONTENT, fee: 0 };
      await expect(reverifyRecord({ ...record, contentHash: canonicalContentHash(changed) }, changed)).rejects.toMatchObject({
        code: JpkiErrorCode.SignatureInvalid,
        details: { reason: 'signatureMismatch' },
      });
      // The signing time moved past the certificate's life.
      await expect(reverifyRecord({ ...record, verifiedAt: afterExpiry.toISOString() }, CONTENT)).rejects.toMatchObject({
        code: JpkiErrorCode.CertificateExpired,
      });
      // Other 基本4情報 claimed than the certificate carries.
      await expect(
        reverifyRecord({ ...record, result: { ...record.result, basic4: { ...record.result.basic4, name: '別人 次郎' } } }, CONTENT),
      ).rejects.toMatchObject({ code: JpkiErrorCode.Malformed });
      // A chain whose links do not verify.
      await expect(
        reverifyRecord({ ...record, certificateChain: [record.certificateChain[0], record.certificateChain[0]] }, CONTENT),
      ).rejects.toMatchObject({ code: JpkiErrorCode.UntrustedIssuer });
      // Revocation evidence dropped.
      await expect(reverifyRecord({ ...record, revocation: [] }, CONTENT)).rejects.toMatchObject({ code: JpkiErrorCode.Malformed });
      // Not a record at all.
      await expect(reverifyRecord({ ...record, version: 2 } as unknown as JpkiVerificationRecord, CONTENT)).rejects.toMatchObject({
        code: JpkiErrorCode.Malformed,
      });
    });

    it('fails when a whole record was made under another CA and the trusted anchors are given', async () => {
      const other = await createTestCa({ now: NOW, name: ANOTHER_CA_NAME, keys: pki.root.keys });
      const stranger = await issueTestCard(other, { now: NOW, keys: card.keys });
      const forged = await verifyContentSignature({
        certificateChain: cardChain(stranger, 'signing'),
        content: CONTENT,
        signature: signContentWithCard(stranger, CONTENT),
        anchors: [other.pem],
        crls: [await issueTestCrl(other, { now: NOW })],
        at: NOW,
      });
      await expect(reverifyRecord(forged.record, CONTENT)).resolves.toMatchObject({ valid: true });
      await expect(reverifyRecord(forged.record, CONTENT, { anchors: pki.anchors })).rejects.toMatchObject({
        code: JpkiErrorCode.UntrustedIssuer,
        details: { reason: 'recordedAnchorNotTrusted' },
      });
    });
  });
});
