import { referenceNumberParts } from './reference-number';

describe('reference numbers (受付番号)', () => {
  it('renders the era year of the fiscal year and pads the sequence', () => {
    const parts = referenceNumberParts('{era}{eraYear}-{seq:6}', '2026-11-22', 4);
    expect(parts.render(123)).toBe('R8-000123');
    expect(parts.scope).toBe('R8-{seq}');
  });

  it('keeps one sequence for a whole fiscal year and starts a new one in April', () => {
    const march = referenceNumberParts('{era}{eraYear}-{seq:6}', '2027-03-31', 4);
    const april = referenceNumberParts('{era}{eraYear}-{seq:6}', '2027-04-01', 4);
    expect(march.scope).toBe('R8-{seq}');
    expect(april.scope).toBe('R9-{seq}');
  });

  it('supports the Gregorian fiscal year and an unpadded sequence', () => {
    expect(referenceNumberParts('FY{fy}/{seq}', '2026-05-01', 4).render(7)).toBe('FY2026/7');
  });

  it('does not truncate a sequence longer than its width', () => {
    expect(referenceNumberParts('{seq:3}', '2026-05-01', 4).render(12345)).toBe('12345');
  });

  it('refuses a format without a sequence', () => {
    expect(() => referenceNumberParts('{era}{eraYear}', '2026-05-01', 4)).toThrow(/no \{seq\}/);
  });
});
