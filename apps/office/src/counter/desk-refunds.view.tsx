import type { CounterPayoutWaiting } from '@madoguchi/payments';
import { Button, formatYen, NotificationBanner, SummaryList, Table } from '@madoguchi/ui';
import { dateOf, timeOf } from '../case/case-records.view';
import type { OfficeContext } from '../shared/office-context';
import { CsrfField, OfficePage } from '../shared/office-page';

export interface PayoutForm {
  paymentId: string;
  refundId: string;
  idempotencyKey: string;
}

/** Desk refunds waiting: each row pays out through a confirmation. */
export function PayoutsView({ context, waiting, confirm, error }: { context: OfficeContext; waiting: CounterPayoutWaiting[]; confirm: (PayoutForm & { entry: CounterPayoutWaiting }) | null; error: string | null }) {
  const { t, lang } = context;
  const rows = waiting.map((entry) => ({
    reference: entry.referenceNumber,
    receipt: entry.receiptNumber ?? '—',
    amount: formatYen(lang, entry.refund.amount),
    reason: entry.refund.reason,
    since: dateOf(context, entry.refund.createdAt),
    action: (
      <form method="post" action={`/office/counter/refunds/${entry.refund.paymentId}/${entry.refund.id}`} class="mg-office-inline-form">
        <CsrfField context={context} />
        <button type="submit" class="mg-button mg-button--secondary mg-button--small">
          {t('office.payouts.payOut', { reference: entry.referenceNumber })}
        </button>
      </form>
    ),
  }));
  return (
    <OfficePage context={context} title={t('office.payouts.title')} breadcrumbs={[{ label: t('office.payouts.title') }]}>
      {error ? <NotificationBanner title={t('office.payouts.title')}>{error}</NotificationBanner> : null}
      <h1>{t('office.payouts.title')}</h1>
      {confirm ? (
        <section class="mg-office-confirm" aria-labelledby="payout-confirm-title">
          <h2 id="payout-confirm-title" tabindex={-1} data-mg-focus-on-load="">
            {t('office.payouts.confirmTitle', { amount: formatYen(lang, confirm.entry.refund.amount) })}
          </h2>
          <p>{t('office.payouts.confirmLead')}</p>
          <SummaryList
            rows={[
              { key: t('office.payouts.reference'), value: confirm.entry.referenceNumber },
              { key: t('office.payouts.receipt'), value: confirm.entry.receiptNumber ?? '—' },
              { key: t('office.payouts.amount'), value: formatYen(lang, confirm.entry.refund.amount) },
              { key: t('office.payouts.reason'), value: confirm.entry.refund.reason },
            ]}
          />
          <form method="post" action={`/office/counter/refunds/${confirm.paymentId}/${confirm.refundId}`}>
            <CsrfField context={context} />
            <input type="hidden" name="commit" value="1" />
            <input type="hidden" name="idempotencyKey" value={confirm.idempotencyKey} />
            <div class="mg-office-actions">
              <Button>{t('office.payouts.confirm')}</Button>
              <a href="/office/counter/refunds">{t('office.payouts.cancel')}</a>
            </div>
          </form>
        </section>
      ) : (
        <p>{t('office.payouts.lead')}</p>
      )}
      {rows.length === 0 ? (
        <p>{t('office.payouts.empty')}</p>
      ) : (
        <Table
          caption={t('office.payouts.caption')}
          rowHeader="reference"
          columns={[
            { key: 'reference', label: t('office.payouts.reference') },
            { key: 'receipt', label: t('office.payouts.receipt') },
            { key: 'amount', label: t('office.payouts.amount'), numeric: true },
            { key: 'reason', label: t('office.payouts.reason') },
            { key: 'since', label: t('office.payouts.since') },
            { key: 'action', label: t('office.payouts.action') },
          ]}
          rows={rows}
        />
      )}
    </OfficePage>
  );
}

export interface PayoutDone {
  referenceNumber: string | null;
  receiptNumber: string | null;
  amount: number;
  paidOutAt: string;
}

export function PayoutDoneView({ context, done }: { context: OfficeContext; done: PayoutDone }) {
  const { t, lang } = context;
  return (
    <OfficePage context={context} title={t('office.payouts.doneTitle')} breadcrumbs={[{ label: t('office.payouts.title'), href: '/office/counter/refunds' }, { label: t('office.payouts.doneTitle') }]}>
      <NotificationBanner kind="success" title={t('office.payouts.doneTitle')}>
        <p>{t('office.payouts.doneLead', { receipt: done.receiptNumber ?? '—', amount: formatYen(lang, done.amount) })}</p>
      </NotificationBanner>
      <h1>{t('office.payouts.doneTitle')}</h1>
      <SummaryList
        rows={[
          { key: t('office.payouts.reference'), value: done.referenceNumber ?? '—' },
          { key: t('office.payouts.receipt'), value: done.receiptNumber ?? '—' },
          { key: t('office.payouts.amount'), value: formatYen(lang, done.amount) },
          { key: t('office.payouts.paidOutAt'), value: `${dateOf(context, done.paidOutAt)} ${timeOf(done.paidOutAt)}` },
        ]}
      />
      <p>
        <a href="/office/counter/refunds">{t('office.payouts.back')}</a>
      </p>
    </OfficePage>
  );
}
