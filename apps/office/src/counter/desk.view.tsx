import type { CounterDto, CounterQueueDto, TicketDto } from '@madoguchi/counter';
import { Button, ErrorSummary, type FieldError, NotificationBanner, Select, Table, TextInput } from '@madoguchi/ui';
import type { OfficeContext } from '../shared/office-context';
import { CsrfField, OfficePage } from '../shared/office-page';

/** What a console notice can report, one per desk action. */
export const DESK_ACTIONS = ['called', 'recall', 'noShow', 'start', 'finish', 'transfer', 'link'] as const;
export interface DeskNotice {
  kind: (typeof DESK_ACTIONS)[number];
  number: string;
}

export type DeskAction = 'recall' | 'noShow' | 'start' | 'finish';

/** The console's address with a notice of what was just done. */
export function deskHref(counterId: string, query?: Record<string, string>): string {
  const search = query ? `?${new URLSearchParams(query).toString()}` : '';
  return `/office/counter/desks/${counterId}${search}`;
}

const pick = (context: OfficeContext, name: { ja: string; en: string }): string => (context.lang === 'en' ? name.en : name.ja);

const time = (context: OfficeContext, iso: string): string =>
  new Intl.DateTimeFormat(context.lang === 'en' ? 'en-GB' : 'ja-JP', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Tokyo' }).format(new Date(iso));

export function DeskListView({ context, counters }: { context: OfficeContext; counters: CounterDto[] }) {
  const { t } = context;
  const title = t('counterDesk.listTitle');
  return (
    <OfficePage context={context} title={title}>
      <h1>{title}</h1>
      <p>{t('counterDesk.listLead')}</p>
      <ul>
        {counters.map((counter) => (
          <li>
            <a href={deskHref(counter.id)}>{pick(context, counter.name)}</a> ({t(counter.open ? 'counterDesk.open' : 'counterDesk.closed')})
          </li>
        ))}
      </ul>
    </OfficePage>
  );
}

export interface DeskViewProps {
  context: OfficeContext;
  counter: CounterDto;
  counters: CounterDto[];
  queue: CounterQueueDto;
  serviceNames: Record<string, string>;
  notice: DeskNotice | null;
  problem: string | null;
  errors: FieldError[];
  applicationId: string;
}

/** A form of one button posting to the console. */
function ActionForm(props: { context: OfficeContext; action: string; label: string; accessKey?: string; variant?: 'primary' | 'secondary' | 'warning'; id: string }) {
  return (
    <form method="post" action={props.action}>
      <CsrfField context={props.context} />
      <Button variant={props.variant ?? 'secondary'} accessKey={props.accessKey} id={props.id}>
        {props.label}
      </Button>
    </form>
  );
}

/** The ticket at the desk: its number large, what may be done with it now. */
function ActiveTicket(props: DeskViewProps & { ticket: TicketDto }) {
  const { context, ticket, counter } = props;
  const { t } = context;
  const base = `${deskHref(counter.id)}/tickets/${ticket.id}`;
  const allowed = new Set(ticket.allowedActions);
  const others = props.counters.filter((other) => other.id !== counter.id);
  const errorOf = (fieldId: string) => props.errors.find((error) => error.fieldId === fieldId)?.message;
  return (
    <section class="mg-desk-ticket" aria-labelledby={`ticket-${ticket.id}`}>
      <h2 id={`ticket-${ticket.id}`}>
        <span class="mg-desk-ticket__number" data-testid="desk-number">
          {ticket.number}
        </span>
        <span>
          {t(ticket.status === 'serving' ? 'counterDesk.status.serving' : 'counterDesk.status.called')} ・ {props.serviceNames[ticket.serviceCode] ?? ticket.serviceCode}
          {ticket.priorityReason ? ` ・ ${t('counterDesk.priority')}` : ''}
        </span>
      </h2>
      <p>{t('counterDesk.callCount', { count: ticket.callCount })}</p>
      <div class="mg-desk-forms">
        {allowed.has('start') ? <ActionForm context={context} action={`${base}/start`} label={t('counterDesk.start')} accessKey="s" variant="primary" id="desk-start" /> : null}
        {allowed.has('finish') ? <ActionForm context={context} action={`${base}/finish`} label={t('counterDesk.finish')} accessKey="f" variant="primary" id="desk-finish" /> : null}
        {allowed.has('recall') ? <ActionForm context={context} action={`${base}/recall`} label={t('counterDesk.recall')} accessKey="r" id="desk-recall" /> : null}
        {allowed.has('noShow') ? <ActionForm context={context} action={`${base}/no-show`} label={t('counterDesk.noShow')} accessKey="x" variant="warning" id="desk-no-show" /> : null}
      </div>
      {allowed.has('transfer') && others.length > 0 ? (
        <form method="post" action={`${base}/transfer`} class="mg-office-action">
          <CsrfField context={context} />
          <Select
            name="counterId"
            id="transfer-counter"
            label={t('counterDesk.transferTo')}
            error={errorOf('transfer-counter')}
            options={others.map((other) => ({ value: other.id, label: pick(context, other.name) }))}
          />
          <Button variant="secondary" id="desk-transfer">
            {t('counterDesk.transfer')}
          </Button>
        </form>
      ) : null}
      {ticket.applicationId ? (
        <p>
          <a href={`/office/applications/${ticket.applicationId}`}>{t('counterDesk.openApplication')}</a>
          {' ・ '}
          <a href={`/office/counter/payments/${ticket.applicationId}`}>{t('counterPay.link')}</a>
        </p>
      ) : (
        <form method="post" action={`${base}/application`} class="mg-office-action">
          <CsrfField context={context} />
          <TextInput name="applicationId" id="application-id" label={t('counterDesk.applicationId')} value={props.applicationId} error={errorOf('application-id')} spellcheck={false} autocomplete="off" width={20} />
          <div class="mg-desk-forms">
            <Button variant="secondary" id="desk-link">
              {t('counterDesk.link')}
            </Button>
            <Button variant="secondary" name="open" value="1" id="desk-link-open">
              {t('counterDesk.linkAndOpen')}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}

/**
 * The desk console: the ticket(s) at this counter shown large with their
 * actions, "call next", the waiting list in call order, and the access
 * keys documented on the page.
 */
export function DeskView(props: DeskViewProps) {
  const { context, counter, queue, notice } = props;
  const { t } = context;
  const name = pick(context, counter.name);
  const title = t('counterDesk.title', { counter: name });
  return (
    <OfficePage context={context} title={title} breadcrumbs={[{ href: '/office/counter/desks', label: t('counterDesk.listTitle') }, { label: name }]}>
      {props.errors.length > 0 ? <ErrorSummary errors={props.errors} /> : null}
      {notice ? (
        <NotificationBanner kind="success" id="desk-notice">
          <p>{t(`counterDesk.done.${notice.kind}`, { number: notice.number })}</p>
        </NotificationBanner>
      ) : null}
      {props.problem ? (
        <div class="mg-banner mg-banner--warning" role="alert" id="desk-problem">
          <h2 class="mg-banner__title">{t('counterDesk.problem')}</h2>
          <p>{props.problem}</p>
        </div>
      ) : null}
      <h1>{title}</h1>
      <p>{t(counter.open ? 'counterDesk.open' : 'counterDesk.closed')}</p>
      <ActionForm context={context} action={`${deskHref(counter.id)}/call-next`} label={t('counterDesk.callNext')} accessKey="n" variant="primary" id="desk-call-next" />
      <h2>{t('counterDesk.serving')}</h2>
      {queue.active.length === 0 ? <p>{t('counterDesk.none')}</p> : queue.active.map((ticket) => <ActiveTicket {...props} ticket={ticket} />)}
      <h2>{t('counterDesk.waitingTitle', { count: queue.waiting.length })}</h2>
      {queue.waiting.length === 0 ? (
        <p>{t('counterDesk.waitingEmpty')}</p>
      ) : (
        <Table
          caption={t('counterDesk.waitingTitle', { count: queue.waiting.length })}
          captionSize="hidden"
          rowHeader="number"
          columns={[
            { key: 'number', label: t('counterDesk.col.number') },
            { key: 'service', label: t('counterDesk.col.service') },
            { key: 'since', label: t('counterDesk.col.since') },
            { key: 'priority', label: t('counterDesk.col.priority') },
          ]}
          rows={queue.waiting.map((ticket) => ({
            number: ticket.number,
            service: props.serviceNames[ticket.serviceCode] ?? ticket.serviceCode,
            since: time(context, ticket.queuedAt),
            priority: ticket.priorityReason ? t('counterDesk.priority') : '',
          }))}
        />
      )}
      <section class="mg-desk-keys" aria-labelledby="desk-keys">
        <h2 id="desk-keys">{t('counterDesk.keysTitle')}</h2>
        <p>{t('counterDesk.keysLead')}</p>
        <ul>
          <li>{t('counterDesk.key.n')}</li>
          <li>{t('counterDesk.key.s')}</li>
          <li>{t('counterDesk.key.f')}</li>
          <li>{t('counterDesk.key.r')}</li>
          <li>{t('counterDesk.key.x')}</li>
        </ul>
      </section>
    </OfficePage>
  );
}
