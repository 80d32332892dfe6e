import type { ComponentChildren } from 'preact';
import { Button, ErrorSummary, type FieldError, FileUpload, NotificationBanner, SummaryList, Table, Textarea, TextInput } from '@madoguchi/ui';
import type { DryRunReport, ProcedureDiffView, ProcedureDraftView, ProcedureWithDrafts, PublishBlocker } from '@madoguchi/reporting';
import { type ApprovalRouteStep, type DefinitionError, isConsultationStep } from '@madoguchi/workflow';
import type { OfficeContext } from '../../shared/office-context';
import { CsrfField, OfficePage } from '../../shared/office-page';

export const ADMIN_PROCEDURES = '/office/admin/procedures';
export const draftPath = (id: string, rest = ''): string => `${ADMIN_PROCEDURES}/drafts/${id}${rest}`;
/** A draft's upload accepts the text the JSON route accepts (MAX_DRAFT_TEXT characters); the file limit in MB for the hint. */
export const MAX_DEFINITION_MB = 1;

function when(lang: string, iso: string): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

function crumbs(context: OfficeContext, ...rest: Array<{ label: string; href?: string }>) {
  const { t } = context;
  const base = [{ label: t('office.admin.title'), href: '/office/admin' }];
  return rest.length === 0 ? [...base, { label: t('office.procedures.title') }] : [...base, { label: t('office.procedures.title'), href: ADMIN_PROCEDURES }, ...rest];
}

const draftCrumb = (context: OfficeContext, draft: { id: string; code: string; version: number }) => ({ label: context.t('office.procedures.draftTitle', { code: draft.code, version: draft.version }), href: draftPath(draft.id) });

/** /office/admin/procedures: each procedure with its current version and its drafts. */
export function ProcedureListView(props: { context: OfficeContext; procedures: ProcedureWithDrafts[] }) {
  const { context } = props;
  const { t, lang } = context;
  return (
    <OfficePage context={context} title={t('office.procedures.title')} breadcrumbs={crumbs(context)}>
      <h1>{t('office.procedures.title')}</h1>
      <p>{t('office.procedures.lead')}</p>
      <p>
        <Button href={`${ADMIN_PROCEDURES}/new`} variant="secondary">
          {t('office.procedures.newBlank')}
        </Button>
      </p>
      <Table
        caption={t('office.procedures.caption', { total: props.procedures.length })}
        rowHeader="code"
        columns={[
          { key: 'code', label: t('office.procedures.col.code') },
          { key: 'name', label: t('office.procedures.col.name') },
          { key: 'version', label: t('office.procedures.col.version'), numeric: true },
          { key: 'drafts', label: t('office.procedures.col.drafts') },
          { key: 'actions', label: t('office.procedures.col.actions') },
        ]}
        rows={props.procedures.map((procedure) => ({
          code: <code>{procedure.code}</code>,
          name: procedure.name ? (lang === 'en' ? procedure.name.en : procedure.name.ja) : '—',
          version: procedure.version === null ? t('office.procedures.unpublished') : String(procedure.version),
          drafts:
            procedure.drafts.length === 0 ? (
              '—'
            ) : (
              <ul class="mg-list">
                {procedure.drafts.map((draft) => (
                  <li>
                    <a href={draftPath(draft.id)}>{t('office.procedures.draftLink', { version: draft.version })}</a>{' '}
                    <span class="mg-hint">
                      {draft.publishedVersion !== null ? t('office.procedures.state.published', { version: draft.publishedVersion }) : t(`office.procedures.state.dryRun.${draft.dryRun}`)}
                      {' · '}
                      {when(lang, draft.updatedAt.toISOString())}
                    </span>
                  </li>
                ))}
              </ul>
            ),
          actions:
            procedure.version === null ? (
              ''
            ) : (
              <a href={`${ADMIN_PROCEDURES}/new?code=${encodeURIComponent(procedure.code)}`} aria-label={t('office.procedures.newFromLabel', { code: procedure.code })}>
                {t('office.procedures.newFrom')}
              </a>
            ),
        }))}
      />
    </OfficePage>
  );
}

/** The problems of a definition, each with its file, path and reason, in a table beside the text they are about. */
function DefinitionErrors({ context, errors }: { context: OfficeContext; errors: DefinitionError[] }) {
  const { t } = context;
  if (errors.length === 0) return null;
  return (
    <div id="definition-errors">
      <Table
        caption={t('office.procedures.errors.caption', { count: errors.length })}
        columns={[
          { key: 'file', label: t('office.procedures.errors.file') },
          { key: 'path', label: t('office.procedures.errors.path') },
          { key: 'reason', label: t('office.procedures.errors.reason') },
        ]}
        rows={errors.map((error) => ({ file: <code>{error.file}</code>, path: <code class="mg-office-break">{error.path}</code>, reason: <span lang="en">{error.reason}</span> }))}
      />
    </div>
  );
}

/** One line of the error summary per definition problem: where, then why. */
export function definitionFieldErrors(errors: DefinitionError[]): FieldError[] {
  return errors.map((error) => ({ fieldId: 'yaml', message: `${error.file} ${error.path}: ${error.reason}` }));
}

/** Upload or type a definition: a new draft (from the current version, or blank), or a draft's new text. */
export function DraftFormView(props: { context: OfficeContext; draft: { id: string; code: string; version: number } | null; yaml: string; errors: FieldError[]; definitionErrors: DefinitionError[] }) {
  const { context, draft } = props;
  const { t } = context;
  const title = draft ? t('office.procedures.editTitle', { code: draft.code, version: draft.version }) : t('office.procedures.newTitle');
  const errorOf = (id: string) => props.errors.find((error) => error.fieldId === id)?.message;
  const yamlError = props.definitionErrors.length > 0 ? t('office.procedures.errors.inline', { count: props.definitionErrors.length }) : errorOf('yaml');
  return (
    <OfficePage context={context} title={title} breadcrumbs={draft ? crumbs(context, draftCrumb(context, draft), { label: t('office.procedures.edit') }) : crumbs(context, { label: title })}>
      <ErrorSummary errors={props.errors} />
      <h1>{title}</h1>
      <p>{t('office.procedures.formLead')}</p>
      <form method="post" action={draft ? draftPath(draft.id) : `${ADMIN_PROCEDURES}/drafts`} enctype="multipart/form-data" novalidate>
        <CsrfField context={context} />
        <DefinitionErrors context={context} errors={props.definitionErrors} />
        <Textarea name="yaml" label={t('office.procedures.yaml')} hint={t('office.procedures.yamlHint')} value={props.yaml} rows={24} spellcheck={false} error={yamlError} />
        <FileUpload name="file" label={t('office.procedures.file')} hint={t('office.procedures.fileHint')} accept=".yaml,.yml,text/yaml" typesLabel="YAML" maxMb={MAX_DEFINITION_MB} error={errorOf('file')} />
        <div class="mg-office-actions">
          <Button>{draft ? t('office.procedures.save') : t('office.procedures.create')}</Button>
          <a href={draft ? draftPath(draft.id) : ADMIN_PROCEDURES}>{t('office.admin.cancel')}</a>
        </div>
      </form>
    </OfficePage>
  );
}

// --- The diff as tables ------------------------------------------------------

const show = (value: unknown): string => {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
};

/** Before/after per key of two flat-ish objects (a fee rule, a document), changed rows marked. */
function KeyedDiff({ context, caption, before, after }: { context: OfficeContext; caption: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }) {
  const { t } = context;
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return (
    <Table
      caption={caption}
      rowHeader="key"
      columns={[
        { key: 'key', label: t('office.procedures.diff.item') },
        { key: 'before', label: t('office.procedures.diff.before') },
        { key: 'after', label: t('office.procedures.diff.after') },
        { key: 'changed', label: t('office.procedures.diff.changedCol') },
      ]}
      rows={keys.map((key) => {
        const a = show(before?.[key]);
        const b = show(after?.[key]);
        return { key: <code>{key}</code>, before: <span class="mg-office-break">{a}</span>, after: <span class="mg-office-break">{b}</span>, changed: a === b ? '—' : <strong>{t('office.procedures.diff.changed')}</strong> };
      })}
    />
  );
}

/** Position by position: what stood there before and what stands there now. */
function ListDiff({ context, caption, before, after }: { context: OfficeContext; caption: string; before: ComponentChildren[]; after: ComponentChildren[]; }) {
  const { t } = context;
  const length = Math.max(before.length, after.length);
  const text = (node: ComponentChildren) => JSON.stringify(node ?? null);
  return (
    <Table
      caption={caption}
      rowHeader="position"
      columns={[
        { key: 'position', label: t('office.procedures.diff.position'), numeric: true },
        { key: 'before', label: t('office.procedures.diff.before') },
        { key: 'after', label: t('office.procedures.diff.after') },
        { key: 'changed', label: t('office.procedures.diff.changedCol') },
      ]}
      rows={Array.from({ length }, (_, index) => ({
        position: String(index + 1),
        before: before[index] ?? '—',
        after: after[index] ?? '—',
        changed: text(before[index]) === text(after[index]) ? '—' : <strong>{t('office.procedures.diff.changed')}</strong>,
      }))}
    />
  );
}

function routeStepLabel(context: OfficeContext, step: ApprovalRouteStep): string {
  const { t } = context;
  if (isConsultationStep(step)) {
    const level = step.consultation.level ? t(`office.admin.level.${step.consultation.level}` as never) : '';
    return t('office.procedures.diff.consultation', { departments: step.consultation.departments.join('・'), level });
  }
  return t(`office.admin.level.${step.level}` as never);
}

function Section({ context, title, changed, children }: { context: OfficeContext; title: string; changed: boolean; children: ComponentChildren }) {
  return (
    <section>
      <h3>{title}</h3>
      {changed ? children : <p>{context.t('office.procedures.diff.unchanged')}</p>}
    </section>
  );
}

/** What the draft changes against the published version: form fields, fee, approval route, steps, document. */
export function DiffTables({ context, diff }: { context: OfficeContext; diff: ProcedureDiffView }) {
  const { t } = context;
  const route = (side: 'before' | 'after') => diff.approvalRoute[side]?.route.map((step) => routeStepLabel(context, step)) ?? [];
  const rules = (side: 'before' | 'after') =>
    diff.approvalRoute[side]?.rules.map((rule) =>
      t('office.procedures.diff.rule', {
        field: rule.when.field,
        condition: rule.when.atLeast !== undefined ? `≥ ${rule.when.atLeast}` : `∈ ${(rule.when.in ?? []).join(', ')}`,
        level: t(`office.admin.level.${rule.level}` as never),
      }),
    ) ?? [];
  const required = (side: { required: boolean } | null) => (side ? t(side.required ? 'office.procedures.diff.required' : 'office.procedures.diff.optional') : '');
  return (
    <section aria-labelledby="diff-title">
      <h2 id="diff-title">{diff.fromVersion === null ? t('office.procedures.diff.titleNew', { to: diff.toVersion }) : t('office.procedures.diff.title', { from: diff.fromVersion, to: diff.toVersion })}</h2>
      <Section context={context} title={t('office.procedures.diff.fields')} changed={diff.fields.length > 0}>
        <Table
          caption={t('office.procedures.diff.fieldsCaption', { count: diff.fields.length })}
          rowHeader="field"
          columns={[
            { key: 'field', label: t('office.procedures.diff.field') },
            { key: 'change', label: t('office.procedures.diff.change') },
            { key: 'before', label: t('office.procedures.diff.before') },
            { key: 'after', label: t('office.procedures.diff.after') },
          ]}
          rows={diff.fields.map((field) => ({
            field: <code>{field.field}</code>,
            change: t(`office.procedures.diff.fieldChange.${field.change}`),
            before: field.before ? `${field.before.type ?? '—'} ${required(field.before)}` : '—',
            after: field.after ? `${field.after.type ?? '—'} ${required(field.after)}` : '—',
          }))}
        />
      </Section>
      <Section context={context} title={t('office.procedures.diff.fee')} changed={diff.fee.changed}>
        <KeyedDiff context={context} caption={t('office.procedures.diff.fee')} before={diff.fee.before as Record<string, unknown> | null} after={diff.fee.after as Record<string, unknown> | null} />
      </Section>
      <Section context={context} title={t('office.procedures.diff.route')} changed={diff.approvalRoute.changed}>
        <ListDiff context={context} caption={t('office.procedures.diff.routeSteps')} before={route('before')} after={route('after')} />
        {rules('before').length + rules('after').length > 0 ? <ListDiff context={context} caption={t('office.procedures.diff.routeRules')} before={rules('before')} after={rules('after')} /> : null}
      </Section>
      <Section context={context} title={t('office.procedures.diff.steps')} changed={diff.steps.changed}>
        <ListDiff
          context={context}
          caption={t('office.procedures.diff.stepsCaption', { added: diff.steps.added.join('・') || '—', removed: diff.steps.removed.join('・') || '—' })}
          before={(diff.steps.before ?? []).map((step) => t(`office.procedures.step.${step}` as never))}
          after={(diff.steps.after ?? []).map((step) => t(`office.procedures.step.${step}` as never))}
        />
      </Section>
      <Section context={context} title={t('office.procedures.diff.document')} changed={diff.document.changed}>
        <KeyedDiff context={context} caption={t('office.procedures.diff.document')} before={diff.document.before as Record<string, unknown> | null} after={diff.document.after as Record<string, unknown> | null} />
      </Section>
      <section>
        <h3>{t('office.procedures.diff.other')}</h3>
        <p>{diff.otherChanges.length === 0 ? t('office.procedures.diff.noOther') : diff.otherChanges.map((key) => <code>{key} </code>)}</p>
      </section>
    </section>
  );
}

// --- The draft, its dry run, publishing ---------------------------------------

function dryRunStatus(context: OfficeContext, draft: ProcedureDraftView, blocker: PublishBlocker | null): string {
  const { t } = context;
  if (draft.published) return t('office.procedures.state.published', { version: draft.published.version });
  if (blocker === null) return t('office.procedures.state.ready');
  return t(`office.procedures.blocker.${blocker}`);
}

export interface DraftPageProps {
  context: OfficeContext;
  draft: ProcedureDraftView;
  diff: ProcedureDiffView;
  latestVersion: number | null;
  blocker: PublishBlocker | null;
  sample: string;
  errors: FieldError[];
  notice: 'created' | 'saved' | null;
}

/** A draft: where it stands, what it changes, and the dry run that must come before publishing. */
export function DraftView(props: DraftPageProps) {
  const { context, draft } = props;
  const { t, lang } = context;
  const title = t('office.procedures.draftTitle', { code: draft.code, version: draft.version });
  return (
    <OfficePage context={context} title={title} breadcrumbs={crumbs(context, { label: title })}>
      <ErrorSummary errors={props.errors} />
      {props.notice ? <NotificationBanner kind="success">{t(`office.procedures.notice.${props.notice}`)}</NotificationBanner> : null}
      <h1>{title}</h1>
      <SummaryList
        rows={[
          { key: t('office.procedures.col.code'), value: <code>{draft.code}</code> },
          { key: t('office.procedures.currentVersion'), value: props.latestVersion === null ? t('office.procedures.unpublished') : String(props.latestVersion) },
          { key: t('office.procedures.draftVersion'), value: String(draft.version) },
          { key: t('office.procedures.updatedAt'), value: when(lang, draft.updatedAt) },
          { key: t('office.procedures.status'), value: dryRunStatus(context, draft, props.blocker) },
        ]}
      />
      {draft.published ? null : (
        <p class="mg-office-actions">
          <a href={draftPath(draft.id, '/edit')}>{t('office.procedures.edit')}</a>
          {draft.dryRun ? <a href={draftPath(draft.id, '/dry-run')}>{t('office.procedures.lastDryRun')}</a> : null}
          {props.blocker === null ? <a href={draftPath(draft.id, '/publish')}>{t('office.procedures.publish.button', { version: draft.version })}</a> : null}
        </p>
      )}
      <DiffTables context={context} diff={props.diff} />
      {draft.published ? null : (
        <section aria-labelledby="dry-run-title">
          <h2 id="dry-run-title">{t('office.procedures.dryRun.title')}</h2>
          <p>{t('office.procedures.dryRun.lead')}</p>
          <form method="post" action={draftPath(draft.id, '/dry-run')} novalidate>
            <CsrfField context={context} />
            <TextInput name="sample" label={t('office.procedures.dryRun.sample')} hint={t('office.procedures.dryRun.sampleHint')} value={props.sample} inputmode="numeric" width={5} error={props.errors.find((error) => error.fieldId === 'sample')?.message} />
            <Button>{t('office.procedures.dryRun.run')}</Button>
          </form>
        </section>
      )}
    </OfficePage>
  );
}

function Examples({ context, ids, references }: { context: OfficeContext; ids: string[]; references: Map<string, string | null> }) {
  const { t } = context;
  return (
    <ul class="mg-list">
      {ids.map((id) => (
        <li>
          <a href={`/office/applications/${id}`} aria-label={t('office.procedures.dryRun.caseLink', { reference: references.get(id) ?? id.slice(0, 8) })}>
            {references.get(id) ?? id.slice(0, 8)}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** The last dry run of a draft: same state, refused at which event, answers that no longer validate; and publishing when allowed. */
export function DryRunReportView(props: { context: OfficeContext; draft: ProcedureDraftView & { dryRun: NonNullable<ProcedureDraftView['dryRun']> }; references: Map<string, string | null>; latestVersion: number | null; blocker: PublishBlocker | null; justRun: boolean }) {
  const { context, draft, references } = props;
  const { t, lang } = context;
  const report: DryRunReport = draft.dryRun.report;
  const title = t('office.procedures.dryRun.reportTitle', { code: draft.code, version: draft.version });
  const differentCases = report.differentState.reduce((sum, group) => sum + group.count, 0);
  return (
    <OfficePage context={context} title={title} breadcrumbs={crumbs(context, draftCrumb(context, draft), { label: t('office.procedures.dryRun.title') })}>
      {props.justRun ? <NotificationBanner kind="success">{t('office.procedures.notice.dryRun', { cases: report.cases })}</NotificationBanner> : null}
      {props.blocker === 'textChanged' || props.blocker === 'baseChanged' ? (
        <NotificationBanner id="stale" title={t('office.procedures.dryRun.staleTitle')}>
          <p>{t(`office.procedures.blocker.${props.blocker}`)}</p>
        </NotificationBanner>
      ) : null}
      <h1>{title}</h1>
      <p>{t('office.procedures.dryRun.ranAt', { at: when(lang, draft.dryRun.at), base: draft.dryRun.baseVersion ?? '—' })}</p>
      <SummaryList
        rows={[
          { key: t('office.procedures.dryRun.cases'), value: String(report.cases) },
          { key: t('office.procedures.dryRun.same'), value: String(report.sameState) },
          { key: t('office.procedures.dryRun.different'), value: String(differentCases) },
          { key: t('office.procedures.dryRun.refused'), value: String(report.refusedCases) },
          { key: t('office.procedures.dryRun.formInvalid'), value: String(report.formInvalidCases) },
        ]}
      />
      <h2>{t('office.procedures.dryRun.refusedTitle')}</h2>
      {report.refused.length === 0 ? (
        <p>{t('office.procedures.dryRun.noneRefused')}</p>
      ) : (
        <Table
          caption={t('office.procedures.dryRun.refusedCaption', { count: report.refusedCases })}
          rowHeader="event"
          columns={[
            { key: 'event', label: t('office.procedures.dryRun.event') },
            { key: 'from', label: t('office.procedures.dryRun.fromState') },
            { key: 'reason', label: t('office.procedures.dryRun.reason') },
            { key: 'count', label: t('office.procedures.dryRun.count'), numeric: true },
            { key: 'examples', label: t('office.procedures.dryRun.examples') },
          ]}
          rows={report.refused.map((group) => ({
            event: <code>{group.eventType}</code>,
            from: <code>{group.fromState}</code>,
            reason: t(`office.procedures.refusal.${group.reason}`),
            count: String(group.count),
            examples: <Examples context={context} ids={group.examples} references={references} />,
          }))}
        />
      )}
      <h2>{t('office.procedures.dryRun.differentTitle')}</h2>
      {report.differentState.length === 0 ? (
        <p>{t('office.procedures.dryRun.noneDifferent')}</p>
      ) : (
        <Table
          caption={t('office.procedures.dryRun.differentCaption', { count: differentCases })}
          rowHeader="recorded"
          columns={[
            { key: 'recorded', label: t('office.procedures.dryRun.recordedState') },
            { key: 'replayed', label: t('office.procedures.dryRun.replayedState') },
            { key: 'count', label: t('office.procedures.dryRun.count'), numeric: true },
            { key: 'examples', label: t('office.procedures.dryRun.examples') },
          ]}
          rows={report.differentState.map((group) => ({
            recorded: <code>{group.recordedState}</code>,
            replayed: <code>{group.replayedState}</code>,
            count: String(group.count),
            examples: <Examples context={context} ids={group.examples} references={references} />,
          }))}
        />
      )}
      <h2>{t('office.procedures.dryRun.formTitle')}</h2>
      {report.formProblems.length === 0 ? (
        <p>{t('office.procedures.dryRun.noneInvalid')}</p>
      ) : (
        <Table
          caption={t('office.procedures.dryRun.formCaption', { count: report.formInvalidCases })}
          rowHeader="field"
          columns={[
            { key: 'field', label: t('office.procedures.diff.field') },
            { key: 'keyword', label: t('office.procedures.dryRun.keyword') },
            { key: 'reason', label: t('office.procedures.dryRun.reason') },
            { key: 'count', label: t('office.procedures.dryRun.count'), numeric: true },
            { key: 'examples', label: t('office.procedures.dryRun.examples') },
          ]}
          rows={report.formProblems.map((group) => ({
            field: <code>{group.field}</code>,
            keyword: <code>{group.keyword}</code>,
            reason: <span lang="en">{group.reason}</span>,
            count: String(group.count),
            examples: <Examples context={context} ids={group.examples} references={references} />,
          }))}
        />
      )}
      {report.skippedSensitiveFields.length > 0 ? <p class="mg-hint">{t('office.procedures.dryRun.skipped', { fields: report.skippedSensitiveFields.join(', ') })}</p> : null}
      <p class="mg-hint">
        {t('office.procedures.dryRun.approvals', { recomputed: report.approvals.recomputed, asRecorded: report.approvals.asRecorded, onBehalf: report.approvals.onBehalfAssumedQualified })}
      </p>
      <h2>{t('office.procedures.publish.title')}</h2>
      {props.blocker === null ? (
        <>
          <p>{t('office.procedures.publish.lead', { version: draft.version })}</p>
          <p>
            <Button href={draftPath(draft.id, '/publish')}>{t('office.procedures.publish.button', { version: draft.version })}</Button>
          </p>
        </>
      ) : (
        <p>{dryRunStatus(context, draft, props.blocker)}</p>
      )}
      <p>
        <a href={draftPath(draft.id)}>{t('office.procedures.backToDraft')}</a>
      </p>
    </OfficePage>
  );
}

/** The one confirmation before a version goes live. */
export function PublishConfirmView(props: { context: OfficeContext; draft: ProcedureDraftView; latestVersion: number | null }) {
  const { context, draft } = props;
  const { t } = context;
  const title = t('office.procedures.publish.confirmTitle', { code: draft.code, version: draft.version });
  return (
    <OfficePage context={context} title={title} breadcrumbs={crumbs(context, draftCrumb(context, draft), { label: t('office.procedures.publish.title') })}>
      <h1>{title}</h1>
      <p>{t('office.procedures.publish.confirmLead', { current: props.latestVersion ?? '—', version: draft.version })}</p>
      <p>{t('office.procedures.publish.inFlight')}</p>
      <form method="post" action={draftPath(draft.id, '/publish')}>
        <CsrfField context={context} />
        <div class="mg-office-actions">
          <Button variant="warning">{t('office.procedures.publish.confirm', { version: draft.version })}</Button>
          <a href={draftPath(draft.id, '/dry-run')}>{t('office.admin.cancel')}</a>
        </div>
      </form>
    </OfficePage>
  );
}

/** After publishing: the new version number, and what happens to cases in flight. */
export function PublishedView(props: { context: OfficeContext; draft: ProcedureDraftView & { published: NonNullable<ProcedureDraftView['published']> } }) {
  const { context, draft } = props;
  const { t, lang } = context;
  const title = t('office.procedures.publish.doneTitle', { code: draft.code, version: draft.published.version });
  return (
    <OfficePage context={context} title={title} breadcrumbs={crumbs(context, { label: title })}>
      <NotificationBanner kind="success">{t('office.procedures.publish.done', { version: draft.published.version })}</NotificationBanner>
      <h1>{title}</h1>
      <SummaryList
        rows={[
          { key: t('office.procedures.col.code'), value: <code>{draft.code}</code> },
          { key: t('office.procedures.publish.newVersion'), value: <strong data-testid="published-version">{String(draft.published.version)}</strong> },
          { key: t('office.procedures.publish.at'), value: when(lang, draft.published.at) },
        ]}
      />
      <p>{t('office.procedures.publish.inFlight')}</p>
      <p>
        <a href={ADMIN_PROCEDURES}>{t('office.procedures.toList')}</a>
      </p>
    </OfficePage>
  );
}
