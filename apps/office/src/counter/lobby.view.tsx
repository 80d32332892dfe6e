import type { PublicTicketDto, QueueStatusDto } from '@madoguchi/counter';
import { Button, htmlLangOf, type Lang, LANGUAGE_AUTONYMS, LANGUAGES, UiContext } from '@madoguchi/ui';
import type { ComponentChildren } from 'preact';
import { type LobbyContext, lobbyHref } from './lobby-context';

const pick = (lang: Lang, name: { ja: string; en: string }): string => (lang === 'en' ? name.en : name.ja);

/** The lobby pages' frame: no header or sign-in (a shared screen), the language choice as big links. */
function LobbyDocument(props: { context: LobbyContext; title: string; path: string | null; mainClass: string; refreshSeconds?: number; children: ComponentChildren }) {
  const { context } = props;
  const { t, lang } = context;
  return (
    <UiContext.Provider value={{ lang, t }}>
      <html lang={htmlLangOf(lang)} class="mg-html">
        <head>
          <meta charSet="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} | ${context.city}`}</title>
          <link rel="stylesheet" href={context.assets.stylesheetHref} />
          {context.assets.scriptHref ? <script src={context.assets.scriptHref} defer /> : null}
          {props.refreshSeconds ? (
            // Parsed only when scripting is off: with JavaScript the page updates itself in place instead.
            <noscript>
              <meta http-equiv="refresh" content={String(props.refreshSeconds)} />
            </noscript>
          ) : null}
        </head>
        <body class="mg-body">
          <main id="main" class={props.mainClass}>
            {props.path ? (
              <nav aria-label={t('layout.languageLabel')}>
                <ul class="mg-kiosk__langs">
                  {LANGUAGES.map((other) =>
                    other === lang ? (
                      <li>
                        <span aria-current="true" lang={LANGUAGE_AUTONYMS[other].htmlLang}>
                          {LANGUAGE_AUTONYMS[other].label}
                        </span>
                      </li>
                    ) : (
                      <li>
                        <a href={lobbyHref(props.path!, other)} lang={LANGUAGE_AUTONYMS[other].htmlLang} hreflang={LANGUAGE_AUTONYMS[other].htmlLang}>
                          {LANGUAGE_AUTONYMS[other].label}
                        </a>
                      </li>
                    ),
                  )}
                </ul>
              </nav>
            ) : null}
            {props.children}
          </main>
        </body>
      </html>
    </UiContext.Provider>
  );
}

/** The kiosk's first screen: one big button per service, with how many wait and for about how long. */
export function KioskView({ context, board, problem }: { context: LobbyContext; board: QueueStatusDto; problem: string | null }) {
  const { t, lang } = context;
  return (
    <LobbyDocument context={context} title={t('kiosk.title')} path="/kiosk" mainClass="mg-kiosk">
      {problem ? (
        <div class="mg-banner mg-banner--warning" role="alert" id="kiosk-problem">
          <h2 class="mg-banner__title">{t('kiosk.failed')}</h2>
          <p>{problem}</p>
        </div>
      ) : null}
      <h1>{t('kiosk.title')}</h1>
      {board.services.length === 0 ? (
        <p>{t('kiosk.empty')}</p>
      ) : (
        <>
          <p>{t('kiosk.lead')}</p>
          <form method="post" action={lobbyHref('/kiosk/tickets', lang)}>
            <ul class="mg-kiosk__services">
              {board.services.map((service) => (
                <li>
                  <button type="submit" name="serviceCode" value={service.code} class="mg-button mg-button--primary mg-kiosk__service">
                    {pick(lang, service.name)}
                    <small>
                      {t('kiosk.waiting', { count: service.waiting })}・
                      {service.estimatedWaitMinutes === null ? t('kiosk.waitUnknown') : t('kiosk.wait', { minutes: service.estimatedWaitMinutes })}
                    </small>
                  </button>
                </li>
              ))}
            </ul>
          </form>
        </>
      )}
    </LobbyDocument>
  );
}

/** The slip: the number large, printable (the print button appears with JavaScript). */
export function KioskTicketView({ context, ticket }: { context: LobbyContext; ticket: PublicTicketDto }) {
  const { t, lang } = context;
  return (
    <LobbyDocument context={context} title={t('kiosk.ticketTitle')} path={null} mainClass="mg-kiosk">
      <div class="mg-kiosk__slip">
        <h1>
          {t('kiosk.ticketTitle')}
          <span class="mg-kiosk__number" data-testid="kiosk-number">
            {ticket.number}
          </span>
        </h1>
        <p>
          {t('kiosk.ticketService')}: {pick(lang, ticket.serviceName)}
        </p>
        {ticket.peopleAhead !== null ? <p>{t('kiosk.ahead', { count: ticket.peopleAhead })}</p> : null}
        {ticket.estimatedWaitMinutes !== null ? <p>{t('kiosk.estimate', { minutes: ticket.estimatedWaitMinutes })}</p> : null}
        <p>{t('kiosk.ticketHint')}</p>
      </div>
      <p class="mg-office-actions">
        <button type="button" class="mg-button mg-button--primary" data-mg-print hidden>
          {t('kiosk.print')}
        </button>
        <Button variant="secondary" href={lobbyHref('/kiosk', lang)}>
          {t('kiosk.again')}
        </Button>
      </p>
    </LobbyDocument>
  );
}

/**
 * The lobby display (a TV): the numbers being called at each counter, very
 * large, then waiting counts and estimated waits per service. Reloaded by
 * a `<noscript>` meta refresh without JavaScript; with it, the lobby script
 * swaps in the marked parts (`data-mg-lobby-*`) every `pollSeconds`. The
 * "now calling" list is a polite live region so a screen reader announces
 * a new call when the page updates in place.
 */
export function LobbyView({ context, board, refreshSeconds, pollSeconds }: { context: LobbyContext; board: QueueStatusDto; refreshSeconds: number; pollSeconds: number }) {
  const { t, lang } = context;
  const calls = board.services.flatMap((service) => service.nowServing.filter((call) => call.status === 'called'));
  const updated = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'ja-JP', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Tokyo' }).format(new Date(board.at));
  return (
    <LobbyDocument context={context} title={t('lobby.title')} path="/lobby" mainClass="mg-lobby" refreshSeconds={refreshSeconds}>
      <h1>{t('lobby.title')}</h1>
      <h2 id="lobby-calling">{t('lobby.calling')}</h2>
      <div aria-live="polite" aria-labelledby="lobby-calling" data-mg-lobby-live data-mg-lobby-poll={String(pollSeconds)}>
        {calls.length === 0 ? (
          <p>{t('lobby.callingEmpty')}</p>
        ) : (
          <ul class="mg-lobby__calls">
            {calls.map((call) => (
              <li class="mg-lobby__call">
                <span class="mg-lobby__number">{call.number}</span>
                <span>{pick(lang, call.counterName)}</span>
                <span class="mg-visually-hidden">{t('lobby.announce', { number: call.number, counter: pick(lang, call.counterName) })}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <h2 id="lobby-services">{t('lobby.services')}</h2>
      <table aria-labelledby="lobby-services">
        <thead>
          <tr>
            <th scope="col">{t('lobby.service')}</th>
            <th scope="col">{t('lobby.waiting')}</th>
            <th scope="col">{t('lobby.wait')}</th>
          </tr>
        </thead>
        <tbody data-mg-lobby-board>
          {board.services.map((service) => (
            <tr>
              <th scope="row">{pick(lang, service.name)}</th>
              <td>{t('lobby.people', { count: service.waiting })}</td>
              <td>{service.estimatedWaitMinutes === null ? t('lobby.unknown') : t('lobby.minutes', { minutes: service.estimatedWaitMinutes })}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-mg-lobby-updated>{t('lobby.updated', { time: updated })}</p>
    </LobbyDocument>
  );
}
