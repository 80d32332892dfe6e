import * as echarts from 'echarts';

/**
 * Server-rendered charts (echarts, SVG): each builder returns the SVG, a
 * one-paragraph summary for screen reader users and the data as a table, so a
 * page shows all three and works without JavaScript. This module knows
 * nothing of KPIs or procedures: callers hand it names, units and numbers.
 *
 * Output is deterministic (fixed sizes, no animation, instance-numbered ids
 * normalised), so the same data gives the same bytes.
 */

export interface ChartText {
  ja: string;
  en: string;
}

export type ChartLanguage = 'ja' | 'en';

export interface ChartTable {
  caption: string;
  headers: string[];
  rows: string[][];
}

export interface Chart {
  svg: string;
  summary: ChartText;
  table: ChartTable;
}

/** The page font first (what the portal and office serve), then whatever sans-serif the viewer has. */
export const CHART_FONT_FAMILY = "'Noto Sans JP', sans-serif";
export const CHART_SIZE = { width: 720, height: 360 } as const;
/** Series colours in order; dark enough on white (WCAG 3:1 for graphics). */
export const CHART_COLORS = ['#0031d8', '#c74700', '#197a4b', '#7f19b0', '#a0154b', '#4d4d4d'] as const;
const PLAN_COLOR = '#767676';

export interface LineAgainstPlanInput {
  title: ChartText;
  unit: string;
  /** Category labels along the x axis (e.g. YYYY-MM), one per point. */
  labels: string[];
  actual: Array<number | null>;
  plan: number[];
  target: { value: number; label: string };
  direction: 'up' | 'down';
  language: ChartLanguage;
}

/** A monthly history against the straight line from baseline to target, the target marked at its end. */
export function lineAgainstPlanChart(input: LineAgainstPlanInput): Chart {
  const lang = input.language;
  const names = { actual: { ja: '実績', en: 'Actual' }, plan: { ja: '計画線', en: 'Plan' }, target: { ja: '目標', en: 'Target' } };
  const svg = render(input.title[lang], {
    legend: legend(),
    grid: grid(),
    xAxis: { type: 'category', data: input.labels, boundaryGap: false },
    yAxis: { type: 'value', name: input.unit },
    series: [
      {
        type: 'line',
        name: names.actual[lang],
        data: input.actual,
        connectNulls: false,
        color: CHART_COLORS[0],
        lineStyle: { width: 3 },
        symbol: 'circle',
        symbolSize: 6,
      },
      {
        type: 'line',
        name: names.plan[lang],
        data: input.plan,
        color: PLAN_COLOR,
        lineStyle: { type: 'dashed', width: 2 },
        showSymbol: false,
        markPoint: {
          symbol: 'pin',
          symbolSize: 40,
          itemStyle: { color: CHART_COLORS[1] },
          label: { formatter: names.target[lang] },
          data: [{ coord: [input.labels.length - 1, input.target.value], value: input.target.value }],
        },
      },
    ],
  });
  const lastIndex = lastIndexWithValue(input.actual);
  const current = lastIndex === -1 ? null : { label: input.labels[lastIndex], value: input.actual[lastIndex]!, plan: input.plan[lastIndex] };
  const recent = input.actual.slice(0, lastIndex + 1).filter((value): value is number => value !== null).slice(-3);
  const trend = recent.length < 2 ? 'none' : recent[recent.length - 1] > recent[0] ? 'rising' : recent[recent.length - 1] < recent[0] ? 'falling' : 'flat';
  const onTrack = current === null ? null : input.direction === 'up' ? current.value >= current.plan : current.value <= current.plan;
  const u = input.unit;
  const trendText = {
    ja: { rising: '直近は上昇傾向です。', falling: '直近は低下傾向です。', flat: '直近は横ばいです。', none: '' }[trend],
    en: { rising: 'Recently rising.', falling: 'Recently falling.', flat: 'Recently flat.', none: '' }[trend],
  };
  const summary: ChartText =
    current === null
      ? {
          ja: `${input.title.ja}：実績値はまだありません。目標は${fmt(input.target.value)}${u}（${input.target.label}）です。`,
          en: `${input.title.en}: no value yet. The target is ${fmt(input.target.value)} ${u} (${input.target.label}).`,
        }
      : {
          ja:
            `${input.title.ja}：最新値は${current.label}の${fmt(current.value)}${u}、目標は${fmt(input.target.value)}${u}（${input.target.label}）です。` +
            `同じ時点の計画線は${fmt(current.plan)}${u}で、${onTrack ? '計画どおり進んでいます' : '計画より遅れています'}。${trendText.ja}`,
          en:
            `${input.title.en}: latest value ${fmt(current.value)} ${u} (${current.label}); target ${fmt(input.target.value)} ${u} (${input.target.label}). ` +
            `The plan line stands at ${fmt(current.plan)} ${u} then, so it is ${onTrack ? 'on track' : 'behind the plan'}.${trendText.en ? ` ${trendText.en}` : ''}`,
        };
  const headers = lang === 'ja' ? ['月', `実績（${u}）`, `計画線（${u}）`] : ['Month', `Actual (${u})`, `Plan (${u})`];
  const rows = input.labels.map((label, index) => [label, cell(input.actual[index]), cell(input.plan[index])]);
  return { svg, summary, table: { caption: input.title[lang], headers, rows } };
}

export interface StackedColumnsInput {
  title: ChartText;
  unit: string;
  categories: string[];
  series: Array<{ name: ChartText; values: number[] }>;
  language: ChartLanguage;
}

/** Columns stacked per category (e.g. the channel mix per month). */
export function stackedColumnsChart(input: StackedColumnsInput): Chart {
  const lang = input.language;
  const svg = render(input.title[lang], {
    legend: legend(),
    grid: grid(),
    xAxis: { type: 'category', data: input.categories },
    yAxis: { type: 'value', name: input.unit },
    series: input.series.map((series, index) => ({
      type: 'bar',
      name: series.name[lang],
      stack: 'total',
      data: series.values,
      color: CHART_COLORS[index % CHART_COLORS.length],
    })),
  });
  const totals = input.series.map((series) => series.values.reduce((sum, value) => sum + value, 0));
  const total = totals.reduce((sum, value) => sum + value, 0);
  const u = input.unit;
  let summary: ChartText;
  if (total === 0) {
    summary = { ja: `${input.title.ja}：${input.categories.length}期間とも0${u}です。`, en: `${input.title.en}: 0 ${u} in all ${input.categories.length} periods.` };
  } else {
    const top = totals.indexOf(Math.max(...totals));
    const topShare = fmt(Math.round((totals[top] / total) * 1000) / 10);
    const last = input.categories.length - 1;
    const lastTotal = input.series.reduce((sum, series) => sum + (series.values[last] ?? 0), 0);
    summary = {
      ja: `${input.title.ja}：${input.categories.length}期間の合計は${fmt(total)}${u}で、最も多いのは${input.series[top].name.ja}（${topShare}%）です。最後の期間（${input.categories[last]}）は${fmt(lastTotal)}${u}です。`,
      en: `${input.title.en}: ${fmt(total)} ${u} over ${input.categories.length} periods; the largest part is ${input.series[top].name.en} (${topShare}%). The last period (${input.categories[last]}) has ${fmt(lastTotal)} ${u}.`,
    };
  }
  const headers = [lang === 'ja' ? '期間' : 'Period', ...input.series.map((series) => series.name[lang]), lang === 'ja' ? '合計' : 'Total'];
  const rows = input.categories.map((category, index) => {
    const values = input.series.map((series) => series.values[index] ?? 0);
    return [category, ...values.map(cell), cell(values.reduce((sum, value) => sum + value, 0))];
  });
  return { svg, summary, table: { caption: input.title[lang], headers, rows } };
}

export interface BarsInput {
  title: ChartText;
  unit: string;
  /** One bar per category; null (no data) draws no bar and is said so in the table. */
  bars: Array<{ label: ChartText; value: number | null }>;
  /** Fixed top of the value axis (e.g. 100 for a share). */
  max?: number;
  language: ChartLanguage;
}

/** Horizontal bars, one per category (e.g. online share per procedure). */
export function barsChart(input: BarsInput): Chart {
  const lang = input.language;
  const height = Math.max(CHART_SIZE.height, 120 + input.bars.length * 28);
  const svg = render(
    input.title[lang],
    {
      grid: { left: 200, right: 40, top: 50, bottom: 40 },
      xAxis: { type: 'value', name: input.unit, ...(input.max !== undefined ? { max: input.max } : {}) },
      yAxis: { type: 'category', data: input.bars.map((bar) => bar.label[lang]), inverse: true, axisLabel: { width: 180, overflow: 'truncate' } },
      series: [{ type: 'bar', data: input.bars.map((bar) => bar.value), color: CHART_COLORS[0], label: { show: true, position: 'right' } }],
    },
    { width: CHART_SIZE.width, height },
  );
  const withValue = input.bars.filter((bar): bar is { label: ChartText; value: number } => bar.value !== null);
  const u = input.unit;
  let summary: ChartText;
  if (withValue.length === 0) {
    summary = { ja: `${input.title.ja}：${input.bars.length}項目とも値がありません。`, en: `${input.title.en}: none of the ${input.bars.length} items has a value.` };
  } else {
    const high = withValue.reduce((best, bar) => (bar.value > best.value ? bar : best));
    const low = withValue.reduce((best, bar) => (bar.value < best.value ? bar : best));
    summary = {
      ja: `${input.title.ja}：${input.bars.length}項目。最も高いのは${high.label.ja}の${fmt(high.value)}${u}、最も低いのは${low.label.ja}の${fmt(low.value)}${u}です。`,
      en: `${input.title.en}: ${input.bars.length} items. Highest ${high.label.en} at ${fmt(high.value)} ${u}, lowest ${low.label.en} at ${fmt(low.value)} ${u}.`,
    };
  }
  const headers = [lang === 'ja' ? '項目' : 'Item', lang === 'ja' ? `値（${u}）` : `Value (${u})`];
  return { svg, summary, table: { caption: input.title[lang], headers, rows: input.bars.map((bar) => [bar.label[lang], cell(bar.value)]) } };
}

export interface GroupedBarsInput {
  title: ChartText;
  unit: string;
  /** One group per category; each series draws one bar in every group. */
  categories: ChartText[];
  /** null (no data) draws no bar and is said so in the table. */
  series: Array<{ name: ChartText; values: Array<number | null> }>;
  /** bars: horizontal, for long category names (the default); columns: vertical, for short ones such as hours. */
  layout?: 'bars' | 'columns';
  /** Fixed top of the value axis (e.g. 100 for a share). */
  max?: number;
  language: ChartLanguage;
}

/** Bars side by side per category, one per series, not stacked (e.g. median and 90th percentile per procedure). */
export function groupedBarsChart(input: GroupedBarsInput): Chart {
  const lang = input.language;
  const horizontal = (input.layout ?? 'bars') === 'bars';
  const labels = input.categories.map((category) => category[lang]);
  const valueAxis = { type: 'value', name: input.unit, ...(input.max !== undefined ? { max: input.max } : {}) };
  const categoryAxis = horizontal
    ? { type: 'category', data: labels, inverse: true, axisLabel: { width: 180, overflow: 'truncate' } }
    : { type: 'category', data: labels };
  const height = horizontal ? Math.max(CHART_SIZE.height, 140 + input.categories.length * Math.max(1, input.series.length) * 16) : CHART_SIZE.height;
  const svg = render(
    input.title[lang],
    {
      legend: legend(),
      grid: horizontal ? { left: 200, right: 40, top: 70, bottom: 40 } : grid(),
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: input.series.map((series, index) => ({ type: 'bar', name: series.name[lang], data: series.values, color: CHART_COLORS[index % CHART_COLORS.length] })),
    },
    { width: CHART_SIZE.width, height },
  );
  const u = input.unit;
  const parts = input.series.map((series) => {
    const withValue = series.values.map((value, index) => ({ value, label: input.categories[index] })).filter((item): item is { value: number; label: ChartText } => item.value !== null && item.value !== undefined);
    if (withValue.length === 0) return null;
    const high = withValue.reduce((best, item) => (item.value > best.value ? item : best));
    return {
      ja: `${series.name.ja}が最も高いのは${high.label.ja}の${fmt(high.value)}${u}`,
      en: `${series.name.en} is highest for ${high.label.en} at ${fmt(high.value)} ${u}`,
    };
  });
  const said = parts.filter((part): part is ChartText => part !== null);
  const summary: ChartText =
    said.length === 0
      ? { ja: `${input.title.ja}：${input.categories.length}項目とも値がありません。`, en: `${input.title.en}: none of the ${input.categories.length} items has a value.` }
      : {
          ja: `${input.title.ja}：${input.categories.length}項目。${said.map((part) => part.ja).join('、')}です。`,
          en: `${input.title.en}: ${input.categories.length} items. ${said.map((part) => part.en).join('; ')}.`,
        };
  const headers = [lang === 'ja' ? '項目' : 'Item', ...input.series.map((series) => (lang === 'ja' ? `${series.name.ja}（${u}）` : `${series.name.en} (${u})`))];
  const rows = input.categories.map((category, index) => [category[lang], ...input.series.map((series) => cell(series.values[index]))]);
  return { svg, summary, table: { caption: input.title[lang], headers, rows } };
}

export interface HistogramInput {
  title: ChartText;
  /** Unit of the measured value (e.g. 営業日); the bars count cases. */
  unit: string;
  /** Observations as value and how many cases had it. */
  values: Array<{ value: number; count: number }>;
  binWidth: number;
  /** At most this many bins; the last one takes everything above. */
  maxBins?: number;
  language: ChartLanguage;
}

/** A histogram of counted observations (e.g. processing time in business days). */
export function histogramChart(input: HistogramInput): Chart {
  const lang = input.language;
  const maxBins = input.maxBins ?? 20;
  const top = input.values.reduce((max, row) => Math.max(max, row.value), 0);
  const binCount = Math.max(1, Math.min(maxBins, Math.floor(top / input.binWidth) + 1));
  const bins = Array.from({ length: binCount }, (_, index) => ({ from: index * input.binWidth, count: 0 }));
  for (const row of input.values) bins[Math.min(binCount - 1, Math.floor(Math.max(0, row.value) / input.binWidth))].count += row.count;
  const label = (index: number): string => {
    const from = bins[index].from;
    if (index === binCount - 1 && top >= from + input.binWidth) return `${fmt(from)}+`;
    return input.binWidth === 1 ? fmt(from) : `${fmt(from)}–${fmt(from + input.binWidth - 1)}`;
  };
  const labels = bins.map((_, index) => label(index));
  const svg = render(input.title[lang], {
    grid: grid(),
    xAxis: { type: 'category', data: labels, name: input.unit },
    yAxis: { type: 'value', name: lang === 'ja' ? '件' : 'cases', minInterval: 1 },
    series: [{ type: 'bar', data: bins.map((bin) => bin.count), color: CHART_COLORS[0], barCategoryGap: '5%' }],
  });
  const total = bins.reduce((sum, bin) => sum + bin.count, 0);
  const u = input.unit;
  let summary: ChartText;
  if (total === 0) {
    summary = { ja: `${input.title.ja}：件数は0件です。`, en: `${input.title.en}: no cases.` };
  } else {
    const modal = bins.reduce((best, bin, index) => (bin.count > bins[best].count ? index : best), 0);
    const median = nearestRank(input.values, 50)!;
    summary = {
      ja: `${input.title.ja}：${fmt(total)}件。最も多いのは${labels[modal]}${u}（${fmt(bins[modal].count)}件）で、中央値は${fmt(median)}${u}です。`,
      en: `${input.title.en}: ${fmt(total)} cases. Most fall at ${labels[modal]} ${u} (${fmt(bins[modal].count)}); the median is ${fmt(median)} ${u}.`,
    };
  }
  const headers = lang === 'ja' ? [`${u}`, '件数'] : [u, 'Cases'];
  return { svg, summary, table: { caption: input.title[lang], headers, rows: bins.map((bin, index) => [labels[index], cell(bin.count)]) } };
}

/** Smallest value with at least p % of the cases at or below it. */
function nearestRank(values: Array<{ value: number; count: number }>, p: number): number | null {
  const sorted = [...values].sort((a, b) => a.value - b.value);
  const total = sorted.reduce((sum, row) => sum + row.count, 0);
  if (total === 0) return null;
  const rank = Math.ceil((p / 100) * total);
  let seen = 0;
  for (const row of sorted) {
    seen += row.count;
    if (seen >= rank) return row.value;
  }
  return sorted[sorted.length - 1].value;
}

function legend(): Record<string, unknown> {
  return { top: 28, textStyle: { fontFamily: CHART_FONT_FAMILY } };
}

function grid(): Record<string, unknown> {
  return { left: 70, right: 40, top: 70, bottom: 40 };
}

function render(title: string, option: Record<string, unknown>, size: { width: number; height: number } = CHART_SIZE): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: CHART_FONT_FAMILY },
      title: { text: title, left: 8, top: 4, textStyle: { fontFamily: CHART_FONT_FAMILY, fontSize: 15 } },
      ...option,
    });
    const svg = chart.renderToSVGString();
    return normaliseIds(svg).replace('<svg ', `<svg role="img" aria-label="${escapeXml(title)}" `);
  } finally {
    // An undisposed instance keeps a timer alive and leaks; always dispose.
    chart.dispose();
  }
}

/**
 * echarts numbers ids and classes with process-wide counters (zr0-c0,
 * zr3-cls-17, …); renumbered in order of first appearance so equal data gives
 * equal bytes whatever was drawn before.
 */
function normaliseIds(svg: string): string {
  const seen = new Map<string, string>();
  const perPrefix = new Map<string, number>();
  return svg.replace(/\bzr\d+-([a-z]+-?)(\d+)\b/g, (token, prefix: string) => {
    let replacement = seen.get(token);
    if (replacement === undefined) {
      const next = perPrefix.get(prefix) ?? 0;
      perPrefix.set(prefix, next + 1);
      replacement = `zr-${prefix}${next}`;
      seen.set(token, replacement);
    }
    return replacement;
  });
}

function lastIndexWithValue(values: Array<number | null>): number {
  for (let index = values.length - 1; index >= 0; index -= 1) if (values[index] !== null) return index;
  return -1;
}

function fmt(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function cell(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : fmt(value);
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[character]!);
}
