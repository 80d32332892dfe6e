import 'reflect-metadata';
import { Extension } from '@peculiar/x509';
import {
  ANOTHER_CA_NAME,
  cardChain,
  createIntermediateCa,
  createTestCa,
  createTestPki,
  generateTestKeyPair,
  issueTestCard,
  issueTestCrl,
  TEST_ROOT_CA_NAME,
  type CardCertificateOptions,
  type TestCard,
  type TestKeyPair,
  type TestPki,
} from '../../../../test/support/jpki/test-pki';
import { assertTrustAnchors, verifyCertificateChain } from './certificate-chain';
import { JpkiErrorCode } from './jpki.errors';
import { JPKI_POLICY_OIDS } from './jpki.profile';
import type { JpkiCertificateKind, RevocationLists, TrustAnchors } from './jpki.types';

const NOW = new Date('2026-06-01T00:00:00Z');
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

describe('verifyCertificateChain', () => {
  let pki: TestPki;
  let card: TestCard;
  let crls: RevocationLists;
  let otherKeys: TestKeyPair;

  beforeAll(async () => {
    pki = await createTestPki({ now: NOW });
    card = await pki.issueCard();
    crls = await pki.crls();
    otherKeys = await generateTestKeyPair();
  });

  const verify = (kind: JpkiCertificateKind, options: { card?: TestCard; crls?: RevocationLists; at?: Date; anchors?: TrustAnchors } = {}) => {
    const [leaf, ...intermediates] = cardChain(options.card ?? card, kind);
    return verifyCertificateChain({
      leaf,
      intermediates,
      anchors: options.anchors ?? pki.anchors,
      crls: options.crls ?? crls,
      at: options.at ?? NOW,
      kind,
    });
  };
  const variant = (certificate: { authentication?: CardCertificateOptions; signing?: CardCertificateOptions }) =>
    pki.issueCard({ keys: card.keys, ...certificate });

  describe('valid cards', () => {
    it('verifies the authentication certificate and reports who issued what', async () => {
      const result = await verify('authentication');
      expect(result).toMatchObject({
        kind: 'authentication',
        serialNumber: card.authentication.serialNumber,
        issuer: TEST_ROOT_CA_NAME,
        notBefore: card.authentication.certificate.notBefore,
        notAfter: card.authentication.certificate.notAfter,
        basic4: null,
      });
      expect(result.subject).toBe(`CN=${card.cardId}, OU=Authentication, O=Simulated JPKI card, C=JP`);
      expect(result.chain.map((link) => link.subject)).toEqual([result.subject, TEST_ROOT_CA_NAME]);
      expect(result.fingerprintSha256).toMatch(/^[0-9A-F]{64}$/);
    });

    it('verifies the signing certificate and extracts exactly the 基本4情報 the issuer put in', async () => {
      const result = await verify('signing');
      expect(result.kind).toBe('signing');
      expect(result.basic4).toEqual({ name: '窓口 太郎', address: '桜ヶ丘市中央1-1-1', dateOfBirth: '1980-04-01', sex: 'male' });
    });

    it('keeps unusual characters of the 基本4情報 as they are (no normalisation)', async () => {
      const basic4 = { name: '髙橋　花子', address: '桜ヶ丘市中央１丁目２番地３　ハイツ桜ヶ丘 101号', dateOfBirth: '2000-02-29', sex: 'female' as const };
      const unusual = await pki.issueCard({ keys: card.keys, basic4 });
      expect((await verify('signing', { card: unusual })).basic4).toEqual(basic4);
    });

    it('accepts a certificate on its last second and refuses it one millisecond later', async () => {
      const notAfter = new Date(NOW.getTime() + HOUR);
      const short = await variant({ authentication: { notAfter } });
      await expect(verify('authentication', { card: short, at: notAfter })).resolves.toMatchObject({ kind: 'authentication' });
      await expect(verify('authentication', { card: short, at: new Date(notAfter.getTime() + 1) })).rejects.toMatchObject({
        code: JpkiErrorCode.CertificateExpired,
      });
    });
  });

  describe('validity', () => {
    it('refuses an expired certificate: 401 at login, 422 when signing', async () => {
      const expired = await variant({
        authentication: { notBefore: new Date('2021-01-01T00:00:00Z'), notAfter: new Date(NOW.getTime() - DAY) },
        signing: { notBefore: new Date('2021-01-01T00:00:00Z'), notAfter: new Date(NOW.getTime() - DAY) },
      });
      await expect(verify('authentication', { card: expired })).rejects.toMatchObject({
        code: JpkiErrorCode.CertificateExpired,
        httpStatus: 401,
        details: { position: 'leaf' },
      });
      await expect(verify('signing', { card: expired })).rejects.toMatchObject({ code: JpkiErrorCode.CertificateExpired, httpStatus: 422 });
    });

    it('refuses a certificate that is not valid yet', async () => {
      const future = await variant({ authentication: { notBefore: new Date(NOW.getTime() + DAY) } });
      await expect(verify('authentication', { card: future })).rejects.toMatchObject({
        code: JpkiErrorCode.CertificateNotYetValid,
        httpStatus: 401,
        details: { position: 'leaf' },
      });
    });

    it('refuses a card whose trust anchor has expired', async () => {
      const expiredRoot = await createTestCa({ now: NOW, keys: pki.root.keys, notBefore: new Date('2010-01-01'), notAfter: new Date(NOW.getTime() - DAY) });
      await expect(verify('authentication', { anchors: [expiredRoot.pem] })).rejects.toMatchObject({
        code: JpkiErrorCode.CertificateExpired,
        details: { position: 'anchor' },
      });
    });
  });

  describe('trust', () => {
    it('refuses a card issued by another CA', async () => {
      const other = await createTestCa({ now: NOW, name: ANOTHER_CA_NAME, keys: otherKeys });
      const stranger = await issueTestCard(other, { now: NOW, keys: card.keys });
      await expect(verify('authentication', { card: stranger })).rejects.toMatchObject({
        code: JpkiErrorCode.UntrustedIssuer,
        httpStatus: 401,
        details: { reason: 'noPathToTrustAnchor', issuer: ANOTHER_CA_NAME },
      });
    });

    it('refuses a card from an impostor CA that copies the name of the trusted one', async () => {
      const impostor = await createTestCa({ now: NOW, name: TEST_ROOT_CA_NAME, keys: otherKeys });
      const forged = await issueTestCard(impostor, { now: NOW, keys: card.keys });
      await expect(verify('signing', { card: forged })).rejects.toMatchObject({ code: JpkiErrorCode.UntrustedIssuer, httpStatus: 422 });
    });

    it('refuses the anchor itself presented as a card', async () => {
      await expect(
        verifyCertificateChain({ leaf: pki.root.pem, anchors: pki.anchors, crls, at: NOW, kind: 'authentication' }),
      ).rejects.toMatchObject({ code: JpkiErrorCode.KeyUsageInvalid, details: { reason: 'leafIsCa' } });
    });

    it('refuses a leaf marked as a CA', async () => {
      const caLeaf = await variant({ authentication: { ca: true } });
      await expect(verify('authentication', { card: caLeaf })).rejects.toMatchObject({
        code: JpkiErrorCode.KeyUsageInvalid,
        details: { reason: 'leafIsCa' },
      });
    });

    it('refuses an unknown critical extension', async () => {
      const critical = await variant({ authentication: { extraExtensions: [new Extension('1.2.3.4.5', true, new Uint8Array([5, 0]))] } });
      await expect(verify('authentication', { card: critical })).rejects.toMatchObject({
        code: JpkiErrorCode.UntrustedIssuer,
        details: { reason: 'unsupportedCriticalExtension', oid: '1.2.3.4.5' },
      });
    });
  });

  describe('kind and key usage', () => {
    it('refuses the signing certificate where the authentication certificate is expected, and vice versa', async () => {
      const [signingLeaf] = cardChain(card, 'signing');
      await expect(
        verifyCertificateChain({ leaf: signingLeaf, anchors: pki.anchors, crls, at: NOW, kind: 'authentication' }),
      ).rejects.toMatchObject({ code: JpkiErrorCode.WrongCertificateKind, httpStatus: 401, details: { found: 'signing' } });
      const [authenticationLeaf] = cardChain(card, 'authentication');
      await expect(
        verifyCertificateChain({ leaf: authenticationLeaf, anchors: pki.anchors, crls, at: NOW, kind: 'signing' }),
      ).rejects.toMatchObject({ code: JpkiErrorCode.WrongCertificateKind, httpStatus: 422, details: { found: 'authentication' } });
    });

    it('refuses a certificate with no JPKI policy, or with both', async () => {
      const none = await variant({ authentication: { policies: ['1.2.3.4'] } });
      await expect(verify('authentication', { card: none })).rejects.toMatchObject({
        code: JpkiErrorCode.WrongCertificateKind,
        details: { found: 'none' },
      });
      const both = await variant({ signing: { policies: [JPKI_POLICY_OIDS.signing, JPKI_POLICY_OIDS.authentication] } });
      await expect(verify('signing', { card: both })).rejects.toMatchObject({
        code: JpkiErrorCode.WrongCertificateKind,
        details: { found: 'both' },
      });
    });

    it('refuses an authentication certificate without digitalSignature', async () => {
      const wrong = await variant({ authentication: { keyUsage: ['keyEncipherment'] } });
      await expect(verify('authentication', { card: wrong })).rejects.toMatchObject({
        code: JpkiErrorCode.KeyUsageInvalid,
        httpStatus: 401,
        details: { reason: 'keyUsageMissing', missing: ['digitalSignature'] },
      });
    });

    it('refuses a signing certificate without nonRepudiation', async () => {
      const wrong = await variant({ signing: { keyUsage: ['digitalSignature'] } });
      await expect(verify('signing', { card: wrong })).rejects.toMatchObject({
        code: JpkiErrorCode.KeyUsageInvalid,
        httpStatus: 422,
        details: { missing: ['nonRepudiation'] },
      });
    });

    it('refuses a card certificate allowed to sign certificates', async () => {
      const wrong = await variant({ authentication: { keyUsage: ['digitalSignature', 'keyCertSign'] } });
      await expect(verify('authentication', { card: wrong })).rejects.toMatchObject({
        code: JpkiErrorCode.KeyUsageInvalid,
        details: { reason: 'keyUsageForbidden', forbidden: ['keyCertSign'] },
      });
    });
  });

  describe('基本4情報 in the signing certificate', () => {
    it('refuses a signing certificate that carries none', async () => {
      const bare = await variant({ signing: { basic4: null } });
      await expect(verify('signing', { card: bare })).rejects.toMatchObject({ code: JpkiErrorCode.Malformed, httpStatus: 400 });
    });

    it('refuses 基本4情報 that break the profile', async () => {
      const badDate = await variant({ signing: { basic4: { ...card.basic4, dateOfBirth: '1980-02-30' } } });
      await expect(verify('signing', { card: badDate })).rejects.toMatchObject({ code: JpkiErrorCode.Malformed });
      const badSex = await variant({ signing: { basic4: { ...card.basic4, sex: 'M' as never } } });
      await expect(verify('signing', { card: badSex })).rejects.toMatchObject({ code: JpkiErrorCode.Malformed });
    });
  });

  describe('revocation', () => {
    it('refuses a certificate on the CRL of its issuer', async () => {
      const revoked = await pki.crls({ revoked: [card.signing.serialNumber] });
      await expect(verify('signing', { crls: revoked })).rejects.toMatchObject({
        code: JpkiErrorCode.CertificateRevoked,
        httpStatus: 422,
        details: { serialNumber: card.signing.serialNumber, position: 'leaf' },
      });
      // The other certificate of the same card is not on it.
      await expect(verify('authentication', { crls: revoked })).resolves.toMatchObject({ kind: 'authentication' });
    });

    it('uses the newest current CRL when several are loaded', async () => {
      const older = await issueTestCrl(pki.root, { now: NOW, thisUpdate: new Date(NOW.getTime() - 3 * HOUR), crlNumber: 7 });
      const newer = await issueTestCrl(pki.root, { now: NOW, revoked: [card.authentication.serialNumber], crlNumber: 8 });
      const stale = await issueTestCrl(pki.root, { now: NOW, thisUpdate: new Date(NOW.getTime() - 9 * DAY), nextUpdate: new Date(NOW.getTime() - 8 * DAY), crlNumber: 3 });
      await expect(verify('authentication', { crls: [stale, older, newer] })).rejects.toMatchObject({ code: JpkiErrorCode.CertificateRevoked });
      const result = await verify('authentication', { crls: [stale, older] });
      expect(result.revocation[0]).toMatchObject({ crlNumber: '7' });
    });

    it('refuses when no CRL of the issuer is loaded', async () => {
      await expect(verify('authentication', { crls: [] })).rejects.toMatchObject({
        code: JpkiErrorCode.CrlUnavailable,
        httpStatus: 503,
        details: { reason: 'missing', crlIssuer: TEST_ROOT_CA_NAME },
      });
      const other = await createTestCa({ now: NOW, name: ANOTHER_CA_NAME, keys: otherKeys });
      await expect(verify('authentication', { crls: [await issueTestCrl(other, { now: NOW })] })).rejects.toMatchObject({
        code: JpkiErrorCode.CrlUnavailable,
        details: { reason: 'missing' },
      });
    });

    it('refuses a stale CRL (past its nextUpdate) and one without nextUpdate', async () => {
      const stale = await issueTestCrl(pki.root, { now: NOW, thisUpdate: new Date(NOW.getTime() - 2 * DAY), nextUpdate: new Date(NOW.getTime() - DAY) });
      await expect(verify('authentication', { crls: [stale] })).rejects.toMatchObject({
        code: JpkiErrorCode.CrlUnavailable,
        details: { reason: 'stale' },
      });
      const exactlyDue = await issueTestCrl(pki.root, { now: NOW, thisUpdate: new Date(NOW.getTime() - DAY), nextUpdate: NOW });
      await expect(verify('authentication', { crls: [exactlyDue] })).rejects.toMatchObject({ code: JpkiErrorCode.CrlUnavailable });
      const open = await issueTestCrl(pki.root, { now: NOW, nextUpdate: null });
      await expect(verify('authentication', { crls: [open] })).rejects.toMatchObject({ code: JpkiErrorCode.CrlUnavailable });
    });

    it('refuses a CRL issued after the instant judged', async () => {
      const future = await issueTestCrl(pki.root, { now: NOW, thisUpdate: new Date(NOW.getTime() + HOUR) });
      await expect(verify('authentication', { crls: [future] })).rejects.toMatchObject({
        code: JpkiErrorCode.CrlUnavailable,
        details: { reason: 'notYetValid' },
      });
    });

    it('refuses a CRL signed by another key, even if it clears the card', async () => {
      const forged = await issueTestCrl(pki.root, { now: NOW, signingKeys: otherKeys });
      await expect(verify('authentication', { crls: [forged] })).rejects.toMatchObject({
        code: JpkiErrorCode.CrlUnavailable,
        details: { reason: 'signature' },
      });
      // A forged CRL beside the genuine one changes nothing.
      await expect(verify('authentication', { crls: [forged, ...crls] })).resolves.toMatchObject({ kind: 'authentication' });
    });

    it('ignores a CRL whose declared issuer does not match, and garbage in the loaded set', async () => {
      const mislabelled = crls.map((crl) => ({ ...crl, issuer: ANOTHER_CA_NAME }));
      await expect(verify('authentication', { crls: mislabelled })).rejects.toMatchObject({ code: JpkiErrorCode.CrlUnavailable });
      const garbage = { issuer: TEST_ROOT_CA_NAME, der: new Uint8Array([1, 2, 3]) };
      await expect(verify('authentication', { crls: [garbage, ...crls] })).resolves.toMatchObject({ kind: 'authentication' });
    });
  });

  describe('with an intermediate CA', () => {
    let tiered: TestPki;
    let tieredCard: TestCard;
    let tieredCrls: RevocationLists;

    beforeAll(async () => {
      tiered = await createTestPki({ now: NOW, intermediate: true, rootKeys: pki.root.keys });
      tieredCard = await tiered.issueCard({ keys: card.keys });
      tieredCrls = await tiered.crls();
    });

    it('verifies leaf → intermediate → root and checks both CRLs', async () => {
      const result = await verify('signing', { card: tieredCard, crls: tieredCrls, anchors: tiered.anchors });
      expect(result.chain).toHaveLength(3);
      expect(result.issuer).toBe(tiered.intermediate?.name);
      expect(result.revocation.map((check) => check.crlIssuer)).toEqual([tiered.intermediate?.name, tiered.root.name]);
      expect(result.basic4).toEqual(card.basic4);
    });

    it('refuses when the client leaves the intermediate out', async () => {
      await expect(
        verifyCertificateChain({ leaf: tieredCard.signing.pem, anchors: tiered.anchors, crls: tieredCrls, at: NOW, kind: 'signing' }),
      ).rejects.toMatchObject({ code: JpkiErrorCode.UntrustedIssuer });
    });

    it('accepts the intermediate configured as an anchor instead of sent', async () => {
      const anchors = [tiered.root.pem, tiered.intermediate?.pem ?? ''];
      const result = await verifyCertificateChain({ leaf: tieredCard.signing.pem, anchors, crls: tieredCrls, at: NOW, kind: 'signing' });
      expect(result.chain).toHaveLength(2);
    });

    it('refuses a revoked intermediate, and a missing root CRL', async () => {
      const intermediate = tiered.intermediate;
      if (!intermediate) throw new Error('no intermediate');
      const issuingCrl = await issueTestCrl(intermediate, { now: NOW });
      const rootRevokes = await issueTestCrl(tiered.root, { now: NOW, revoked: [intermediate.certificate.serialNumber] });
      await expect(
        verify('signing', { card: tieredCard, crls: [issuingCrl, rootRevokes], anchors: tiered.anchors }),
      ).rejects.toMatchObject({ code: JpkiErrorCode.CertificateRevoked, details: { position: 'intermediate' } });
      await expect(verify('signing', { card: tieredCard, crls: [issuingCrl], anchors: tiered.anchors })).rejects.toMatchObject({
        code: JpkiErrorCode.CrlUnavailable,
        details: { crlIssuer: tiered.root.name },
      });
    });

    it('refuses an intermediate that is not a CA', async () => {
      const notCa = await createIntermediateCa(tiered.root, { now: NOW, notCa: true, keys: otherKeys });
      const underNotCa = await issueTestCard(notCa, { now: NOW, keys: card.keys });
      const crlsOfNotCa = [await issueTestCrl(notCa, { now: NOW }), await issueTestCrl(tiered.root, { now: NOW })];
      await expect(
        verify('authentication', { card: underNotCa, crls: crlsOfNotCa, anchors: tiered.anchors }),
      ).rejects.toMatchObject({ code: JpkiErrorCode.UntrustedIssuer, details: { reason: 'issuerIsNotCa', position: 'intermediate' } });
    });
  });

  describe('malformed input and configuration', () => {
    it('refuses what is not a certificate', async () => {
      for (const leaf of [
        'not base64 at all!',
        Buffer.from('not a certificate').toString('base64'),
        new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]),
        card.authentication.pem.replace(/[A-Za-z0-9+/]{10}\n/, '\n'),
        Buffer.concat([card.authentication.der, Buffer.from([0])]),
      ]) {
        await expect(verifyCertificateChain({ leaf, anchors: pki.anchors, crls, at: NOW, kind: 'authentication' })).rejects.toMatchObject({
          code: JpkiErrorCode.Malformed,
          httpStatus: 400,
        });
      }
    });

    it('refuses two certificates where one leaf is expected, and overlong chains', async () => {
      await expect(
        verifyCertificateChain({ leaf: card.authentication.pem + card.signing.pem, anchors: pki.anchors, crls, at: NOW, kind: 'authentication' }),
      ).rejects.toMatchObject({ code: JpkiErrorCode.Malformed });
      await expect(
        verifyCertificateChain({ leaf: card.authentication.pem, intermediates: Array(4).fill(pki.root.pem), anchors: pki.anchors, crls, at: NOW, kind: 'authentication' }),
      ).rejects.toMatchObject({ code: JpkiErrorCode.Malformed });
    });

    it('treats a broken trust anchor as a configuration error, not a client error', async () => {
      expect(() => assertTrustAnchors([pki.root.pem])).not.toThrow();
      expect(() => assertTrustAnchors([])).toThrow(/none configured/);
      expect(() => assertTrustAnchors([pki.root.pem, 'garbage'])).toThrow(/trust anchor #2/);
      expect(() => assertTrustAnchors([card.authentication.pem])).toThrow(/not a CA certificate/);
      await expect(verify('authentication', { anchors: ['garbage'] })).rejects.toThrow(/JPKI trust anchor #1/);
    });

    it('needs a real instant', async () => {
      await expect(verify('authentication', { at: new Date(Number.NaN) })).rejects.toThrow(TypeError);
    });
  });
});
