import type { ApprovalCasePage, ApprovalInbox, DecisionRefusal, DelegationBoard, StepDto } from '@madoguchi/approvals';
import { Button, ErrorSummary, type FieldError, formatDate, NotificationBanner, Radios, Select, StatusTag, SummaryList, Textarea, TextInput } from '@madoguchi/ui';
import { isoDateIn } from '@madoguchi/kernel';
import type { OfficeContext } from '../shared/office-context';
import { CsrfField, OfficePage } from '../shared/office-page';

export const DECISION_CHOICES = ['approve', 'returnPrevious', 'returnClerk', 'reject'] as const;
export type DecisionChoice = (typeof DECISION_CHOICES)[number];

export interface DecisionDraft {
  step: 'form' | 'confirm';
  choice: DecisionChoice | null;
  comment: string;
  errors: FieldError[];
}

type Names = { staffNames: Record<string, string>; departmentNames: Record<string, { ja: string; en: string }> };
type Counted = { step: number; department: string; approverId: string; onBehalfOf: string | null; decidedAt?: string };

const ACTION_KEY = {
  approve: 'office.approvals.action.approve',
  returnPrevious: 'office.approvals.action.returnPrevious',
  returnClerk: 'office.approvals.action.returnClerk',
  reject: 'office.approvals.action.reject',
} as const;

const dateOf = (context: OfficeContext, iso: string): string => formatDate(context.lang, isoDateIn(new Date(iso), 'Asia/Tokyo'));
const departmentName = (context: OfficeContext, names: Names, code: string): string => {
  const name = names.departmentNames[code];
  return name ? (context.lang === 'en' ? name.en : name.ja) : code;
};
const staffName = (names: Names, id: string | null): string => (id ? (names.staffNames[id] ?? id) : '—');

function stepLabel(context: OfficeContext, names: Names, step: StepDto): string {
  const { t } = context;
  if (step.kind === 'consultation') return t('office.approvals.stepConsultation', { departments: step.departments.map((code) => departmentName(context, names, code)).join('・') });
  return step.level ? t(`office.approvals.stepLevel.${step.level as 'kakaricho'}`) : t('office.approvals.stepLevel.any');
}

/**
 * The route as an ordered list: the drafting clerk, then every step with
 * its state in words (decided / current / to come) and who decided it and
 * when; never colour alone. `current` null: the round is not open.
 */
export function RouteSteps(props: { context: OfficeContext; names: Names; route: StepDto[]; current: number | null; waiting: string[]; approvals: Counted[]; headingId: string }) {
  const { context, names } = props;
  const { t } = context;
  return (
    <ol class="mg-office-route" aria-labelledby={props.headingId}>
      <li class="mg-office-route__step mg-office-route__step--done">
        <span class="mg-office-route__name">{t('office.approvals.stepDrafter')}</span> <StatusTag tone="success">{t('office.approvals.status.done')}</StatusTag>
      </li>
      {props.route.map((step) => {
        const done = props.approvals.filter((approval) => approval.step === step.index);
        const status = props.current === null ? (done.length > 0 ? 'done' : 'upcoming') : step.index < props.current ? 'done' : step.index === props.current ? 'current' : 'upcoming';
        return (
          <li class={`mg-office-route__step mg-office-route__step--${status}`} aria-current={status === 'current' ? 'step' : undefined}>
            <span class="mg-office-route__name">{stepLabel(context, names, step)}</span>{' '}
            <StatusTag tone={status === 'done' ? 'success' : status === 'current' ? 'warning' : 'neutral'}>{t(`office.approvals.status.${status}`)}</StatusTag>
            {step.addedByRule ? <span class="mg-hint"> （{t('office.approvals.stepAddedByRule')}）</span> : null}
            {status === 'current' && step.kind === 'consultation' && props.waiting.length > 0 ? (
              <span class="mg-hint"> {t('office.approvals.status.waitingFor', { departments: props.waiting.map((code) => departmentName(context, names, code)).join('・') })}</span>
            ) : null}
            {done.length > 0 ? (
              <ul class="mg-office-route__decisions">
                {done.map((approval) => (
                  <li>
                    {approval.onBehalfOf
                      ? t('office.approvals.decidedByOnBehalf', { name: staffName(names, approval.approverId), absent: staffName(names, approval.onBehalfOf), date: approval.decidedAt ? dateOf(context, approval.decidedAt) : '—' })
                      : t('office.approvals.decidedBy', {
                          name: staffName(names, approval.approverId),
                          department: departmentName(context, names, approval.department),
                          date: approval.decidedAt ? dateOf(context, approval.decidedAt) : '—',
                        })}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

/** /office/approvals: what waits for this approver, each with its route. */
export function ApprovalInboxView(props: { context: OfficeContext; inbox: ApprovalInbox }) {
  const { context, inbox } = props;
  const { t } = context;
  return (
    <OfficePage context={context} title={t('office.approvals.title')} breadcrumbs={[{ label: t('office.approvals.title') }]}>
      <h1>{t('office.approvals.title')}</h1>
      <p>{t('office.approvals.intro')}</p>
      {inbox.items.length === 0 ? <p>{t('office.approvals.empty')}</p> : null}
      {inbox.items.map((item) => {
        const reference = item.referenceNumber ?? item.applicationId.slice(0, 8);
        const headingId = `route-${item.applicationId}`;
        return (
          <section class="mg-office-approval" aria-labelledby={`case-${item.applicationId}`}>
            <h2 id={`case-${item.applicationId}`}>
              <a href={`/office/approvals/${item.applicationId}`}>
                {reference} {context.lang === 'en' ? item.procedureName.en : item.procedureName.ja}
              </a>
            </h2>
            {item.onBehalfOf ? <p><StatusTag tone="info">{t('office.approvals.onBehalfOf', { name: staffName(inbox, item.onBehalfOf) })}</StatusTag></p> : null}
            <SummaryList
              rows={[
                { key: t('office.approvals.yourStep'), value: `${item.step.index + 1} / ${item.stepCount}: ${stepLabel(context, inbox, item.step)}` },
                { key: t('office.approvals.waitingSince'), value: dateOf(context, item.waitingSince) },
              ]}
            />
            <h3 id={headingId}>{t('office.approvals.route')}</h3>
            <RouteSteps context={context} names={inbox} route={item.route} current={item.step.index} waiting={item.waitingDepartments} approvals={item.approvals} headingId={headingId} />
          </section>
        );
      })}
    </OfficePage>
  );
}

function refusalText(context: OfficeContext, reason: DecisionRefusal): string {
  return context.t(`office.approvals.cannot.${reason}`);
}

/** /office/approvals/:id: the route, the chain badge, the decisions and the decision form (or why there is none). */
export function ApprovalCaseView(props: { context: OfficeContext; page: ApprovalCasePage; reference: string; procedureName: string; draft: DecisionDraft | null; done: string | null }) {
  const { context, page } = props;
  const { t } = context;
  const { view, eligibility } = page;
  const round = view.round;
  const roundDecisions = view.decisions.filter((decision) => decision.round === round && decision.outcome === 'approved');
  const approvals: Counted[] = roundDecisions.map((decision) => ({ step: decision.step, department: decision.department, approverId: decision.approverId, onBehalfOf: decision.onBehalfOf, decidedAt: decision.decidedAt }));
  const v = view.verification;
  const draft = props.draft;
  const errorOf = (field: string) => draft?.errors.find((error) => error.fieldId === field)?.message;
  const title = t('office.approvals.case.title', { reference: props.reference });
  return (
    <OfficePage context={context} title={title} breadcrumbs={[{ label: t('office.approvals.title'), href: '/office/approvals' }, { label: props.reference }]}>
      <ErrorSummary errors={draft?.errors ?? []} />
      {props.done ? <NotificationBanner kind="success">{t('office.approvals.done', { outcome: t(`office.approvals.outcome.${props.done as 'approved'}`) })}</NotificationBanner> : null}
      <h1>{title}</h1>
      <SummaryList
        rows={[
          { key: t('office.case.procedure'), value: props.procedureName },
          { key: t('office.approvals.case.round'), value: round === null ? '—' : String(round) },
        ]}
      />
      <h2 id="chain">{t('office.approvals.chain.heading')}</h2>
      <ul class="mg-office-badges" aria-labelledby="chain">
        <li>
          <StatusTag tone={v.intact ? 'success' : 'danger'}>
            {!v.intact ? t('office.approvals.chain.broken', { seq: v.brokenAt ?? 0 }) : v.decisions === 0 ? t('office.approvals.chain.empty') : t('office.approvals.chain.intact', { count: v.decisions })}
          </StatusTag>
        </li>
        {v.contentMatchesLastDecision === null ? null : (
          <li>
            <StatusTag tone={v.contentMatchesLastDecision ? 'success' : 'danger'}>
              {t(v.contentMatchesLastDecision ? 'office.approvals.chain.contentIntact' : 'office.approvals.chain.contentChanged')}
            </StatusTag>
          </li>
        )}
      </ul>
      <h2 id="route">{t('office.approvals.route')}</h2>
      <RouteSteps context={context} names={page} route={view.route} current={view.stepIndex} waiting={view.waitingDepartments} approvals={approvals} headingId="route" />
      <h2 id="decide">{t('office.approvals.decide')}</h2>
      {!eligibility.canDecide ? (
        <div class="mg-banner mg-banner--info" role="region" aria-labelledby="cannot-title">
          <h3 class="mg-banner__title" id="cannot-title">
            {t('office.approvals.cannot.title')}
          </h3>
          <p>{refusalText(context, eligibility.reason!)}</p>
        </div>
      ) : draft?.step === 'confirm' && draft.choice ? (
        <form method="post" action={`/office/approvals/${view.applicationId}/decide`}>
          <CsrfField context={context} />
          <h3>{t('office.approvals.confirmTitle')}</h3>
          <p>{t('office.approvals.confirmBody')}</p>
          <SummaryList
            rows={[
              { key: t('office.approvals.choose'), value: t(ACTION_KEY[draft.choice]) },
              { key: t('office.approvals.comment'), value: draft.comment || '—' },
              ...(eligibility.onBehalfOf ? [{ key: t('office.nav.delegations'), value: t('office.approvals.onBehalfOf', { name: staffName(page, eligibility.onBehalfOf) }) }] : []),
            ]}
          />
          <input type="hidden" name="choice" value={draft.choice} />
          <input type="hidden" name="comment" value={draft.comment} />
          <input type="hidden" name="revision" value={String(view.revision)} />
          <input type="hidden" name="step" value={String(view.stepIndex ?? '')} />
          <input type="hidden" name="commit" value="1" />
          <div class="mg-office-actions">
            <Button>{t('office.approvals.confirm')}</Button>
            <a class="mg-button mg-button--secondary" href={`/office/approvals/${view.applicationId}#decide`}>
              {t('office.approvals.change')}
            </a>
          </div>
        </form>
      ) : (
        <form method="post" action={`/office/approvals/${view.applicationId}/decide`} novalidate>
          <CsrfField context={context} />
          {eligibility.onBehalfOf ? <p>{t('office.approvals.onBehalfOf', { name: staffName(page, eligibility.onBehalfOf) })}</p> : null}
          <Radios
            name="choice"
            label={t('office.approvals.choose')}
            value={draft?.choice ?? undefined}
            error={errorOf('choice')}
            items={DECISION_CHOICES.filter((choice) => choice !== 'returnPrevious' || (view.stepIndex ?? 0) > 0).map((choice) => ({ value: choice, label: t(ACTION_KEY[choice]) }))}
          />
          <Textarea name="comment" label={t('office.approvals.comment')} hint={t('office.approvals.commentHint')} value={draft?.comment ?? ''} error={errorOf('comment')} maxLength={1000} />
          <Button>{t('office.approvals.decide')}</Button>
        </form>
      )}
      <h2>{t('office.approvals.decisions')}</h2>
      {view.decisions.length === 0 ? (
        <p>{t('office.approvals.noDecisions')}</p>
      ) : (
        <ol class="mg-office-notes">
          {view.decisions.map((decision) => (
            <li>
              <p>
                <strong>{t(`office.approvals.outcome.${decision.outcome as 'approved'}`)}</strong> ·{' '}
                {decision.onBehalfOf
                  ? t('office.approvals.decidedByOnBehalf', { name: staffName(page, decision.approverId), absent: staffName(page, decision.onBehalfOf), date: dateOf(context, decision.decidedAt) })
                  : t('office.approvals.decidedBy', { name: staffName(page, decision.approverId), department: departmentName(context, page, decision.department), date: dateOf(context, decision.decidedAt) })}
              </p>
              {decision.comment ? <p>{decision.comment}</p> : null}
            </li>
          ))}
        </ol>
      )}
      <p>
        <a href={`/office/applications/${view.applicationId}`}>{t('office.approvals.case.openCase')}</a>
      </p>
      <p>
        <a href="/office/approvals">{t('office.approvals.back')}</a>
      </p>
    </OfficePage>
  );
}

export interface DelegationDraft {
  values: { delegateId: string; startsOn: string; endsOn: string; reason: string };
  errors: FieldError[];
}

/** /office/approvals/delegations: set and revoke 代決, and whom the caller stands in for. */
export function DelegationsView(props: { context: OfficeContext; board: DelegationBoard; draft: DelegationDraft | null; done: 'created' | 'revoked' | null }) {
  const { context, board, draft } = props;
  const { t } = context;
  const name = (id: string) => board.staffNames[id] ?? id;
  const period = (startsAt: string, endsAt: string) => `${dateOf(context, startsAt)} – ${dateOf(context, new Date(new Date(endsAt).getTime() - 1).toISOString())}`;
  const errorOf = (field: string) => draft?.errors.find((error) => error.fieldId === field)?.message;
  return (
    <OfficePage context={context} title={t('office.delegations.title')} breadcrumbs={[{ label: t('office.approvals.title'), href: '/office/approvals' }, { label: t('office.delegations.title') }]}>
      <ErrorSummary errors={draft?.errors ?? []} />
      {props.done ? <NotificationBanner kind="success">{t(`office.delegations.${props.done}`)}</NotificationBanner> : null}
      <h1>{t('office.delegations.title')}</h1>
      <p>{t('office.delegations.intro')}</p>
      <h2>{t('office.delegations.current')}</h2>
      {board.delegations.length === 0 ? (
        <p>{t('office.delegations.none')}</p>
      ) : (
        <ul class="mg-office-notes">
          {board.delegations.map((delegation) => (
            <li>
              <p>
                <strong>{name(delegation.delegateId)}</strong> · {period(delegation.startsAt, delegation.endsAt)} ·{' '}
                <StatusTag tone={delegation.active ? 'success' : 'neutral'}>{t(delegation.active ? 'office.delegations.active' : 'office.delegations.scheduled')}</StatusTag>
              </p>
              <p>
                {t('office.delegations.reason')}: {delegation.reason}
              </p>
              <form method="post" action={`/office/approvals/delegations/${delegation.id}/revoke`} class="mg-office-inline-form">
                <CsrfField context={context} />
                <button type="submit" class="mg-button mg-button--secondary mg-button--small" aria-label={t('office.delegations.revokeLabel', { name: name(delegation.delegateId) })}>
                  {t('office.delegations.revoke')}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('office.delegations.add')}</h2>
      {board.colleagues.length === 0 ? (
        <p>{t('office.delegations.noColleagues')}</p>
      ) : (
        <form method="post" action="/office/approvals/delegations" novalidate>
          <CsrfField context={context} />
          <Select name="delegateId" label={t('office.delegations.delegate')} value={draft?.values.delegateId} error={errorOf('delegateId')} options={board.colleagues.map((colleague) => ({ value: colleague.id, label: colleague.name }))} />
          <TextInput name="startsOn" label={t('office.delegations.startsOn')} hint={t('office.delegations.dateHint')} value={draft?.values.startsOn} error={errorOf('startsOn')} width={10} />
          <TextInput name="endsOn" label={t('office.delegations.endsOn')} hint={t('office.delegations.dateHint')} value={draft?.values.endsOn} error={errorOf('endsOn')} width={10} />
          <TextInput name="reason" label={t('office.delegations.reason')} value={draft?.values.reason} error={errorOf('reason')} maxLength={200} />
          <Button>{t('office.delegations.add')}</Button>
        </form>
      )}
      <h2>{t('office.delegations.incoming')}</h2>
      {board.incoming.length === 0 ? (
        <p>{t('office.delegations.incomingNone')}</p>
      ) : (
        <ul>
          {board.incoming.map((delegation) => (
            <li>
              {name(delegation.delegatorId)} · {period(delegation.startsAt, delegation.endsAt)} · {delegation.reason}
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href="/office/approvals">{t('office.approvals.back')}</a>
      </p>
    </OfficePage>
  );
}
