import type { KpiDetail } from '@madoguchi/kpi';
import { Button, ErrorSummary, type FieldError, NotificationBanner, StatusTag, SummaryList, Table, Textarea, TextInput } from '@madoguchi/ui';
import type { OfficeContext } from '../shared/office-context';
import { CsrfField, OfficePage } from '../shared/office-page';
import { ChartFigure, type ChartText } from './chart-figure';
import { fiscalYearLabel, localized, num, OFFICE_DASHBOARD, OFFICE_KPIS, OnTrackTag, paren, withUnit } from './dashboard.view';

export interface KpiValueFormValues {
  month: string;
  value: string;
  note: string;
}

/** Who changed something, as a page shows it: a colleague's name, or what the system did. */
export function actorName(context: OfficeContext, names: Map<string, string>, actor: string): string {
  if (actor.startsWith('staff:')) return names.get(actor.slice('staff:'.length)) ?? context.t('office.kpi.formerStaff');
  if (actor === 'system:kpi-config') return context.t('office.kpi.byConfig');
  return actor;
}

/** A moment as a local date and time (the municipality's time zone). */
export function localDateTime(context: OfficeContext, iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString(context.lang === 'en' ? 'en-GB' : 'ja-JP', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/**
 * /office/kpis/:code: one KPI against its plan, every value entered with
 * who and when (corrections are new rows; the one that counts is marked),
 * and for an entered KPI the form for a month's value.
 */
export function KpiView(props: {
  context: OfficeContext;
  kpi: KpiDetail;
  chart: ChartText;
  chartSrc: string;
  names: Map<string, string>;
  timeZone: string;
  values: KpiValueFormValues;
  errors: FieldError[];
  entered: boolean;
}) {
  const { context, kpi } = props;
  const { t } = context;
  const name = localized(context, kpi.name);
  const errorOf = (id: string) => props.errors.find((error) => error.fieldId === id)?.message;
  const action = `${OFFICE_KPIS}/${encodeURIComponent(kpi.code)}/values`;
  return (
    <OfficePage context={context} title={name} breadcrumbs={[{ label: t('office.dashboard.title'), href: OFFICE_DASHBOARD }, { label: name }]}>
      <ErrorSummary errors={props.errors} />
      {props.entered ? <NotificationBanner kind="success">{t('office.kpi.entered')}</NotificationBanner> : null}
      <h1>{name}</h1>
      <SummaryList
        rows={[
          { key: t('office.kpi.source'), value: t(kpi.source === 'entered' ? 'office.dashboard.sourceEntered' : 'office.dashboard.sourceMeasured') },
          { key: t('office.kpi.baseline'), value: `${withUnit(context, kpi.baseline.value, kpi.unit)}${paren(context, kpi.baseline.date)}` },
          { key: t('office.dashboard.target'), value: `${withUnit(context, kpi.target.value, kpi.unit)}${paren(context, fiscalYearLabel(context, kpi.target.fiscalYear))}` },
          { key: t('office.dashboard.current'), value: kpi.current ? `${withUnit(context, kpi.current.value, kpi.unit)}${paren(context, kpi.current.month.slice(0, 7))}` : t('office.dashboard.none') },
          { key: t('office.kpi.planned'), value: withUnit(context, kpi.plannedNow, kpi.unit) },
          { key: t('office.dashboard.gap'), value: withUnit(context, kpi.gap, kpi.unit) },
          { key: t('office.dashboard.col.status'), value: <OnTrackTag context={context} onTrack={kpi.onTrack} /> },
        ]}
      />
      <ChartFigure context={context} id="kpi-chart" src={props.chartSrc} chart={props.chart} />

      {kpi.source === 'entered' ? (
        <section aria-labelledby="entry-title">
          <h2 id="entry-title">{t('office.kpi.entryTitle')}</h2>
          <p>{t('office.kpi.entryLead')}</p>
          <form method="post" action={action} novalidate id="kpi-value-form">
            <CsrfField context={context} />
            <TextInput name="month" label={t('office.kpi.month')} hint={t('office.kpi.monthHint')} value={props.values.month} error={errorOf('month')} width={10} inputLang="en" autocomplete="off" />
            <TextInput name="value" label={t('office.kpi.value', { unit: kpi.unit })} hint={t('office.kpi.valueHint')} value={props.values.value} error={errorOf('value')} width={10} inputmode="decimal" inputLang="en" autocomplete="off" />
            <Textarea name="note" label={t('office.kpi.note')} hint={t('office.kpi.noteHint')} optional value={props.values.note} error={errorOf('note')} rows={3} maxLength={500} />
            <div class="mg-office-actions">
              <Button>{t('office.kpi.submit')}</Button>
            </div>
          </form>
        </section>
      ) : (
        <p>{t('office.kpi.measuredLead')}</p>
      )}

      <section aria-labelledby="values-title">
        <h2 id="values-title">{t('office.kpi.valuesTitle')}</h2>
        {kpi.values.length === 0 ? (
          <p>{t('office.kpi.noValues')}</p>
        ) : (
          <Table
            caption={t('office.kpi.valuesCaption', { total: kpi.values.length })}
            rowHeader="month"
            columns={[
              { key: 'month', label: t('office.kpi.month') },
              { key: 'value', label: t('office.kpi.value', { unit: kpi.unit }), numeric: true },
              { key: 'note', label: t('office.kpi.note') },
              { key: 'by', label: t('office.kpi.enteredBy') },
              { key: 'at', label: t('office.kpi.enteredAt') },
              { key: 'state', label: t('office.dashboard.col.status') },
            ]}
            rows={[...kpi.values].reverse().map((value) => ({
              month: value.month.slice(0, 7),
              value: num(value.value),
              note: value.note ?? '',
              by: actorName(context, props.names, value.enteredBy),
              at: localDateTime(context, value.enteredAt, props.timeZone),
              state: value.superseded ? <StatusTag tone="neutral">{t('office.kpi.superseded')}</StatusTag> : <StatusTag tone="info">{t('office.kpi.counts')}</StatusTag>,
            }))}
          />
        )}
      </section>
      <p>
        <a href={OFFICE_DASHBOARD}>{t('office.kpi.back')}</a>
      </p>
    </OfficePage>
  );
}
