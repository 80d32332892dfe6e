import { HANDOVER_CODE_LENGTH, handoverCodeHash, newHandoverCode, normalizeHandoverCode } from './handover-code';

describe('handover codes', () => {
  it('are 16 symbols of Crockford base32, different every time', () => {
    const codes = Array.from({ length: 200 }, () => newHandoverCode());
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('read back whatever way staff type them', () => {
    const code = newHandoverCode();
    const grouped = code.match(/.{4}/g)!.join('-').toLowerCase();
    expect(normalizeHandoverCode(grouped)).toBe(code);
    expect(normalizeHandoverCode(` ${code.slice(0, 8)} ${code.slice(8)} `)).toBe(code);
    expect(normalizeHandoverCode('O1LI'.repeat(4))).toBe('0111'.repeat(4));
  });

  it.each(['', 'short', 'A'.repeat(HANDOVER_CODE_LENGTH + 1), 'UUUUUUUUUUUUUUUU', 'ＡＢＣＤＥＦＧＨＪＫＭＮＰＱＲＳ', '<script>alert()</'])('refuses %j', (input) => {
    expect(normalizeHandoverCode(input)).toBeNull();
  });

  it('are stored as their SHA-256 only', () => {
    expect(handoverCodeHash('0123456789ABCDEF')).toMatch(/^[0-9a-f]{64}$/);
    expect(handoverCodeHash('0123456789ABCDEF')).not.toContain('0123456789ABCDEF');
  });
});
