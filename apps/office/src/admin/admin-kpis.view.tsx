import type { Department } from '@madoguchi/identity';
import { type AdminKpi, KPI_MEASURES, type KpiDetail } from '@madoguchi/kpi';
import { Button, Checkboxes, ErrorSummary, type FieldError, NotificationBanner, Radios, Select, StatusTag, Table, TextInput } from '@madoguchi/ui';
import { fiscalYearLabel, localized, paren, withUnit } from '../dashboard/dashboard.view';
import { actorName, localDateTime } from '../dashboard/kpi.view';
import type { OfficeContext } from '../shared/office-context';
import { CsrfField, OfficePage } from '../shared/office-page';

export const ADMIN_KPIS = '/office/admin/kpis';

/** The form as posted: strings, so a refused form comes back exactly as typed. */
export interface KpiFormValues {
  code: string;
  nameJa: string;
  nameEn: string;
  unit: string;
  baselineValue: string;
  baselineDate: string;
  targetValue: string;
  targetFiscalYear: string;
  direction: string;
  source: string;
  measure: string;
  procedureCodes: string;
  department: string;
  sortOrder: string;
  active: boolean;
}

function crumbs(context: OfficeContext, last?: string) {
  const { t } = context;
  const list = t('office.adminKpi.title');
  return [{ label: t('office.admin.title'), href: '/office/admin' }, ...(last ? [{ label: list, href: ADMIN_KPIS }, { label: last }] : [{ label: list }])];
}

/** /office/admin/kpis: the register, retired KPIs included, each with its current revision. */
export function AdminKpiListView(props: { context: OfficeContext; kpis: AdminKpi[]; names: Map<string, string>; timeZone: string; saved: string | null }) {
  const { context } = props;
  const { t } = context;
  const saved = props.saved ? props.kpis.find((kpi) => kpi.code === props.saved) : undefined;
  return (
    <OfficePage context={context} title={t('office.adminKpi.title')} breadcrumbs={crumbs(context)}>
      {saved ? <NotificationBanner kind="success">{t('office.adminKpi.saved', { name: localized(context, saved.name) })}</NotificationBanner> : null}
      <h1>{t('office.adminKpi.title')}</h1>
      <p>{t('office.adminKpi.lead')}</p>
      <p>
        <Button href={`${ADMIN_KPIS}/new`}>{t('office.adminKpi.create')}</Button>
      </p>
      <Table
        caption={t('office.adminKpi.caption', { total: props.kpis.length })}
        rowHeader="name"
        columns={[
          { key: 'name', label: t('office.adminKpi.col.name') },
          { key: 'source', label: t('office.adminKpi.source') },
          { key: 'baseline', label: t('office.kpi.baseline') },
          { key: 'target', label: t('office.dashboard.target') },
          { key: 'state', label: t('office.dashboard.col.status') },
          { key: 'revision', label: t('office.adminKpi.col.revision') },
          { key: 'actions', label: t('office.adminKpi.col.actions') },
        ]}
        rows={props.kpis.map((kpi) => ({
          name: (
            <>
              {localized(context, kpi.name)}
              <br />
              <code class="mg-hint">{kpi.code}</code>
            </>
          ),
          source: kpi.measure ? `${t('office.dashboard.sourceMeasured')}${paren(context, t(`office.adminKpi.measure.${kpi.measure}`))}` : t('office.dashboard.sourceEntered'),
          baseline: `${withUnit(context, kpi.baseline.value, kpi.unit)}${paren(context, kpi.baseline.date)}`,
          target: `${withUnit(context, kpi.target.value, kpi.unit)}${paren(context, fiscalYearLabel(context, kpi.target.fiscalYear))}`,
          state: kpi.active ? <StatusTag tone="success">{t('office.adminKpi.active')}</StatusTag> : <StatusTag tone="neutral">{t('office.adminKpi.retired')}</StatusTag>,
          revision: `${kpi.revision}${paren(context, `${actorName(context, props.names, kpi.updatedBy)}, ${localDateTime(context, kpi.updatedAt, props.timeZone)}`)}`,
          actions: (
            <a href={`${ADMIN_KPIS}/${encodeURIComponent(kpi.code)}`}>
              {t('office.adminKpi.edit')}
              <span class="mg-visually-hidden">: {localized(context, kpi.name)}</span>
            </a>
          ),
        }))}
      />
    </OfficePage>
  );
}

/** Create (no code yet) or edit a KPI; an edit shows the revisions kept so far. */
export function AdminKpiFormView(props: {
  context: OfficeContext;
  values: KpiFormValues;
  errors: FieldError[];
  departments: Department[];
  existing: KpiDetail | null;
  names: Map<string, string>;
  timeZone: string;
}) {
  const { context, values, existing } = props;
  const { t } = context;
  const title = existing ? t('office.adminKpi.editTitle', { name: localized(context, existing.name) }) : t('office.adminKpi.newTitle');
  const errorOf = (id: string) => props.errors.find((error) => error.fieldId === id)?.message;
  const action = existing ? `${ADMIN_KPIS}/${encodeURIComponent(existing.code)}` : ADMIN_KPIS;
  return (
    <OfficePage context={context} title={title} breadcrumbs={crumbs(context, title)}>
      <ErrorSummary errors={props.errors} />
      <h1>{title}</h1>
      <form method="post" action={action} novalidate id="kpi-form" tabindex={-1}>
        <CsrfField context={context} />
        {existing ? (
          <p>
            {t('office.adminKpi.code')}: <code>{existing.code}</code>
          </p>
        ) : (
          <TextInput name="code" label={t('office.adminKpi.code')} hint={t('office.adminKpi.codeHint')} value={values.code} error={errorOf('code')} width={20} inputLang="en" autocomplete="off" spellcheck={false} />
        )}
        <TextInput name="nameJa" label={t('office.adminKpi.nameJa')} value={values.nameJa} error={errorOf('nameJa')} autocomplete="off" />
        <TextInput name="nameEn" label={t('office.adminKpi.nameEn')} value={values.nameEn} error={errorOf('nameEn')} inputLang="en" autocomplete="off" />
        <TextInput name="unit" label={t('office.adminKpi.unit')} hint={t('office.adminKpi.unitHint')} value={values.unit} error={errorOf('unit')} width={5} autocomplete="off" />
        <TextInput name="baselineValue" label={t('office.adminKpi.baselineValue')} value={values.baselineValue} error={errorOf('baselineValue')} width={10} inputmode="decimal" inputLang="en" autocomplete="off" />
        <TextInput name="baselineDate" label={t('office.adminKpi.baselineDate')} hint={t('office.adminKpi.dateHint')} value={values.baselineDate} error={errorOf('baselineDate')} width={10} inputLang="en" autocomplete="off" />
        <TextInput name="targetValue" label={t('office.adminKpi.targetValue')} value={values.targetValue} error={errorOf('targetValue')} width={10} inputmode="decimal" inputLang="en" autocomplete="off" />
        <TextInput
          name="targetFiscalYear"
          label={t('office.adminKpi.targetFiscalYear')}
          hint={t('office.adminKpi.targetFiscalYearHint')}
          value={values.targetFiscalYear}
          error={errorOf('targetFiscalYear')}
          width={4}
          inputmode="numeric"
          inputLang="en"
          autocomplete="off"
        />
        <Radios
          name="direction"
          label={t('office.adminKpi.direction')}
          inline
          items={[
            { value: 'up', label: t('office.adminKpi.direction.up') },
            { value: 'down', label: t('office.adminKpi.direction.down') },
          ]}
          value={values.direction}
          error={errorOf('direction')}
        />
        <Radios
          name="source"
          label={t('office.adminKpi.source')}
          items={[
            { value: 'entered', label: t('office.dashboard.sourceEntered') },
            { value: 'measured', label: t('office.dashboard.sourceMeasured'), hint: t('office.adminKpi.measuredHint') },
          ]}
          value={values.source}
          error={errorOf('source')}
        />
        <Select
          name="measure"
          label={t('office.adminKpi.measure')}
          hint={t('office.adminKpi.measureHint')}
          options={KPI_MEASURES.map((measure) => ({ value: measure, label: t(`office.adminKpi.measure.${measure}`) }))}
          value={values.measure}
          error={errorOf('measure')}
        />
        <TextInput
          name="procedureCodes"
          label={t('office.adminKpi.procedureCodes')}
          hint={t('office.adminKpi.procedureCodesHint')}
          optional
          value={values.procedureCodes}
          error={errorOf('procedureCodes')}
          inputLang="en"
          autocomplete="off"
          spellcheck={false}
        />
        <Select
          name="department"
          label={t('office.adminKpi.department')}
          placeholder={false}
          options={[{ value: '', label: t('office.adminKpi.noDepartment') }, ...props.departments.map((department) => ({ value: department.code, label: localized(context, department.name) }))]}
          value={values.department}
          error={errorOf('department')}
        />
        <TextInput name="sortOrder" label={t('office.adminKpi.sortOrder')} hint={t('office.adminKpi.sortOrderHint')} value={values.sortOrder} error={errorOf('sortOrder')} width={4} inputmode="numeric" inputLang="en" autocomplete="off" />
        <Checkboxes name="active" label={t('office.adminKpi.state')} items={[{ value: 'true', label: t('office.adminKpi.activeLabel'), hint: t('office.adminKpi.activeHint') }]} values={values.active ? ['true'] : []} />
        <div class="mg-office-actions">
          <Button>{t('office.adminKpi.submit')}</Button>
          <a href={ADMIN_KPIS}>{t('office.admin.cancel')}</a>
        </div>
      </form>
      {existing ? (
        <section aria-labelledby="revisions-title">
          <h2 id="revisions-title">{t('office.adminKpi.revisions')}</h2>
          <Table
            caption={t('office.adminKpi.revisionsCaption', { total: existing.revisions.length })}
            rowHeader="revision"
            columns={[
              { key: 'revision', label: t('office.adminKpi.col.revision'), numeric: true },
              { key: 'by', label: t('office.kpi.enteredBy') },
              { key: 'at', label: t('office.kpi.enteredAt') },
              { key: 'definition', label: t('office.adminKpi.col.definition') },
            ]}
            rows={[...existing.revisions].reverse().map((revision) => ({
              revision: String(revision.revision),
              by: actorName(context, props.names, revision.changedBy),
              at: localDateTime(context, revision.changedAt, props.timeZone),
              definition: t('office.adminKpi.revisionSummary', {
                name: localized(context, revision.definition.name),
                baseline: `${withUnit(context, revision.definition.baseline.value, revision.definition.unit)}${paren(context, revision.definition.baseline.date)}`,
                target: `${withUnit(context, revision.definition.target.value, revision.definition.unit)}${paren(context, fiscalYearLabel(context, revision.definition.target.fiscalYear))}`,
                state: t(revision.definition.active ? 'office.adminKpi.active' : 'office.adminKpi.retired'),
              }),
            }))}
          />
        </section>
      ) : null}
    </OfficePage>
  );
}
