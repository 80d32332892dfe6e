import type { Department } from '@madoguchi/identity';
import { Button, Checkboxes, ErrorSummary, type FieldError, NotificationBanner, Table, TextInput } from '@madoguchi/ui';
import type { OfficeContext } from '../shared/office-context';
import { CsrfField, OfficePage } from '../shared/office-page';
import { adminCrumbs } from './admin-home.view';

export const ADMIN_DEPARTMENTS = '/office/admin/departments';

export interface DepartmentFormValues {
  code: string;
  nameJa: string;
  nameEn: string;
  active: boolean;
}

/** The ja / en name fields every catalog form has. */
export function NameFields({ context, values, errorOf }: { context: OfficeContext; values: { nameJa: string; nameEn: string }; errorOf: (id: string) => string | undefined }) {
  const { t } = context;
  return (
    <>
      <TextInput name="nameJa" label={t('office.admin.catalog.nameJa')} value={values.nameJa} error={errorOf('nameJa')} maxLength={100} autocomplete="off" />
      <TextInput name="nameEn" label={t('office.admin.catalog.nameEn')} value={values.nameEn} error={errorOf('nameEn')} maxLength={100} inputLang="en" autocomplete="off" />
    </>
  );
}

/** The "in use" checkbox of an edit form (unticked: deactivated, kept for the records that name it). */
export function ActiveField({ context, active }: { context: OfficeContext; active: boolean }) {
  const { t } = context;
  return <Checkboxes name="active" label={t('office.admin.catalog.state')} items={[{ value: '1', label: t('office.admin.catalog.activeLabel') }]} values={active ? ['1'] : []} />;
}

export const errorFinder = (errors: FieldError[]) => (id: string) => errors.find((error) => error.fieldId === id)?.message;

/** /office/admin/departments: every department with its state, and the form to add one. */
export function DepartmentListView(props: { context: OfficeContext; departments: Department[]; values: DepartmentFormValues; errors: FieldError[]; notice: { kind: 'created' | 'renamed'; code: string } | null }) {
  const { context, values } = props;
  const { t, lang } = context;
  const errorOf = errorFinder(props.errors);
  const title = t('office.admin.departments.title');
  return (
    <OfficePage context={context} title={title} breadcrumbs={adminCrumbs(context, [{ label: title }])}>
      <ErrorSummary errors={props.errors} />
      {props.notice ? <NotificationBanner kind="success">{t(`office.admin.departments.${props.notice.kind}`, { code: props.notice.code })}</NotificationBanner> : null}
      <h1>{title}</h1>
      <Table
        caption={t('office.admin.departments.caption', { total: props.departments.length })}
        rowHeader="code"
        columns={[
          { key: 'code', label: t('office.admin.catalog.code') },
          { key: 'name', label: t('office.admin.catalog.name') },
          { key: 'status', label: t('office.admin.catalog.state') },
          { key: 'actions', label: t('office.admin.staff.col.actions') },
        ]}
        rows={props.departments.map((department) => ({
          code: department.code,
          name: lang === 'en' ? department.name.en : department.name.ja,
          status: department.active ? t('office.admin.catalog.active') : t('office.admin.catalog.inactive'),
          actions: (
            <a href={`${ADMIN_DEPARTMENTS}/${department.code}/edit`} aria-label={`${t('office.admin.departments.rename')}: ${department.code}`}>
              {t('office.admin.departments.rename')}
            </a>
          ),
        }))}
      />
      <section aria-labelledby="department-new">
        <h2 id="department-new">{t('office.admin.departments.create')}</h2>
        <form method="post" action={ADMIN_DEPARTMENTS} novalidate id="department-form" tabindex={-1}>
          <CsrfField context={context} />
          <TextInput name="code" label={t('office.admin.catalog.code')} hint={t('office.admin.departments.codeHint')} value={values.code} error={errorOf('code')} width={20} inputLang="en" autocomplete="off" spellcheck={false} />
          <NameFields context={context} values={values} errorOf={errorOf} />
          <Button>{t('office.admin.departments.submit')}</Button>
        </form>
      </section>
    </OfficePage>
  );
}

/** /office/admin/departments/:code/edit: the names and the state; the code stays. */
export function DepartmentRenameView(props: { context: OfficeContext; values: DepartmentFormValues; errors: FieldError[] }) {
  const { context, values } = props;
  const { t } = context;
  const errorOf = errorFinder(props.errors);
  const title = t('office.admin.departments.renameTitle', { code: values.code });
  return (
    <OfficePage context={context} title={title} breadcrumbs={adminCrumbs(context, [{ label: t('office.admin.departments.title'), href: ADMIN_DEPARTMENTS }, { label: values.code }])}>
      <ErrorSummary errors={props.errors} />
      <h1>{title}</h1>
      <form method="post" action={`${ADMIN_DEPARTMENTS}/${values.code}`} novalidate>
        <CsrfField context={context} />
        <NameFields context={context} values={values} errorOf={errorOf} />
        <ActiveField context={context} active={values.active} />
        <div class="mg-office-actions">
          <Button>{t('office.admin.catalog.save')}</Button>
          <a href={ADMIN_DEPARTMENTS}>{t('office.admin.cancel')}</a>
        </div>
      </form>
    </OfficePage>
  );
}
