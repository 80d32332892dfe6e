import { Button, type CheckAnswersSection, Checkboxes, ErrorSummary, type FieldError, formatDate, formatYen, NotificationBanner, SummaryList } from '@madoguchi/ui';
import { CsrfField } from '../shared/csrf-field';
import type { PageContext } from '../shared/page-context';
import { PortalPage } from '../shared/portal-page';


/** Check your answers, the declaration, signing where required, and Send (once: the form token). */
export function CheckAnswersView(props: {
  context: PageContext;
  applicationId: string;
  procedureName: string;
  procedureCode: string;
  revision: number;
  sections: CheckAnswersSection[];
  attachments: string[];
  /** Fields still missing or wrong, each linking to its page. */
  missing: Array<{ href: string; message: string }>;
  needsSignature: boolean;
  signed: boolean;
  formToken: string;
  errors: FieldError[];
}) {
  const { context } = props;
  const { t } = context;
  const heading = t('apply.checkTitle');
  const title = `${props.errors.length > 0 ? `${t('errorSummary.title')}: ` : ''}${heading} - ${props.procedureName}`;
  const declarationError = props.errors.find((error) => error.fieldId === 'declaration')?.message;
  return (
    <PortalPage context={context} title={title} breadcrumbs={[{ label: t('layout.home'), href: '/' }, { label: props.procedureName, href: `/procedures/${props.procedureCode}` }, { label: heading }]}>
      <ErrorSummary errors={props.errors} />
      <p class="mg-caption">{props.procedureName}</p>
      <h1>{heading}</h1>
      <p>{t('apply.checkLead')}</p>
      {props.missing.length > 0 ? (
        <section class="mg-panel" aria-labelledby="missing">
          <h2 id="missing" class="mg-heading-s">
            {t('apply.missingHeading')}
          </h2>
          <ul>
            {props.missing.map((item) => (
              <li>
                <a href={item.href}>{item.message}</a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {props.sections.map((section) => (
        <section>
          <h2>{section.title}</h2>
          <SummaryList rows={section.rows} />
        </section>
      ))}
      <h2>{t('apply.attachmentsTitle')}</h2>
      <SummaryList
        rows={[
          {
            key: t('apply.attachedHeading'),
            value: props.attachments.length > 0 ? <ul class="mg-plain-list">{props.attachments.map((name) => <li>{name}</li>)}</ul> : t('apply.attachmentsNoneShort'),
            change: { href: `/applications/${props.applicationId}/attachments`, what: t('apply.attachmentsTitle') },
          },
        ]}
      />
      {props.needsSignature ? (
        <section aria-labelledby="sign" id="signature" tabindex={-1}>
          <h2 id="sign">{t('apply.signHeading')}</h2>
          {props.signed ? (
            <NotificationBanner kind="success">{t('apply.signed')}</NotificationBanner>
          ) : (
            <>
              <p>{t('apply.signLead')}</p>
              <form method="post" action={`/applications/${props.applicationId}/sign/mynumber`}>
                <CsrfField context={context} />
                <Button variant="secondary" id="sign-button">
                  {t('apply.signButton')}
                </Button>
              </form>
            </>
          )}
        </section>
      ) : null}
      <section aria-labelledby="handover">
        <h2 id="handover">{t('handover.heading')}</h2>
        <p>{t('handover.lead')}</p>
        <form method="post" action={`/applications/${props.applicationId}/handover`}>
          <CsrfField context={context} />
          <Button variant="secondary" id="handover-button">
            {t('handover.button')}
          </Button>
        </form>
      </section>
      <form method="post" action={`/applications/${props.applicationId}/check`} novalidate>
        <CsrfField context={context} />
        <input type="hidden" name="_revision" value={String(props.revision)} />
        <input type="hidden" name="_token" value={props.formToken} />
        <h2>{t('apply.declarationHeading')}</h2>
        <Checkboxes name="declaration" label={t('apply.declarationHeading')} items={[{ value: 'agreed', label: t('apply.declaration') }]} error={declarationError} />
        <Button id="submit">{t('apply.submit')}</Button>
      </form>
    </PortalPage>
  );
}

/** After sending: the 受付番号, what happens next and by when, the receipt. */
export function ConfirmationView(props: {
  context: PageContext;
  applicationId: string;
  procedureName: string;
  referenceNumber: string;
  dueOn: string | null;
  fee: number | null;
  awaitingPayment: boolean;
}) {
  const { context } = props;
  const { t } = context;
  const heading = t('apply.confirmationTitle');
  return (
    <PortalPage context={context} title={`${heading} - ${props.procedureName}`}>
      <div class="mg-confirmation">
        <h1>{heading}</h1>
        <p>{props.procedureName}</p>
        <p>
          {t('apply.referenceNumber')}
          <br />
          <strong class="mg-reference" id="reference-number">
            {props.referenceNumber}
          </strong>
        </p>
      </div>
      <p>{t('apply.confirmationKeep')}</p>
      <p>
        <a href={`/api/v1/applications/${props.applicationId}/receipt.pdf`} id="receipt" download>
          {t('apply.receipt')}
        </a>
      </p>
      <h2>{t('apply.nextHeading')}</h2>
      {props.awaitingPayment && props.fee ? <p>{t('apply.nextPay', { amount: formatYen(context.lang, props.fee) })}</p> : null}
      <p>{t('apply.nextReview')}</p>
      {props.dueOn ? <p>{t('apply.nextDue', { date: formatDate(context.lang, props.dueOn) })}</p> : null}
      <p>
        <a href={`/applications/${props.applicationId}`}>{t('apply.viewApplication')}</a>
      </p>
    </PortalPage>
  );
}

/**
 * The handover code to show at the counter: its QR (what the office's QR
 * reader opens) and the code to read out or type. The answer to the POST
 * that made it, not a redirect: the code is shown once and never put in a
 * URL of the portal; showing it again makes a new one.
 */
export function HandoverView(props: { context: PageContext; applicationId: string; procedureName: string; code: string; expiresAt: string; qrDataUrl: string }) {
  const { context } = props;
  const { t } = context;
  const heading = t('handover.title');
  const grouped = props.code.match(/.{1,4}/g)!.join('-');
  const time = new Date(props.expiresAt).toLocaleTimeString(context.lang === 'en' ? 'en-GB' : 'ja-JP', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Tokyo' });
  return (
    <PortalPage context={context} title={`${heading} - ${props.procedureName}`}>
      <p class="mg-caption">{props.procedureName}</p>
      <h1>{heading}</h1>
      <p>{t('handover.showLead')}</p>
      <p>
        <img src={props.qrDataUrl} alt={t('handover.qrAlt')} width={240} height={240} id="handover-qr" />
      </p>
      <p>
        {t('handover.codeLabel')}
        <br />
        <strong class="mg-reference" id="handover-code">
          {grouped}
        </strong>
      </p>
      <p>{t('handover.expires', { time })}</p>
      <p>{t('handover.again')}</p>
      <p>{t('handover.after')}</p>
      <p>
        <a href={`/applications/${props.applicationId}/check`}>{t('handover.back')}</a>
      </p>
    </PortalPage>
  );
}
