import { Button, ErrorSummary, type FieldError, NotificationBanner, TextInput } from '@madoguchi/ui';
import type { PageContext } from '../shared/page-context';
import { PortalPage } from '../shared/portal-page';

export interface SignInViewProps {
  context: PageContext;
  /** Where to go after signing in (already checked to be a local path), kept through the form and the card sign-in. */
  next: string | null;
  email: string;
  errors: FieldError[];
  /** Set after a sign-in refused for an unconfirmed address: offers to send the link again. */
  unverifiedEmail: string | null;
  notice: 'signedOut' | 'signedOutEverywhere' | null;
}

/**
 * Sign-in: e-mail and password (post/redirect/get), or My Number Card
 * (a link to the OIDC round trip). The form is public and carries no CSRF
 * field: there is no session yet, and the sign-in ends any earlier one.
 */
export function SignInView(props: SignInViewProps) {
  const { context } = props;
  const { t } = context;
  const emailError = props.errors.find((error) => error.fieldId === 'email')?.message;
  const passwordError = props.errors.find((error) => error.fieldId === 'password')?.message;
  const nextQuery = props.next ? `?next=${encodeURIComponent(props.next)}` : '';
  return (
    <PortalPage context={context} title={t('account.signIn.title')} breadcrumbs={[{ label: t('layout.home'), href: '/' }, { label: t('account.signIn.title') }]}>
      <ErrorSummary errors={props.errors} />
      {props.notice ? (
        <NotificationBanner kind="success" id="signed-out">
          <p>{t(props.notice === 'signedOut' ? 'account.signIn.signedOut' : 'account.signIn.signedOutEverywhere')}</p>
        </NotificationBanner>
      ) : null}
      <h1>{t('account.signIn.title')}</h1>
      <p class="mg-lead">{t('account.signIn.lead')}</p>
      {props.unverifiedEmail ? (
        <form method="post" action="/account/verify-email/resend" class="mg-inline-form" novalidate>
          <input type="hidden" name="email" value={props.unverifiedEmail} />
          <Button variant="secondary" id="resend-verification">
            {t('account.signIn.resendButton')}
          </Button>
        </form>
      ) : null}
      <h2>{t('account.signIn.passwordHeading')}</h2>
      <form method="post" action="/account/sign-in" novalidate>
        {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
        <TextInput name="email" type="email" label={t('account.email')} error={emailError} value={props.email} autocomplete="username" spellcheck={false} maxLength={254} inputLang="en" />
        <TextInput name="password" type="password" label={t('account.password')} error={passwordError} autocomplete="current-password" maxLength={256} />
        <Button id="sign-in">{t('account.signIn.submit')}</Button>
      </form>
      <h2>{t('account.signIn.cardHeading')}</h2>
      <p>{t('account.signIn.cardLead')}</p>
      <Button variant="secondary" href={`/mynumber/login${nextQuery}`} id="card-sign-in">
        {t('account.signIn.cardButton')}
      </Button>
      <h2>{t('account.signIn.otherHeading')}</h2>
      <ul>
        <li>
          <a href="/account/register">{t('account.signIn.registerLink')}</a>
        </li>
        <li>
          <a href="/account/password-reset">{t('account.signIn.forgotLink')}</a>
        </li>
      </ul>
    </PortalPage>
  );
}
