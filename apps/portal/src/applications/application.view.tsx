import { Button, formatDate, formatYen, type MessageKey, NotificationBanner, SummaryList, Textarea, Timeline } from '@madoguchi/ui';
import { CsrfField } from '../shared/csrf-field';
import type { PageContext } from '../shared/page-context';
import { PortalPage } from '../shared/portal-page';
import { CLOSED_STATES, type DocumentLink, type NextStep, type PaymentView, type TimelineRow } from './application-pages.model';
import { StateTag } from './applications-list.view';

export interface ApplicationPageProps {
  context: PageContext;
  application: {
    id: string;
    procedureName: string;
    referenceNumber: string | null;
    state: string;
    statusText: string;
    createdOn: string;
    submittedOn: string | null;
    dueOn: string | null;
    fee: number | null;
    canWithdraw: boolean;
  };
  next: NextStep;
  /** The payment the resident came back from (`?payment=`), else the newest; as we hold it, never as the provider's redirect said. */
  payment: PaymentView | null;
  /** True when the resident just came back from the provider for `payment`. */
  returnedFromProvider: boolean;
  /** Payment deadline in the municipality's zone (ISO date), while awaiting payment. */
  payBy: string | null;
  documents: DocumentLink[];
  receiptHref: string | null;
  timeline: TimelineRow[];
  /** What the resident just did, confirmed by the state we hold. */
  done: 'withdrawn' | 'resubmitted' | null;
  /** Seconds until the page loads itself again (a payment not yet confirmed); null: no refresh. */
  refreshSeconds: number | null;
  /** ISO date of a payment deadline (konbini/Pay-easy), in the municipality's zone. */
  instructionsDeadline: string | null;
}

const PENDING: readonly string[] = ['created', 'started', 'authorised'];

function methodLabel(context: PageContext, method: string | null): string {
  if (!method) return '—';
  const key = ['cash', 'cardTerminal', 'qrTerminal'].includes(method) ? 'payment.method.counter' : `payment.method.${method}`;
  return context.t(key as MessageKey);
}

function PaymentSection(props: ApplicationPageProps) {
  const { context, payment, application } = props;
  const { t, lang } = context;
  if (!payment) return null;
  const pending = PENDING.includes(payment.status);
  const instructions = pending && (payment.konbini || payment.payeasy);
  const failed = ['failed', 'cancelled', 'expired'].includes(payment.status);
  return (
    <section aria-labelledby="payment-heading" id="payment" data-payment-status={payment.status}>
      <h2 id="payment-heading">{t('payment.heading')}</h2>
      {payment.status === 'succeeded' ? (
        <NotificationBanner kind="success" title={t('payment.paidTitle')} id="payment-result">
          <p>{t('payment.paidBody', { amount: formatYen(lang, payment.capturedAmount) })}</p>
        </NotificationBanner>
      ) : null}
      {instructions && payment.konbini ? (
        <NotificationBanner title={t('payment.konbiniTitle')} id="payment-instructions">
          <p>{t('payment.konbiniBody')}</p>
          <SummaryList
            rows={[
              { key: t('payment.konbiniNumber'), value: <strong class="mg-code" id="konbini-number">{payment.konbini.paymentNumber}</strong> },
              { key: t('payment.deadline'), value: <span id="payment-deadline">{props.instructionsDeadline ? formatDate(lang, props.instructionsDeadline) : ''}</span> },
            ]}
          />
        </NotificationBanner>
      ) : null}
      {instructions && payment.payeasy ? (
        <NotificationBanner title={t('payment.payeasyTitle')} id="payment-instructions">
          <p>{t('payment.payeasyBody')}</p>
          <SummaryList
            rows={[
              { key: t('payment.collectorNumber'), value: <strong class="mg-code">{payment.payeasy.collectorNumber}</strong> },
              { key: t('payment.customerNumber'), value: <strong class="mg-code">{payment.payeasy.customerNumber}</strong> },
              { key: t('payment.confirmationNumber'), value: <strong class="mg-code">{payment.payeasy.confirmationNumber}</strong> },
              { key: t('payment.deadline'), value: <span id="payment-deadline">{props.instructionsDeadline ? formatDate(lang, props.instructionsDeadline) : ''}</span> },
            ]}
          />
        </NotificationBanner>
      ) : null}
      {pending && !instructions && props.returnedFromProvider ? (
        <NotificationBanner title={t('payment.pendingTitle')} id="payment-result">
          <p data-mg-refresh-seconds={props.refreshSeconds ?? undefined}>{t('payment.pendingBody')}</p>
          <p>
            <a class="mg-link" href={`/applications/${application.id}?payment=${payment.paymentId}`} id="payment-refresh">
              {t('payment.refresh')}
            </a>
          </p>
        </NotificationBanner>
      ) : null}
      {failed && application.state === 'awaitingPayment' ? (
        <div class="mg-banner mg-banner--danger" role="region" aria-labelledby="payment-failed-title" id="payment-result">
          <h3 class="mg-banner__title" id="payment-failed-title">
            {t('payment.failedTitle')}
          </h3>
          <div class="mg-banner__content">
            <p>{t('payment.failedBody')}</p>
            <Button href={`/applications/${application.id}/pay`} id="payment-retry">
              {t('payment.retry')}
            </Button>
          </div>
        </div>
      ) : null}
      <SummaryList
        rows={[
          { key: t('payment.state'), value: <span id="payment-status">{t(`payment.status.${payment.status}` as MessageKey)}</span> },
          { key: t('payment.amount'), value: formatYen(lang, payment.amount) },
          { key: t('payment.method'), value: methodLabel(context, payment.method) },
          ...(payment.refundedAmount > 0 ? [{ key: t('payment.refunded'), value: formatYen(lang, payment.refundedAmount) }] : []),
        ]}
      />
    </section>
  );
}

function NextStepSection(props: ApplicationPageProps) {
  const { context, next, application } = props;
  const { t, lang } = context;
  let text: string;
  let action: { href: string; label: string } | null = null;
  switch (next.kind) {
    case 'draft':
      text = t('application.next.draft');
      action = { href: next.href, label: t('application.continueDraft') };
      break;
    case 'awaitingPayment':
      text = t('application.next.awaitingPayment', { amount: formatYen(lang, application.fee ?? 0) });
      action = { href: next.href, label: t('application.pay') };
      break;
    case 'returned':
      text = t('application.next.returned');
      action = { href: next.href, label: t('application.correct') };
      break;
    case 'completed':
      text = t('application.next.completed');
      break;
    case 'wait':
      text =
        application.state === 'awaitingAssessment'
          ? t('application.next.awaitingAssessment')
          : application.dueOn
            ? t('application.next.waitUntil', { date: formatDate(lang, application.dueOn) })
            : t('application.next.wait');
      break;
    default:
      text = CLOSED_STATES.includes(application.state) ? t('application.next.closed') : t('application.next.wait');
  }
  return (
    <section aria-labelledby="next-heading">
      <h2 id="next-heading">{t('application.nextHeading')}</h2>
      <p id="next-step">{text}</p>
      {next.kind === 'awaitingPayment' && props.payBy ? <p id="pay-by">{t('application.next.payBy', { date: formatDate(lang, props.payBy) })}</p> : null}
      {action ? (
        <Button href={action.href} id="next-action">
          {action.label}
        </Button>
      ) : null}
    </section>
  );
}

/** /applications/:id: where every notice and the payment return land. */
export function ApplicationView(props: ApplicationPageProps) {
  const { context, application } = props;
  const { t, lang } = context;
  return (
    <PortalPage
      context={context}
      title={application.procedureName}
      breadcrumbs={[{ label: t('layout.home'), href: '/' }, { label: t('applications.title'), href: '/applications' }, { label: application.procedureName }]}
    >
      {props.done ? (
        <NotificationBanner kind="success" id="done">
          <p>{t(props.done === 'withdrawn' ? 'application.withdrawn' : 'application.resubmitted')}</p>
        </NotificationBanner>
      ) : null}
      <p class="mg-caption">{t('application.caption')}</p>
      <h1>{application.procedureName}</h1>
      <SummaryList
        rows={[
          { key: t('application.status'), value: <StateTag context={context} state={application.state} fallback={application.statusText} /> },
          { key: t('application.reference'), value: <span class="mg-code">{application.referenceNumber ?? t('applications.noReference')}</span> },
          application.submittedOn
            ? { key: t('application.submittedAt'), value: formatDate(lang, application.submittedOn) }
            : { key: t('application.createdAt'), value: formatDate(lang, application.createdOn) },
          ...(application.dueOn ? [{ key: t('application.dueOn'), value: formatDate(lang, application.dueOn) }] : []),
          ...(application.fee !== null ? [{ key: t('application.fee'), value: formatYen(lang, application.fee) }] : []),
        ]}
      />
      <NextStepSection {...props} />
      <PaymentSection {...props} />
      {props.documents.length > 0 || props.receiptHref ? (
        <section aria-labelledby="documents-heading">
          <h2 id="documents-heading">{t('application.documentsHeading')}</h2>
          <ul class="mg-list" id="documents">
            {props.documents.map((document) => (
              <li>
                {document.href ? (
                  <a class="mg-link" href={document.href} download>
                    {t('application.download', { title: document.title })}
                  </a>
                ) : (
                  t('application.documentRevoked', { title: document.title })
                )}{' '}
                <span class="mg-hint">{formatDate(lang, document.issuedOn)}</span>
              </li>
            ))}
            {props.receiptHref ? (
              <li>
                <a class="mg-link" href={props.receiptHref} download>
                  {t('application.receipt')}
                </a>
              </li>
            ) : null}
          </ul>
        </section>
      ) : null}
      <Timeline
        heading={t('application.timelineHeading')}
        items={props.timeline.map((row) => ({ when: formatDate(lang, row.on), datetime: row.at, title: row.description, body: row.status }))}
      />
      {application.canWithdraw ? (
        <p>
          <a class="mg-link" href={`/applications/${application.id}/withdraw`} id="withdraw-link">
            {t('application.withdraw')}
          </a>
        </p>
      ) : null}
    </PortalPage>
  );
}

/** The confirmation before 取下げ: nothing happens until the resident posts this form. */
export function WithdrawView(props: { context: PageContext; application: { id: string; procedureName: string; referenceNumber: string | null; revision: number; paid: boolean } }) {
  const { context, application } = props;
  const { t } = context;
  return (
    <PortalPage
      context={context}
      title={t('withdraw.title')}
      breadcrumbs={[
        { label: t('layout.home'), href: '/' },
        { label: t('applications.title'), href: '/applications' },
        { label: application.procedureName, href: `/applications/${application.id}` },
        { label: t('withdraw.title') },
      ]}
    >
      <h1>{t('withdraw.title')}</h1>
      <p class="mg-lead">{t('withdraw.lead', { procedure: application.procedureName, reference: application.referenceNumber ?? t('applications.noReference') })}</p>
      {application.paid ? <p>{t('withdraw.refundNote')}</p> : null}
      <form method="post" action={`/applications/${application.id}/withdraw`} novalidate>
        <CsrfField context={context} />
        <input type="hidden" name="revision" value={String(application.revision)} />
        <Textarea name="reason" label={t('withdraw.reasonLabel')} optional />
        <div class="mg-button-group">
          <Button variant="warning" id="withdraw-confirm">
            {t('withdraw.confirm')}
          </Button>
          <Button variant="secondary" href={`/applications/${application.id}`}>
            {t('withdraw.cancel')}
          </Button>
        </div>
      </form>
    </PortalPage>
  );
}
