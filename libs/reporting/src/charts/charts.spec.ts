import { barsChart, CHART_COLORS, groupedBarsChart, histogramChart, lineAgainstPlanChart, stackedColumnsChart } from './charts';

const title = { ja: 'オンライン手続数', en: 'Online procedures' };

function lineInput() {
  return {
    title,
    unit: '件',
    labels: ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08'],
    actual: [2, 4, 7, null, null],
    plan: [2, 3, 4, 5, 6],
    target: { value: 6, label: '2026年度末' },
    direction: 'up' as const,
    language: 'ja' as const,
  };
}

/** Every tag closed in order, attributes quoted: enough to know a browser's XML parser takes it as an image. */
function isWellFormed(svg: string): boolean {
  const open: string[] = [];
  for (const [tag, closing, name, , selfClosing] of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    void tag;
    if (closing) {
      if (open.pop() !== name) return false;
    } else if (!selfClosing) open.push(name);
  }
  return open.length === 0 && !/<(?![/a-zA-Z!?])/.test(svg);
}

/** Points of the first (actual) series: the path stroked in its colour, M then one L per further point. */
function pointsOfSeries(svg: string, color: string): number[] {
  return [...svg.matchAll(new RegExp(`<path d="([^"]+)"[^>]*stroke="${color}"`, 'g'))].map((match) => (match[1].match(/[ML]/g) ?? []).length);
}

describe('charts', () => {
  it('draws the history against the plan line, marks the target, and says where it stands', () => {
    const chart = lineAgainstPlanChart(lineInput());
    expect(chart.svg.startsWith('<svg')).toBe(true);
    expect(isWellFormed(chart.svg)).toBe(true);
    expect(chart.svg).toContain("font-family:'Noto Sans JP', sans-serif");
    // Three values so far: a path of three points in the actual series' colour.
    expect(pointsOfSeries(chart.svg, CHART_COLORS[0])).toContain(3);
    expect(chart.svg).toContain('目標');
    expect(chart.summary.ja).toBe(
      'オンライン手続数：最新値は2026-06の7件、目標は6件（2026年度末）です。同じ時点の計画線は4件で、計画どおり進んでいます。直近は上昇傾向です。',
    );
    expect(chart.summary.en).toContain('latest value 7 件 (2026-06)');
    expect(chart.summary.en).toContain('on track');
    expect(chart.table.headers).toEqual(['月', '実績（件）', '計画線（件）']);
    expect(chart.table.rows).toEqual([
      ['2026-04', '2', '2'],
      ['2026-05', '4', '3'],
      ['2026-06', '7', '4'],
      ['2026-07', '—', '5'],
      ['2026-08', '—', '6'],
    ]);
  });

  it('is deterministic: the same data gives the same bytes', () => {
    expect(lineAgainstPlanChart(lineInput()).svg).toBe(lineAgainstPlanChart(lineInput()).svg);
  });

  it('says behind the plan for a falling KPI that should rise, and no value yet when there is none', () => {
    const behind = lineAgainstPlanChart({ ...lineInput(), actual: [2, 2, 1, null, null] });
    expect(behind.summary.ja).toContain('計画より遅れています');
    expect(behind.summary.ja).toContain('直近は低下傾向です');
    const empty = lineAgainstPlanChart({ ...lineInput(), actual: [null, null, null, null, null] });
    expect(empty.summary.ja).toBe('オンライン手続数：実績値はまだありません。目標は6件（2026年度末）です。');
    const down = lineAgainstPlanChart({ ...lineInput(), direction: 'down', actual: [9, 8, 3, null, null], plan: [9, 7, 5, 3, 1], target: { value: 1, label: 'FY2026' } });
    expect(down.summary.en).toContain('on track');
  });

  it('stacks the channel mix per month with totals', () => {
    const chart = stackedColumnsChart({
      title: { ja: '受付方法別の件数', en: 'Applications by channel' },
      unit: '件',
      categories: ['2026-04', '2026-05'],
      series: [
        { name: { ja: 'オンライン', en: 'Online' }, values: [6, 9] },
        { name: { ja: '窓口', en: 'Counter' }, values: [4, 1] },
      ],
      language: 'en',
    });
    expect(chart.table.headers).toEqual(['Period', 'Online', 'Counter', 'Total']);
    expect(chart.table.rows).toEqual([
      ['2026-04', '6', '4', '10'],
      ['2026-05', '9', '1', '10'],
    ]);
    expect(chart.summary.en).toBe('Applications by channel: 20 件 over 2 periods; the largest part is Online (75%). The last period (2026-05) has 10 件.');
    // Two series of two columns each: four bars, each a path filled in its series colour.
    expect(chart.svg.match(new RegExp(`fill="${CHART_COLORS[0]}"`, 'g'))?.length).toBeGreaterThanOrEqual(2);
    expect(chart.svg.match(new RegExp(`fill="${CHART_COLORS[1]}"`, 'g'))?.length).toBeGreaterThanOrEqual(2);
  });

  it('draws one bar per item, and a bar with no value is said so', () => {
    const chart = barsChart({
      title: { ja: 'オンライン率', en: 'Online share' },
      unit: '%',
      max: 100,
      bars: [
        { label: { ja: '住民票', en: 'Residence certificate' }, value: 80 },
        { label: { ja: '転出届', en: 'Moving out' }, value: 25.5 },
        { label: { ja: '犬の登録', en: 'Dog registration' }, value: null },
      ],
      language: 'ja',
    });
    expect(chart.table.rows).toEqual([
      ['住民票', '80'],
      ['転出届', '25.5'],
      ['犬の登録', '—'],
    ]);
    expect(chart.summary.ja).toBe('オンライン率：3項目。最も高いのは住民票の80%、最も低いのは転出届の25.5%です。');
    expect(chart.svg).toContain('住民票');
  });

  it('bins a histogram, the last bin open-ended, with the median in the summary', () => {
    const chart = histogramChart({
      title: { ja: '処理日数', en: 'Processing time' },
      unit: '営業日',
      values: [
        { value: 0, count: 2 },
        { value: 1, count: 5 },
        { value: 3, count: 1 },
        { value: 40, count: 1 },
      ],
      binWidth: 1,
      maxBins: 5,
      language: 'ja',
    });
    expect(chart.table.rows).toEqual([
      ['0', '2'],
      ['1', '5'],
      ['2', '0'],
      ['3', '1'],
      ['4+', '1'],
    ]);
    expect(chart.summary.ja).toBe('処理日数：9件。最も多いのは1営業日（5件）で、中央値は1営業日です。');
    expect(histogramChart({ title, unit: '日', values: [], binWidth: 1, language: 'en' }).summary.en).toBe('Online procedures: no cases.');
  });

  it('draws grouped bars per category, says where each series is highest, and tables every value', () => {
    const input = {
      title: { ja: '処理日数', en: 'Processing time' },
      unit: '営業日',
      categories: [
        { ja: '住民票', en: 'Residence record' },
        { ja: '印鑑証明', en: 'Seal certificate' },
      ],
      series: [
        { name: { ja: '中央値', en: 'Median' }, values: [1, 3] },
        { name: { ja: '90パーセンタイル', en: '90th percentile' }, values: [4, null] },
      ],
      language: 'ja' as const,
    };
    const chart = groupedBarsChart(input);
    expect(chart.svg.startsWith('<svg')).toBe(true);
    expect(isWellFormed(chart.svg)).toBe(true);
    expect(groupedBarsChart(input).svg).toBe(chart.svg);
    expect(chart.table.headers).toEqual(['項目', '中央値（営業日）', '90パーセンタイル（営業日）']);
    expect(chart.table.rows).toEqual([
      ['住民票', '1', '4'],
      ['印鑑証明', '3', '—'],
    ]);
    expect(chart.summary.ja).toBe('処理日数：2項目。中央値が最も高いのは印鑑証明の3営業日、90パーセンタイルが最も高いのは住民票の4営業日です。');
    const columns = groupedBarsChart({ ...input, layout: 'columns', series: [{ name: { ja: '中央値', en: 'Median' }, values: [null, null] }], language: 'en' });
    expect(isWellFormed(columns.svg)).toBe(true);
    expect(columns.summary.en).toBe('Processing time: none of the 2 items has a value.');
  });
});
