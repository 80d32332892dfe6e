import type { Department, StaffDto } from '@madoguchi/identity';
import { APPROVAL_LEVELS, STAFF_ROLES } from '@madoguchi/workflow';
import { Button, Checkboxes, ErrorSummary, type FieldError, formatDate, NotificationBanner, Radios, SummaryList, Table, TextInput } from '@madoguchi/ui';
import { isoDateIn } from '@madoguchi/kernel';
import type { OfficeContext } from '../shared/office-context';
import { CsrfField, OfficePage } from '../shared/office-page';

export const ADMIN_STAFF = '/office/admin/staff';

export type StaffNotice = { kind: 'created' | 'deactivated' | 'unlocked'; name: string };

/** A staff account as the list shows it: the API's StaffDto plus the lock, if any. */
export interface StaffRow extends StaffDto {
  lockedUntil: string | null;
}

function departmentName(context: OfficeContext, departments: Department[], code: string): string {
  const department = departments.find((item) => item.code === code);
  return department ? (context.lang === 'en' ? department.name.en : department.name.ja) : code;
}

function crumbs(context: OfficeContext, last?: string) {
  const { t } = context;
  return [{ label: t('office.admin.title'), href: '/office/admin' }, ...(last ? [{ label: t('office.admin.staff.title'), href: ADMIN_STAFF }, { label: last }] : [{ label: t('office.admin.staff.title') }])];
}

/** /office/admin/staff: every account with its roles, level, departments, state, and what an administrator can do to it. */
export function StaffListView(props: { context: OfficeContext; staff: StaffRow[]; departments: Department[]; notice: StaffNotice | null; selfId: string }) {
  const { context } = props;
  const { t, lang } = context;
  return (
    <OfficePage context={context} title={t('office.admin.staff.title')} breadcrumbs={crumbs(context)}>
      {props.notice ? <NotificationBanner kind="success">{t(`office.admin.staff.${props.notice.kind}`, { name: props.notice.name })}</NotificationBanner> : null}
      <h1>{t('office.admin.staff.title')}</h1>
      <p>
        <Button href={`${ADMIN_STAFF}/new`}>{t('office.admin.staff.create')}</Button>
      </p>
      <Table
        caption={t('office.admin.staff.caption', { total: props.staff.length })}
        rowHeader="loginId"
        columns={[
          { key: 'loginId', label: t('office.admin.staff.col.loginId') },
          { key: 'name', label: t('office.admin.staff.col.name') },
          { key: 'roles', label: t('office.admin.staff.col.roles') },
          { key: 'level', label: t('office.admin.staff.col.level') },
          { key: 'departments', label: t('office.admin.staff.col.departments') },
          { key: 'status', label: t('office.admin.staff.col.status') },
          { key: 'actions', label: t('office.admin.staff.col.actions') },
        ]}
        rows={props.staff.map((account) => ({
          loginId: account.loginId,
          name: account.displayName,
          roles: account.roles.map((role) => t(`office.role.${role}` as never)).join('・'),
          level: account.approvalLevel ? t(`office.admin.level.${account.approvalLevel}` as never) : t('office.admin.staff.levelNone'),
          departments: account.departments.map((code) => departmentName(context, props.departments, code)).join('・'),
          status: (
            <>
              {account.active ? t('office.admin.staff.active') : t('office.admin.staff.inactive')}
              <br />
              <span class="mg-hint">{account.totpEnabled ? t('office.admin.staff.totpOn') : t('office.admin.staff.totpOff')}</span>
              {account.lockedUntil ? (
                <>
                  <br />
                  <strong>{t('office.admin.staff.locked', { until: formatDate(lang, isoDateIn(new Date(account.lockedUntil), 'Asia/Tokyo')) })}</strong>
                </>
              ) : null}
            </>
          ),
          actions: (
            <div class="mg-office-actions">
              {account.lockedUntil ? (
                <form method="post" action={`${ADMIN_STAFF}/${account.id}/unlock`} class="mg-office-inline-form">
                  <CsrfField context={context} />
                  <button type="submit" class="mg-button mg-button--secondary mg-button--small" aria-label={`${t('office.admin.staff.unlock')}: ${account.displayName}`}>
                    {t('office.admin.staff.unlock')}
                  </button>
                </form>
              ) : null}
              {account.active && account.id !== props.selfId ? (
                <>
                  <a href={`${ADMIN_STAFF}/${account.id}/deactivate`} aria-label={`${t('office.admin.staff.deactivate')}: ${account.displayName}`}>
                    {t('office.admin.staff.deactivate')}
                  </a>
                  <a href={`${ADMIN_STAFF}/${account.id}/totp-reset`} aria-label={`${t('office.admin.staff.resetTotp')}: ${account.displayName}`}>
                    {t('office.admin.staff.resetTotp')}
                  </a>
                </>
              ) : null}
            </div>
          ),
        }))}
      />
    </OfficePage>
  );
}

export interface StaffFormValues {
  loginId: string;
  displayName: string;
  roles: string[];
  approvalLevel: string;
  departments: string[];
}

/** The new-account form; the password is never sent back into the page. */
export function StaffFormView(props: { context: OfficeContext; departments: Department[]; values: StaffFormValues; errors: FieldError[] }) {
  const { context, values } = props;
  const { t } = context;
  const errorOf = (id: string) => props.errors.find((error) => error.fieldId === id)?.message;
  return (
    <OfficePage context={context} title={t('office.admin.staff.newTitle')} breadcrumbs={crumbs(context, t('office.admin.staff.newTitle'))}>
      <ErrorSummary errors={props.errors} />
      <h1>{t('office.admin.staff.newTitle')}</h1>
      <form method="post" action={ADMIN_STAFF} novalidate id="staff-form" tabindex={-1}>
        <CsrfField context={context} />
        <TextInput name="loginId" label={t('office.admin.staff.loginId')} hint={t('office.admin.staff.loginIdHint')} value={values.loginId} error={errorOf('loginId')} width={20} inputLang="en" autocomplete="off" spellcheck={false} />
        <TextInput name="displayName" label={t('office.admin.staff.displayName')} value={values.displayName} error={errorOf('displayName')} width={20} autocomplete="off" />
        <TextInput name="password" type="password" label={t('office.admin.staff.password')} hint={t('office.admin.staff.passwordHint')} error={errorOf('password')} width={20} autocomplete="new-password" />
        <Checkboxes name="roles" label={t('office.admin.staff.roles')} items={STAFF_ROLES.map((role) => ({ value: role, label: t(`office.role.${role}`) }))} values={values.roles} error={errorOf('roles')} />
        <Radios
          name="approvalLevel"
          label={t('office.admin.staff.level')}
          items={[{ value: '', label: t('office.admin.staff.levelNone') }, ...APPROVAL_LEVELS.map((level) => ({ value: level, label: t(`office.admin.level.${level}`) }))]}
          value={values.approvalLevel}
          error={errorOf('approvalLevel')}
        />
        <Checkboxes
          name="departments"
          label={t('office.admin.staff.departments')}
          items={props.departments.filter((department) => department.active).map((department) => ({ value: department.code, label: departmentName(context, props.departments, department.code) }))}
          values={values.departments}
          error={errorOf('departments')}
        />
        <div class="mg-office-actions">
          <Button>{t('office.admin.staff.submit')}</Button>
          <a href={ADMIN_STAFF}>{t('office.admin.cancel')}</a>
        </div>
      </form>
    </OfficePage>
  );
}

/** Confirmation of a change that locks someone out: deactivation, or a new TOTP secret. */
export function StaffConfirmView(props: { context: OfficeContext; account: StaffDto; action: 'deactivate' | 'totp-reset' }) {
  const { context, account } = props;
  const { t } = context;
  const title = t(props.action === 'deactivate' ? 'office.admin.staff.confirmDeactivate' : 'office.admin.staff.confirmTotp', { name: account.displayName });
  return (
    <OfficePage context={context} title={title} breadcrumbs={crumbs(context, account.displayName)}>
      <h1>{title}</h1>
      <p>{t(props.action === 'deactivate' ? 'office.admin.staff.confirmDeactivateLead' : 'office.admin.staff.confirmTotpLead')}</p>
      <SummaryList
        rows={[
          { key: t('office.admin.staff.col.loginId'), value: account.loginId },
          { key: t('office.admin.staff.col.name'), value: account.displayName },
        ]}
      />
      <form method="post" action={`${ADMIN_STAFF}/${account.id}/${props.action}`}>
        <CsrfField context={context} />
        <div class="mg-office-actions">
          <Button variant="warning">{t('office.admin.staff.confirm')}</Button>
          <a href={ADMIN_STAFF}>{t('office.admin.cancel')}</a>
        </div>
      </form>
    </OfficePage>
  );
}

/**
 * A TOTP secret, shown once: after creating an administrator or resetting
 * a colleague's two-factor. Answered to the POST itself (not redirected):
 * the secret must never sit in a URL or be fetched again.
 */
export function StaffSecretView(props: { context: OfficeContext; account: StaffDto; secret: string; otpauthUri: string; created: boolean }) {
  const { context } = props;
  const { t } = context;
  return (
    <OfficePage context={context} title={t('office.admin.staff.secretTitle')} breadcrumbs={crumbs(context, props.account.displayName)}>
      {props.created ? <NotificationBanner kind="success">{t('office.admin.staff.created', { name: props.account.displayName })}</NotificationBanner> : null}
      <h1>{t('office.admin.staff.secretTitle')}</h1>
      <p>{t('office.admin.staff.secretLead')}</p>
      <SummaryList
        rows={[
          { key: t('office.admin.staff.col.loginId'), value: props.account.loginId },
          { key: t('office.admin.staff.secret'), value: <code data-testid="totp-secret">{props.secret}</code> },
          { key: 'otpauth', value: <code class="mg-office-break">{props.otpauthUri}</code> },
        ]}
      />
      <p>
        <a href={ADMIN_STAFF}>{t('office.admin.staff.toList')}</a>
      </p>
    </OfficePage>
  );
}
