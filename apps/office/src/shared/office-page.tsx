import type { ComponentChildren } from 'preact';
import { type BreadcrumbItem, PageLayout } from '@madoguchi/ui';
import { STAFF_IDLE_TIMEOUT_MS } from '@madoguchi/identity';
import type { OfficeContext } from './office-context';
import { OFFICE_LANGUAGES } from './office-context';

export const OFFICE_HOME = '/office';
export const OFFICE_SIGN_IN = '/office/sign-in';
const QUEUE_ROLES = ['clerk', 'reviewer', 'approver'];
/** Who reads the managers' dashboard (as /api/v1/dashboard allows). */
export const DASHBOARD_ROLES = ['manager', 'administrator'];

/** The hidden `_csrf` field of every form on a signed-in office page (a plain form cannot send the header). */
export function CsrfField({ context }: { context: OfficeContext }) {
  return context.csrfToken ? <input type="hidden" name="_csrf" value={context.csrfToken} /> : null;
}

/**
 * The signed-in header: name, roles, departments, the menu the roles open,
 * sign-out. Only links to pages that exist: the approval inbox and 代決 for
 * approvers; the dashboard for managers and administrators; administration.
 */
function StaffAccount({ context }: { context: OfficeContext }) {
  const { t, staff } = context;
  if (!staff) return null;
  const mayQueue = staff.roles.some((role) => QUEUE_ROLES.includes(role));
  return (
    <div class="mg-office-account">
      <p class="mg-office-account__who">
        <strong>{staff.name}</strong>
        <span class="mg-visually-hidden">{t('office.account.roles')}: </span>
        <span class="mg-office-account__meta"> {staff.roles.map((role) => t(`office.role.${role}` as never)).join('・')}</span>
        {staff.departments.length > 0 ? (
          <span class="mg-office-account__meta">
            <span class="mg-visually-hidden">{t('office.account.departments')}: </span> {staff.departments.join('・')}
          </span>
        ) : null}
      </p>
      <nav aria-label={t('office.nav.label')}>
        <ul class="mg-office-nav">
          {mayQueue ? (
            <li>
              <a href="/office/queue" accessKey="q">
                {t('office.nav.queue')}
              </a>
            </li>
          ) : null}
          {staff.roles.includes('approver') ? (
            <>
              <li>
                <a href="/office/approvals">{t('office.nav.approvals')}</a>
              </li>
              <li>
                <a href="/office/approvals/delegations">{t('office.nav.delegations')}</a>
              </li>
            </>
          ) : null}
          {staff.roles.some((role) => DASHBOARD_ROLES.includes(role)) ? (
            <li>
              <a href="/office/dashboard">{t('office.nav.dashboard')}</a>
            </li>
          ) : null}
          {staff.roles.includes('administrator') ? (
            <li>
              <a href="/office/admin">{t('office.nav.admin')}</a>
            </li>
          ) : null}
          {staff.roles.includes('manager') ? (
            <li>
              <a href="/office/evaluation">{t('office.nav.evaluation')}</a>
            </li>
          ) : null}
          {staff.roles.includes('manager') || staff.roles.includes('administrator') ? (
            <li>
              <a href="/office/reports/annual">{t('office.nav.annualReport')}</a>
            </li>
          ) : null}
          {staff.roles.includes('clerk') ? (
            <li>
              <a href="/office/counter/desks">{t('counterDesk.nav')}</a>
            </li>
          ) : null}
          {staff.roles.some((role) => ['clerk', 'reviewer', 'accountant'].includes(role)) ? (
            <li>
              <a href="/office/counter/refunds">{t('office.payouts.nav')}</a>
            </li>
          ) : null}
          {staff.roles.some((role) => role === 'clerk' || role === 'reviewer') ? (
            <li>
              <a href="/office/counter/entry">{t('counterEntry.nav')}</a>
            </li>
          ) : null}
          <li>
            <a href="/office/totp">{t('office.nav.totp')}</a>
          </li>
          <li>
            <form method="post" action="/office/sign-out" class="mg-office-inline-form">
              <CsrfField context={context} />
              <button type="submit" class="mg-button mg-button--secondary mg-button--small">
                {t('office.signOut')}
              </button>
            </form>
          </li>
        </ul>
      </nav>
    </div>
  );
}

/** Every office page: the layout with the staff header, ja/en only, and the idle warning (enhancement). */
export function OfficePage(props: { context: OfficeContext; title: string; breadcrumbs?: BreadcrumbItem[]; children: ComponentChildren }) {
  const { context } = props;
  const { t } = context;
  const idleSeconds = STAFF_IDLE_TIMEOUT_MS / 1000;
  return (
    <PageLayout
      lang={context.lang}
      title={props.title}
      city={context.city}
      serviceName={t('office.serviceName', { city: context.city })}
      homeHref={OFFICE_HOME}
      languages={OFFICE_LANGUAGES}
      languageSwitchPath="/office/lang"
      currentPath={context.currentPath}
      assets={context.assets}
      breadcrumbs={props.breadcrumbs}
      account={<StaffAccount context={context} />}
    >
      {context.staff ? (
        <div
          class="mg-banner mg-banner--warning"
          role="alert"
          hidden
          data-mg-idle-seconds={String(idleSeconds)}
          data-mg-keepalive="/office/keepalive"
          data-mg-sign-in={`${OFFICE_SIGN_IN}?expired=1&next=${encodeURIComponent(context.currentPath)}`}
        >
          <p>{t('office.idle.warning', { minutes: idleSeconds / 60 })}</p>
          <button type="button" class="mg-button mg-button--primary">
            {t('office.idle.stay')}
          </button>
        </div>
      ) : null}
      {props.children}
    </PageLayout>
  );
}

export function OfficeNotFoundView({ context }: { context: OfficeContext }) {
  return (
    <OfficePage context={context} title={context.t('error.notFoundTitle')}>
      <h1>{context.t('error.notFoundTitle')}</h1>
      <p>
        <a href={OFFICE_HOME}>{context.t('office.case.back')}</a>
      </p>
    </OfficePage>
  );
}

export function OfficeErrorView(props: { context: OfficeContext; kind: 'csrf' | 'forbidden' | 'server' | 'request'; message: string; requestId: string | null }) {
  const { context } = props;
  const { t } = context;
  const title = t(props.kind === 'csrf' ? 'error.csrfTitle' : props.kind === 'forbidden' ? 'error.forbiddenTitle' : props.kind === 'server' ? 'error.serverTitle' : 'error.requestTitle');
  const body = props.kind === 'csrf' ? t('error.csrfBody') : props.kind === 'forbidden' ? t('error.forbiddenBody') : props.kind === 'server' ? t('error.serverBody') : props.message;
  return (
    <OfficePage context={context} title={title}>
      <h1>{title}</h1>
      <p>{body}</p>
      {props.requestId ? (
        <p class="mg-hint">
          {t('error.requestId')}: <code>{props.requestId}</code>
        </p>
      ) : null}
      <p>
        <a href={OFFICE_HOME}>{t('office.case.back')}</a>
      </p>
    </OfficePage>
  );
}
