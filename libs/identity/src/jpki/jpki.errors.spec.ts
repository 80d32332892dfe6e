import { RequestError } from '@madoguchi/kernel';
import { JpkiError, JpkiErrorCode } from './jpki.errors';

describe('JpkiError', () => {
  const at = new Date('2026-06-01T00:00:00Z');
  const both = (make: (kind: 'authentication' | 'signing') => JpkiError) => [make('authentication'), make('signing')];

  it('refuses login with 401 and a signed submission with 422', () => {
    const pairs = [
      both((kind) => JpkiError.signatureInvalid(kind)),
      both((kind) => JpkiError.certificateExpired(kind, 'leaf', at)),
      both((kind) => JpkiError.certificateNotYetValid(kind, 'leaf', at)),
      both((kind) => JpkiError.certificateRevoked(kind, 'leaf', '0A', at)),
      both((kind) => JpkiError.untrustedIssuer(kind, 'noPathToTrustAnchor')),
      both((kind) => JpkiError.wrongCertificateKind(kind, 'none')),
      both((kind) => JpkiError.keyUsageInvalid(kind, 'keyUsageMissing')),
    ];
    for (const [login, signing] of pairs) {
      expect([login.httpStatus, signing.httpStatus]).toEqual([401, 422]);
      expect(login.code).toBe(signing.code);
    }
    expect(JpkiError.malformed('x').httpStatus).toBe(400);
    expect(JpkiError.crlUnavailable('authentication', 'stale', 'CN=CA').httpStatus).toBe(503);
    expect(JpkiError.nonceReplayed().httpStatus).toBe(401);
    expect(JpkiError.nonceExpired().httpStatus).toBe(401);
  });

  it('has one stable code per refusal, each with Japanese and English messages', () => {
    const errors = [
      JpkiError.signatureInvalid('authentication'),
      JpkiError.certificateExpired('authentication', 'leaf', at),
      JpkiError.certificateNotYetValid('authentication', 'leaf', at),
      JpkiError.certificateRevoked('authentication', 'leaf', '0A', at),
      JpkiError.untrustedIssuer('authentication', 'noPathToTrustAnchor'),
      JpkiError.wrongCertificateKind('authentication', 'signing'),
      JpkiError.keyUsageInvalid('authentication', 'keyUsageMissing'),
      JpkiError.crlUnavailable('authentication', 'missing', 'CN=CA'),
      JpkiError.malformed('x'),
      JpkiError.nonceReplayed(),
      JpkiError.nonceExpired(),
    ];
    expect(errors.map((error) => error.code).sort()).toEqual(Object.values(JpkiErrorCode).sort());
    for (const error of errors) {
      expect(error).toBeInstanceOf(RequestError);
      expect(error.userMessage.ja).toMatch(/[。]$/);
      expect(error.userMessage.en.length).toBeGreaterThan(10);
    }
  });

  it('tells the resident which certificate of the card to use', () => {
    expect(JpkiError.wrongCertificateKind('authentication', 'signing').userMessage.ja).toContain('利用者証明用電子証明書');
    expect(JpkiError.wrongCertificateKind('signing', 'authentication').userMessage.ja).toContain('署名用電子証明書');
  });
});
