import type { ApplicationDto } from '@madoguchi/applications';
import type { CounterPaymentDto } from '@madoguchi/payments';
import { Button, ErrorSummary, type FieldError, formatYen, Radios, SummaryList, TextInput } from '@madoguchi/ui';
import type { OfficeContext } from '../shared/office-context';
import { CsrfField, OfficePage } from '../shared/office-page';

export const DESK_PAYMENT_METHODS = ['cash', 'cardTerminal', 'qrTerminal'] as const;
export type DeskPaymentMethod = (typeof DESK_PAYMENT_METHODS)[number];

export interface DeskPaymentForm {
  method: string;
  amountReceived: string;
  revision: number;
  /** Sent with the payment: a repeated submit (a reload, a double click) gets the same receipt, never a second payment. */
  idempotencyKey: string;
}

export interface DeskPaymentViewProps {
  context: OfficeContext;
  application: ApplicationDto;
  form: DeskPaymentForm;
  step: 'form' | 'confirm';
  errors: FieldError[];
}

export function deskPaymentHref(applicationId: string): string {
  return `/office/counter/payments/${applicationId}`;
}

function Hidden({ form }: { form: DeskPaymentForm }) {
  return (
    <>
      <input type="hidden" name="revision" value={String(form.revision)} />
      <input type="hidden" name="idempotencyKey" value={form.idempotencyKey} />
    </>
  );
}

/** The desk payment: method and amount received, then a confirmation, then the receipt (DeskReceiptView). */
export function DeskPaymentView(props: DeskPaymentViewProps) {
  const { context, application, form } = props;
  const { t, lang } = context;
  const title = t(props.step === 'confirm' ? 'counterPay.confirmTitle' : 'counterPay.title');
  const due = application.fee === null ? '—' : formatYen(lang, application.fee);
  const errorOf = (fieldId: string) => props.errors.find((error) => error.fieldId === fieldId)?.message;
  const facts = [
    { key: t('counterPay.due'), value: due },
    { key: t('counterPay.state'), value: lang === 'en' ? application.status.en : application.status.ja },
  ];
  return (
    <OfficePage context={context} title={title} breadcrumbs={[{ href: `/office/applications/${application.id}`, label: t('counterPay.backToCase') }, { label: t('counterPay.title') }]}>
      {props.errors.length > 0 ? <ErrorSummary errors={props.errors} /> : null}
      <h1>{title}</h1>
      {props.step === 'confirm' ? (
        <form method="post" action={deskPaymentHref(application.id)} class="mg-office-confirm">
          <CsrfField context={context} />
          <Hidden form={form} />
          <input type="hidden" name="method" value={form.method} />
          <input type="hidden" name="amountReceived" value={form.amountReceived} />
          <input type="hidden" name="commit" value="1" />
          <SummaryList
            rows={[
              ...facts,
              { key: t('counterPay.method'), value: t(`counterPay.method.${form.method as DeskPaymentMethod}`) },
              { key: t('counterPay.received'), value: formatYen(lang, Number(form.amountReceived)) },
            ]}
          />
          <Button id="pay-commit">{t('counterPay.commit')}</Button>
        </form>
      ) : (
        <>
          <SummaryList rows={facts} />
          {application.state !== 'awaitingPayment' ? <p>{t('counterPay.notDue')}</p> : null}
          <form method="post" action={deskPaymentHref(application.id)} id="pay-form">
            <CsrfField context={context} />
            <Hidden form={form} />
            <Radios
              name="method"
              label={t('counterPay.method')}
              value={form.method}
              error={errorOf('method')}
              items={DESK_PAYMENT_METHODS.map((method) => ({ value: method, label: t(`counterPay.method.${method}`) }))}
            />
            <TextInput
              name="amountReceived"
              label={t('counterPay.received')}
              hint={t('counterPay.receivedHint')}
              value={form.amountReceived}
              error={errorOf('amountReceived')}
              inputmode="numeric"
              autocomplete="off"
              width={10}
            />
            <Button id="pay-check">{t('counterPay.check')}</Button>
          </form>
        </>
      )}
    </OfficePage>
  );
}

/** The receipt: its number and the change to hand back, large enough to read out. */
export function DeskReceiptView({ context, receipt }: { context: OfficeContext; receipt: CounterPaymentDto }) {
  const { t, lang } = context;
  const title = t('counterPay.receiptTitle');
  return (
    <OfficePage context={context} title={title}>
      <div class="mg-banner mg-banner--success" role="status" id="pay-receipt">
        <h1 class="mg-banner__title">{title}</h1>
        <p>
          {t('counterPay.receiptNumber')}: <strong class="mg-desk-ticket__number" data-testid="receipt-number">{receipt.receiptNumber}</strong>
        </p>
        <p>
          {t('counterPay.change')}: <strong data-testid="change">{formatYen(lang, receipt.change)}</strong>
        </p>
      </div>
      <SummaryList
        rows={[
          { key: t('counterPay.due'), value: formatYen(lang, receipt.amount) },
          { key: t('counterPay.method'), value: t(`counterPay.method.${receipt.method}`) },
          { key: t('counterPay.received'), value: formatYen(lang, receipt.amountReceived) },
          { key: t('counterPay.change'), value: formatYen(lang, receipt.change) },
        ]}
      />
      <p>
        <a href={`/office/applications/${receipt.applicationId}`}>{t('counterPay.backToCase')}</a>
      </p>
    </OfficePage>
  );
}
