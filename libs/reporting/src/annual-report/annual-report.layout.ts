import { A4, type DrawOp, PageComposer, type Rgb, type TrueTypeFont } from '@madoguchi/documents';
import type { EvaluationYearView } from '../dto/evaluation.dto';
import type { ReportKpi } from './report-kpi-source';

export interface AnnualReportContent {
  municipality: { ja: string; en: string };
  fiscalYear: number;
  /** 令和8年度 */
  fiscalYearLabel: string;
  /** The day it was made, as printed (令和8年11月22日). */
  madeOn: string;
  kpis: ReportKpi[];
  evaluation: EvaluationYearView;
}

const MARGIN = 50;
const WIDTH = A4.width - MARGIN * 2;
const BOTTOM = 60;
const BLUE: Rgb = [0, 0.19, 0.85];
const GREY: Rgb = [0.46, 0.46, 0.46];
const ORANGE: Rgb = [0.78, 0.28, 0];
const PANEL: Rgb = [0.95, 0.95, 0.95];

/**
 * The annual progress report for the advisory committee (懇談会), laid out
 * as pages of draw operations: a title page, one block per KPI with a small
 * line chart drawn as vectors from the same monthly series the dashboard
 * charts show, then the evaluation table with each rating's deciding rule and
 * the notes. Pure: the content in, pages out.
 */
export function layoutAnnualReport(font: TrueTypeFont, content: AnnualReportContent): DrawOp[][] {
  const pages: PageComposer[] = [];
  const title = `${content.fiscalYearLabel} DX推進計画 進捗報告書`;

  // Title page.
  const cover = new PageComposer(font);
  cover.text(A4.width / 2, A4.height - 260, title, 22, { align: 'center', maxWidth: WIDTH });
  cover.text(A4.width / 2, A4.height - 292, `Annual progress report on the DX plan, FY${content.fiscalYear}`, 12, { align: 'center' });
  cover.text(A4.width / 2, A4.height - 360, content.municipality.ja, 16, { align: 'center' });
  cover.text(A4.width / 2, A4.height - 384, content.municipality.en, 11, { align: 'center' });
  cover.text(A4.width / 2, A4.height - 430, `作成日 ${content.madeOn}`, 11, { align: 'center' });
  const onTrack = content.kpis.filter((kpi) => kpi.onTrack === true).length;
  const behind = content.kpis.filter((kpi) => kpi.onTrack === false).length;
  cover.text(A4.width / 2, A4.height - 470, `指標 ${content.kpis.length}件（計画どおり ${onTrack}件・遅れ ${behind}件・実績なし ${content.kpis.length - onTrack - behind}件）`, 11, { align: 'center' });
  cover.text(A4.width / 2, A4.height - 494, `評価分野 ${content.evaluation.areas.length}件`, 11, { align: 'center' });
  pages.push(cover);

  // KPIs: three blocks per page.
  let page = newPage(font, pages, '1. 計画の指標（KPI） Plan KPIs');
  let y = A4.height - 90;
  const BLOCK = 220;
  for (const kpi of content.kpis) {
    if (y - BLOCK < BOTTOM) {
      page = newPage(font, pages, '1. 計画の指標（KPI）（続き）');
      y = A4.height - 90;
    }
    kpiBlock(page, kpi, y);
    y -= BLOCK;
  }
  if (content.kpis.length === 0) page.text(MARGIN, y, '登録された指標はありません。', 11);

  // Evaluation.
  page = newPage(font, pages, `2. 自己評価 Self-evaluation（${content.fiscalYearLabel}）`);
  y = A4.height - 90;
  const columns = [MARGIN, MARGIN + 130, MARGIN + 245, MARGIN + 330];
  const header = (): void => {
    page.fill(MARGIN, y - 4, WIDTH, 16, PANEL);
    ['評価分野', '算定評価（決め手）', '公表評価', '相違の理由'].forEach((label, index) => page.text(columns[index] + 2, y, label, 9));
    y -= 20;
  };
  header();
  for (const area of content.evaluation.areas) {
    const reason = area.mismatch?.reason?.ja ?? (area.mismatch?.matches ? '一致' : '—');
    const reasonLines = page.wrap(reason, 8, WIDTH - (columns[3] - MARGIN) - 4);
    const ruleLines = page.wrap(area.computed.trail.reason.ja, 7, 110);
    const notes = [`良い点：${area.goodPoints || '—'}`, `検討点：${area.pointsToStudy || '—'}`].flatMap((line) => page.wrap(line, 8, WIDTH - 10));
    const height = Math.max(reasonLines.length * 11, 13 + ruleLines.length * 9) + notes.length * 11 + 10;
    if (y - height < BOTTOM) {
      page = newPage(font, pages, '2. 自己評価（続き）');
      y = A4.height - 90;
      header();
    }
    page.text(columns[0] + 2, y, area.name.ja, 9, { maxWidth: 125 });
    page.text(columns[1] + 2, y, area.computed.label.ja, 9);
    let ruleY = y - 11;
    for (const line of ruleLines) {
      page.text(columns[1] + 2, ruleY, line, 7, { color: GREY });
      ruleY -= 9;
    }
    page.text(columns[2] + 2, y, area.published?.label.ja ?? '—', 9);
    let reasonY = y;
    for (const line of reasonLines) {
      page.text(columns[3] + 2, reasonY, line, 8);
      reasonY -= 11;
    }
    let noteY = Math.min(ruleY, reasonY) - 2;
    for (const line of notes) {
      page.text(MARGIN + 8, noteY, line, 8);
      noteY -= 11;
    }
    y = noteY - 4;
    page.line(MARGIN, y + 6, MARGIN + WIDTH, y + 6, 0.4);
    y -= 8;
  }
  if (content.evaluation.areas.length === 0) page.text(MARGIN, y, '評価分野はありません。', 11);
  y -= 10;
  for (const line of page.wrap(`評価の決め方：${content.evaluation.rule.written.ja}`, 7, WIDTH)) {
    if (y < BOTTOM) {
      page = newPage(font, pages, '2. 自己評価（続き）');
      y = A4.height - 90;
    }
    page.text(MARGIN, y, line, 7, { color: GREY });
    y -= 9;
  }

  // Page numbers once the count is known.
  pages.forEach((composer, index) => composer.text(A4.width / 2, 30, `${index + 1} / ${pages.length}`, 9, { align: 'center' }));
  return pages.map((composer) => composer.ops);
}

function newPage(font: TrueTypeFont, pages: PageComposer[], heading: string): PageComposer {
  const page = new PageComposer(font);
  page.text(MARGIN, A4.height - 60, heading, 14);
  page.line(MARGIN, A4.height - 68, MARGIN + WIDTH, A4.height - 68, 0.8);
  pages.push(page);
  return page;
}

function kpiBlock(page: PageComposer, kpi: ReportKpi, top: number): void {
  page.text(MARGIN, top, `${kpi.name.ja}（${kpi.name.en}）`, 11, { maxWidth: WIDTH });
  const status = kpi.onTrack === null ? '実績なし' : kpi.onTrack ? '計画どおり' : '計画より遅れ';
  const rows: Array<[string, string]> = [
    ['基準値', `${fmt(kpi.baseline.value)}${kpi.unit}（${kpi.baseline.date}）`],
    ['目標値', `${fmt(kpi.target.value)}${kpi.unit}（${kpi.target.fiscalYear}年度末）`],
    ['最新値', kpi.latest ? `${fmt(kpi.latest.value)}${kpi.unit}（${kpi.latest.month.slice(0, 7)}）` : '—'],
    ['計画線', kpi.planned === null ? '—' : `${fmt(kpi.planned)}${kpi.unit}`],
    ['目標との差', kpi.gap === null ? '—' : `${fmt(kpi.gap)}${kpi.unit}`],
    ['進捗', status],
  ];
  let y = top - 20;
  for (const [label, value] of rows) {
    page.text(MARGIN, y, label, 9, { color: GREY });
    page.text(MARGIN + 62, y, value, 9, { maxWidth: 150 });
    y -= 15;
  }
  lineChart(page, kpi, { x: MARGIN + 230, y: top - 190, width: WIDTH - 230, height: 175 });
}

/** The monthly history (solid) against the plan line (dashed), target marked: vectors, the same series as the SVG chart. */
function lineChart(page: PageComposer, kpi: ReportKpi, box: { x: number; y: number; width: number; height: number }): void {
  const history = kpi.history;
  const values = [...history.map((point) => point.plan), ...history.flatMap((point) => (point.value === null ? [] : [point.value])), kpi.target.value, kpi.baseline.value];
  let low = Math.min(...values, 0);
  let high = Math.max(...values);
  if (high === low) high = low + 1;
  const pad = (high - low) * 0.08;
  high += pad;
  low = low < 0 ? low - pad : low;
  const plot = { x: box.x + 34, y: box.y + 16, width: box.width - 40, height: box.height - 24 };
  const px = (index: number): number => plot.x + (history.length <= 1 ? 0 : (index / (history.length - 1)) * plot.width);
  const py = (value: number): number => plot.y + ((value - low) / (high - low)) * plot.height;
  page.rect(plot.x, plot.y, plot.width, plot.height, 0.4);
  for (const value of [low, (low + high) / 2, high]) page.text(plot.x - 3, py(value) - 3, fmt(Math.round(value * 10) / 10), 6, { align: 'right', color: GREY });
  if (history.length > 0) {
    page.text(plot.x, plot.y - 10, history[0].month.slice(0, 7), 6, { color: GREY });
    page.text(plot.x + plot.width, plot.y - 10, history[history.length - 1].month.slice(0, 7), 6, { align: 'right', color: GREY });
  }
  for (let index = 1; index < history.length; index += 1) {
    page.ops.push({ op: 'line', x1: px(index - 1), y1: py(history[index - 1].plan), x2: px(index), y2: py(history[index].plan), width: 0.8, color: GREY, dash: [3, 2] });
    const before = history[index - 1].value;
    const now = history[index].value;
    if (before !== null && now !== null) page.ops.push({ op: 'line', x1: px(index - 1), y1: py(before), x2: px(index), y2: py(now), width: 1.4, color: BLUE });
  }
  // A lone value (no neighbour to join) still shows, as a short tick.
  history.forEach((point, index) => {
    if (point.value !== null) page.ops.push({ op: 'line', x1: px(index) - 1.2, y1: py(point.value), x2: px(index) + 1.2, y2: py(point.value), width: 2.4, color: BLUE });
  });
  const targetIndex = Math.max(0, history.findIndex((point) => point.month.slice(0, 7) === kpi.target.date.slice(0, 7)));
  const tx = history.length === 0 ? plot.x + plot.width : px(targetIndex === 0 && history.length > 0 && history[0].month.slice(0, 7) !== kpi.target.date.slice(0, 7) ? history.length - 1 : targetIndex);
  page.circle(tx, py(kpi.target.value), 3, ORANGE, 1.2);
  page.text(tx - 4, py(kpi.target.value) + 5, `目標 ${fmt(kpi.target.value)}`, 6, { align: 'right', color: ORANGE });
}

function fmt(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
