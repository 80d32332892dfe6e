import fc from 'fast-check';
import { AREA_RATINGS, type AreaRating, compareWithPublished, countMarks, type MarkCounts, rateArea, writtenRatings } from './area-rating';

const MAX_ITEMS = 30;

/** Every (先進的, 普通, 検討が必要, 遅れている) with at most 30 items, the empty area included. */
function* allCounts(max = MAX_ITEMS): Generator<MarkCounts> {
  for (let advanced = 0; advanced <= max; advanced++)
    for (let normal = 0; advanced + normal <= max; normal++)
      for (let needsStudy = 0; advanced + normal + needsStudy <= max; needsStudy++)
        for (let behind = 0; advanced + normal + needsStudy + behind <= max; behind++) yield { advanced, normal, needsStudy, behind };
}

const counts = (advanced: number, normal: number, needsStudy: number, behind: number): MarkCounts => ({ advanced, normal, needsStudy, behind });

describe('area rating (survey style), total rule', () => {
  it('gives exactly one rating for every set of marks up to 30 items, and the written one wherever the written rule gives exactly one', () => {
    let cases = 0;
    let single = 0;
    let none = 0;
    let several = 0;
    for (const c of allCounts()) {
      cases += 1;
      const { rating, trail } = rateArea(c);
      expect(AREA_RATINGS).toContain(rating);
      const written = writtenRatings(c);
      if (written.length === 1) {
        single += 1;
        if (rating !== written[0]) throw new Error(`differs from the written rule at ${JSON.stringify(c)}: ${rating} vs ${written[0]}`);
        expect(trail.decision).toBe('written');
      } else if (written.length === 0) {
        none += 1;
      } else {
        several += 1;
      }
    }
    // C(34, 4) sets of counts with n ≤ 30.
    expect(cases).toBe(46_376);
    expect(single + none + several).toBe(cases);
    expect(none).toBeGreaterThan(0);
    expect(several).toBeGreaterThan(0);
  });

  it('finds gaps and overlaps only where the documented boundary cases say', () => {
    for (const c of allCounts()) {
      const n = c.advanced + c.normal + c.needsStudy + c.behind;
      const p = c.advanced + c.normal;
      const q = c.needsStudy + c.behind;
      const written = writtenRatings(c);
      const { rating, trail } = rateArea(c);
      const gap = 3 * p > 2 * n && 3 * c.advanced >= p && 3 * c.advanced < 2 * p;
      const exactlyTwoThirds = n > 0 && 3 * p === 2 * n;
      const deficient = 3 * q >= n && 3 * c.behind >= 2 * q;
      const where = JSON.stringify(c);
      if (written.length === 0) {
        if (!gap) throw new Error(`no rating outside the gap at ${where}`);
        expect(rating).toBe('good');
        expect(trail.decision).toBe('gap');
      } else if (written.length > 1) {
        if (!(n === 0 || exactlyTwoThirds || deficient)) throw new Error(`unexpected overlap at ${where}: ${written.join(',')}`);
        // The lowest of the candidates, never a rating whose condition fails.
        expect(rating).toBe(written[written.length - 1]);
        expect(trail.decision).toBe(n === 0 ? 'empty' : 'lowestOfSeveral');
      }
      if (gap && written.length !== 0) throw new Error(`gap with a written rating at ${where}`);
    }
  });

  it('decides each boundary case as documented', () => {
    // Empty area: 先進的, やや不備あり and 不備あり hold vacuously.
    expect(writtenRatings(counts(0, 0, 0, 0))).toEqual(['advanced', 'minorIssues', 'deficient']);
    expect(rateArea(counts(0, 0, 0, 0))).toMatchObject({ rating: 'deficient', trail: { decision: 'empty' } });
    // Exactly 2/3 with 先進的 ≥ 2/3 of them: 先進的 and やや不備あり hold; the lower wins.
    expect(writtenRatings(counts(2, 0, 1, 0))).toEqual(['advanced', 'minorIssues']);
    expect(rateArea(counts(2, 0, 1, 0)).rating).toBe('minorIssues');
    // Exactly 2/3 with 先進的 < 1/3: 良好 and やや不備あり.
    expect(rateArea(counts(0, 4, 2, 0)).rating).toBe('minorIssues');
    // Exactly 2/3, 遅れている ≥ 2/3 of the shortfall: 先進的, やや不備あり, 不備あり.
    expect(writtenRatings(counts(4, 0, 0, 2))).toEqual(['advanced', 'minorIssues', 'deficient']);
    expect(rateArea(counts(4, 0, 0, 2)).rating).toBe('deficient');
    // Exactly 2/3 in the gap: only やや不備あり holds, so it is the written answer.
    expect(writtenRatings(counts(1, 1, 1, 0))).toEqual(['minorIssues']);
    expect(rateArea(counts(1, 1, 1, 0))).toMatchObject({ rating: 'minorIssues', trail: { decision: 'written' } });
    // The gap: (先進的+普通) = 4/4, 先進的 = 2/4 of them.
    expect(writtenRatings(counts(2, 2, 0, 0))).toEqual([]);
    const gap = rateArea(counts(2, 2, 0, 0));
    expect(gap).toMatchObject({ rating: 'good', trail: { decision: 'gap', fractions: { advancedAndNormalOfAll: '4/4', advancedOfAdvancedAndNormal: '2/4' } } });
    expect(gap.trail.reason.ja).toContain('良好');
    // 先進的 exactly 1/3 of (先進的+普通) is in the gap too ("< 1/3" is strict).
    expect(writtenRatings(counts(1, 2, 0, 0))).toEqual([]);
    // 先進的 exactly 2/3 of them is 先進的 ("≥ 2/3").
    expect(rateArea(counts(2, 1, 0, 0)).rating).toBe('advanced');
    // 不備あり includes やや不備あり.
    expect(writtenRatings(counts(0, 0, 0, 3))).toEqual(['minorIssues', 'deficient']);
    expect(rateArea(counts(0, 0, 0, 3)).rating).toBe('deficient');
  });

  it('depends only on the counts, for any order of up to 30 marks (property)', () => {
    const mark = fc.constantFrom('advanced' as const, 'normal' as const, 'needsStudy' as const, 'behind' as const);
    fc.assert(
      fc.property(fc.array(mark, { maxLength: MAX_ITEMS }), fc.integer({ min: 0, max: 1000 }), (marks, seed) => {
        const shuffled = [...marks].sort((x, y) => ((x.charCodeAt(0) * 31 + seed) % 7) - ((y.charCodeAt(0) * 31 + seed) % 7));
        const result = rateArea(countMarks(marks));
        expect(rateArea(countMarks(shuffled)).rating).toBe(result.rating);
        const written = writtenRatings(countMarks(marks));
        if (written.length === 1) expect(result.rating).toBe(written[0]);
        expect(written.length === 0 ? result.rating === 'good' : written.includes(result.rating)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses counts that are not non-negative integers', () => {
    expect(() => rateArea(counts(-1, 0, 0, 0))).toThrow(RangeError);
    expect(() => rateArea(counts(0.5, 0, 0, 0))).toThrow(RangeError);
  });

  it('flags a published rating that differs, saying why', () => {
    const computed = rateArea(counts(2, 0, 1, 0));
    expect(compareWithPublished(computed, null)).toEqual({ matches: null, reason: null });
    expect(compareWithPublished(computed, 'minorIssues')).toEqual({ matches: true, reason: null });
    const overlap = compareWithPublished(computed, 'advanced' as AreaRating);
    expect(overlap.matches).toBe(false);
    expect(overlap.reason?.en).toContain('lowest');
    const unmet = compareWithPublished(computed, 'good');
    expect(unmet.matches).toBe(false);
    expect(unmet.reason?.ja).toContain('満たされません');
  });
});
