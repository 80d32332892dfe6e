import { createTestPki, issueTestCrl, type TestPki } from '../../../../test/support/jpki/test-pki';
import { describeCrl } from './crl';
import { JpkiErrorCode } from './jpki.errors';

const NOW = new Date('2026-06-01T00:00:00Z');

describe('describeCrl (for the worker that loads CRLs)', () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await createTestPki({ now: NOW });
  });

  it('reads issuer, number, dates and size without trusting the CRL', async () => {
    const thisUpdate = new Date('2026-05-31T00:00:00Z');
    const nextUpdate = new Date('2026-06-02T00:00:00Z');
    const crl = await issueTestCrl(pki.root, { now: NOW, revoked: ['0A', '0B'], crlNumber: 42, thisUpdate, nextUpdate });
    const description = describeCrl(crl.der);
    expect(description).toMatchObject({ issuer: pki.root.name, crlNumber: '42', thisUpdate, nextUpdate, revokedCount: 2 });
    expect(description.issuer).toBe(crl.issuer);
    expect(description.sha256).toMatch(/^[0-9A-F]{64}$/);
  });

  it('refuses what is not a CRL', () => {
    expect(() => describeCrl(new Uint8Array([1, 2, 3]))).toThrow(expect.objectContaining({ code: JpkiErrorCode.Malformed }));
    expect(() => describeCrl(pki.root.der)).toThrow(expect.objectContaining({ code: JpkiErrorCode.Malformed }));
  });
});
