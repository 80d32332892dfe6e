import { AREA_RATING_LABELS, AREA_RATINGS, type AreaEvaluationView, type EvaluationYearView, ITEM_MARK_LABELS, ITEM_MARKS } from '@madoguchi/reporting';
import { Button, ErrorSummary, type FieldError, NotificationBanner, Select, SummaryList, Table, Textarea, TextInput } from '@madoguchi/ui';
import type { OfficeContext } from '../shared/office-context';
import { CsrfField, OfficePage } from '../shared/office-page';

export const EVALUATION = '/office/evaluation';
/** Rows the area form offers: the saved items and a few empty ones, never more than this. */
export const MAX_FORM_ITEMS = 30;
export const EMPTY_ROWS = 3;

export const areaPath = (fiscalYear: number, code: string) => `${EVALUATION}/${fiscalYear}/areas/${encodeURIComponent(code)}`;
const pick = (context: OfficeContext, text: { ja: string; en: string }) => (context.lang === 'en' ? text.en : text.ja);
const yearName = (context: OfficeContext, fiscalYear: number) => (context.lang === 'en' ? `FY${fiscalYear}` : `${fiscalYear}年度`);

export interface CreateAreaValues {
  code: string;
  nameJa: string;
  nameEn: string;
}

export interface ItemFormRow {
  labelJa: string;
  labelEn: string;
  mark: string;
  national: string;
  prefectural: string;
}

export interface AreaFormValues {
  items: ItemFormRow[];
  goodPoints: string;
  pointsToStudy: string;
  publishedRating: string;
}

/** The fiscal year chooser: a GET form, so it works without JavaScript and the address says what is shown. */
export function FiscalYearForm(props: { context: OfficeContext; action: string; fiscalYear: string; error?: string }) {
  const { t } = props.context;
  return (
    <form method="get" action={props.action} class="mg-report-screen-only">
      <TextInput name="fiscalYear" label={t('reporting.fiscalYear')} hint={t('reporting.fiscalYearHint')} value={props.fiscalYear} width={4} inputmode="numeric" error={props.error} />
      <Button variant="secondary">{t('reporting.show')}</Button>
    </form>
  );
}

/** The written rule and how each case it leaves open is decided, in the rule's own words (libs/reporting). */
export function RatingRule({ context, rule, headingLevel }: { context: OfficeContext; rule: EvaluationYearView['rule']; headingLevel: 2 | 3 }) {
  const { t } = context;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const Sub = headingLevel === 2 ? 'h3' : 'h4';
  return (
    <section aria-labelledby="rating-rule">
      <Heading id="rating-rule">{t('evaluation.rule.title')}</Heading>
      <Sub>{t('evaluation.rule.written')}</Sub>
      <ul class="mg-report-rule">
        {pick(context, rule.written)
          .split(/[／;]\s*/)
          .map((part) => (
            <li>{part}</li>
          ))}
      </ul>
      <Sub>{t('evaluation.rule.boundaries')}</Sub>
      <ul class="mg-report-rule">
        {rule.boundaries.map((boundary) => (
          <li>{pick(context, boundary)}</li>
        ))}
      </ul>
    </section>
  );
}

/** Matches / does not match and why, or nothing entered. */
export function PublishedCheck({ context, area }: { context: OfficeContext; area: AreaEvaluationView }) {
  const { t } = context;
  if (!area.mismatch) return <>{t('evaluation.noPublished')}</>;
  if (area.mismatch.matches) return <>{t('evaluation.match')}</>;
  return (
    <>
      <strong class="mg-eval-mismatch">{t('evaluation.mismatch')}</strong>
      {area.mismatch.reason ? <p class="mg-hint">{pick(context, area.mismatch.reason)}</p> : null}
    </>
  );
}

/** Every area of the year: computed rating with its reason, the entered one, and whether they match (list page and annual report). */
export function EvaluationTable({ context, year, caption, linked }: { context: OfficeContext; year: EvaluationYearView; caption: string; linked: boolean }) {
  const { t } = context;
  return (
    <Table
      caption={caption}
      rowHeader="area"
      columns={[
        { key: 'area', label: t('evaluation.col.area') },
        { key: 'items', label: t('evaluation.col.items'), numeric: true },
        { key: 'computed', label: t('evaluation.col.computed') },
        { key: 'published', label: t('evaluation.col.published') },
        { key: 'check', label: t('evaluation.col.check') },
      ]}
      rows={year.areas.map((area) => ({
        area: linked ? <a href={areaPath(year.fiscalYear, area.code)}>{pick(context, area.name)}</a> : pick(context, area.name),
        items: String(area.items.length),
        computed: (
          <>
            <strong>{pick(context, area.computed.label)}</strong>
            <p class="mg-hint">{pick(context, area.computed.trail.reason)}</p>
          </>
        ),
        published: area.published ? pick(context, area.published.label) : '—',
        check: <PublishedCheck context={context} area={area} />,
      }))}
    />
  );
}

/** /office/evaluation: every area of the fiscal year, computed and entered rating side by side; add an area. */
export function EvaluationListView(props: {
  context: OfficeContext;
  year: EvaluationYearView;
  yearInput: string;
  yearError?: string;
  created: string | null;
  createValues: CreateAreaValues;
  createErrors: FieldError[];
}) {
  const { context, year } = props;
  const { t } = context;
  const title = t('evaluation.title', { year: yearName(context, year.fiscalYear) });
  const errorOf = (id: string) => props.createErrors.find((error) => error.fieldId === id)?.message;
  const errors = [...(props.yearError ? [{ fieldId: 'fiscalYear', message: props.yearError }] : []), ...props.createErrors];
  return (
    <OfficePage context={context} title={title}>
      <ErrorSummary errors={errors} />
      {props.created ? <NotificationBanner kind="success">{t('evaluation.created', { area: props.created })}</NotificationBanner> : null}
      <h1>{title}</h1>
      <p>{t('evaluation.lead')}</p>
      <FiscalYearForm context={context} action={EVALUATION} fiscalYear={props.yearInput} error={props.yearError} />
      <p>
        <a href={`/office/reports/annual/${year.fiscalYear}`}>{t('evaluation.reportLink')}</a>
      </p>
      <EvaluationTable context={context} year={year} caption={t('evaluation.caption', { count: year.areas.length })} linked />
      <RatingRule context={context} rule={year.rule} headingLevel={2} />
      <h2>{t('evaluation.create.title')}</h2>
      <form method="post" action={`${EVALUATION}/areas`} novalidate>
        <CsrfField context={context} />
        <input type="hidden" name="fiscalYear" value={String(year.fiscalYear)} />
        <TextInput name="code" label={t('evaluation.create.code')} hint={t('evaluation.create.codeHint')} value={props.createValues.code} width={20} spellcheck={false} inputLang="en" error={errorOf('code')} />
        <TextInput name="nameJa" label={t('evaluation.create.nameJa')} value={props.createValues.nameJa} maxLength={200} error={errorOf('nameJa')} />
        <TextInput name="nameEn" label={t('evaluation.create.nameEn')} value={props.createValues.nameEn} maxLength={200} inputLang="en" error={errorOf('nameEn')} />
        <Button>{t('evaluation.create.submit')}</Button>
      </form>
    </OfficePage>
  );
}

/** The computed rating with its trail: counts per mark, the shares the rule compares, which written conditions held, why. */
export function RatingTrail({ context, area, headingLevel }: { context: OfficeContext; area: AreaEvaluationView; headingLevel: 2 | 3 }) {
  const { t } = context;
  const trail = area.computed.trail;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const id = `trail-${area.code}`;
  return (
    <section aria-labelledby={id}>
      <Heading id={id}>{t('evaluation.area.trail')}</Heading>
      <Table
        caption={t('evaluation.area.trailCaption')}
        rowHeader="mark"
        columns={[
          { key: 'mark', label: t('evaluation.form.mark') },
          { key: 'count', label: t('evaluation.area.count'), numeric: true },
        ]}
        rows={[
          ...ITEM_MARKS.map((mark) => ({ mark: pick(context, ITEM_MARK_LABELS[mark]), count: String(trail.counts[mark]) })),
          { mark: t('evaluation.area.total'), count: String(trail.counts.total) },
        ]}
      />
      <SummaryList
        rows={[
          ...(['advancedAndNormalOfAll', 'advancedOfAdvancedAndNormal', 'shortfallOfAll', 'behindOfShortfall'] as const).map((key) => ({
            key: t(`evaluation.area.fraction.${key}`),
            value: trail.fractions[key],
          })),
          {
            key: t('evaluation.area.writtenMatches'),
            value: trail.writtenMatches.length > 0 ? trail.writtenMatches.map((rating) => pick(context, AREA_RATING_LABELS[rating])).join('・') : t('evaluation.area.noWrittenMatch'),
          },
          { key: t('evaluation.area.reason'), value: pick(context, trail.reason) },
        ]}
      />
    </section>
  );
}

/** /office/evaluation/:fiscalYear/areas/:code: the rating and its trail, then the form for the items and notes. */
export function EvaluationAreaView(props: {
  context: OfficeContext;
  fiscalYear: number;
  area: AreaEvaluationView;
  rule: EvaluationYearView['rule'];
  values: AreaFormValues;
  errors: FieldError[];
  saved: boolean;
}) {
  const { context, area, values } = props;
  const { t } = context;
  const title = t('evaluation.area.title', { area: pick(context, area.name), year: yearName(context, props.fiscalYear) });
  const errorOf = (id: string) => props.errors.find((error) => error.fieldId === id)?.message;
  const markOptions = ITEM_MARKS.map((mark) => ({ value: mark, label: pick(context, ITEM_MARK_LABELS[mark]) }));
  const ratingOptions = AREA_RATINGS.map((rating) => ({ value: rating, label: pick(context, AREA_RATING_LABELS[rating]) }));
  return (
    <OfficePage
      context={context}
      title={title}
      breadcrumbs={[{ label: t('evaluation.title', { year: yearName(context, props.fiscalYear) }), href: `${EVALUATION}?fiscalYear=${props.fiscalYear}` }, { label: pick(context, area.name) }]}
    >
      <ErrorSummary errors={props.errors} />
      {props.saved && area.revision !== null ? <NotificationBanner kind="success">{t('evaluation.area.saved', { revision: area.revision })}</NotificationBanner> : null}
      <h1>{title}</h1>
      <SummaryList
        rows={[
          { key: t('evaluation.area.computed'), value: <strong>{pick(context, area.computed.label)}</strong> },
          { key: t('evaluation.area.published'), value: area.published ? pick(context, area.published.label) : t('evaluation.noPublished') },
          { key: t('evaluation.col.check'), value: <PublishedCheck context={context} area={area} /> },
        ]}
      />
      <RatingTrail context={context} area={area} headingLevel={2} />
      {area.items.length > 0 ? (
        <Table
          caption={t('evaluation.area.itemsCaption', { count: area.items.length })}
          rowHeader="item"
          columns={[
            { key: 'item', label: t('evaluation.area.col.item') },
            { key: 'mark', label: t('evaluation.area.col.mark') },
            { key: 'national', label: t('evaluation.area.col.national'), numeric: true },
            { key: 'prefectural', label: t('evaluation.area.col.prefectural'), numeric: true },
          ]}
          rows={area.items.map((item) => ({
            item: pick(context, item.label),
            mark: pick(context, item.markLabel),
            national: item.nationalRate === null ? '—' : `${item.nationalRate}%`,
            prefectural: item.prefecturalRate === null ? '—' : `${item.prefecturalRate}%`,
          }))}
        />
      ) : (
        <p>{t('evaluation.area.noItems')}</p>
      )}
      <RatingRule context={context} rule={props.rule} headingLevel={2} />
      <h2>{t('evaluation.form.title')}</h2>
      <p class="mg-hint">{t('evaluation.form.hint')}</p>
      <form method="post" action={areaPath(props.fiscalYear, area.code)} novalidate>
        <CsrfField context={context} />
        {values.items.map((item, index) => {
          const number = index + 1;
          const field = (name: string) => `item-${index}-${name}`;
          return (
            <fieldset class="mg-eval-item">
              <legend class="mg-heading-s">{t('evaluation.form.item', { number })}</legend>
              <TextInput name={field('labelJa')} label={t('evaluation.form.labelJa')} value={item.labelJa} maxLength={200} error={errorOf(field('labelJa'))} />
              <TextInput name={field('labelEn')} label={t('evaluation.form.labelEn')} hint={t('evaluation.form.labelEnHint')} value={item.labelEn} maxLength={200} inputLang="en" optional />
              <Select name={field('mark')} label={t('evaluation.form.mark')} options={markOptions} value={item.mark} error={errorOf(field('mark'))} />
              <TextInput name={field('national')} label={t('evaluation.form.national')} value={item.national} width={5} inputmode="decimal" optional error={errorOf(field('national'))} />
              <TextInput name={field('prefectural')} label={t('evaluation.form.prefectural')} value={item.prefectural} width={5} inputmode="decimal" optional />
            </fieldset>
          );
        })}
        <Textarea name="goodPoints" label={t('evaluation.form.goodPoints')} value={values.goodPoints} maxLength={4000} optional />
        <Textarea name="pointsToStudy" label={t('evaluation.form.pointsToStudy')} value={values.pointsToStudy} maxLength={4000} optional />
        <Select name="publishedRating" label={t('evaluation.form.publishedRating')} hint={t('evaluation.form.publishedRatingHint')} options={ratingOptions} value={values.publishedRating} optional />
        <Button>{t('evaluation.form.submit')}</Button>
      </form>
      <p>
        <a href={`${EVALUATION}?fiscalYear=${props.fiscalYear}`}>{t('evaluation.area.back')}</a>
      </p>
    </OfficePage>
  );
}
