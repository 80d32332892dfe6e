import type { ComponentChildren } from 'preact';
import type { Department } from '@madoguchi/identity';
import type { CashlessDashboard, ChannelsDashboard, CounterDashboard, DashboardChart, KpiCard, OnlineProceduresDashboard, ProcessingTimesDashboard } from '@madoguchi/kpi';
import { Button, ErrorSummary, type FieldError, Select, StatusTag, Table } from '@madoguchi/ui';
import type { OfficeContext } from '../shared/office-context';
import { OfficePage } from '../shared/office-page';
import { ChartFigure, type ChartText } from './chart-figure';

export const OFFICE_DASHBOARD = '/office/dashboard';
export const OFFICE_KPIS = '/office/kpis';

export interface DashboardFilterValues {
  fiscalYear: string;
  department: string;
}

export interface DashboardData {
  fiscalYear: number;
  department: string | null;
  fiscalYears: number[];
  departments: Department[];
  cards: Array<{ card: KpiCard; chart: ChartText }>;
  onlineProcedures: OnlineProceduresDashboard;
  channels: ChannelsDashboard;
  cashless: CashlessDashboard;
  processing: ProcessingTimesDashboard;
  counter: CounterDashboard;
  charts: Record<DashboardChart, ChartText>;
}

/** A number as the dashboard shows it: separators, at most 2 decimals. */
export function num(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** A value with its unit: `4,200人`, `80.6%`; English puts a space before a word unit. */
export function withUnit(context: OfficeContext, value: number | null, unit: string): string {
  if (value === null) return context.t('office.dashboard.none');
  return context.lang === 'en' && unit !== '%' ? `${num(value)} ${unit}` : `${num(value)}${unit}`;
}

/** A remark in brackets: full-width in Japanese, a space and ASCII brackets in English. */
export function paren(context: OfficeContext, text: string): string {
  return context.lang === 'en' ? ` (${text})` : `（${text}）`;
}

export function fiscalYearLabel(context: OfficeContext, fiscalYear: number): string {
  return context.t('office.dashboard.fiscalYear', { year: fiscalYear });
}

export function localized(context: OfficeContext, text: { ja: string; en: string }): string {
  return context.lang === 'en' ? text.en : text.ja;
}

export function OnTrackTag({ context, onTrack }: { context: OfficeContext; onTrack: boolean | null }) {
  const { t } = context;
  if (onTrack === null) return <StatusTag tone="neutral">{t('office.dashboard.noValue')}</StatusTag>;
  return onTrack ? <StatusTag tone="success">{t('office.dashboard.onTrack')}</StatusTag> : <StatusTag tone="warning">{t('office.dashboard.behind')}</StatusTag>;
}

function chartSrc(context: OfficeContext, path: string, data: DashboardData): string {
  const query = new URLSearchParams({ fiscalYear: String(data.fiscalYear), lang: context.lang });
  if (data.department) query.set('department', data.department);
  return `${path}?${query.toString()}`;
}

function KpiSection({ context, data, card, chart }: { context: OfficeContext; data: DashboardData; card: KpiCard; chart: ChartText }) {
  const { t } = context;
  return (
    <section class="mg-office-kpi" aria-labelledby={`kpi-${card.code}-title`}>
      <h3 id={`kpi-${card.code}-title`}>{localized(context, card.name)}</h3>
      <ul class="mg-office-counts">
        <li>
          {t('office.dashboard.current')}: <strong>{card.current ? withUnit(context, card.current.value, card.unit) : t('office.dashboard.none')}</strong>
          {card.current ? <span class="mg-hint">{paren(context, card.current.month.slice(0, 7))}</span> : null}
        </li>
        <li>
          {t('office.dashboard.target')}: <strong>{withUnit(context, card.target.value, card.unit)}</strong> <span class="mg-hint">{paren(context, fiscalYearLabel(context, card.target.fiscalYear))}</span>
        </li>
        <li>
          {t('office.dashboard.gap')}: <strong>{withUnit(context, card.gap, card.unit)}</strong>
        </li>
        <li>
          <OnTrackTag context={context} onTrack={card.onTrack} />
        </li>
        <li>{t(card.source === 'entered' ? 'office.dashboard.sourceEntered' : 'office.dashboard.sourceMeasured')}</li>
      </ul>
      <ChartFigure context={context} id={`kpi-${card.code}-chart`} src={chartSrc(context, `${OFFICE_KPIS}/${encodeURIComponent(card.code)}/chart.svg`, data)} chart={chart} />
      <p>
        <a href={`${OFFICE_KPIS}/${encodeURIComponent(card.code)}`}>
          {t(card.source === 'entered' ? 'office.dashboard.enterValue' : 'office.dashboard.kpiDetail')}
          <span class="mg-visually-hidden">: {localized(context, card.name)}</span>
        </a>
      </p>
    </section>
  );
}

function DashboardSection(props: { context: OfficeContext; data: DashboardData; id: string; title: string; lead: string; charts: DashboardChart[]; children?: ComponentChildren }) {
  const { context, data } = props;
  return (
    <section aria-labelledby={`${props.id}-title`} class="mg-office-approval">
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <p>{props.lead}</p>
      {props.charts.map((name) => (
        <ChartFigure context={context} id={`chart-${name}`} src={chartSrc(context, `${OFFICE_DASHBOARD}/${name}/chart.svg`, data)} chart={data.charts[name]} />
      ))}
      {props.children}
    </section>
  );
}

const pct = (context: OfficeContext, value: number | null) => withUnit(context, value, '%');

/** /office/dashboard: every plan KPI against its straight line, then the figures behind them; filtered by fiscal year and department (GET). */
export function DashboardView(props: { context: OfficeContext; data: DashboardData; values: DashboardFilterValues; errors: FieldError[] }) {
  const { context, data } = props;
  const { t } = context;
  const title = t('office.dashboard.title');
  const days = (value: number | null) => withUnit(context, value, context.lang === 'en' ? 'business days' : '営業日');
  const minutes = (value: number | null) => withUnit(context, value, context.lang === 'en' ? 'min' : '分');
  return (
    <OfficePage context={context} title={title} breadcrumbs={[{ label: title }]}>
      <ErrorSummary errors={props.errors} />
      <h1>{title}</h1>
      <p>{t('office.dashboard.lead', { year: fiscalYearLabel(context, data.fiscalYear) })}</p>
      <form method="get" action={OFFICE_DASHBOARD} id="filters" class="mg-office-filters" novalidate>
        <Select
          name="fiscalYear"
          label={t('office.dashboard.filterYear')}
          placeholder={false}
          options={data.fiscalYears.map((year) => ({ value: String(year), label: fiscalYearLabel(context, year) }))}
          value={props.values.fiscalYear || String(data.fiscalYear)}
          error={props.errors.find((error) => error.fieldId === 'fiscalYear')?.message}
        />
        <Select
          name="department"
          label={t('office.dashboard.filterDepartment')}
          placeholder={false}
          options={[{ value: '', label: t('office.dashboard.allDepartments') }, ...data.departments.map((department) => ({ value: department.code, label: localized(context, department.name) }))]}
          value={props.values.department}
          error={props.errors.find((error) => error.fieldId === 'department')?.message}
        />
        <div class="mg-office-actions">
          <Button>{t('office.dashboard.apply')}</Button>
        </div>
      </form>

      <section aria-labelledby="kpis-title">
        <h2 id="kpis-title">{t('office.dashboard.kpisTitle')}</h2>
        {data.cards.length === 0 ? (
          <p>{t('office.dashboard.noKpis')}</p>
        ) : (
          <Table
            caption={t('office.dashboard.kpisCaption', { total: data.cards.length })}
            rowHeader="name"
            columns={[
              { key: 'name', label: t('office.dashboard.col.kpi') },
              { key: 'current', label: t('office.dashboard.current'), numeric: true },
              { key: 'target', label: t('office.dashboard.target'), numeric: true },
              { key: 'gap', label: t('office.dashboard.gap'), numeric: true },
              { key: 'status', label: t('office.dashboard.col.status') },
            ]}
            rows={data.cards.map(({ card }) => ({
              name: <a href={`#kpi-${card.code}-title`}>{localized(context, card.name)}</a>,
              current: card.current ? withUnit(context, card.current.value, card.unit) : t('office.dashboard.none'),
              target: `${withUnit(context, card.target.value, card.unit)}${paren(context, fiscalYearLabel(context, card.target.fiscalYear))}`,
              gap: withUnit(context, card.gap, card.unit),
              status: <OnTrackTag context={context} onTrack={card.onTrack} />,
            }))}
          />
        )}
        {data.cards.map(({ card, chart }) => (
          <KpiSection context={context} data={data} card={card} chart={chart} />
        ))}
      </section>

      <DashboardSection
        context={context}
        data={data}
        id="online-procedures"
        title={t('office.dashboard.onlineProcedures')}
        lead={t('office.dashboard.onlineProceduresLead', { online: data.onlineProcedures.onlineCount, targeted: data.onlineProcedures.targetedCount })}
        charts={['online-procedures']}
      >
      <Table
        caption={t('office.dashboard.byCategoryCaption')}
        rowHeader="category"
        columns={[
          { key: 'category', label: t('office.dashboard.col.category') },
          { key: 'targeted', label: t('office.dashboard.col.targeted'), numeric: true },
          { key: 'online', label: t('office.dashboard.col.online'), numeric: true },
        ]}
        rows={data.onlineProcedures.byNationalCategory.map((row) => ({ category: localized(context, row.label), targeted: num(row.targeted), online: num(row.online) }))}
      />
      <ul class="mg-office-counts" aria-label={t('office.dashboard.stagesLabel')}>
        {data.onlineProcedures.stages.map((stage) => (
          <li>
            {localized(context, stage.label)}: <strong>{num(stage.count)}</strong>
          </li>
        ))}
      </ul>
      </DashboardSection>
      <DashboardSection
        context={context}
        data={data}
        id="channels"
        title={t('office.dashboard.channels')}
        lead={t('office.dashboard.channelsLead', { total: num(data.channels.total), share: pct(context, data.channels.onlineShare) })}
        charts={['online-share', 'channels']}
      />
      <DashboardSection
        context={context}
        data={data}
        id="cashless"
        title={t('office.dashboard.cashless')}
        lead={t('office.dashboard.cashlessLead', { total: num(data.cashless.feePayments), share: pct(context, data.cashless.cashlessShare) })}
        charts={['cashless']}
      />
      <DashboardSection
        context={context}
        data={data}
        id="processing"
        title={t('office.dashboard.processing')}
        lead={t('office.dashboard.processingLead', {
          closed: num(data.processing.overall.closed),
          median: days(data.processing.overall.medianBusinessDays),
          ninety: days(data.processing.overall.p90BusinessDays),
        })}
        charts={['processing-per-procedure', 'processing-times']}
      />
      <DashboardSection
        context={context}
        data={data}
        id="counter"
        title={t('office.dashboard.counter')}
        lead={t('office.dashboard.counterLead', { tickets: num(data.counter.tickets), wait: minutes(data.counter.averageWaitMinutes), noShow: pct(context, data.counter.noShowRate) })}
        charts={['counter-waits', 'no-shows']}
      />
    </OfficePage>
  );
}
