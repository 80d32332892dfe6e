import type { Chart, PublicProgress } from '@madoguchi/reporting';
import { Table } from '@madoguchi/ui';
import type { PageContext } from '../shared/page-context';
import { PortalPage } from '../shared/portal-page';

const pick = (context: PageContext, text: { ja: string; en: string }) => (context.lang === 'en' ? text.en : text.ja);
const number = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 2 });

export interface DatasetEntry {
  id: string;
  title: { ja: string; en: string };
  description: { ja: string; en: string };
  license: string;
  modified: string;
}

/**
 * /progress: the plan KPIs for residents, without signing in: a table of
 * every KPI (latest, target, on track), then each KPI's chart as an image
 * of /progress/charts/:code.svg with its text summary.
 */
export function ProgressView(props: { context: PageContext; progress: PublicProgress; charts: Map<string, Chart> }) {
  const { context, progress } = props;
  const { t } = context;
  const chartLang = context.lang === 'en' ? 'en' : 'ja';
  const status = (onTrack: boolean | null) => (onTrack === null ? t('progress.unknown') : onTrack ? t('progress.onTrack') : t('progress.behind'));
  return (
    <PortalPage context={context} title={t('progress.title')}>
      <h1>{t('progress.title')}</h1>
      <p>{t('progress.lead', { city: context.city })}</p>
      <p>{t('progress.howToRead')}</p>
      {progress.kpis.length === 0 ? (
        <p>{t('progress.none')}</p>
      ) : (
        <Table
          caption={t('progress.caption')}
          rowHeader="kpi"
          columns={[
            { key: 'kpi', label: t('progress.col.kpi') },
            { key: 'latest', label: t('progress.col.latest') },
            { key: 'target', label: t('progress.col.target') },
            { key: 'status', label: t('progress.col.status') },
          ]}
          rows={progress.kpis.map((kpi) => ({
            kpi: pick(context, kpi.name),
            latest: kpi.latest ? t('progress.valueAt', { value: number(kpi.latest.value), unit: kpi.unit, month: kpi.latest.month.slice(0, 7) }) : t('progress.unknown'),
            target: t('progress.targetAt', { value: number(kpi.target.value), unit: kpi.unit, year: kpi.target.fiscalYear }),
            status: status(kpi.onTrack),
          }))}
        />
      )}
      <p>
        {t('progress.openData')} <a href="/opendata/">{t('layout.openDataLink')}</a>
      </p>
      {progress.kpis.length > 0 ? <h2>{t('progress.charts')}</h2> : null}
      {progress.kpis.map((kpi) => {
        const chart = props.charts.get(kpi.code)!;
        return (
          <section aria-labelledby={`kpi-${kpi.code}`}>
            <h3 id={`kpi-${kpi.code}`}>{pick(context, kpi.name)}</h3>
            <figure class="mg-chart">
              <img class="mg-chart__image" src={`/progress/charts/${encodeURIComponent(kpi.code)}.svg`} alt={chart.table.caption} width={720} height={360} />
              <figcaption class="mg-chart__summary">{chart.summary[chartLang]}</figcaption>
            </figure>
            <p>
              {t('progress.col.status')}: {status(kpi.onTrack)}
            </p>
          </section>
        );
      })}
    </PortalPage>
  );
}

/** JSON as a data block inside <script>: `<` escaped so no text in it can close the element. */
function jsonLd(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * /opendata/: the datasets with title, description, licence, modified date
 * and CSV/JSON links at stable addresses, and the DCAT catalog embedded as
 * JSON-LD (a data block: not run, so the script-src policy is untouched).
 */
export function OpenDataView(props: { context: PageContext; datasets: DatasetEntry[]; catalog: Record<string, unknown> }) {
  const { context } = props;
  const { t } = context;
  return (
    <PortalPage context={context} title={t('opendata.title')}>
      <h1>{t('opendata.title')}</h1>
      <p>{t('opendata.lead', { city: context.city })}</p>
      <p>
        {t('opendata.license', { city: context.city })} <a href={props.datasets[0]?.license ?? 'https://creativecommons.org/licenses/by/4.0/'}>{t('opendata.licenseLink')}</a>
      </p>
      <p class="mg-hint">{t('opendata.csvNote')}</p>
      {props.datasets.map((dataset) => {
        const title = pick(context, dataset.title);
        return (
          <section class="mg-dataset" id={dataset.id} aria-labelledby={`dataset-${dataset.id}`}>
            <h2 id={`dataset-${dataset.id}`}>{title}</h2>
            <p>{pick(context, dataset.description)}</p>
            <p>
              {t('opendata.modified')}: <time dateTime={dataset.modified}>{dataset.modified}</time>
            </p>
            <ul class="mg-dataset__links" aria-label={t('opendata.formats')}>
              <li>
                <a href={`/opendata/${dataset.id}.csv`} download>
                  {t('opendata.csv', { title })}
                </a>
              </li>
              <li>
                <a href={`/opendata/${dataset.id}.json`}>{t('opendata.json', { title })}</a>
              </li>
            </ul>
          </section>
        );
      })}
      <p class="mg-hint">{t('opendata.catalogNote')}</p>
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLd(props.catalog) }} />
    </PortalPage>
  );
}
