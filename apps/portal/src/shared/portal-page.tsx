import type { ComponentChildren } from 'preact';
import { type BreadcrumbItem, PageLayout } from '@madoguchi/ui';
import { CsrfField } from './csrf-field';
import type { PageContext } from './page-context';

/** Where the sign-in link of the header comes back to: this page, unless it is an account page of its own. */
function signInHref(context: PageContext): string {
  const path = context.currentPath;
  return path === '/' || path.startsWith('/account/') ? '/account/sign-in' : `/account/sign-in?next=${encodeURIComponent(path)}`;
}

/**
 * The header's sign-in state: a sign-in link, or "signed in" with the way
 * to the account and a sign-out button (a form: signing out changes state,
 * so it is a POST with the CSRF field, never a link).
 */
export function AccountHeader({ context }: { context: PageContext }) {
  const { t } = context;
  if (!context.session.kind) {
    return (
      <a class="mg-header__link" href={signInHref(context)}>
        {t('layout.signIn')}
      </a>
    );
  }
  return (
    <nav class="mg-account-nav" aria-label={t('account.header.label')}>
      <span class="mg-account-nav__state">{t('account.header.signedIn')}</span>
      {context.session.kind === 'resident' ? (
        <a class="mg-header__link" href="/account">
          {t('account.header.myAccount')}
        </a>
      ) : null}
      <form method="post" action="/account/sign-out" class="mg-account-nav__form">
        <CsrfField context={context} />
        <button type="submit" class="mg-link-button">
          {t('layout.signOut')}
        </button>
      </form>
    </nav>
  );
}

/** The contact block of the footer and of the home page. */
export function ContactDetails({ context }: { context: PageContext }) {
  const { t, contact } = context;
  if (!contact) return null;
  return (
    <dl class="mg-contact">
      <div>
        <dt>{t('contact.address')}</dt>
        <dd>
          {contact.postalCode} {contact.address}
        </dd>
      </div>
      <div>
        <dt>{t('contact.phone')}</dt>
        <dd>
          <a href={`tel:${contact.phone.replace(/-/g, '')}`}>{contact.phone}</a>
        </dd>
      </div>
      <div>
        <dt>{t('contact.hours')}</dt>
        <dd>{contact.hours}</dd>
      </div>
    </dl>
  );
}

/** Every portal page: the layout with this portal's footer. */
export function PortalPage(props: { context: PageContext; title: string; breadcrumbs?: BreadcrumbItem[]; children: ComponentChildren }) {
  const { context } = props;
  return (
    <PageLayout
      lang={context.lang}
      title={props.title}
      city={context.city}
      currentPath={context.currentPath}
      assets={context.assets}
      breadcrumbs={props.breadcrumbs}
      account={<AccountHeader context={context} />}
      footer={
        <>
          <h2 class="mg-heading-s">{context.t('layout.footerContact')}</h2>
          <ContactDetails context={context} />
          <ul class="mg-footer__links">
            <li>
              <a href="/verify">{context.t('layout.verifyLink')}</a>
            </li>
            <li>
              <a href="/progress">{context.t('layout.progressLink')}</a>
            </li>
            <li>
              <a href="/opendata/">{context.t('layout.openDataLink')}</a>
            </li>
          </ul>
        </>
      }
    >
      {props.children}
    </PageLayout>
  );
}

export function NotFoundView({ context }: { context: PageContext }) {
  return (
    <PortalPage context={context} title={context.t('error.notFoundTitle')}>
      <h1>{context.t('error.notFoundTitle')}</h1>
      <p>{context.t('error.notFoundBody')}</p>
      <p>
        <a href="/">{context.t('layout.home')}</a>
      </p>
    </PortalPage>
  );
}

/** Every other error of a page: what went wrong in the person's words, and what to do. */
export function ErrorPageView(props: {
  context: PageContext;
  status: number;
  kind: 'csrf' | 'forbidden' | 'server' | 'request';
  message: string;
  requestId: string | null;
  /** Replaces the title of the kind (e.g. the card sign-in's own). */
  title?: string;
  /** A way to start again, shown before the home link. */
  retry?: { href: string; label: string } | null;
}) {
  const { context } = props;
  const title = props.title ?? context.t(
    props.kind === 'csrf' ? 'error.csrfTitle' : props.kind === 'forbidden' ? 'error.forbiddenTitle' : props.kind === 'server' ? 'error.serverTitle' : 'error.requestTitle',
  );
  const body =
    props.kind === 'csrf'
      ? context.t('error.csrfBody')
      : props.kind === 'forbidden'
        ? context.t('error.forbiddenBody')
        : props.kind === 'server'
          ? context.t('error.serverBody')
          : props.message;
  return (
    <PortalPage context={context} title={title}>
      <h1>{title}</h1>
      <p>{body}</p>
      {props.requestId ? (
        <p class="mg-hint">
          {context.t('error.requestId')}: <code>{props.requestId}</code>
        </p>
      ) : null}
      {props.retry ? (
        <p>
          <a href={props.retry.href}>{props.retry.label}</a>
        </p>
      ) : null}
      <p>
        <a href="/">{context.t('layout.home')}</a>
      </p>
    </PortalPage>
  );
}
