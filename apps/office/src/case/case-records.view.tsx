import type { AttachmentDto, CaseFile } from '@madoguchi/applications';
import type { StaffDocumentDto } from '@madoguchi/documents';
import type { JpkiReverification } from '@madoguchi/identity';
import { isoDateIn } from '@madoguchi/kernel';
import type { CasePaymentEntry } from '@madoguchi/payments';
import { Button, formatDate, formatYen, NotificationBanner, SummaryList, Table, Textarea, TextInput } from '@madoguchi/ui';
import type { OfficeContext } from '../shared/office-context';
import { CsrfField, OfficePage } from '../shared/office-page';

/** Reviewers and approvers reveal individual numbers and revoke or reissue documents (as the JSON routes allow). */
export const DECIDING_ROLES = ['reviewer', 'approver'];
export const DOCUMENT_ACTIONS = ['revoke', 'reissue'] as const;
export type DocumentAction = (typeof DOCUMENT_ACTIONS)[number];

/** A revoke or reissue being written or confirmed. */
export interface DocumentDraft {
  documentId: string;
  action: DocumentAction;
  step: 'form' | 'confirm';
  reason: string;
  error: string | null;
}

/** What the case page shows besides the case file: read through the documents and payments services. */
export interface CaseRecords {
  documents: StaffDocumentDto[];
  payments: CasePaymentEntry[];
}

export interface CaseRecordsProps {
  context: OfficeContext;
  file: CaseFile;
  records: CaseRecords;
  revealError: string | null;
  documentDraft: DocumentDraft | null;
}

const mayDecide = (context: OfficeContext): boolean => (context.staff?.roles ?? []).some((role) => DECIDING_ROLES.includes(role));
export const dateOf = (context: OfficeContext, at: string | Date): string => formatDate(context.lang, isoDateIn(new Date(at), 'Asia/Tokyo'));
export const timeOf = (at: string | Date): string =>
  new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(at));

function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Types a browser shows itself; anything else is offered as a download only. */
export const VIEWABLE_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];

function Applicant({ context, file, revealError }: CaseRecordsProps) {
  const { t } = context;
  const masked = file.application.formData.individualNumber;
  const base = `/office/applications/${file.application.id}`;
  return (
    <section aria-labelledby="applicant-title">
      <h2 id="applicant-title">{t('office.records.applicant')}</h2>
      {typeof masked !== 'string' || masked === '' ? (
        <p>{t('office.records.noIndividualNumber')}</p>
      ) : (
        <>
          <SummaryList rows={[{ key: t('office.records.individualNumber'), value: <span class="mg-office-mono">{masked}</span> }]} />
          {mayDecide(context) ? (
            <form method="post" action={`${base}/individual-number/reveal`} class="mg-office-action" novalidate>
              <CsrfField context={context} />
              <h3 class="mg-heading-s">{t('office.records.revealTitle')}</h3>
              <p class="mg-hint">{t('office.records.revealLead')}</p>
              <TextInput name="purpose" label={t('office.records.revealPurpose')} hint={t('office.records.revealPurposeHint')} error={revealError ?? undefined} maxLength={200} autocomplete="off" />
              <Button variant="secondary">{t('office.records.revealButton')}</Button>
            </form>
          ) : (
            <p class="mg-hint">{t('office.records.revealOnlyDeciders')}</p>
          )}
        </>
      )}
    </section>
  );
}

function Attachments({ context, file }: CaseRecordsProps) {
  const { t } = context;
  const base = `/office/applications/${file.application.id}/attachments`;
  const rows = file.attachments.map((attachment: AttachmentDto) => ({
    name: attachment.fileName,
    type: attachment.contentType,
    size: fileSize(attachment.sizeBytes),
    actions: (
      <ul class="mg-office-links">
        {VIEWABLE_TYPES.includes(attachment.contentType) ? (
          <li>
            <a href={`${base}/${attachment.id}/view`}>
              {t('office.records.view', { name: attachment.fileName })}
            </a>
          </li>
        ) : null}
        <li>
          <a href={`${base}/${attachment.id}/download`} download="">
            {t('office.records.download', { name: attachment.fileName })}
          </a>
        </li>
      </ul>
    ),
  }));
  return (
    <section aria-labelledby="attachments-title">
      <h2 id="attachments-title">{t('office.records.attachments')}</h2>
      {rows.length === 0 ? (
        <p>{t('office.records.noAttachments')}</p>
      ) : (
        <>
          <p class="mg-hint">{t('office.records.auditedRead')}</p>
          <Table
            caption={t('office.records.attachments')}
            captionSize="hidden"
            rowHeader="name"
            columns={[
              { key: 'name', label: t('office.records.fileName') },
              { key: 'type', label: t('office.records.fileType') },
              { key: 'size', label: t('office.records.fileSize'), numeric: true },
              { key: 'actions', label: t('office.records.fileActions') },
            ]}
            rows={rows}
          />
        </>
      )}
    </section>
  );
}

function Signature({ context, file }: CaseRecordsProps) {
  const { t } = context;
  return (
    <section aria-labelledby="signature-title">
      <h2 id="signature-title">{t('office.records.signature')}</h2>
      <p class="mg-hint">{t('office.records.signatureLead')}</p>
      <p>
        <a href={`/office/applications/${file.application.id}/signature`}>{t('office.records.signatureCheck')}</a>
      </p>
    </section>
  );
}

function methodLabel(context: OfficeContext, method: string | null): string {
  if (!method) return '—';
  if (['cash', 'cardTerminal', 'qrTerminal'].includes(method)) return context.t(`counterPay.method.${method as 'cash'}`);
  return context.t(`payment.method.${method as 'card'}`);
}

function Payments({ context, file, records }: CaseRecordsProps) {
  const { t, lang } = context;
  const rows = records.payments.map((entry) => ({
    amount: formatYen(lang, entry.payment.amount),
    state: t(`payment.status.${entry.payment.status}`),
    method: methodLabel(context, entry.payment.method),
    receipt: entry.receipt?.receiptNumber ?? '—',
    refunds:
      entry.refunds.length === 0 ? (
        t('office.records.noRefund')
      ) : (
        <ul class="mg-office-links">
          {entry.refunds.map((refund) => (
            <li>
              {refund.paidOutAt
                ? t('office.records.refundPaidOut', { amount: formatYen(lang, refund.amount) })
                : t('office.records.refundLine', { amount: formatYen(lang, refund.amount), status: t(`office.records.refund.${refund.status}`) })}
            </li>
          ))}
        </ul>
      ),
  }));
  return (
    <section aria-labelledby="payments-title">
      <h2 id="payments-title">{t('office.records.payments')}</h2>
      <SummaryList rows={[{ key: t('office.case.fee'), value: file.application.fee === null ? t('office.case.noFee') : formatYen(lang, file.application.fee) }]} />
      {rows.length === 0 ? (
        <p>{t('office.records.noPayments')}</p>
      ) : (
        <Table
          caption={t('office.records.paymentsCaption')}
          captionSize="hidden"
          columns={[
            { key: 'amount', label: t('office.records.amount'), numeric: true },
            { key: 'state', label: t('office.records.paymentState') },
            { key: 'method', label: t('office.records.method') },
            { key: 'receipt', label: t('office.records.receipt') },
            { key: 'refunds', label: t('office.records.refunds') },
          ]}
          rows={rows}
        />
      )}
    </section>
  );
}

function DocumentForm({ context, file, document, action, draft }: CaseRecordsProps & { document: StaffDocumentDto; action: DocumentAction; draft: DocumentDraft | null }) {
  const { t } = context;
  const mine = draft?.documentId === document.id && draft.action === action ? draft : null;
  const actionLabel = t(`office.records.${action}`);
  const path = `/office/applications/${file.application.id}/documents/${document.id}/${action}`;
  if (mine?.step === 'confirm') {
    return (
      <section class="mg-office-confirm" aria-labelledby="document-confirm-title">
        <h3 id="document-confirm-title" tabindex={-1} data-mg-focus-on-load="">
          {t('office.records.documentConfirmTitle', { serial: document.serial, action: actionLabel })}
        </h3>
        <p>{t('office.records.documentConfirmLead', { action: actionLabel })}</p>
        <SummaryList rows={[{ key: t('office.case.reason'), value: mine.reason }]} />
        <form method="post" action={path}>
          <CsrfField context={context} />
          <input type="hidden" name="reason" value={mine.reason} />
          <input type="hidden" name="commit" value="1" />
          <div class="mg-office-actions">
            <Button variant="warning">{actionLabel}</Button>
            <a href={`/office/applications/${file.application.id}#documents-title`}>{t('office.case.cancel')}</a>
          </div>
        </form>
      </section>
    );
  }
  const fieldId = `reason-${action}-${document.id}`;
  return (
    <form method="post" action={path} class="mg-office-action" novalidate>
      <CsrfField context={context} />
      <Textarea
        name="reason"
        id={fieldId}
        rows={2}
        maxLength={500}
        label={t('office.records.documentReason', { serial: document.serial, action: actionLabel })}
        value={mine?.reason}
        error={mine?.error ?? undefined}
      />
      <Button variant={action === 'revoke' ? 'warning' : 'secondary'}>{actionLabel}</Button>
    </form>
  );
}

function Documents(props: CaseRecordsProps) {
  const { context, file, records, documentDraft } = props;
  const { t } = context;
  const deciding = mayDecide(context);
  const status = context.lang === 'en' ? file.application.status.en : file.application.status.ja;
  const rows = records.documents.map((document) => ({
    title: context.lang === 'en' ? document.title.en : document.title.ja,
    serial: document.serial,
    issued: dateOf(context, document.issuedAt),
    state:
      document.status === 'revoked' ? (
        <>
          {t('office.records.documentRevoked')}
          {document.revokedReason ? <span class="mg-hint"> {t('office.records.revokedReason', { reason: document.revokedReason })}</span> : null}
        </>
      ) : (
        t('office.records.documentIssued')
      ),
    actions: (
      <a href={`/office/applications/${file.application.id}/documents/${document.id}/pdf`} download="">
        {t('office.records.downloadPdf', { serial: document.serial })}
      </a>
    ),
  }));
  const inForce = records.documents.filter((document) => document.status === 'issued');
  return (
    <section aria-labelledby="documents-title">
      <h2 id="documents-title" tabindex={-1}>
        {t('office.records.documents')}
      </h2>
      {file.application.state === 'issuing' || file.application.allowedEvents.includes('document.issued') ? <p>{t('office.records.issuing', { status })}</p> : null}
      {rows.length === 0 ? (
        <p>{t('office.records.noDocuments')}</p>
      ) : (
        <Table
          caption={t('office.records.documents')}
          captionSize="hidden"
          rowHeader="serial"
          columns={[
            { key: 'serial', label: t('office.records.serial') },
            { key: 'title', label: t('office.records.documentTitle') },
            { key: 'issued', label: t('office.records.issuedOn') },
            { key: 'state', label: t('office.records.documentState') },
            { key: 'actions', label: t('office.records.documentActions') },
          ]}
          rows={rows}
        />
      )}
      {inForce.length > 0 && !deciding ? <p class="mg-hint">{t('office.records.mayNotDecide')}</p> : null}
      {deciding
        ? inForce.map((document) => DOCUMENT_ACTIONS.map((action) => <DocumentForm {...props} document={document} action={action} draft={documentDraft} />))
        : null}
    </section>
  );
}

/** The case page's records: applicant, attachments, signature, fee and payments, documents. */
export function CaseRecordsSections(props: CaseRecordsProps) {
  return (
    <>
      <Applicant {...props} />
      <Attachments {...props} />
      <Signature {...props} />
      <Payments {...props} />
      <Documents {...props} />
    </>
  );
}

/** The case a records page is about: its id and reference only. */
export interface CaseRef {
  id: string;
  referenceNumber: string | null;
}

const caseReference = (application: CaseRef): string => application.referenceNumber ?? application.id.slice(0, 8);

/** The answer to a reveal: the number once, never in a URL, never cached. */
export function RevealedView({ context, application, individualNumber, purpose }: { context: OfficeContext; application: CaseRef; individualNumber: string; purpose: string }) {
  const { t } = context;
  const reference = caseReference(application);
  const back = `/office/applications/${application.id}`;
  return (
    <OfficePage context={context} title={t('office.records.revealedTitle', { reference })} breadcrumbs={[{ label: t('office.nav.queue'), href: '/office/queue' }, { label: reference, href: back }]}>
      <h1>{t('office.records.revealedTitle', { reference })}</h1>
      <NotificationBanner>{t('office.records.revealedLead')}</NotificationBanner>
      <SummaryList
        rows={[
          { key: t('office.records.individualNumber').replace(/（.*）|\s*\(.*\)/, ''), value: <strong class="mg-office-mono mg-office-revealed">{individualNumber}</strong> },
          { key: t('office.records.revealedPurpose'), value: purpose },
        ]}
      />
      <p>
        <a href={back}>{t('office.records.backToCase')}</a>
      </p>
    </OfficePage>
  );
}

/** `CN=…` and other attributes: names shown by their first character only, as the rest of the page masks. */
export function maskSubject(subject: string): string {
  return subject
    .split(/,\s*/)
    .map((part) => {
      const [key, ...rest] = part.split('=');
      const value = rest.join('=');
      if (!['CN', 'SN', 'GN', 'SERIALNUMBER', 'L', 'STREET'].includes(key.trim().toUpperCase()) || value.length === 0) return part;
      return `${key}=${value.slice(0, 1)}${'*'.repeat(Math.max(value.length - 1, 3))}`;
    })
    .join(', ');
}

export type SignatureOutcome = { kind: 'valid'; result: JpkiReverification } | { kind: 'invalid'; message: string; contentChanged: boolean } | { kind: 'none' };

export function SignatureView({ context, application, outcome }: { context: OfficeContext; application: CaseRef; outcome: SignatureOutcome }) {
  const { t } = context;
  const reference = caseReference(application);
  const back = `/office/applications/${application.id}`;
  let body;
  if (outcome.kind === 'none') body = <p>{t('office.records.signatureNone')}</p>;
  else if (outcome.kind === 'invalid')
    body = (
      <>
        <NotificationBanner title={t('office.records.signatureInvalid')}>
          <p>{outcome.message}</p>
        </NotificationBanner>
        <SummaryList
          rows={[
            { key: t('office.records.signatureResult'), value: t('office.records.signatureInvalid') },
            { key: t('office.records.signatureCovers'), value: outcome.contentChanged ? t('office.records.signatureCoversNo') : '—' },
          ]}
        />
      </>
    );
  else {
    const { result } = outcome;
    const basic4 = result.basic4 as { name?: string };
    body = (
      <>
        <NotificationBanner kind="success">{t('office.records.signatureValid')}</NotificationBanner>
        <SummaryList
          rows={[
            { key: t('office.records.signatureResult'), value: t('office.records.signatureValid') },
            { key: t('office.records.signatureSignedAt'), value: `${dateOf(context, result.verifiedAt)} ${timeOf(result.verifiedAt)}` },
            { key: t('office.records.signatureCovers'), value: t('office.records.signatureCoversYes') },
            ...(basic4.name ? [{ key: t('office.records.signatureName'), value: basic4.name }] : []),
            { key: t('office.records.signatureSubject'), value: maskSubject(result.certificate.subject) },
            { key: t('office.records.signatureIssuer'), value: result.certificate.issuer },
            { key: t('office.records.signatureExpires'), value: dateOf(context, result.certificate.notAfter) },
          ]}
        />
      </>
    );
  }
  return (
    <OfficePage context={context} title={t('office.records.signatureTitle', { reference })} breadcrumbs={[{ label: t('office.nav.queue'), href: '/office/queue' }, { label: reference, href: back }]}>
      <h1>{t('office.records.signatureTitle', { reference })}</h1>
      {body}
      <p>
        <a href={back}>{t('office.records.backToCase')}</a>
      </p>
    </OfficePage>
  );
}

