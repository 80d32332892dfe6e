import { Button, ErrorSummary, type FieldError, formatYen, type MessageKey, Radios } from '@madoguchi/ui';
import { CsrfField } from '../shared/csrf-field';
import type { PageContext } from '../shared/page-context';
import { PortalPage } from '../shared/portal-page';

/** The methods a resident chooses from, in the order shown; QR apps are named by their brand. */
export const PAY_METHODS = ['card', 'paypay', 'dpay', 'aupay', 'rakutenpay', 'payeasy', 'konbini'] as const;
export type PayMethod = (typeof PAY_METHODS)[number];

const HINTS: Record<PayMethod, MessageKey> = {
  card: 'pay.hint.card',
  paypay: 'pay.hint.qr',
  dpay: 'pay.hint.qr',
  aupay: 'pay.hint.qr',
  rakutenpay: 'pay.hint.qr',
  payeasy: 'pay.hint.payeasy',
  konbini: 'pay.hint.konbini',
};

export interface PayViewProps {
  context: PageContext;
  application: { id: string; procedureName: string; fee: number | null; awaitingPayment: boolean };
  errors: FieldError[];
  method: string | null;
}

/** /applications/:id/pay: one question, how to pay; the form goes on to the provider's page. */
export function PayView(props: PayViewProps) {
  const { context, application } = props;
  const { t, lang } = context;
  const error = props.errors.find((item) => item.fieldId === 'method')?.message;
  return (
    <PortalPage
      context={context}
      title={t('pay.title')}
      breadcrumbs={[
        { label: t('layout.home'), href: '/' },
        { label: t('applications.title'), href: '/applications' },
        { label: application.procedureName, href: `/applications/${application.id}` },
        { label: t('pay.title') },
      ]}
    >
      <ErrorSummary errors={props.errors} />
      <h1>{t('pay.title')}</h1>
      {application.awaitingPayment && application.fee !== null ? (
        <>
          <p class="mg-lead">{t('pay.lead', { procedure: application.procedureName, amount: formatYen(lang, application.fee) })}</p>
          <form method="post" action={`/applications/${application.id}/pay`} novalidate>
            <CsrfField context={context} />
            <Radios
              name="method"
              label={t('pay.legend')}
              error={error}
              value={props.method ?? undefined}
              items={PAY_METHODS.map((method) => ({ value: method, label: t(`payment.method.${method}` as MessageKey), hint: t(HINTS[method]) }))}
            />
            <Button id="pay-continue">{t('pay.continue')}</Button>
          </form>
        </>
      ) : (
        <>
          <p>{t('pay.notDue')}</p>
          <p>
            <a class="mg-link" href={`/applications/${application.id}`}>
              {application.procedureName}
            </a>
          </p>
        </>
      )}
    </PortalPage>
  );
}
