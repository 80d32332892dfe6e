import { Button, ErrorSummary, type FieldError, NotificationBanner, TextInput } from '@madoguchi/ui';
import type { OfficeContext } from '../shared/office-context';
import { CsrfField, OfficePage } from '../shared/office-page';

const errorOf = (errors: FieldError[], id: string) => errors.find((error) => error.fieldId === id)?.message;

export function SignInView(props: { context: OfficeContext; next: string; loginId: string; errors: FieldError[]; notice: 'expired' | 'signedOut' | null }) {
  const { context, errors } = props;
  const { t } = context;
  return (
    <OfficePage context={context} title={t('office.signIn.title')}>
      <ErrorSummary errors={errors} />
      <h1>{t('office.signIn.title')}</h1>
      {props.notice ? <NotificationBanner title={t('notification.info')}>{t(props.notice === 'expired' ? 'office.signIn.expired' : 'office.signIn.signedOut')}</NotificationBanner> : null}
      <p>{t('office.signIn.lead')}</p>
      <form method="post" action="/office/sign-in" novalidate>
        <CsrfField context={context} />
        <input type="hidden" name="next" value={props.next} />
        <TextInput name="loginId" label={t('office.signIn.loginId')} value={props.loginId} error={errorOf(errors, 'loginId')} autocomplete="username" spellcheck={false} width={20} inputLang="en" />
        <TextInput name="password" type="password" label={t('office.signIn.password')} error={errorOf(errors, 'password')} autocomplete="current-password" width={20} />
        <TextInput
          name="totpCode"
          label={t('office.signIn.totp')}
          hint={t('office.signIn.totpHint')}
          error={errorOf(errors, 'totpCode')}
          autocomplete="one-time-code"
          inputmode="numeric"
          maxLength={6}
          width={5}
          optional
        />
        <Button>{t('office.signIn.submit')}</Button>
      </form>
    </OfficePage>
  );
}

export type TotpState = { kind: 'start' } | { kind: 'scan'; secret: string; qrDataUrl: string } | { kind: 'enrolled'; justNow: boolean };

export function TotpView(props: { context: OfficeContext; state: TotpState; errors: FieldError[] }) {
  const { context, state, errors } = props;
  const { t } = context;
  return (
    <OfficePage context={context} title={t('office.totp.title')}>
      <ErrorSummary errors={errors} />
      <h1>{t('office.totp.title')}</h1>
      {state.kind === 'enrolled' ? (
        state.justNow ? (
          <NotificationBanner title={t('notification.success')} kind="success">
            {t('office.totp.done')}
          </NotificationBanner>
        ) : (
          <p>{t('office.totp.enrolled')}</p>
        )
      ) : null}
      {state.kind === 'start' ? (
        <>
          <p>{t('office.totp.lead')}</p>
          {errors.length > 0 ? (
            <p id="code" class="mg-error-message" tabindex={-1}>
              {errors[0].message}
            </p>
          ) : null}
          <form method="post" action="/office/totp">
            <CsrfField context={context} />
            <Button>{t('office.totp.start')}</Button>
          </form>
        </>
      ) : null}
      {state.kind === 'scan' ? (
        <>
          <p>{t('office.totp.lead')}</p>
          <p>
            <img src={state.qrDataUrl} alt={t('office.totp.qrAlt')} width={240} height={240} />
          </p>
          <p>
            {t('office.totp.secret')}: <code class="mg-code" lang="en">{state.secret}</code>
          </p>
          <form method="post" action="/office/totp/confirm" novalidate>
            <CsrfField context={context} />
            <TextInput name="code" label={t('office.totp.code')} autocomplete="one-time-code" inputmode="numeric" maxLength={6} width={5} />
            <Button>{t('office.totp.confirm')}</Button>
          </form>
        </>
      ) : null}
    </OfficePage>
  );
}
