/**
 * The area rating of the national survey style evaluation, as a total rule.
 *
 * The rule a city published reads (A 先進的, N 普通, S 検討が必要, B 遅れている,
 * n = A+N+S+B, P = A+N, Q = S+B):
 *   先進的       P ≥ 2/3·n and A ≥ 2/3·P
 *   良好         P ≥ 2/3·n and A < 1/3·P
 *   やや不備あり  Q ≥ 1/3·n
 *   不備あり     Q ≥ 1/3·n and B ≥ 2/3·Q
 * Worked out exactly (integers only: 3P ≥ 2n instead of P/n ≥ 2/3):
 *   - 不備あり's condition includes やや不備あり's, so both hold wherever it does;
 *   - P = 2/3·n exactly (n > 0) means Q = 1/3·n exactly, so the 先進的/良好 side and
 *     the やや不備あり side both hold;
 *   - n = 0: every "≥" holds with 0 ≥ 0, so 先進的, やや不備あり and 不備あり all hold;
 *   - P > 2/3·n with 1/3·P ≤ A < 2/3·P: no condition holds (the gap).
 * Nowhere else do conditions overlap or leave a gap.
 *
 * The total rule keeps every single answer of the written rule and decides
 * the rest as follows (see BOUNDARY_RULES, shown to managers):
 *   1. where several written ratings hold, the lowest one wins (a rating is
 *      never better than every condition it meets would allow): 不備あり over
 *      やや不備あり; at exactly 2/3 the shortfall side over 先進的/良好; an area
 *      with no items is 不備あり (nothing is in place to earn better);
 *   2. in the gap, 良好: the area met the (先進的+普通) ≥ 2/3 bar of the two
 *      better ratings but not 先進的's second condition.
 * Pure: no clock, no I/O.
 */

export const ITEM_MARKS = ['advanced', 'normal', 'needsStudy', 'behind'] as const;
export type ItemMark = (typeof ITEM_MARKS)[number];

/** Best first. */
export const AREA_RATINGS = ['advanced', 'good', 'minorIssues', 'deficient'] as const;
export type AreaRating = (typeof AREA_RATINGS)[number];

export const ITEM_MARK_LABELS: Record<ItemMark, { ja: string; en: string }> = {
  advanced: { ja: '先進的', en: 'Advanced' },
  normal: { ja: '普通', en: 'Normal' },
  needsStudy: { ja: '検討が必要', en: 'Needs study' },
  behind: { ja: '遅れている', en: 'Behind' },
};

export const AREA_RATING_LABELS: Record<AreaRating, { ja: string; en: string }> = {
  advanced: { ja: '先進的', en: 'Advanced' },
  good: { ja: '良好', en: 'Good' },
  minorIssues: { ja: 'やや不備あり', en: 'Some shortcomings' },
  deficient: { ja: '不備あり', en: 'Deficient' },
};

export interface MarkCounts {
  advanced: number;
  normal: number;
  needsStudy: number;
  behind: number;
}

/** Which step of the total rule decided the rating. */
export type RatingDecision =
  /** Exactly one written condition held. */
  | 'written'
  /** Several held; the lowest won. */
  | 'lowestOfSeveral'
  /** No items at all (several written conditions hold vacuously; the lowest won). */
  | 'empty'
  /** None held: (先進的+普通) ≥ 2/3 but 先進的 between 1/3 and 2/3 of them. */
  | 'gap';

export interface RatingTrail {
  counts: MarkCounts & { total: number };
  /** Exact fractions as text, e.g. "4/6". */
  fractions: { advancedAndNormalOfAll: string; advancedOfAdvancedAndNormal: string; shortfallOfAll: string; behindOfShortfall: string };
  /** Every rating whose written condition holds, best first. */
  writtenMatches: AreaRating[];
  decision: RatingDecision;
  /** One line a manager can read, Japanese and English. */
  reason: { ja: string; en: string };
}

export interface RatingResult {
  rating: AreaRating;
  trail: RatingTrail;
}

export function countMarks(marks: readonly ItemMark[]): MarkCounts {
  const counts: MarkCounts = { advanced: 0, normal: 0, needsStudy: 0, behind: 0 };
  for (const mark of marks) counts[mark] += 1;
  return counts;
}

/** The written rule as published: every rating whose condition holds (possibly none, possibly several). */
export function writtenRatings(counts: MarkCounts): AreaRating[] {
  const { advanced: a, normal: nrm, needsStudy: s, behind: b } = counts;
  const n = a + nrm + s + b;
  const p = a + nrm;
  const q = s + b;
  const matches: AreaRating[] = [];
  // Integer cross-multiplication: x ≥ 2/3·y ⇔ 3x ≥ 2y, x < 1/3·y ⇔ 3x < y.
  if (3 * p >= 2 * n && 3 * a >= 2 * p) matches.push('advanced');
  if (3 * p >= 2 * n && 3 * a < p) matches.push('good');
  if (3 * q >= n) matches.push('minorIssues');
  if (3 * q >= n && 3 * b >= 2 * q) matches.push('deficient');
  return matches;
}

/** The total rule: exactly one rating for any counts, with the trail of how it was decided. */
export function rateArea(counts: MarkCounts): RatingResult {
  for (const [key, value] of Object.entries(counts)) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`mark count ${key} must be a non-negative integer, got ${value}`);
  }
  const { advanced: a, normal: nrm, needsStudy: s, behind: b } = counts;
  const n = a + nrm + s + b;
  const p = a + nrm;
  const q = s + b;
  const writtenMatches = writtenRatings(counts);
  let rating: AreaRating;
  let decision: RatingDecision;
  if (writtenMatches.length > 0) {
    rating = writtenMatches[writtenMatches.length - 1];
    decision = n === 0 ? 'empty' : writtenMatches.length === 1 ? 'written' : 'lowestOfSeveral';
  } else {
    // Only the gap is left: 3P > 2n and P ≤ 3A < 2P.
    rating = 'good';
    decision = 'gap';
  }
  const fractions = {
    advancedAndNormalOfAll: `${p}/${n}`,
    advancedOfAdvancedAndNormal: `${a}/${p}`,
    shortfallOfAll: `${q}/${n}`,
    behindOfShortfall: `${b}/${q}`,
  };
  return { rating, trail: { counts: { ...counts, total: n }, fractions, writtenMatches, decision, reason: reasonFor(rating, decision, writtenMatches, fractions) } };
}

function reasonFor(rating: AreaRating, decision: RatingDecision, matches: AreaRating[], f: RatingTrail['fractions']): { ja: string; en: string } {
  const label = AREA_RATING_LABELS[rating];
  const figures = `(先進的+普通) ${f.advancedAndNormalOfAll}, 先進的/(先進的+普通) ${f.advancedOfAdvancedAndNormal}, (検討が必要+遅れている) ${f.shortfallOfAll}, 遅れている/(検討が必要+遅れている) ${f.behindOfShortfall}`;
  const figuresEn = `(advanced+normal) ${f.advancedAndNormalOfAll}, advanced/(advanced+normal) ${f.advancedOfAdvancedAndNormal}, (needs study+behind) ${f.shortfallOfAll}, behind/(needs study+behind) ${f.behindOfShortfall}`;
  const names = matches.map((match) => AREA_RATING_LABELS[match]);
  switch (decision) {
    case 'written':
      return { ja: `規定の条件のうち「${label.ja}」だけを満たします（${figures}）。`, en: `Only the condition for "${label.en}" holds (${figuresEn}).` };
    case 'lowestOfSeveral':
      return {
        ja: `「${names.map((name) => name.ja).join('」「')}」の条件を同時に満たすため、最も低い「${label.ja}」とします（${figures}）。`,
        en: `The conditions for ${names.map((name) => `"${name.en}"`).join(', ')} all hold; the lowest, "${label.en}", applies (${figuresEn}).`,
      };
    case 'empty':
      return { ja: '評価項目がないため、条件はすべて形式的に満たされ、最も低い「不備あり」とします。', en: 'The area has no items: the conditions hold vacuously and the lowest, "Deficient", applies.' };
    case 'gap':
      return {
        ja: `(先進的+普通) が 2/3 以上ですが、先進的がその 1/3 以上 2/3 未満のため、どの条件にも当たりません。先進的の第二条件を満たさないので「良好」とします（${figures}）。`,
        en: `(advanced+normal) is at least 2/3 but advanced is between 1/3 and 2/3 of it, so no written condition holds; as the second condition of "Advanced" is not met, "Good" applies (${figuresEn}).`,
      };
  }
}

/** How each case the written rule leaves open is decided: shown to managers beside every rating. */
export const BOUNDARY_RULES: Array<{ case: string; ja: string; en: string }> = [
  {
    case: 'deficientAndMinorIssues',
    ja: '「不備あり」の条件は「やや不備あり」の条件を含むため、両方を満たすときは「不備あり」とします。',
    en: 'The condition for "Deficient" includes that for "Some shortcomings"; when both hold, "Deficient" applies.',
  },
  {
    case: 'exactlyTwoThirds',
    ja: '(先進的+普通) がちょうど 2/3 のとき、(検討が必要+遅れている) はちょうど 1/3 で、両側の条件を満たします。低い方（「やや不備あり」または「不備あり」）とします。',
    en: 'When (advanced+normal) is exactly 2/3, (needs study+behind) is exactly 1/3 and both sides hold; the lower rating ("Some shortcomings" or "Deficient") applies.',
  },
  {
    case: 'advancedBetweenOneThirdAndTwoThirds',
    ja: '(先進的+普通) が 2/3 を超え、先進的がその 1/3 以上 2/3 未満のときは、どの条件にも当たりません。「良好」とします。',
    en: 'When (advanced+normal) exceeds 2/3 and advanced is at least 1/3 but under 2/3 of it, no condition holds; "Good" applies.',
  },
  {
    case: 'empty',
    ja: '評価項目がない分野は「不備あり」とします。',
    en: 'An area with no items is rated "Deficient".',
  },
];

/** Compares a rating entered by hand (e.g. last year's published one) with the computed one. */
export function compareWithPublished(computed: RatingResult, published: AreaRating | null): { matches: boolean | null; reason: { ja: string; en: string } | null } {
  if (published === null) return { matches: null, reason: null };
  if (published === computed.rating) return { matches: true, reason: null };
  const wasCandidate = computed.trail.writtenMatches.includes(published);
  const mine = AREA_RATING_LABELS[computed.rating];
  const theirs = AREA_RATING_LABELS[published];
  if (wasCandidate) {
    return {
      matches: false,
      reason: {
        ja: `入力された「${theirs.ja}」も規定の条件を満たしますが、重なる場合は低い方をとる決まりにより「${mine.ja}」となります。`,
        en: `The entered "${theirs.en}" also meets its written condition, but overlapping conditions resolve to the lowest: "${mine.en}".`,
      },
    };
  }
  return {
    matches: false,
    reason: {
      ja: `入力された「${theirs.ja}」の条件は評価項目の内訳では満たされません。算定結果は「${mine.ja}」です。${computed.trail.reason.ja}`,
      en: `The marks do not meet the condition for the entered "${theirs.en}"; the computed rating is "${mine.en}". ${computed.trail.reason.en}`,
    },
  };
}
