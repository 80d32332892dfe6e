import { type AdminFacilityDto, FACILITY_KINDS } from '@madoguchi/bookings';
import type { Department } from '@madoguchi/identity';
import { Button, ErrorSummary, type FieldError, formatYen, NotificationBanner, Radios, Select, Table, TextInput } from '@madoguchi/ui';
import type { OfficeContext } from '../shared/office-context';
import { CsrfField, OfficePage } from '../shared/office-page';
import { ActiveField, errorFinder, NameFields } from './admin-departments.view';
import { adminCrumbs } from './admin-home.view';

export const ADMIN_FACILITIES = '/office/admin/facilities';

export type FacilityNotice = { kind: 'created' | 'saved' | 'roomCreated' | 'roomSaved'; code: string };

export interface RoomFormValues {
  roomCode: string;
  roomNameJa: string;
  roomNameEn: string;
  capacity: string;
  rateResident: string;
  rateNonResident: string;
  active: boolean;
}

/** The facility's own fields; a new facility also has its first room (a facility needs one). */
export interface FacilityFormValues extends RoomFormValues {
  code: string;
  nameJa: string;
  nameEn: string;
  kind: string;
  department: string;
  procedureCode: string;
  slotMinutes: string;
  /** Hours of every day, for a new facility (weekly hours and holidays stay as the API or settings file set them). */
  open: string;
  close: string;
  address: string;
  phone: string;
}

const pick = (context: OfficeContext, name: { ja: string; en: string }) => (context.lang === 'en' ? name.en : name.ja);

function crumbs(context: OfficeContext, last?: string) {
  const title = context.t('office.admin.facilities.title');
  return adminCrumbs(context, last ? [{ label: title, href: ADMIN_FACILITIES }, { label: last }] : [{ label: title }]);
}

/** /office/admin/facilities: every facility with its department, rooms and state. */
export function FacilityListView(props: { context: OfficeContext; facilities: AdminFacilityDto[]; notice: FacilityNotice | null }) {
  const { context } = props;
  const { t } = context;
  const title = t('office.admin.facilities.title');
  return (
    <OfficePage context={context} title={title} breadcrumbs={crumbs(context)}>
      {props.notice ? <NotificationBanner kind="success">{t(`office.admin.facilities.${props.notice.kind}`, { code: props.notice.code })}</NotificationBanner> : null}
      <h1>{title}</h1>
      <p>
        <Button href={`${ADMIN_FACILITIES}/new`}>{t('office.admin.facilities.create')}</Button>
      </p>
      <Table
        caption={t('office.admin.facilities.caption', { total: props.facilities.length })}
        rowHeader="code"
        columns={[
          { key: 'code', label: t('office.admin.catalog.code') },
          { key: 'name', label: t('office.admin.catalog.name') },
          { key: 'department', label: t('office.admin.facilities.department') },
          { key: 'rooms', label: t('office.admin.facilities.rooms') },
          { key: 'status', label: t('office.admin.catalog.state') },
          { key: 'actions', label: t('office.admin.staff.col.actions') },
        ]}
        rows={props.facilities.map((facility) => ({
          code: facility.code,
          name: pick(context, facility.name),
          department: facility.department,
          rooms: facility.rooms.map((room) => pick(context, room.name)).join('・'),
          status: facility.active ? t('office.admin.catalog.active') : t('office.admin.catalog.inactive'),
          actions: (
            <a href={`${ADMIN_FACILITIES}/${facility.code}/edit`} aria-label={`${t('office.admin.catalog.edit')}: ${pick(context, facility.name)}`}>
              {t('office.admin.catalog.edit')}
            </a>
          ),
        }))}
      />
    </OfficePage>
  );
}

/** A room's fields: the new facility form and the room form share them. */
function RoomFields({ context, values, errorOf, withCode }: { context: OfficeContext; values: RoomFormValues; errorOf: (id: string) => string | undefined; withCode: boolean }) {
  const { t } = context;
  return (
    <>
      {withCode ? (
        <TextInput name="roomCode" label={t('office.admin.facilities.roomCode')} hint={t('office.admin.facilities.codeHint')} value={values.roomCode} error={errorOf('roomCode')} width={20} inputLang="en" autocomplete="off" spellcheck={false} />
      ) : null}
      <TextInput name="roomNameJa" label={t('office.admin.facilities.roomNameJa')} value={values.roomNameJa} error={errorOf('roomNameJa')} maxLength={100} autocomplete="off" />
      <TextInput name="roomNameEn" label={t('office.admin.facilities.roomNameEn')} value={values.roomNameEn} error={errorOf('roomNameEn')} maxLength={100} inputLang="en" autocomplete="off" />
      <TextInput name="capacity" label={t('office.admin.facilities.capacity')} value={values.capacity} error={errorOf('capacity')} width={5} inputmode="numeric" />
      <TextInput name="rateResident" label={t('office.admin.facilities.rateResident')} hint={t('office.admin.facilities.rateHint')} value={values.rateResident} error={errorOf('rateResident')} width={10} inputmode="numeric" />
      <TextInput name="rateNonResident" label={t('office.admin.facilities.rateNonResident')} hint={t('office.admin.facilities.rateHint')} value={values.rateNonResident} error={errorOf('rateNonResident')} width={10} inputmode="numeric" />
    </>
  );
}

/** A new facility (with its first room), or an existing one's fields and its rooms. */
export function FacilityFormView(props: { context: OfficeContext; values: FacilityFormValues; facility: AdminFacilityDto | null; departments: Department[]; procedures: string[]; errors: FieldError[]; notice: FacilityNotice | null }) {
  const { context, values, facility } = props;
  const { t } = context;
  const errorOf = errorFinder(props.errors);
  const title = facility ? t('office.admin.facilities.editTitle', { name: pick(context, facility.name) }) : t('office.admin.facilities.create');
  return (
    <OfficePage context={context} title={title} breadcrumbs={crumbs(context, title)}>
      <ErrorSummary errors={props.errors} />
      {props.notice ? <NotificationBanner kind="success">{t(`office.admin.facilities.${props.notice.kind}`, { code: props.notice.code })}</NotificationBanner> : null}
      <h1>{title}</h1>
      <form method="post" action={facility ? `${ADMIN_FACILITIES}/${facility.code}` : ADMIN_FACILITIES} novalidate id="facility-form" tabindex={-1}>
        <CsrfField context={context} />
        {facility ? null : (
          <TextInput name="code" label={t('office.admin.catalog.code')} hint={t('office.admin.facilities.codeHint')} value={values.code} error={errorOf('code')} width={20} inputLang="en" autocomplete="off" spellcheck={false} />
        )}
        <NameFields context={context} values={values} errorOf={errorOf} />
        <Radios name="kind" label={t('office.admin.facilities.kind')} items={FACILITY_KINDS.map((kind) => ({ value: kind, label: t(`office.admin.facilities.kind.${kind}`) }))} value={values.kind} error={errorOf('kind')} />
        <Select
          name="department"
          label={t('office.admin.facilities.department')}
          options={props.departments.map((department) => ({ value: department.code, label: pick(context, department.name) }))}
          value={values.department}
          error={errorOf('department')}
        />
        <Select
          name="procedureCode"
          label={t('office.admin.facilities.procedure')}
          hint={t('office.admin.facilities.procedureHint')}
          options={props.procedures.map((code) => ({ value: code, label: code, lang: 'en' }))}
          value={values.procedureCode}
          error={errorOf('procedureCode')}
        />
        <TextInput name="slotMinutes" label={t('office.admin.facilities.slotMinutes')} hint={t('office.admin.facilities.slotHint')} value={values.slotMinutes} error={errorOf('slotMinutes')} width={4} inputmode="numeric" />
        {facility ? null : (
          <>
            <TextInput name="open" label={t('office.admin.facilities.open')} hint={t('office.day.block.timeHint')} value={values.open} error={errorOf('open')} width={5} inputLang="en" />
            <TextInput name="close" label={t('office.admin.facilities.close')} hint={t('office.day.block.timeHint')} value={values.close} error={errorOf('close')} width={5} inputLang="en" />
          </>
        )}
        <TextInput name="address" label={t('office.admin.facilities.address')} value={values.address} error={errorOf('address')} optional maxLength={200} autocomplete="off" />
        <TextInput name="phone" type="tel" label={t('office.admin.facilities.phone')} value={values.phone} error={errorOf('phone')} optional width={20} inputLang="en" autocomplete="off" />
        {facility ? (
          <ActiveField context={context} active={values.active} />
        ) : (
          <fieldset class="mg-fieldset">
            <legend class="mg-legend mg-heading-s">{t('office.admin.facilities.firstRoom')}</legend>
            <RoomFields context={context} values={values} errorOf={errorOf} withCode={true} />
          </fieldset>
        )}
        <div class="mg-office-actions">
          <Button>{t('office.admin.catalog.save')}</Button>
          <a href={ADMIN_FACILITIES}>{t('office.admin.cancel')}</a>
        </div>
      </form>
      {facility ? (
        <section aria-labelledby="facility-rooms">
          <h2 id="facility-rooms">{t('office.admin.facilities.rooms')}</h2>
          <p>
            <Button variant="secondary" href={`${ADMIN_FACILITIES}/${facility.code}/rooms/new`}>
              {t('office.admin.facilities.addRoom')}
            </Button>
          </p>
          <Table
            caption={t('office.admin.facilities.roomsCaption', { name: pick(context, facility.name) })}
            rowHeader="code"
            columns={[
              { key: 'code', label: t('office.admin.catalog.code') },
              { key: 'name', label: t('office.admin.catalog.name') },
              { key: 'capacity', label: t('office.admin.facilities.capacity') },
              { key: 'rates', label: t('office.admin.facilities.rates') },
              { key: 'status', label: t('office.admin.catalog.state') },
              { key: 'actions', label: t('office.admin.staff.col.actions') },
            ]}
            rows={facility.rooms.map((room) => ({
              code: room.code,
              name: pick(context, room.name),
              capacity: String(room.capacity),
              rates: t('office.admin.facilities.ratesValue', { resident: formatYen(context.lang, room.rates.resident), nonResident: formatYen(context.lang, room.rates.nonResident), minutes: facility.slotMinutes }),
              status: room.active ? t('office.admin.catalog.active') : t('office.admin.catalog.inactive'),
              actions: (
                <a href={`${ADMIN_FACILITIES}/${facility.code}/rooms/${room.code}/edit`} aria-label={`${t('office.admin.catalog.edit')}: ${pick(context, room.name)}`}>
                  {t('office.admin.catalog.edit')}
                </a>
              ),
            }))}
          />
        </section>
      ) : null}
    </OfficePage>
  );
}

/** A room of a facility: new, or its names, capacity, rates and state. */
export function RoomFormView(props: { context: OfficeContext; facility: AdminFacilityDto; values: RoomFormValues; editing: boolean; errors: FieldError[] }) {
  const { context, facility, values } = props;
  const { t } = context;
  const errorOf = errorFinder(props.errors);
  const title = props.editing ? t('office.admin.facilities.editRoom', { name: values.roomCode }) : t('office.admin.facilities.addRoom');
  const back = `${ADMIN_FACILITIES}/${facility.code}/edit`;
  return (
    <OfficePage context={context} title={title} breadcrumbs={adminCrumbs(context, [{ label: t('office.admin.facilities.title'), href: ADMIN_FACILITIES }, { label: pick(context, facility.name), href: back }, { label: title }])}>
      <ErrorSummary errors={props.errors} />
      <h1>{title}</h1>
      <p>{pick(context, facility.name)}</p>
      <form method="post" action={props.editing ? `${ADMIN_FACILITIES}/${facility.code}/rooms/${values.roomCode}` : `${ADMIN_FACILITIES}/${facility.code}/rooms`} novalidate id="facility-form" tabindex={-1}>
        <CsrfField context={context} />
        <RoomFields context={context} values={values} errorOf={errorOf} withCode={!props.editing} />
        {props.editing ? <ActiveField context={context} active={values.active} /> : null}
        <div class="mg-office-actions">
          <Button>{t('office.admin.catalog.save')}</Button>
          <a href={back}>{t('office.admin.cancel')}</a>
        </div>
      </form>
    </OfficePage>
  );
}
