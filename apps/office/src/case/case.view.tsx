import type { CaseFile } from '@madoguchi/applications';
import type { LocalizedProcedure } from '@madoguchi/procedures';
import { Button, Checkboxes, ErrorSummary, type FieldError, formatDate, formatYen, NotificationBanner, Select, SummaryList, Textarea, TextInput, Timeline } from '@madoguchi/ui';
import { isoDateIn } from '@madoguchi/kernel';
import type { OfficeContext } from '../shared/office-context';
import { CsrfField, OfficePage } from '../shared/office-page';
import { Shortcuts } from '../queue/queue.view';
import { type CaseRecords, CaseRecordsSections, type DocumentDraft } from './case-records.view';

/** The review actions the office offers, when the engine allows them. */
export const CASE_ACTIONS = ['staff.accept', 'staff.assessFee', 'staff.sendBack', 'staff.reject'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export interface ActionDraft {
  action: CaseAction;
  step: 'form' | 'confirm';
  values: { amount?: string; reason?: string; message?: string; fields?: string[] };
  errors: FieldError[];
  revision?: number;
}

export type CaseNotice = { kind: 'claimed' | 'released' | 'noteAdded' | CaseAction } | { kind: 'assigned' | 'revoked' | 'reissued'; name: string };

export interface CaseViewProps {
  context: OfficeContext;
  file: CaseFile;
  texts: LocalizedProcedure;
  staffId: string;
  notice: CaseNotice | null;
  draft: ActionDraft | null;
  noteError: string | null;
  records: CaseRecords;
  revealError: string | null;
  documentDraft: DocumentDraft | null;
}

function pick(context: OfficeContext, text: { ja: string; en: string }): string {
  return context.lang === 'en' ? text.en : text.ja;
}

function display(value: unknown, choices?: Array<{ value: string; label: string }>): string {
  if (value === undefined || value === null || value === '') return '';
  if (Array.isArray(value)) return value.map((item) => display(item, choices)).join('、');
  if (typeof value === 'object') return JSON.stringify(value);
  const label = choices?.find((choice) => choice.value === String(value))?.label;
  return label ?? String(value);
}

/** The form's answers grouped as the form groups them: top-level fields, then each object property as its own section. */
function answerSections(file: CaseFile, texts: LocalizedProcedure): Array<{ title: string | null; rows: Array<{ path: string; label: string; value: string }> }> {
  const schema = file.definition.form.schema as { properties?: Record<string, { type?: string; properties?: Record<string, unknown> }> };
  const data = file.application.formData;
  const general: Array<{ path: string; label: string; value: string }> = [];
  const sections: Array<{ title: string | null; rows: Array<{ path: string; label: string; value: string }> }> = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (property.type === 'object' && property.properties) {
      const inner = (data[name] ?? {}) as Record<string, unknown>;
      sections.push({
        title: texts.fields[name]?.title ?? name,
        rows: Object.keys(property.properties).map((child) => {
          const path = `${name}.${child}`;
          return { path, label: texts.fields[path]?.title ?? child, value: display(inner[child], texts.fields[path]?.choices) };
        }),
      });
    } else {
      general.push({ path: name, label: texts.fields[name]?.title ?? name, value: display(data[name], texts.fields[name]?.choices) });
    }
  }
  return [{ title: null, rows: general }, ...sections].filter((section) => section.rows.length > 0);
}

function noticeText(context: OfficeContext, notice: CaseNotice, status: string): string {
  const { t } = context;
  switch (notice.kind) {
    case 'claimed':
      return t('office.case.claimed');
    case 'released':
      return t('office.case.released');
    case 'noteAdded':
      return t('office.case.noteAdded');
    case 'assigned':
      return t('office.case.assigned', { name: notice.name });
    case 'revoked':
      return t('office.records.revokeDone', { serial: notice.name });
    case 'reissued':
      return t('office.records.reissueDone', { serial: notice.name });
    default:
      return t('office.case.done', { action: t(`office.case.event.${notice.kind}`), status });
  }
}

function ActionForm(props: CaseViewProps & { action: CaseAction; fieldOptions: Array<{ value: string; label: string }> }) {
  const { context, file, draft, action } = props;
  const { t } = context;
  const values = draft?.action === action ? draft.values : {};
  const errors = draft?.action === action ? draft.errors : [];
  const errorOf = (id: string) => errors.find((error) => error.fieldId === id)?.message;
  const confirming = draft?.action === action && draft.step === 'confirm';
  const base = `/office/applications/${file.application.id}/actions/${action}`;
  const hidden = (
    <>
      <CsrfField context={context} />
      <input type="hidden" name="revision" value={String(file.application.revision)} />
    </>
  );
  if (confirming) {
    const fieldLabels = (values.fields ?? []).map((field) => props.fieldOptions.find((option) => option.value === field)?.label ?? field);
    return (
      <section class="mg-office-confirm" aria-labelledby="confirm-title">
        <h3 id="confirm-title" tabindex={-1} data-mg-focus-on-load="">
          {t('office.case.confirmTitle', { action: t(`office.case.event.${action}`) })}
        </h3>
        <p>{t('office.case.confirmLead')}</p>
        {action === 'staff.assessFee' ? <SummaryList rows={[{ key: t('office.case.amount'), value: formatYen(context.lang, Number(values.amount)) }]} /> : null}
        {action === 'staff.reject' ? <SummaryList rows={[{ key: t('office.case.reason'), value: values.reason }]} /> : null}
        {action === 'staff.sendBack' ? (
          <div class="mg-office-preview">
            <h4 class="mg-heading-s">{t('office.case.preview')}</h4>
            <NotificationBanner title={pick(context, { ja: '修正のお願い（差戻し）', en: 'Returned for correction' })}>
              <p>{values.message}</p>
              <ul>
                {fieldLabels.map((label) => (
                  <li>{label}</li>
                ))}
              </ul>
            </NotificationBanner>
          </div>
        ) : null}
        <form method="post" action={base}>
          {hidden}
          <input type="hidden" name="commit" value="1" />
          {values.amount ? <input type="hidden" name="amount" value={values.amount} /> : null}
          {values.reason ? <input type="hidden" name="reason" value={values.reason} /> : null}
          {values.message ? <input type="hidden" name="message" value={values.message} /> : null}
          {(values.fields ?? []).map((field) => (
            <input type="hidden" name="fields" value={field} />
          ))}
          <div class="mg-office-actions">
            <Button variant={action === 'staff.reject' ? 'warning' : 'primary'}>{t('office.case.confirm')}</Button>
            <a href={`/office/applications/${file.application.id}`}>{t('office.case.cancel')}</a>
          </div>
        </form>
      </section>
    );
  }
  return (
    <form method="post" action={base} class="mg-office-action" id={errors.length > 0 ? 'action-form' : undefined} tabindex={errors.length > 0 ? -1 : undefined}>
      {hidden}
      {action === 'staff.assessFee' ? <TextInput name="amount" label={t('office.case.amount')} value={values.amount} error={errorOf('amount')} inputmode="numeric" width={10} /> : null}
      {action === 'staff.reject' ? <Textarea name="reason" label={t('office.case.reason')} value={values.reason} error={errorOf('reason')} /> : null}
      {action === 'staff.sendBack' ? (
        <>
          <Checkboxes name="fields" label={t('office.case.fields')} items={props.fieldOptions} values={values.fields} error={errorOf('fields')} />
          <Textarea name="message" label={t('office.case.message')} value={values.message} error={errorOf('message')} />
        </>
      ) : null}
      <Button variant={action === 'staff.reject' ? 'warning' : action === 'staff.accept' ? 'primary' : 'secondary'} accessKey={action === 'staff.accept' ? 'a' : undefined}>
        {t(`office.case.event.${action}`)}
      </Button>
    </form>
  );
}

/** The case page: summary, claim, actions the engine allows, answers by section, changes, notes, history. */
export function CaseView(props: CaseViewProps) {
  const { context, file, texts } = props;
  const { t, lang } = context;
  const application = file.application;
  const reference = application.referenceNumber ?? application.id.slice(0, 8);
  const status = pick(context, application.status);
  const claimedBy = file.claim.claimedBy;
  const mine = claimedBy?.id === props.staffId;
  const heldByOther = claimedBy !== null && !mine;
  const actions = CASE_ACTIONS.filter((action) => application.allowedEvents.includes(action));
  const sections = answerSections(file, texts);
  const fieldOptions = sections.flatMap((section) => section.rows.map((row) => ({ value: row.path, label: row.label })));
  const documentError = props.documentDraft?.error ? [{ fieldId: `reason-${props.documentDraft.action}-${props.documentDraft.documentId}`, message: props.documentDraft.error }] : [];
  const errors = [
    ...(props.draft?.errors ?? []),
    ...(props.noteError ? [{ fieldId: 'note-body', message: props.noteError }] : []),
    ...(props.revealError ? [{ fieldId: 'purpose', message: props.revealError }] : []),
    ...documentError,
  ];
  return (
    <OfficePage
      context={context}
      title={t('office.case.title', { reference })}
      breadcrumbs={[{ label: t('office.nav.queue'), href: '/office/queue' }, { label: reference }]}
    >
      <ErrorSummary errors={errors} />
      {props.notice ? <NotificationBanner kind="success">{noticeText(context, props.notice, status)}</NotificationBanner> : null}
      <h1>{t('office.case.title', { reference })}</h1>
      <SummaryList
        rows={[
          { key: t('office.case.procedure'), value: texts.name },
          { key: t('office.case.state'), value: status },
          { key: t('office.case.channel'), value: t(`office.queue.channel.${application.channel as 'online'}`) },
          { key: t('office.case.submitted'), value: application.submittedAt ? formatDate(lang, isoDateIn(new Date(application.submittedAt), 'Asia/Tokyo')) : '—' },
          { key: t('office.case.due'), value: application.dueOn ? formatDate(lang, application.dueOn) : t('office.queue.noDue') },
          { key: t('office.case.fee'), value: application.fee === null ? t('office.case.noFee') : formatYen(lang, application.fee) },
          { key: t('office.case.claim'), value: claimedBy ? t('office.case.claimedBy', { name: mine ? t('office.queue.mine') : (claimedBy.name ?? '—') }) : t('office.queue.unclaimed') },
        ]}
      />
      <div class="mg-office-actions">
        {!mine ? (
          <form method="post" action={`/office/applications/${application.id}/claim`} class="mg-office-inline-form">
            <CsrfField context={context} />
            <button type="submit" class="mg-button mg-button--primary" accessKey="c">
              {t('office.case.claimMe')}
            </button>
          </form>
        ) : (
          <form method="post" action={`/office/applications/${application.id}/release`} class="mg-office-inline-form">
            <CsrfField context={context} />
            <Button variant="secondary">{t('office.case.release')}</Button>
          </form>
        )}
      </div>
      {file.colleagues.length > 0 ? (
        <form method="post" action={`/office/applications/${application.id}/assign`} class="mg-office-assign">
          <CsrfField context={context} />
          <Select name="assignee" label={t('office.case.assignTo')} options={file.colleagues.map((colleague) => ({ value: colleague.id, label: colleague.name ?? colleague.id }))} />
          <Button variant="secondary">{t('office.case.assign')}</Button>
        </form>
      ) : null}
      <h2>{t('office.case.actions')}</h2>
      {actions.length === 0 ? <p>{t('office.case.noActions')}</p> : heldByOther ? <p>{t('office.case.claimFirst')}</p> : null}
      {heldByOther ? null : actions.map((action) => <ActionForm {...props} action={action} fieldOptions={fieldOptions} />)}
      <h2>{t('office.case.answers')}</h2>
      {sections.map((section) => (
        <>
          {section.title ? <h3>{section.title}</h3> : null}
          <SummaryList rows={section.rows.map((row) => ({ key: row.label, value: row.value || t('office.case.noAnswer') }))} />
        </>
      ))}
      <CaseRecordsSections context={context} file={file} records={props.records} revealError={props.revealError} documentDraft={props.documentDraft} />
      <h2>{t('office.case.diff')}</h2>
      {file.diff.changes.length === 0 ? (
        <p>{t('office.case.noDiff')}</p>
      ) : (
        <SummaryList
          rows={file.diff.changes.map((change) => ({
            key: (
              <>
                {texts.fields[change.field]?.title ?? change.title ?? change.field}
                {change.flagged ? <span class="mg-hint"> （{t('office.case.flagged')}）</span> : null}
              </>
            ),
            value: `${t('office.case.before')}: ${display(change.before) || '—'} → ${t('office.case.after')}: ${display(change.after) || '—'}`,
          }))}
        />
      )}
      <h2 id="notes">{t('office.case.notes')}</h2>
      {file.notes.length === 0 ? (
        <p>{t('office.case.noNotes')}</p>
      ) : (
        <ul class="mg-office-notes">
          {file.notes.map((note) => (
            <li>
              <p class="mg-hint">
                {note.author.name ?? '—'} · <time dateTime={note.createdAt}>{formatDate(lang, isoDateIn(new Date(note.createdAt), 'Asia/Tokyo'))}</time>
              </p>
              <p>{note.body}</p>
            </li>
          ))}
        </ul>
      )}
      <form method="post" action={`/office/applications/${application.id}/notes`} novalidate>
        <CsrfField context={context} />
        <Textarea name="body" id="note-body" label={t('office.case.noteBody')} error={props.noteError ?? undefined} />
        <Button variant="secondary">{t('office.case.addNote')}</Button>
      </form>
      <Timeline
        heading={t('office.case.timeline')}
        items={file.timeline.map((entry) => ({
          when: formatDate(lang, isoDateIn(new Date(entry.at), 'Asia/Tokyo')),
          datetime: entry.at,
          title: pick(context, entry.description),
          body: pick(context, entry.status),
        }))}
      />
      <p>
        <a href="/office/queue">{t('office.case.back')}</a>
      </p>
      <Shortcuts context={context} keys={['office.shortcuts.queue', 'office.shortcuts.claim', 'office.shortcuts.accept']} />
    </OfficePage>
  );
}
