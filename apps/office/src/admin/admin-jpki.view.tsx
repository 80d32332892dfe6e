import { Button, ErrorSummary, type FieldError, FileUpload, NotificationBanner, Table } from '@madoguchi/ui';
import type { OfficeContext } from '../shared/office-context';
import { CsrfField, OfficePage } from '../shared/office-page';

export const ADMIN_JPKI = '/office/admin/jpki';

export interface JpkiTrustProps {
  context: OfficeContext;
  anchors: Array<{ subject: string; issuer: string; validFrom: string; validTo: string; fingerprint256: string }>;
  crls: Array<{ issuer: string; thisUpdate: string; nextUpdate: string | null; loadedAt: string }>;
  notice: { added: boolean; issuer: string } | null;
  errors: FieldError[];
}

function when(lang: string, iso: string): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** /office/admin/jpki: the CA certificates trusted for card sign-in and signatures, the CRLs stored, and the CRL upload. */
export function JpkiTrustView(props: JpkiTrustProps) {
  const { context } = props;
  const { t, lang } = context;
  return (
    <OfficePage context={context} title={t('office.admin.jpki.title')} breadcrumbs={[{ label: t('office.admin.title'), href: '/office/admin' }, { label: t('office.admin.jpki.title') }]}>
      <ErrorSummary errors={props.errors} />
      {props.notice ? (
        <NotificationBanner kind="success">{t(props.notice.added ? 'office.admin.jpki.added' : 'office.admin.jpki.already', { issuer: props.notice.issuer })}</NotificationBanner>
      ) : null}
      <h1>{t('office.admin.jpki.title')}</h1>
      <h2>{t('office.admin.jpki.anchors')}</h2>
      {props.anchors.length === 0 ? (
        <p>{t('office.admin.jpki.noAnchors')}</p>
      ) : (
        <Table
          caption={t('office.admin.jpki.anchorsCount', { count: props.anchors.length })}
          rowHeader="subject"
          columns={[
            { key: 'subject', label: t('office.admin.jpki.col.subject') },
            { key: 'valid', label: t('office.admin.jpki.col.valid') },
            { key: 'fingerprint', label: 'SHA-256' },
          ]}
          rows={props.anchors.map((anchor) => ({
            subject: anchor.subject,
            valid: `${when(lang, anchor.validFrom)} – ${when(lang, anchor.validTo)}`,
            fingerprint: <code class="mg-office-break">{anchor.fingerprint256}</code>,
          }))}
        />
      )}
      <h2>{t('office.admin.jpki.crls')}</h2>
      {props.crls.length === 0 ? (
        <p>{t('office.admin.jpki.noCrls')}</p>
      ) : (
        <Table
          caption={t('office.admin.jpki.crls')}
          rowHeader="issuer"
          columns={[
            { key: 'issuer', label: t('office.admin.jpki.col.issuer') },
            { key: 'thisUpdate', label: t('office.admin.jpki.col.thisUpdate') },
            { key: 'nextUpdate', label: t('office.admin.jpki.col.nextUpdate') },
          ]}
          rows={props.crls.map((crl) => ({ issuer: crl.issuer, thisUpdate: when(lang, crl.thisUpdate), nextUpdate: crl.nextUpdate ? when(lang, crl.nextUpdate) : '—' }))}
        />
      )}
      <h2>{t('office.admin.jpki.upload')}</h2>
      <form method="post" action={`${ADMIN_JPKI}/crls`} enctype="multipart/form-data" novalidate>
        <CsrfField context={context} />
        <FileUpload name="crl" label={t('office.admin.jpki.file')} accept=".crl,.pem,.der" typesLabel="PEM, DER" maxMb={10} error={props.errors.find((error) => error.fieldId === 'crl')?.message} />
        <Button>{t('office.admin.jpki.submit')}</Button>
      </form>
    </OfficePage>
  );
}
