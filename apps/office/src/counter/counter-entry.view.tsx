import {
  Button,
  type CheckAnswersSection,
  ErrorSummary,
  type FieldError,
  type FormProcedure,
  type FormSection,
  formatDate,
  formatYen,
  NotificationBanner,
  Radios,
  type RawValues,
  SectionFields,
  sectionTitle,
  Select,
  SummaryList,
  TextInput,
} from '@madoguchi/ui';
import type { OfficeContext } from '../shared/office-context';
import { CsrfField, OfficePage } from '../shared/office-page';
import { deskPaymentHref } from './desk-payment.view';

export const COUNTER_ENTRY = '/office/counter/entry';
export const counterEntryHref = (applicationId: string, page: string) => `${COUNTER_ENTRY}/${applicationId}/${page}`;
export const counterFormHref = (applicationId: string) => (section: number) => counterEntryHref(applicationId, `form/${section}`);

/** The kinds of identity document staff record (the service's IDENTITY_DOCUMENTS). */
export type IdentityDocumentKind = 'myNumberCard' | 'driversLicense' | 'passport' | 'residenceCard' | 'healthInsuranceCard' | 'other';

const crumbs = (context: OfficeContext, here?: string) => [
  { label: context.t('counterEntry.nav'), href: COUNTER_ENTRY },
  ...(here ? [{ label: here }] : []),
];

/** /office/counter/entry — open a handover code, or start a walk-in application. */
export function CounterEntryStartView(props: {
  context: OfficeContext;
  procedures: Array<{ code: string; name: string }>;
  code: string;
  procedureCode: string;
  formToken: string;
  errors: FieldError[];
}) {
  const { context } = props;
  const { t } = context;
  const title = `${props.errors.length > 0 ? `${t('errorSummary.title')}: ` : ''}${t('counterEntry.title')}`;
  const errorOf = (id: string) => props.errors.find((error) => error.fieldId === id)?.message;
  return (
    <OfficePage context={context} title={title} breadcrumbs={crumbs(context)}>
      <ErrorSummary errors={props.errors} />
      <h1>{t('counterEntry.title')}</h1>
      <p class="mg-lead">{t('counterEntry.lead')}</p>
      <section aria-labelledby="handover-heading">
        <h2 id="handover-heading">{t('counterEntry.handoverHeading')}</h2>
        <p>{t('counterEntry.handoverLead')}</p>
        <form method="post" action={`${COUNTER_ENTRY}/handover`} novalidate>
          <CsrfField context={context} />
          <TextInput name="code" label={t('counterEntry.code')} hint={t('counterEntry.codeHint')} value={props.code} error={errorOf('code')} autocomplete="off" spellcheck={false} width={20} />
          <Button id="open-handover">{t('counterEntry.open')}</Button>
        </form>
      </section>
      <section aria-labelledby="walk-in-heading">
        <h2 id="walk-in-heading">{t('counterEntry.walkInHeading')}</h2>
        <p>{t('counterEntry.walkInLead')}</p>
        {props.procedures.length === 0 ? (
          <p>{t('counterEntry.noProcedures')}</p>
        ) : (
          <form method="post" action={COUNTER_ENTRY} novalidate>
            <CsrfField context={context} />
            <input type="hidden" name="_token" value={props.formToken} />
            <Select
              name="procedureCode"
              label={t('counterEntry.procedure')}
              options={props.procedures.map((procedure) => ({ value: procedure.code, label: procedure.name }))}
              value={props.procedureCode}
              error={errorOf('procedureCode')}
            />
            <Button id="start-walk-in">{t('counterEntry.start')}</Button>
          </form>
        )}
      </section>
    </OfficePage>
  );
}

/** Whose application it is, above every page of the form. */
function Applicant({ context, hasAccount }: { context: OfficeContext; hasAccount: boolean }) {
  return <p class="mg-hint">{context.t(hasAccount ? 'counterEntry.applicantAccount' : 'counterEntry.applicantNone')}</p>;
}

/** One page of the schema-driven form, as on the portal. */
export function CounterEntrySectionView(props: {
  context: OfficeContext;
  applicationId: string;
  hasAccount: boolean;
  revision: number;
  procedure: FormProcedure;
  section: FormSection;
  values: RawValues;
  masked: Record<string, string>;
  errors: FieldError[];
}) {
  const { context, procedure, section } = props;
  const { t } = context;
  const heading = sectionTitle(context, procedure, section);
  const title = `${props.errors.length > 0 ? `${t('errorSummary.title')}: ` : ''}${heading} - ${procedure.name}`;
  const byId = Object.fromEntries(props.errors.map((error) => [error.fieldId, error.message]));
  const back = section.number > 1 ? counterFormHref(props.applicationId)(section.number - 1) : COUNTER_ENTRY;
  return (
    <OfficePage context={context} title={title} breadcrumbs={crumbs(context, procedure.name)}>
      <ErrorSummary errors={props.errors} />
      <p class="mg-caption">
        {procedure.name} — {t('apply.pageOf', { current: section.number, total: procedure.sections.length })}
      </p>
      <h1>{heading}</h1>
      <Applicant context={context} hasAccount={props.hasAccount} />
      <form method="post" action={counterFormHref(props.applicationId)(section.number)} novalidate>
        <CsrfField context={context} />
        <input type="hidden" name="_revision" value={String(props.revision)} />
        {/* Enter in a box presses the form's first submit button: make it "save", not a list's "remove". */}
        <button type="submit" name="_action" value="save" class="mg-visually-hidden" tabindex={-1} aria-hidden="true">
          {t('apply.saveContinue')}
        </button>
        <SectionFields
          context={context}
          schema={procedure.schema}
          keys={section.keys}
          required={procedure.required}
          texts={procedure.fields}
          values={props.values}
          errors={byId}
          masked={props.masked}
          groupIsHeading={section.group !== null}
        />
        <div class="mg-button-group">
          <Button name="_action" value="save" id="save">
            {t('apply.saveContinue')}
          </Button>
        </div>
      </form>
      <p>
        <a href={back}>{t('apply.back')}</a>
      </p>
    </OfficePage>
  );
}

export interface IdentityCheckRow {
  method: IdentityDocumentKind;
  checkedAt: string;
}

export interface IdentityForm {
  method: string;
  documentsShown: string;
  note: string;
}

/** Check the answers with the resident, record the identity check, submit once. */
export function CounterEntryCheckView(props: {
  context: OfficeContext;
  applicationId: string;
  hasAccount: boolean;
  procedureName: string;
  revision: number;
  sections: CheckAnswersSection[];
  missing: Array<{ href: string; message: string }>;
  identityRequired: boolean;
  checks: IdentityCheckRow[];
  /** Just recorded (after the redirect). */
  recorded: boolean;
  identity: IdentityForm;
  formToken: string;
  errors: FieldError[];
  /** A refusal of the submit (e.g. the identity check missing), shown above the submit button. */
  problem: string | null;
}) {
  const { context } = props;
  const { t } = context;
  const heading = t('counterEntry.checkTitle');
  const title = `${props.errors.length > 0 || props.problem ? `${t('errorSummary.title')}: ` : ''}${heading} - ${props.procedureName}`;
  const errorOf = (id: string) => props.errors.find((error) => error.fieldId === id)?.message;
  const time = (iso: string) => new Date(iso).toLocaleTimeString(context.lang === 'en' ? 'en-GB' : 'ja-JP', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Tokyo' });
  const documentLabel = (method: string) => t(`counterEntry.doc.${method}` as never);
  const documents: IdentityDocumentKind[] = ['myNumberCard', 'driversLicense', 'passport', 'residenceCard', 'healthInsuranceCard', 'other'];
  return (
    <OfficePage context={context} title={title} breadcrumbs={crumbs(context, props.procedureName)}>
      <ErrorSummary errors={props.problem ? [...props.errors, { fieldId: 'submit', message: props.problem }] : props.errors} />
      {props.recorded ? <NotificationBanner kind="success">{t('counterEntry.identityRecorded')}</NotificationBanner> : null}
      <p class="mg-caption">{props.procedureName}</p>
      <h1>{heading}</h1>
      <Applicant context={context} hasAccount={props.hasAccount} />
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
      <section aria-labelledby="identity-heading" id="identity">
        <h2 id="identity-heading">{t('counterEntry.identityHeading')}</h2>
        <p>{t(props.identityRequired ? 'counterEntry.identityRequired' : 'counterEntry.identityOptional')}</p>
        {props.checks.length > 0 ? (
          <ul id="identity-checks">
            {props.checks.map((check) => (
              <li>{t('counterEntry.identityDone', { method: documentLabel(check.method), time: time(check.checkedAt) })}</li>
            ))}
          </ul>
        ) : null}
        <form method="post" action={counterEntryHref(props.applicationId, 'identity')} novalidate>
          <CsrfField context={context} />
          <Radios
            name="method"
            label={t('counterEntry.identityMethod')}
            hint={t('counterEntry.identityMethodHint')}
            items={documents.map((value) => ({ value, label: documentLabel(value) }))}
            value={props.identity.method}
            error={errorOf('method')}
          />
          <TextInput
            name="documentsShown"
            label={t('counterEntry.documentsShown')}
            hint={t('counterEntry.documentsShownHint')}
            value={props.identity.documentsShown}
            error={errorOf('documentsShown')}
            inputmode="numeric"
            width={2}
            optional
          />
          <TextInput name="note" label={t('counterEntry.identityNote')} hint={t('counterEntry.identityNoteHint')} value={props.identity.note} error={errorOf('note')} maxLength={200} optional />
          <Button variant="secondary" id="record-identity">
            {t('counterEntry.identityRecord')}
          </Button>
        </form>
      </section>
      <section aria-labelledby="submit-heading">
        <h2 id="submit-heading">{t('counterEntry.submitHeading')}</h2>
        <p>{t('counterEntry.submitLead')}</p>
        {props.problem ? (
          <p class="mg-error-message" id="submit" tabindex={-1}>
            {props.problem}
          </p>
        ) : null}
        <form method="post" action={counterEntryHref(props.applicationId, 'submit')} novalidate>
          <CsrfField context={context} />
          <input type="hidden" name="_revision" value={String(props.revision)} />
          <input type="hidden" name="_token" value={props.formToken} />
          <Button id="submit-application">{t('counterEntry.submit')}</Button>
        </form>
      </section>
    </OfficePage>
  );
}

/** The receipt (受付票): printable, with the 受付番号; the fee goes on to the desk payment. */
export function CounterEntryReceiptView(props: {
  context: OfficeContext;
  applicationId: string;
  procedureName: string;
  referenceNumber: string;
  submittedAt: string | null;
  enteredBy: string;
  identity: string | null;
  fee: number | null;
  dueOn: string | null;
  awaitingPayment: boolean;
}) {
  const { context } = props;
  const { t } = context;
  const submitted = props.submittedAt ? formatDate(context.lang, new Date(props.submittedAt).toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' })) : null;
  const rows = [
    { key: t('counterEntry.referenceNumber'), value: <strong class="mg-reference" id="reference-number">{props.referenceNumber}</strong> },
    { key: t('counterEntry.procedure'), value: props.procedureName },
    ...(submitted ? [{ key: t('counterEntry.submittedOn'), value: submitted }] : []),
    { key: t('counterEntry.channel'), value: t('counterEntry.channelCounter') },
    { key: t('counterEntry.enteredBy'), value: props.enteredBy },
    { key: t('counterEntry.identityChecked'), value: props.identity ?? t('counterEntry.identityNone') },
    ...(props.fee ? [{ key: t('counterEntry.fee'), value: formatYen(context.lang, props.fee) }] : []),
    ...(props.dueOn ? [{ key: t('counterEntry.due'), value: formatDate(context.lang, props.dueOn) }] : []),
  ];
  return (
    <OfficePage context={context} title={`${t('counterEntry.receiptTitle')} - ${props.procedureName}`} breadcrumbs={crumbs(context, t('counterEntry.receiptTitle'))}>
      <div class="mg-counter-receipt">
        <h1>{t('counterEntry.receiptTitle')}</h1>
        <p>{t('counterEntry.receiptLead')}</p>
        <SummaryList rows={rows} />
        <p>{t('apply.nextReview')}</p>
      </div>
      <div class="mg-counter-receipt__actions">
        <p class="mg-hint">{t('counterEntry.printHint')}</p>
        <p>
          <button type="button" class="mg-button mg-button--secondary" data-mg-print hidden>
            {t('kiosk.print')}
          </button>
        </p>
        <ul>
          {props.awaitingPayment ? (
            <li>
              <a href={deskPaymentHref(props.applicationId)}>{t('counterPay.link')}</a>
            </li>
          ) : null}
          <li>
            <a href={`/office/applications/${props.applicationId}`}>{t('counterEntry.openCase')}</a>
          </li>
          <li>
            <a href={COUNTER_ENTRY} id="next-resident">
              {t('counterEntry.next')}
            </a>
          </li>
        </ul>
      </div>
    </OfficePage>
  );
}
