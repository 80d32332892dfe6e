import type { Chart } from '@madoguchi/reporting';
import { Table } from '@madoguchi/ui';
import type { OfficeContext } from '../shared/office-context';

/** A chart as the figure, its summary and its numbers (what the chart routes draw, without the SVG). */
export type ChartText = Omit<Chart, 'svg'>;

export function withoutSvg(chart: Chart): ChartText {
  return { summary: chart.summary, table: chart.table };
}

/**
 * One chart: the SVG as an image from our origin (pages forbid the inline
 * styles echarts writes), the summary a screen reader reads instead, and the
 * data as a table beside it (folded under the chart on a narrow screen).
 * The image's alt names the chart only: the summary right after it says
 * what it shows, so it is not said twice.
 */
export function ChartFigure(props: { context: OfficeContext; id: string; src: string; chart: ChartText }) {
  const { context, chart } = props;
  const { t } = context;
  return (
    <div class="mg-office-chart" id={props.id}>
      <figure class="mg-office-chart__figure">
        <img src={props.src} alt={chart.table.caption} width={720} height={360} loading="lazy" />
        <figcaption class="mg-office-chart__summary">{context.lang === 'en' ? chart.summary.en : chart.summary.ja}</figcaption>
      </figure>
      <details class="mg-office-details mg-office-chart__data">
        <summary>{t('office.dashboard.chartData', { title: chart.table.caption })}</summary>
        <Table
          caption={chart.table.caption}
          captionSize="hidden"
          rowHeader="c0"
          columns={chart.table.headers.map((header, index) => ({ key: `c${index}`, label: header, numeric: index > 0 }))}
          rows={chart.table.rows.map((row) => Object.fromEntries(row.map((value, index) => [`c${index}`, value])))}
        />
      </details>
    </div>
  );
}
