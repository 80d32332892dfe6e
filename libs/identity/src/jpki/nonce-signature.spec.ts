import { randomBytes } from 'node:crypto';
import {
  ANOTHER_CA_NAME,
  cardChain,
  createTestCa,
  createTestPki,
  issueTestCard,
  signWithCard,
  type TestCard,
  type TestPki,
} from '../../../../test/support/jpki/test-pki';
import { JpkiErrorCode } from './jpki.errors';
import type { RevocationLists } from './jpki.types';
import { verifyNonceSignature } from './nonce-signature';

const NOW = new Date('2026-06-01T00:00:00Z');

describe('verifyNonceSignature (login with the authentication certificate)', () => {
  let pki: TestPki;
  let card: TestCard;
  let crls: RevocationLists;
  const nonce = randomBytes(32).toString('base64url');

  beforeAll(async () => {
    pki = await createTestPki({ now: NOW });
    card = await pki.issueCard();
    crls = await pki.crls();
  });

  const login = (overrides: Partial<Parameters<typeof verifyNonceSignature>[0]> = {}) =>
    verifyNonceSignature({
      certificateChain: cardChain(card, 'authentication'),
      nonce,
      signature: signWithCard(card, 'authentication', nonce),
      anchors: pki.anchors,
      crls,
      at: NOW,
      ...overrides,
    });

  it('accepts a signature over the nonce by the authentication key', async () => {
    const result = await login();
    expect(result).toMatchObject({
      kind: 'authentication',
      serialNumber: card.authentication.serialNumber,
      issuer: pki.root.name,
      basic4: null,
      verifiedAt: NOW,
    });
    expect(result.subject).toContain(card.cardId);
    expect(result.notBefore).toBeInstanceOf(Date);
    expect(result.chain).toHaveLength(2);
    expect(result.revocation).toEqual([
      expect.objectContaining({ serialNumber: card.authentication.serialNumber, crlIssuer: pki.root.name, crlNumber: '1' }),
    ]);
  });

  it('accepts the nonce as bytes and the chain as one PEM string or DER', async () => {
    const bytes = randomBytes(32);
    await expect(
      login({ nonce: bytes, signature: Buffer.from(signWithCard(card, 'authentication', bytes), 'base64'), certificateChain: card.authentication.pem }),
    ).resolves.toMatchObject({ kind: 'authentication' });
    await expect(login({ certificateChain: [card.authentication.der] })).resolves.toMatchObject({ kind: 'authentication' });
  });

  it('refuses a signature over another nonce', async () => {
    await expect(login({ signature: signWithCard(card, 'authentication', 'another nonce') })).rejects.toMatchObject({
      code: JpkiErrorCode.SignatureInvalid,
      httpStatus: 401,
    });
  });

  it('refuses a signature by another key (the signing key of the same card)', async () => {
    await expect(login({ signature: signWithCard(card, 'signing', nonce) })).rejects.toMatchObject({
      code: JpkiErrorCode.SignatureInvalid,
    });
  });

  it('refuses a signature made for one nonce when the nonce is changed', async () => {
    await expect(login({ nonce: `${nonce}x` })).rejects.toMatchObject({ code: JpkiErrorCode.SignatureInvalid });
  });

  it('refuses the signing certificate for login', async () => {
    await expect(
      login({ certificateChain: cardChain(card, 'signing'), signature: signWithCard(card, 'signing', nonce) }),
    ).rejects.toMatchObject({ code: JpkiErrorCode.WrongCertificateKind, httpStatus: 401, details: { expected: 'authentication', found: 'signing' } });
  });

  it('refuses a card of another CA', async () => {
    const other = await createTestCa({ now: NOW, name: ANOTHER_CA_NAME, keys: pki.root.keys });
    const stranger = await issueTestCard(other, { now: NOW, keys: card.keys });
    await expect(
      login({ certificateChain: cardChain(stranger, 'authentication'), signature: signWithCard(stranger, 'authentication', nonce) }),
    ).rejects.toMatchObject({ code: JpkiErrorCode.UntrustedIssuer, httpStatus: 401 });
  });

  it('refuses an expired card at login', async () => {
    const expired = await pki.issueCard({
      keys: card.keys,
      authentication: { notBefore: new Date('2021-01-01T00:00:00Z'), notAfter: new Date('2026-05-31T23:59:59Z') },
    });
    await expect(login({ certificateChain: cardChain(expired, 'authentication') })).rejects.toMatchObject({
      code: JpkiErrorCode.CertificateExpired,
      httpStatus: 401,
    });
  });

  it('refuses a revoked card at login', async () => {
    const revokedCrls = await pki.crls({ revoked: [card.authentication.serialNumber], crlNumber: 2 });
    await expect(login({ crls: revokedCrls })).rejects.toMatchObject({ code: JpkiErrorCode.CertificateRevoked, httpStatus: 401 });
  });

  it('refuses a malformed signature, nonce or chain', async () => {
    await expect(login({ signature: 'not base64!' })).rejects.toMatchObject({ code: JpkiErrorCode.Malformed, httpStatus: 400 });
    await expect(login({ signature: '' })).rejects.toMatchObject({ code: JpkiErrorCode.Malformed });
    await expect(login({ nonce: '' })).rejects.toMatchObject({ code: JpkiErrorCode.Malformed });
    await expect(login({ certificateChain: [] })).rejects.toMatchObject({ code: JpkiErrorCode.Malformed });
    await expect(login({ certificateChain: 'bm90IGEgY2VydGlmaWNhdGU=' })).rejects.toMatchObject({ code: JpkiErrorCode.Malformed });
    await expect(login({ certificateChain: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' })).rejects.toMatchObject({
      code: JpkiErrorCode.Malformed,
    });
  });

  it('refuses a signature that is valid base64 but not a valid RSA signature', async () => {
    await expect(login({ signature: Buffer.alloc(256, 1).toString('base64') })).rejects.toMatchObject({ code: JpkiErrorCode.SignatureInvalid });
    await expect(login({ signature: 'AAAA' })).rejects.toMatchObject({ code: JpkiErrorCode.SignatureInvalid });
  });
});
