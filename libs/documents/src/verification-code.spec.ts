import { newVerificationCode, normalizeVerificationCode } from './verification-code';

describe('verification codes', () => {
  it('are 16 Crockford characters, different every time', () => {
    const codes = new Set(Array.from({ length: 2000 }, () => newVerificationCode()));
    expect(codes.size).toBe(2000);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
  });

  it('read back whatever way a person types them', () => {
    expect(normalizeVerificationCode('abcd-2345-efgh-6789')).toBe('ABCD2345EFGH6789');
    expect(normalizeVerificationCode(' ABCD 2345 EFGH 6789 ')).toBe('ABCD2345EFGH6789');
    expect(normalizeVerificationCode('OOOO-IIII-LLLL-2222')).toBe('0000111111112222');
  });

  it('refuse what cannot be a code', () => {
    for (const input of ['', 'ABCD', 'ABCD-2345-EFGH-678U', 'ABCD-2345-EFGH-6789-0', '<script>', 'x'.repeat(1000)]) {
      expect(normalizeVerificationCode(input)).toBeNull();
    }
  });
});
