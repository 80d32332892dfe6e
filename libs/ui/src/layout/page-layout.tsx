import type { ComponentChildren } from 'preact';
import { Breadcrumbs, type BreadcrumbItem } from '../components/breadcrumbs';
import { UiContext } from '../context';
import { htmlLangOf, type Lang, LANGUAGE_AUTONYMS, LANGUAGES, translator } from '../i18n/i18n';

export interface PageAssets {
  /** The stylesheet, from our own origin (content-hashed path). */
  stylesheetHref: string;
  /** The progressive-enhancement script, a file from our own origin (no inline script). */
  scriptHref?: string;
}

export interface PageLayoutProps {
  lang: Lang;
  /** The page's own title; the service name is appended in <title>. */
  title: string;
  /** The municipality's name in the page language. */
  city: string;
  /** Path and query of this page, so the language switch comes back to it. */
  currentPath: string;
  assets: PageAssets;
  /** Where the language switch posts its choice; `to` and `back` are added. */
  languageSwitchPath?: string;
  /** The languages the switch offers (default all three; staff pages offer ja and en). */
  languages?: readonly Lang[];
  /** The header's service name and where it links (default the portal's name and `/`). */
  serviceName?: string;
  homeHref?: string;
  breadcrumbs?: BreadcrumbItem[];
  /** The sign-in state: a sign-in link, or the resident's name and a sign-out form. */
  account?: ComponentChildren;
  /** Footer content: contact details of the office. */
  footer?: ComponentChildren;
  children: ComponentChildren;
}

/**
 * Every page's frame: the skip link first, a header with the service name,
 * the language switch (plain links: they work without JavaScript) and the
 * sign-in slot, then main and the footer. Components inside read the page
 * language from UiContext.
 */
export function PageLayout(props: PageLayoutProps) {
  const t = translator(props.lang);
  const serviceName = props.serviceName ?? t('layout.serviceName', { city: props.city });
  const switchPath = props.languageSwitchPath ?? '/lang';
  return (
    <UiContext.Provider value={{ lang: props.lang, t }}>
      <html lang={htmlLangOf(props.lang)} class="mg-html">
        <head>
          <meta charSet="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} | ${serviceName}`}</title>
          <link rel="stylesheet" href={props.assets.stylesheetHref} />
          {props.assets.scriptHref ? <script src={props.assets.scriptHref} defer /> : null}
        </head>
        <body class="mg-body">
          <a class="mg-skip-link" href="#main">
            {t('layout.skipToMain')}
          </a>
          <header class="mg-header">
            <div class="mg-width-container mg-header__inner">
              <a class="mg-header__service" href={props.homeHref ?? '/'}>
                {serviceName}
              </a>
              <div class="mg-header__tools">
                <nav class="mg-language" aria-label={t('layout.languageLabel')}>
                  <ul class="mg-language__list">
                    {(props.languages ?? LANGUAGES).map((lang) => {
                      const { label, htmlLang } = LANGUAGE_AUTONYMS[lang];
                      const href = `${switchPath}?to=${encodeURIComponent(lang)}&back=${encodeURIComponent(props.currentPath)}`;
                      return (
                        <li class="mg-language__item">
                          {lang === props.lang ? (
                            <span class="mg-language__current" aria-current="true" lang={htmlLang}>
                              {label}
                            </span>
                          ) : (
                            <a class="mg-language__link" href={href} lang={htmlLang} hreflang={htmlLang}>
                              {label}
                            </a>
                          )}
                        </li>
                      );
                    })}
                  </ul>
                </nav>
                {props.account ? <div class="mg-header__account">{props.account}</div> : null}
              </div>
            </div>
          </header>
          <div class="mg-width-container">
            {props.breadcrumbs && props.breadcrumbs.length > 0 ? <Breadcrumbs items={props.breadcrumbs} /> : null}
            <main class="mg-main" id="main" tabindex={-1}>
              {props.children}
            </main>
          </div>
          <footer class="mg-footer">
            <div class="mg-width-container">
              {props.footer}
              <p class="mg-footer__note">{t('layout.footerNote', { city: props.city })}</p>
            </div>
          </footer>
        </body>
      </html>
    </UiContext.Provider>
  );
}
