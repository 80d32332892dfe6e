import type { CounterDto, CounterServiceDto } from '@madoguchi/counter';
import { Button, Checkboxes, ErrorSummary, type FieldError, NotificationBanner, Table, TextInput } from '@madoguchi/ui';
import type { OfficeContext } from '../shared/office-context';
import { CsrfField, OfficePage } from '../shared/office-page';
import { ActiveField, errorFinder, NameFields } from './admin-departments.view';
import { adminCrumbs } from './admin-home.view';

export const ADMIN_COUNTERS = '/office/admin/counters';
export const ADMIN_SERVICES = '/office/admin/counter-services';

export type CountersNotice = { kind: 'serviceCreated' | 'serviceSaved' | 'serviceRetired' | 'counterCreated' | 'counterSaved' | 'counterRetired'; name: string };

export interface ServiceFormValues {
  code: string;
  nameJa: string;
  nameEn: string;
  ticketPrefix: string;
  slotCapacity: string;
  active: boolean;
}

export interface CounterFormValues {
  /** Null for a new counter. */
  id: string | null;
  nameJa: string;
  nameEn: string;
  serviceCodes: string[];
  open: boolean;
  active: boolean;
}

const pick = (context: OfficeContext, name: { ja: string; en: string }) => (context.lang === 'en' ? name.en : name.ja);

/** Edit, and take out of use while in use: the actions of a service or counter row. */
function RowActions({ context, href, label, active }: { context: OfficeContext; href: string; label: string; active: boolean }) {
  const { t } = context;
  return (
    <div class="mg-office-actions">
      <a href={`${href}/edit`} aria-label={`${t('office.admin.catalog.edit')}: ${label}`}>
        {t('office.admin.catalog.edit')}
      </a>
      {active ? (
        <form method="post" action={`${href}/retire`} class="mg-office-inline-form">
          <CsrfField context={context} />
          <button type="submit" class="mg-button mg-button--secondary mg-button--small" aria-label={`${t('office.admin.catalog.deactivate')}: ${label}`}>
            {t('office.admin.catalog.deactivate')}
          </button>
        </form>
      ) : null}
    </div>
  );
}

/** /office/admin/counters: the services residents take tickets for, then the counters that call them. */
export function CountersListView(props: { context: OfficeContext; services: CounterServiceDto[]; counters: CounterDto[]; notice: CountersNotice | null }) {
  const { context } = props;
  const { t } = context;
  const title = t('office.admin.counters.title');
  const serviceName = (code: string) => {
    const service = props.services.find((item) => item.code === code);
    return service ? pick(context, service.name) : code;
  };
  return (
    <OfficePage context={context} title={title} breadcrumbs={adminCrumbs(context, [{ label: title }])}>
      {props.notice ? <NotificationBanner kind="success">{t(`office.admin.counters.${props.notice.kind}`, { name: props.notice.name })}</NotificationBanner> : null}
      <h1>{title}</h1>
      <h2>{t('office.admin.counters.services')}</h2>
      <p>
        <Button href={`${ADMIN_SERVICES}/new`}>{t('office.admin.counters.createService')}</Button>
      </p>
      <Table
        caption={t('office.admin.counters.servicesCaption', { total: props.services.length })}
        rowHeader="code"
        columns={[
          { key: 'code', label: t('office.admin.catalog.code') },
          { key: 'name', label: t('office.admin.catalog.name') },
          { key: 'prefix', label: t('office.admin.counters.prefix') },
          { key: 'capacity', label: t('office.admin.counters.slotCapacity') },
          { key: 'status', label: t('office.admin.catalog.state') },
          { key: 'actions', label: t('office.admin.staff.col.actions') },
        ]}
        rows={props.services.map((service) => ({
          code: service.code,
          name: pick(context, service.name),
          prefix: service.ticketPrefix,
          capacity: String(service.slotCapacity),
          status: service.active ? t('office.admin.catalog.active') : t('office.admin.catalog.inactive'),
          actions: <RowActions context={context} href={`${ADMIN_SERVICES}/${service.code}`} label={pick(context, service.name)} active={service.active} />,
        }))}
      />
      <h2>{t('office.admin.counters.counters')}</h2>
      <p>
        <Button href={`${ADMIN_COUNTERS}/new`}>{t('office.admin.counters.createCounter')}</Button>
      </p>
      <Table
        caption={t('office.admin.counters.countersCaption', { total: props.counters.length })}
        rowHeader="name"
        columns={[
          { key: 'name', label: t('office.admin.catalog.name') },
          { key: 'services', label: t('office.admin.counters.services') },
          { key: 'status', label: t('office.admin.catalog.state') },
          { key: 'actions', label: t('office.admin.staff.col.actions') },
        ]}
        rows={props.counters.map((counter) => ({
          name: pick(context, counter.name),
          services: counter.serviceCodes.map(serviceName).join('・'),
          status: !counter.active ? t('office.admin.catalog.inactive') : counter.open ? t('office.admin.counters.open') : t('office.admin.counters.closed'),
          actions: <RowActions context={context} href={`${ADMIN_COUNTERS}/${counter.id}`} label={pick(context, counter.name)} active={counter.active} />,
        }))}
      />
    </OfficePage>
  );
}

/** A new service, or an existing one's names, prefix and bookable capacity. */
export function ServiceFormView(props: { context: OfficeContext; values: ServiceFormValues; errors: FieldError[]; editing: boolean }) {
  const { context, values } = props;
  const { t } = context;
  const errorOf = errorFinder(props.errors);
  const title = props.editing ? t('office.admin.counters.editService', { code: values.code }) : t('office.admin.counters.createService');
  return (
    <OfficePage context={context} title={title} breadcrumbs={adminCrumbs(context, [{ label: t('office.admin.counters.title'), href: ADMIN_COUNTERS }, { label: title }])}>
      <ErrorSummary errors={props.errors} />
      <h1>{title}</h1>
      <form method="post" action={props.editing ? `${ADMIN_SERVICES}/${values.code}` : ADMIN_SERVICES} novalidate id="service-form" tabindex={-1}>
        <CsrfField context={context} />
        {props.editing ? null : (
          <TextInput name="code" label={t('office.admin.catalog.code')} hint={t('office.admin.counters.codeHint')} value={values.code} error={errorOf('code')} width={20} inputLang="en" autocomplete="off" spellcheck={false} />
        )}
        <NameFields context={context} values={values} errorOf={errorOf} />
        <TextInput name="ticketPrefix" label={t('office.admin.counters.prefix')} hint={t('office.admin.counters.prefixHint')} value={values.ticketPrefix} error={errorOf('ticketPrefix')} width={2} inputLang="en" autocomplete="off" />
        <TextInput name="slotCapacity" label={t('office.admin.counters.slotCapacity')} hint={t('office.admin.counters.slotCapacityHint')} value={values.slotCapacity} error={errorOf('slotCapacity')} width={3} inputmode="numeric" />
        {props.editing ? <ActiveField context={context} active={values.active} /> : null}
        <div class="mg-office-actions">
          <Button>{t('office.admin.catalog.save')}</Button>
          <a href={ADMIN_COUNTERS}>{t('office.admin.cancel')}</a>
        </div>
      </form>
    </OfficePage>
  );
}

/** A new counter, or an existing one's names, services and state. */
export function CounterFormView(props: { context: OfficeContext; values: CounterFormValues; services: CounterServiceDto[]; errors: FieldError[] }) {
  const { context, values } = props;
  const { t } = context;
  const errorOf = errorFinder(props.errors);
  const editing = values.id !== null;
  const title = editing ? t('office.admin.counters.editCounter', { name: values.nameJa }) : t('office.admin.counters.createCounter');
  return (
    <OfficePage context={context} title={title} breadcrumbs={adminCrumbs(context, [{ label: t('office.admin.counters.title'), href: ADMIN_COUNTERS }, { label: title }])}>
      <ErrorSummary errors={props.errors} />
      <h1>{title}</h1>
      <form method="post" action={editing ? `${ADMIN_COUNTERS}/${values.id}` : ADMIN_COUNTERS} novalidate id="counter-form" tabindex={-1}>
        <CsrfField context={context} />
        <NameFields context={context} values={values} errorOf={errorOf} />
        <Checkboxes
          name="serviceCodes"
          label={t('office.admin.counters.services')}
          items={props.services.filter((service) => service.active).map((service) => ({ value: service.code, label: pick(context, service.name) }))}
          values={values.serviceCodes}
          error={errorOf('serviceCodes')}
        />
        <Checkboxes name="open" label={t('office.admin.counters.openLabel')} items={[{ value: '1', label: t('office.admin.counters.open') }]} values={values.open ? ['1'] : []} />
        {editing ? <ActiveField context={context} active={values.active} /> : null}
        <div class="mg-office-actions">
          <Button>{t('office.admin.catalog.save')}</Button>
          <a href={ADMIN_COUNTERS}>{t('office.admin.cancel')}</a>
        </div>
      </form>
    </OfficePage>
  );
}
