import type { AnnualReportContent, Chart, ReportKpi } from '@madoguchi/reporting';
import { SummaryList, Table } from '@madoguchi/ui';
import type { OfficeContext } from '../shared/office-context';
import { OfficePage } from '../shared/office-page';
import { EvaluationTable, RatingRule } from './evaluation.view';

export const annualReportPath = (fiscalYear: number) => `/office/reports/annual/${fiscalYear}`;
const pick = (context: OfficeContext, text: { ja: string; en: string }) => (context.lang === 'en' ? text.en : text.ja);
const number = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** A chart as an image of its own route, its text summary and its data as a table (kept behind a disclosure on screen). */
export function ChartFigure(props: { chart: Chart; src: string; lang: 'ja' | 'en'; tableLabel: string }) {
  const { chart } = props;
  return (
    <figure class="mg-chart">
      <img class="mg-chart__image" src={props.src} alt={chart.table.caption} width={720} height={360} />
      <figcaption class="mg-chart__summary">{chart.summary[props.lang]}</figcaption>
      <details class="mg-office-details">
        <summary>{props.tableLabel}</summary>
        <Table caption={chart.table.caption} captionSize="hidden" columns={chart.table.headers.map((label, index) => ({ key: String(index), label, numeric: index > 0 }))} rows={chart.table.rows.map((row) => Object.fromEntries(row.map((cell, index) => [String(index), cell])))} />
      </details>
    </figure>
  );
}

function kpiRows(context: OfficeContext, kpi: ReportKpi) {
  const { t } = context;
  return [
    { key: t('report.kpi.baseline'), value: t('report.kpi.valueAt', { value: number(kpi.baseline.value), unit: kpi.unit, month: kpi.baseline.date }) },
    { key: t('report.kpi.latest'), value: kpi.latest ? t('report.kpi.valueAt', { value: number(kpi.latest.value), unit: kpi.unit, month: kpi.latest.month.slice(0, 7) }) : t('report.kpi.unknown') },
    { key: t('report.kpi.target'), value: t('report.kpi.targetAt', { value: number(kpi.target.value), unit: kpi.unit, year: kpi.target.fiscalYear }) },
    { key: t('report.kpi.gap'), value: kpi.gap === null ? '—' : `${kpi.gap > 0 ? '+' : ''}${number(kpi.gap)}` },
    { key: t('report.kpi.status'), value: kpi.onTrack === null ? t('report.kpi.unknown') : kpi.onTrack ? t('report.kpi.onTrack') : <strong>{t('report.kpi.behind')}</strong> },
  ];
}

/**
 * /office/reports/annual/:fiscalYear: the annual progress report as a page
 * that prints (the print stylesheet drops the header, menus and forms):
 * every KPI with its chart, summary and table, then the evaluation table
 * with each rating's reason and the notes, and the PDF made from the same figures.
 */
export function AnnualReportView(props: { context: OfficeContext; content: AnnualReportContent; charts: Map<string, Chart> }) {
  const { context, content } = props;
  const { t } = context;
  const chartLang = context.lang === 'en' ? 'en' : 'ja';
  const title = t('report.title', { year: context.lang === 'en' ? `FY${content.fiscalYear}` : content.fiscalYearLabel });
  const base = annualReportPath(content.fiscalYear);
  return (
    <OfficePage context={context} title={title}>
      <h1>{title}</h1>
      <p>{t('report.madeOn', { city: pick(context, content.municipality), date: content.madeOn })}</p>
      <div class="mg-report-screen-only">
        <p>
          <a href={`${base}/report.pdf`} download>
            {t('report.pdf')}
          </a>
        </p>
        <p class="mg-hint">{t('report.printHint')}</p>
      </div>
      <h2>{t('report.kpis')}</h2>
      {content.kpis.length === 0 ? <p>{t('report.kpi.none')}</p> : null}
      {content.kpis.map((kpi) => (
        <section class="mg-report-kpi" aria-labelledby={`kpi-${kpi.code}`}>
          <h3 id={`kpi-${kpi.code}`}>{pick(context, kpi.name)}</h3>
          <SummaryList rows={kpiRows(context, kpi)} />
          <ChartFigure chart={props.charts.get(kpi.code)!} src={`${base}/charts/${encodeURIComponent(kpi.code)}.svg`} lang={chartLang} tableLabel={t('report.kpi.monthly')} />
        </section>
      ))}
      <section class="mg-report-section" aria-labelledby="report-evaluation">
        <h2 id="report-evaluation">{t('report.evaluation')}</h2>
        <EvaluationTable context={context} year={content.evaluation} caption={t('report.evaluation.caption', { year: context.lang === 'en' ? `FY${content.fiscalYear}` : content.fiscalYearLabel })} linked={false} />
        <h3>{t('report.evaluation.notes')}</h3>
        {content.evaluation.areas.map((area) => (
          <section aria-labelledby={`notes-${area.code}`}>
            <h4 id={`notes-${area.code}`}>{pick(context, area.name)}</h4>
            {area.goodPoints || area.pointsToStudy ? (
              <SummaryList
                rows={[
                  { key: t('evaluation.form.goodPoints'), value: area.goodPoints || '—' },
                  { key: t('evaluation.form.pointsToStudy'), value: area.pointsToStudy || '—' },
                ]}
              />
            ) : (
              <p>{t('report.evaluation.noNotes')}</p>
            )}
          </section>
        ))}
        <RatingRule context={context} rule={content.evaluation.rule} headingLevel={3} />
      </section>
    </OfficePage>
  );
}
