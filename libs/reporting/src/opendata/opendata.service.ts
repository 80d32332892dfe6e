import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig, MunicipalityDirectory } from '@madoguchi/config';
import { FacilitiesService } from '@madoguchi/bookings';
import { CounterStatisticsService } from '@madoguchi/counter';
import { CashlessKpiService } from '@madoguchi/payments';
import { API_PREFIX, APP_CONFIG, Clock, type MunicipalityId } from '@madoguchi/kernel';
import { onlineStatus, ProceduresService } from '@madoguchi/procedures';
import { reportKpiChart } from '../annual-report/report-kpi-chart';
import { REPORT_KPI_SOURCE, type ReportKpiSource } from '../annual-report/report-kpi-source';
import type { Chart, ChartLanguage } from '../charts/charts';
import { ReportingError } from '../reporting.errors';
import { type CsvCell, toCsv } from './csv';
import { OpenDataRepository } from './opendata.repository';

export const OPEN_DATA_LICENSE = 'https://creativecommons.org/licenses/by/4.0/';
/** Shown instead of a count under OPENDATA_MIN_CELL_COUNT. */
export const SUPPRESSED = '*';
const MONTHS_PUBLISHED = 24;

/**
 * Stable columns per dataset: add at the end, never rename or reorder (a
 * test compares them with test/fixtures/opendata-columns.json). The
 * facility list follows the national recommended dataset layout 公共施設一覧
 * (推奨データセット); columns we do not hold yet are published empty.
 */
export const OPEN_DATA_COLUMNS = {
  'online-procedures': ['municipality_code', 'procedure_code', 'name_ja', 'name_en', 'national_category', 'national_code', 'targeted', 'online', 'online_since', 'offline_reasons', 'version'],
  'applications-by-month': ['municipality_code', 'month', 'procedure_code', 'channel', 'applications'],
  'cashless-share': ['municipality_code', 'month', 'fee_payments', 'cashless_payments', 'cashless_share', 'cashless_procedures'],
  'counter-waiting-times': [
    'municipality_code',
    'period_from',
    'period_to',
    'service_code',
    'service_name_ja',
    'service_name_en',
    'hour',
    'tickets',
    'called',
    'served',
    'no_shows',
    'no_show_rate',
    'average_wait_seconds',
    'average_service_seconds',
  ],
  facilities: [
    '都道府県コード又は市区町村コード',
    'NO',
    '名称',
    '名称_カナ',
    '名称_英字',
    '種類',
    '所在地_連結表記',
    '緯度',
    '経度',
    '電話番号',
    '利用可能曜日',
    '開始時間',
    '終了時間',
    '利用可能日時特記事項',
    '料金（基本）',
    '説明',
    'URL',
  ],
  progress: [
    'municipality_code',
    'kpi_code',
    'name_ja',
    'name_en',
    'unit',
    'direction',
    'baseline_value',
    'baseline_date',
    'target_value',
    'target_fiscal_year',
    'target_date',
    'latest_month',
    'latest_value',
    'planned_value',
    'gap',
    'on_track',
  ],
} as const;

export type DatasetId = keyof typeof OPEN_DATA_COLUMNS;
const DATASET_IDS = Object.keys(OPEN_DATA_COLUMNS) as DatasetId[];

const DATASET_TEXT: Record<DatasetId, { title: { ja: string; en: string }; description: { ja: string; en: string } }> = {
  'online-procedures': {
    title: { ja: 'オンライン手続一覧', en: 'Online procedures' },
    description: { ja: '手続ごとのオンライン化の状況と開始日。', en: 'Whether each procedure can be done online, and since when.' },
  },
  'applications-by-month': {
    title: { ja: '手続別・受付方法別・月別の申請件数', en: 'Applications per procedure, channel and month' },
    description: {
      ja: '直近24か月の申請件数。個人の特定を防ぐため、一定件数未満は「*」で表示します。',
      en: 'Applications submitted over the last 24 months. Counts under a threshold are shown as "*" so that no person can be identified.',
    },
  },
  'cashless-share': {
    title: { ja: 'キャッシュレス決済の割合（月別）', en: 'Cashless share of fees paid, per month' },
    description: {
      ja: '直近24か月の手数料の納付件数とそのうちキャッシュレス決済の件数・割合、月末時点でキャッシュレス決済できる手続の数。一定件数未満は「*」で表示します。',
      en: 'Fees paid over the last 24 months, how many cashlessly and the share, and the procedures payable cashlessly at month end. Counts under a threshold are shown as "*".',
    },
  },
  'counter-waiting-times': {
    title: { ja: '窓口の待ち時間（業務別・時間帯別）', en: 'Counter waiting times per service and hour' },
    description: {
      ja: '直近1年間の発券数、呼出数、不在数、平均待ち時間・平均応対時間（秒）。一定件数未満は「*」で表示します。',
      en: 'Tickets, calls, no-shows and average waiting and service times (seconds) over the last year. Counts under a threshold are shown as "*", and so are averages over too few visits.',
    },
  },
  facilities: {
    title: { ja: '公共施設一覧', en: 'Public facilities' },
    description: { ja: '予約できる公共施設の一覧（推奨データセット「公共施設一覧」の項目名）。', en: 'Public facilities that can be booked, in the layout of the national recommended dataset.' },
  },
  progress: {
    title: { ja: 'DX推進計画の指標の進捗', en: 'Progress on the DX plan KPIs' },
    description: {
      ja: '計画の指標ごとの基準値、目標値、最新値、目標との差、計画どおりか（計画線：基準値から目標値への直線）。',
      en: 'Per plan KPI: baseline, target, latest value, gap to the target and whether it is on track (against the straight line from baseline to target).',
    },
  },
};

/** GET /opendata/progress: the same figures as the progress dataset, for the public progress page. */
export interface PublicProgress {
  municipality: { code: string; name: { ja: string; en: string } };
  /** The fiscal year asked for, or null: as of today. */
  fiscalYear: number | null;
  kpis: Array<{
    code: string;
    name: { ja: string; en: string };
    unit: string;
    direction: 'up' | 'down';
    baseline: { value: number; date: string };
    target: { value: number; fiscalYear: number; date: string };
    latest: { month: string; value: number } | null;
    planned: number | null;
    gap: number | null;
    onTrack: boolean | null;
  }>;
}

const WEEKDAY_JA: Record<string, string> = { sun: '日', mon: '月', tue: '火', wed: '水', thu: '木', fri: '金', sat: '土' };
const WEEK_ORDER = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface OpenDataTable {
  dataset: DatasetId;
  columns: string[];
  rows: Array<Record<string, CsvCell>>;
}

/** Public open data: no sign-in, aggregates only, CC BY 4.0. */
@Injectable()
export class OpenDataService {
  constructor(
    private readonly procedures: ProceduresService,
    private readonly facilities: FacilitiesService,
    private readonly repository: OpenDataRepository,
    private readonly cashless: CashlessKpiService,
    private readonly counterStatistics: CounterStatisticsService,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REPORT_KPI_SOURCE) private readonly kpis: ReportKpiSource,
  ) {}

  /**
   * Public (no sign-in): the plan KPIs' standing. Aggregate figures the city
   * reports anyway; who entered a value and their notes are left out.
   */
  async progress(municipalityId: MunicipalityId, fiscalYear?: number): Promise<PublicProgress> {
    const settings = this.directory.get(municipalityId);
    const kpis = await this.kpis.kpis(municipalityId, fiscalYear);
    return {
      municipality: { code: municipalityId, name: settings ? { ja: settings.name.ja, en: settings.name.en } : { ja: municipalityId, en: municipalityId } },
      fiscalYear: fiscalYear ?? null,
      kpis: kpis.map((kpi) => ({
        code: kpi.code,
        name: kpi.name,
        unit: kpi.unit,
        direction: kpi.direction,
        baseline: kpi.baseline,
        target: kpi.target,
        latest: kpi.latest,
        planned: kpi.planned,
        gap: kpi.gap,
        onTrack: kpi.onTrack,
      })),
    };
  }

  /** Every KPI's chart for the public progress page, by KPI code (aggregate figures only). */
  async progressCharts(municipalityId: MunicipalityId, language: ChartLanguage): Promise<Map<string, Chart>> {
    return new Map((await this.kpis.kpis(municipalityId)).map((kpi) => [kpi.code, reportKpiChart(kpi, language)]));
  }

  /** The datasets as the open-data page lists them: the catalog's words, licence and date. */
  datasets(municipalityId: MunicipalityId): Array<{ id: DatasetId; title: { ja: string; en: string }; description: { ja: string; en: string }; license: string; modified: string }> {
    const modified = this.procedures.today(municipalityId);
    return DATASET_IDS.map((id) => ({ id, title: DATASET_TEXT[id].title, description: DATASET_TEXT[id].description, license: OPEN_DATA_LICENSE, modified }));
  }

  /**
   * The DCAT catalog as JSON-LD, for a CKAN harvester (ckanext-dcat).
   * `site`: the portal's /opendata/ page embeds it with its own download
   * addresses (`/opendata/<dataset>.csv`) instead of the API's.
   */
  catalog(municipalityId: MunicipalityId, options: { site?: boolean } = {}): Record<string, unknown> {
    const settings = this.directory.get(municipalityId);
    const publisher = { '@type': 'foaf:Organization', 'foaf:name': settings?.name.ja ?? municipalityId };
    const base = options.site ? `${this.config.publicBaseUrl}/opendata` : `${this.config.publicBaseUrl}/${API_PREFIX}/opendata`;
    const modified = this.procedures.today(municipalityId);
    const query = options.site ? '' : `?m=${municipalityId}`;
    return {
      '@context': { dcat: 'http://www.w3.org/ns/dcat#', dct: 'http://purl.org/dc/terms/', foaf: 'http://xmlns.com/foaf/0.1/' },
      '@id': options.site ? `${base}/` : `${base}${query}`,
      '@type': 'dcat:Catalog',
      'dct:title': [{ '@language': 'ja', '@value': `${settings?.name.ja ?? municipalityId} オープンデータ` }, { '@language': 'en', '@value': `${settings?.name.en ?? municipalityId} open data` }],
      'dct:publisher': publisher,
      'dct:license': { '@id': OPEN_DATA_LICENSE },
      'dcat:dataset': DATASET_IDS.map((id) => ({
        '@id': options.site ? `${base}/#${id}` : `${base}/${id}${query}`,
        '@type': 'dcat:Dataset',
        'dct:identifier': `${municipalityId}-${id}`,
        'dct:title': [{ '@language': 'ja', '@value': DATASET_TEXT[id].title.ja }, { '@language': 'en', '@value': DATASET_TEXT[id].title.en }],
        'dct:description': [{ '@language': 'ja', '@value': DATASET_TEXT[id].description.ja }, { '@language': 'en', '@value': DATASET_TEXT[id].description.en }],
        'dct:publisher': publisher,
        'dct:license': { '@id': OPEN_DATA_LICENSE },
        'dct:modified': { '@type': 'http://www.w3.org/2001/XMLSchema#date', '@value': modified },
        'dcat:distribution': [
          { '@type': 'dcat:Distribution', 'dcat:downloadURL': { '@id': `${base}/${id}.csv${query}` }, 'dcat:mediaType': 'text/csv', 'dct:format': 'CSV', 'dct:license': { '@id': OPEN_DATA_LICENSE } },
          { '@type': 'dcat:Distribution', 'dcat:downloadURL': { '@id': `${base}/${id}.json${query}` }, 'dcat:mediaType': 'application/json', 'dct:format': 'JSON', 'dct:license': { '@id': OPEN_DATA_LICENSE } },
        ],
      })),
    };
  }

  async table(municipalityId: MunicipalityId, dataset: string): Promise<OpenDataTable> {
    if (!DATASET_IDS.includes(dataset as DatasetId)) throw ReportingError.datasetNotFound(dataset);
    const id = dataset as DatasetId;
    const rows = await this.rows(municipalityId, id);
    return { dataset: id, columns: [...OPEN_DATA_COLUMNS[id]], rows };
  }

  async csv(municipalityId: MunicipalityId, dataset: string): Promise<{ fileName: string; csv: string }> {
    const table = await this.table(municipalityId, dataset);
    return { fileName: `${municipalityId}-${table.dataset}.csv`, csv: toCsv(table.columns, table.rows) };
  }

  private async rows(municipalityId: MunicipalityId, id: DatasetId): Promise<Array<Record<string, CsvCell>>> {
    switch (id) {
      case 'online-procedures': {
        const today = this.procedures.today(municipalityId);
        const definitions = await this.procedures.latestDefinitions(municipalityId);
        return definitions.map((definition) => {
          const status = onlineStatus(definition, today);
          return {
            municipality_code: municipalityId,
            procedure_code: definition.code,
            name_ja: definition.name.ja,
            name_en: definition.name.en,
            national_category: definition.nationalCategory,
            national_code: definition.nationalCode ?? null,
            targeted: definition.targeted,
            online: status.online,
            online_since: status.onlineSince,
            offline_reasons: status.reasons.join(' '),
            version: definition.version,
          };
        });
      }
      case 'applications-by-month': {
        const timeZone = this.directory.get(municipalityId)?.timeZone ?? 'Asia/Tokyo';
        const to = this.clock.now();
        const from = new Date(to);
        from.setUTCMonth(from.getUTCMonth() - MONTHS_PUBLISHED);
        const threshold = this.config.openDataMinCellCount;
        return (await this.repository.applicationsByMonth(municipalityId, from, to, timeZone)).map((row) => ({
          municipality_code: municipalityId,
          month: row.month,
          procedure_code: row.procedureCode,
          channel: row.channel,
          applications: row.count < threshold ? SUPPRESSED : row.count,
        }));
      }
      case 'cashless-share':
        return this.cashlessRows(municipalityId);
      case 'counter-waiting-times':
        return this.counterRows(municipalityId);
      case 'progress':
        return (await this.kpis.kpis(municipalityId)).map((kpi) => ({
          municipality_code: municipalityId,
          kpi_code: kpi.code,
          name_ja: kpi.name.ja,
          name_en: kpi.name.en,
          unit: kpi.unit,
          direction: kpi.direction,
          baseline_value: kpi.baseline.value,
          baseline_date: kpi.baseline.date,
          target_value: kpi.target.value,
          target_fiscal_year: kpi.target.fiscalYear,
          target_date: kpi.target.date,
          latest_month: kpi.latest ? kpi.latest.month.slice(0, 7) : null,
          latest_value: kpi.latest?.value ?? null,
          planned_value: kpi.planned,
          gap: kpi.gap,
          on_track: kpi.onTrack,
        }));
      case 'facilities':
        return (await this.facilities.list(municipalityId)).map((facility, index) => {
          const open = WEEK_ORDER.filter((day) => facility.openingHours[day]);
          const first = open.length > 0 ? facility.openingHours[open[0]]! : null;
          const sameHours = open.every((day) => facility.openingHours[day]!.open === first?.open && facility.openingHours[day]!.close === first?.close);
          return {
            都道府県コード又は市区町村コード: municipalityId,
            NO: index + 1,
            名称: facility.name.ja,
            名称_カナ: facility.details.nameKana,
            名称_英字: facility.name.en,
            種類: facility.kind,
            所在地_連結表記: facility.details.address,
            緯度: facility.details.latitude,
            経度: facility.details.longitude,
            電話番号: facility.details.phone,
            利用可能曜日: open.map((day) => WEEKDAY_JA[day]).join(''),
            開始時間: sameHours ? (first?.open ?? null) : null,
            終了時間: sameHours ? (first?.close ?? null) : null,
            利用可能日時特記事項: [
              sameHours ? '' : open.map((day) => `${WEEKDAY_JA[day]} ${facility.openingHours[day]!.open}-${facility.openingHours[day]!.close}`).join(' '),
              facility.holidays === 'closed' ? '祝日休館' : '',
            ]
              .filter(Boolean)
              .join(' '),
            '料金（基本）': facility.rooms.length > 0 ? `${Math.min(...facility.rooms.map((room) => room.rates.resident))}円/${facility.slotMinutes}分から` : null,
            説明: facility.rooms.map((room) => room.name.ja).join('、'),
            URL: facility.details.url,
          };
        });
    }
  }

  /** One row per local month of the last 24, oldest first; the current month runs to today. */
  private async cashlessRows(municipalityId: MunicipalityId): Promise<Array<Record<string, CsvCell>>> {
    const today = this.procedures.today(municipalityId);
    const threshold = this.config.openDataMinCellCount;
    const rows: Array<Record<string, CsvCell>> = [];
    for (const month of lastMonths(today, MONTHS_PUBLISHED)) {
      const to = month === today.slice(0, 7) ? today : lastDayOf(month);
      const figures = await this.cashless.cashless(municipalityId, { from: `${month}-01`, to });
      const other = figures.feePayments - figures.cashlessPayments;
      // The share would give away a suppressed count (of either kind), so it goes with it.
      const hidden = small(figures.cashlessPayments, threshold) || small(other, threshold);
      rows.push({
        municipality_code: municipalityId,
        month,
        fee_payments: suppress(figures.feePayments, threshold),
        cashless_payments: suppress(figures.cashlessPayments, threshold),
        cashless_share: hidden ? SUPPRESSED : figures.cashlessShare,
        cashless_procedures: figures.cashlessProcedureCount,
      });
    }
    return rows;
  }

  /**
   * Per service and local hour over the last 365 days. An average over fewer
   * visits than the threshold describes a few people, so it is suppressed
   * with the count it is taken over.
   */
  private async counterRows(municipalityId: MunicipalityId): Promise<Array<Record<string, CsvCell>>> {
    const to = this.procedures.today(municipalityId);
    const from = addDays(to, -364);
    const threshold = this.config.openDataMinCellCount;
    const report = await this.counterStatistics.figuresOf(municipalityId, from, to);
    return report.services.flatMap((service) =>
      service.hours.map((hour) => {
        const fewCalls = hour.called < threshold;
        return {
          municipality_code: municipalityId,
          period_from: from,
          period_to: to,
          service_code: service.code,
          service_name_ja: service.name.ja,
          service_name_en: service.name.en,
          hour: hour.hour,
          tickets: suppress(hour.tickets, threshold),
          called: suppress(hour.called, threshold),
          served: suppress(hour.served, threshold),
          no_shows: suppress(hour.noShows, threshold),
          no_show_rate: fewCalls || small(hour.noShows, threshold) ? SUPPRESSED : hour.noShowRate,
          average_wait_seconds: fewCalls ? SUPPRESSED : hour.averageWaitSeconds,
          average_service_seconds: hour.served < threshold ? SUPPRESSED : hour.averageServiceSeconds,
        };
      }),
    );
  }

}

/** A count above zero but under the threshold could point at a person; zero says nothing about anyone. */
function small(count: number, threshold: number): boolean {
  return count > 0 && count < threshold;
}

function suppress(count: number, threshold: number): CsvCell {
  return small(count, threshold) ? SUPPRESSED : count;
}

/** `YYYY-MM` of the `count` months ending with the month of `today`, oldest first. */
function lastMonths(today: string, count: number): string[] {
  const [year, month] = today.split('-').map(Number);
  return Array.from({ length: count }, (_, index) => {
    const date = new Date(Date.UTC(year, month - 1 - (count - 1 - index), 1));
    return date.toISOString().slice(0, 7);
  });
}

function lastDayOf(month: string): string {
  const [year, number] = month.split('-').map(Number);
  return new Date(Date.UTC(year, number, 0)).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  const value = new Date(`${date}T00:00:00Z`);
  value.setUTCDate(value.getUTCDate() + days);
  return value.toISOString().slice(0, 10);
}
