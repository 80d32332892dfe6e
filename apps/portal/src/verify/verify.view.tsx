import { Button, ErrorSummary, type FieldError, formatDate, NotificationBanner, SummaryList, TextInput } from '@madoguchi/ui';
import type { VerificationResultDto } from '@madoguchi/documents';
import type { PageContext } from '../shared/page-context';
import { PortalPage } from '../shared/portal-page';
import { localized } from '../catalog/catalog.page-mapper';

export interface VerifyViewProps {
  context: PageContext;
  /** The municipality whose documents are searched, kept in the form (printed QR links name it). */
  municipalityParam: string | null;
  code: string;
  sha256: string;
  errors: FieldError[];
  result: VerificationResultDto | null;
}

const TONE = { valid: 'success', revoked: 'danger', altered: 'danger', unknown: 'danger' } as const;

/**
 * Document verification: a GET form (the code is not personal data; the
 * printed QR code links here) and the answer. It shows what is printed on
 * the document and nothing more, as VerificationService decides.
 */
export function VerifyView(props: VerifyViewProps) {
  const { context, result } = props;
  const { t, lang } = context;
  const document = result?.document ?? null;
  const codeError = props.errors.find((error) => error.fieldId === 'code')?.message;
  const shaError = props.errors.find((error) => error.fieldId === 'sha256')?.message;
  return (
    <PortalPage context={context} title={t('verify.title')} breadcrumbs={[{ label: t('layout.home'), href: '/' }, { label: t('verify.title') }]}>
      <ErrorSummary errors={props.errors} />
      <h1>{t('verify.title')}</h1>
      {result ? (
        <div class={`mg-banner mg-banner--${TONE[result.status]}`} role="status" aria-labelledby="verify-result">
          <h2 class="mg-banner__title" id="verify-result">
            {t(`verify.status.${result.status}`)}
          </h2>
          <div class="mg-banner__content">
            <p>{t(`verify.message.${result.status}`)}</p>
            {!result.contentChecked && result.status === 'valid' ? <p>{t('verify.contentNotChecked')}</p> : null}
          </div>
        </div>
      ) : (
        <p class="mg-lead">{t('verify.lead')}</p>
      )}
      {document ? (
        <>
          <h2>{t('verify.printedHeading')}</h2>
          <SummaryList
            rows={[
              { key: t('verify.document'), value: localized(lang, document.title) },
              { key: t('verify.serial'), value: <span class="mg-code">{document.serial}</span> },
              { key: t('verify.issuer'), value: localized(lang, document.issuer) },
              { key: t('verify.issuedOn'), value: formatDate(lang, document.issuedOn) },
              ...(document.revokedOn ? [{ key: t('verify.revokedOn'), value: formatDate(lang, document.revokedOn) }] : []),
              ...document.fields.map((field) => ({ key: localized(lang, field.label), value: field.value })),
            ]}
          />
        </>
      ) : null}
      {result ? null : <NotificationBanner title={t('notification.info')}>{t('verify.codeHint')}</NotificationBanner>}
      <form method="get" action="/verify" novalidate>
        {props.municipalityParam ? <input type="hidden" name="m" value={props.municipalityParam} /> : null}
        <TextInput name="code" label={t('verify.codeLabel')} hint={t('verify.codeHint')} error={codeError} value={props.code} autocomplete="off" spellcheck={false} maxLength={64} width={20} inputLang="en" />
        <TextInput name="sha256" label={t('verify.shaLabel')} hint={t('verify.shaHint')} error={shaError} value={props.sha256} autocomplete="off" spellcheck={false} maxLength={64} inputLang="en" />
        <Button>{t('verify.submit')}</Button>
      </form>
    </PortalPage>
  );
}
