import { Button, ErrorSummary, type FieldError, NotificationBanner, SummaryList, Table, TextInput } from '@madoguchi/ui';
import type { ResidentSessionDto } from '@madoguchi/identity';
import type { ComponentChildren } from 'preact';
import { CsrfField } from '../shared/csrf-field';
import type { PageContext } from '../shared/page-context';
import { PortalPage } from '../shared/portal-page';
import type { PasswordAdvice } from './account-forms';

const errorOf = (errors: FieldError[], fieldId: string) => errors.find((error) => error.fieldId === fieldId)?.message;

/** A page that says one thing (mail sent, done, link unusable) and where to go next. */
export function AccountMessageView(props: { context: PageContext; title: string; body: string; link?: { href: string; label: string }; success?: boolean }) {
  const { context } = props;
  return (
    <PortalPage context={context} title={props.title}>
      {props.success ? (
        <NotificationBanner kind="success" title={props.title}>
          <p>{props.body}</p>
        </NotificationBanner>
      ) : null}
      <h1>{props.title}</h1>
      {props.success ? null : <p>{props.body}</p>}
      {props.link ? (
        <p>
          <a href={props.link.href}>{props.link.label}</a>
        </p>
      ) : null}
    </PortalPage>
  );
}

/** A new-password field: the rules as its hint, and when refused, the estimator's advice right by it. */
function NewPasswordInput(props: { context: PageContext; name: string; label: string; minLength: number; advice: PasswordAdvice | null; error?: string }) {
  const { t } = props.context;
  const hint: ComponentChildren = (
    <>
      <p>{t('account.passwordHint', { min: String(props.minLength) })}</p>
      {props.advice && props.advice.advice.length > 0 ? (
        <div class="mg-password-advice">
          <p>{t('account.weak.advice')}</p>
          <ul>
            {props.advice.advice.map((line) => (
              <li>{line}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
  return <TextInput name={props.name} type="password" label={props.label} hint={hint} error={props.error} autocomplete="new-password" maxLength={256} />;
}

export function RegisterView(props: { context: PageContext; email: string; name: string; nameKana: string; errors: FieldError[]; advice: PasswordAdvice | null; minLength: number }) {
  const { context } = props;
  const { t } = context;
  return (
    <PortalPage context={context} title={t('account.register.title')} breadcrumbs={[{ label: t('layout.home'), href: '/' }, { label: t('account.register.title') }]}>
      <ErrorSummary errors={props.errors} />
      <h1>{t('account.register.title')}</h1>
      <p class="mg-lead">{t('account.register.leadWithName')}</p>
      <form method="post" action="/account/register" novalidate>
        <TextInput name="name" label={t('account.name')} hint={t('account.nameHint')} error={errorOf(props.errors, 'name')} value={props.name} autocomplete="name" maxLength={50} />
        <TextInput name="nameKana" label={t('account.nameKana')} hint={t('account.nameKanaHint')} error={errorOf(props.errors, 'nameKana')} value={props.nameKana} autocomplete="off" maxLength={100} />
        <TextInput name="email" type="email" label={t('account.email')} hint={t('account.register.emailHint')} error={errorOf(props.errors, 'email')} value={props.email} autocomplete="email" spellcheck={false} maxLength={254} inputLang="en" />
        <NewPasswordInput context={context} name="password" label={t('account.password')} minLength={props.minLength} advice={props.advice} error={errorOf(props.errors, 'password')} />
        <Button id="register">{t('account.register.submit')}</Button>
      </form>
    </PortalPage>
  );
}

/** The mailed link lands here; a button posts the token, so a mail scanner that opens links does not use it up. */
export function VerifyEmailView(props: { context: PageContext; token: string; municipality: string | null }) {
  const { context } = props;
  const { t } = context;
  return (
    <PortalPage context={context} title={t('account.verify.title')}>
      <h1>{t('account.verify.title')}</h1>
      <p>{t('account.verify.lead')}</p>
      <form method="post" action="/verify-email" novalidate>
        <input type="hidden" name="token" value={props.token} />
        {props.municipality ? <input type="hidden" name="m" value={props.municipality} /> : null}
        <Button id="verify-email">{t('account.verify.submit')}</Button>
      </form>
    </PortalPage>
  );
}

export function PasswordResetRequestView(props: { context: PageContext; email: string; errors: FieldError[] }) {
  const { context } = props;
  const { t } = context;
  return (
    <PortalPage context={context} title={t('account.reset.requestTitle')} breadcrumbs={[{ label: t('layout.home'), href: '/' }, { label: t('account.reset.requestTitle') }]}>
      <ErrorSummary errors={props.errors} />
      <h1>{t('account.reset.requestTitle')}</h1>
      <p>{t('account.reset.requestLead')}</p>
      <form method="post" action="/account/password-reset" novalidate>
        <TextInput name="email" type="email" label={t('account.email')} error={errorOf(props.errors, 'email')} value={props.email} autocomplete="email" spellcheck={false} maxLength={254} inputLang="en" />
        <Button id="request-reset">{t('account.reset.requestSubmit')}</Button>
      </form>
    </PortalPage>
  );
}

export function PasswordResetView(props: { context: PageContext; token: string; municipality: string | null; errors: FieldError[]; advice: PasswordAdvice | null; minLength: number }) {
  const { context } = props;
  const { t } = context;
  return (
    <PortalPage context={context} title={t('account.reset.title')}>
      <ErrorSummary errors={props.errors} />
      <h1>{t('account.reset.title')}</h1>
      <form method="post" action="/reset-password" novalidate>
        <input type="hidden" name="token" value={props.token} />
        {props.municipality ? <input type="hidden" name="m" value={props.municipality} /> : null}
        <NewPasswordInput context={context} name="password" label={t('account.newPassword')} minLength={props.minLength} advice={props.advice} error={errorOf(props.errors, 'password')} />
        <Button id="reset-password">{t('account.reset.submit')}</Button>
      </form>
    </PortalPage>
  );
}

export interface AccountHomeProps {
  context: PageContext;
  email: string | null;
  name: string | null;
  nameKana: string | null;
  cardLinked: boolean;
  authMethod: string;
  passwordChanged: boolean;
}

export function AccountHomeView(props: AccountHomeProps) {
  const { context } = props;
  const { t } = context;
  return (
    <PortalPage context={context} title={t('account.home.title')} breadcrumbs={[{ label: t('layout.home'), href: '/' }, { label: t('account.home.title') }]}>
      {props.passwordChanged ? (
        <NotificationBanner kind="success" id="password-changed">
          <p>{t('account.home.passwordChanged')}</p>
        </NotificationBanner>
      ) : null}
      <h1>{t('account.home.title')}</h1>
      <SummaryList
        rows={[
          { key: t('account.name'), value: props.name ?? t('account.home.nameNotGiven') },
          ...(props.nameKana ? [{ key: t('account.nameKana'), value: props.nameKana }] : []),
          ...(props.email ? [{ key: t('account.email'), value: <span lang="en">{props.email}</span> }] : []),
          { key: t('account.home.card'), value: t(props.cardLinked ? 'account.home.cardLinked' : 'account.home.cardNotLinked') },
          { key: t('account.home.signedInWith'), value: t(props.authMethod === 'jpki' ? 'account.devices.method.jpki' : 'account.devices.method.password') },
        ]}
      />
      <ul>
        {props.email ? (
          <li>
            <a href="/account/password">{t('account.home.changePassword')}</a>
          </li>
        ) : null}
        <li>
          <a href="/account/devices">{t('account.home.devices')}</a>
        </li>
        <li>
          <a href="/account/access-log">{t('accessLog.link')}</a>
        </li>
      </ul>
    </PortalPage>
  );
}

export function ChangePasswordView(props: { context: PageContext; errors: FieldError[]; advice: PasswordAdvice | null; minLength: number }) {
  const { context } = props;
  const { t } = context;
  return (
    <PortalPage
      context={context}
      title={t('account.password.title')}
      breadcrumbs={[{ label: t('layout.home'), href: '/' }, { label: t('account.home.title'), href: '/account' }, { label: t('account.password.title') }]}
    >
      <ErrorSummary errors={props.errors} />
      <h1>{t('account.password.title')}</h1>
      <form method="post" action="/account/password" novalidate>
        <CsrfField context={context} />
        <TextInput name="currentPassword" type="password" label={t('account.password.current')} error={errorOf(props.errors, 'currentPassword')} autocomplete="current-password" maxLength={256} />
        <NewPasswordInput context={context} name="newPassword" label={t('account.newPassword')} minLength={props.minLength} advice={props.advice} error={errorOf(props.errors, 'newPassword')} />
        <Button id="change-password">{t('account.password.submit')}</Button>
      </form>
    </PortalPage>
  );
}

/** Date and time in Japan, for the device list (the list shows when, not only which day). */
function formatDateTime(lang: PageContext['lang'], iso: string): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'ja-JP', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(new Date(iso));
}

export function DevicesView(props: { context: PageContext; sessions: ResidentSessionDto[] }) {
  const { context } = props;
  const { t } = context;
  return (
    <PortalPage
      context={context}
      title={t('account.devices.title')}
      breadcrumbs={[{ label: t('layout.home'), href: '/' }, { label: t('account.home.title'), href: '/account' }, { label: t('account.devices.title') }]}
    >
      <h1>{t('account.devices.title')}</h1>
      <p>{t('account.devices.lead')}</p>
      <Table
        caption={t('account.devices.title')}
        captionSize="hidden"
        columns={[
          { key: 'when', label: t('account.devices.when') },
          { key: 'how', label: t('account.devices.how') },
          { key: 'kind', label: t('account.devices.kind') },
        ]}
        rowHeader="when"
        rows={props.sessions.map((session) => ({
          when: (
            <>
              {formatDateTime(context.lang, session.signedInAt)}
              {session.current ? (
                <>
                  {' '}
                  <strong class="mg-tag mg-tag--info" data-current-session="">
                    {t('account.devices.current')}
                  </strong>
                </>
              ) : null}
            </>
          ),
          how: t(session.method === 'jpki' ? 'account.devices.method.jpki' : 'account.devices.method.password'),
          kind: t(session.transport === 'bearer' ? 'account.devices.transport.bearer' : 'account.devices.transport.cookie'),
        }))}
      />
      <form method="post" action="/account/devices/sign-out-everywhere" class="mg-inline-form">
        <CsrfField context={context} />
        <Button variant="warning" id="sign-out-everywhere">
          {t('account.devices.signOutEverywhere')}
        </Button>
      </form>
    </PortalPage>
  );
}
