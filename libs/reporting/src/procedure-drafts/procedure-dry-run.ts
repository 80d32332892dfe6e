import { approve, type ResolvedStep, resolveRoute, returnToPrevious, type RouteProgress } from '@madoguchi/approvals';
import { APPROVAL_LEVELS, type ApprovalLevel, type CompiledProcedure, type PersistedSnapshot, type WorkflowActor, WORKFLOW_EVENTS, WorkflowError, WorkflowErrorCode } from '@madoguchi/workflow';

/** One recorded event of `application_events`, as the dry run needs it. */
export interface RecordedEvent {
  seq: number;
  type: string;
  payload: Record<string, unknown>;
  actor: { kind: WorkflowActor['kind']; id: string };
  occurredAt: string;
}

/**
 * One decision of `approval_decisions`, in order. `application_events` does
 * not say at which level an approver decided; the approvals library's
 * decision record does (it is written in the same transaction as the
 * `approver.*` event, one decision per event, in the same order).
 */
export interface RecordedDecision {
  outcome: 'approved' | 'returnedToPrevious' | 'returnedToClerk' | 'rejected';
  department: string;
  approverId: string;
  approverLevel: ApprovalLevel | null;
  onBehalfOf: string | null;
}

export interface RecordedCase {
  applicationId: string;
  /** The state the application is in now. */
  state: string;
  formData: Record<string, unknown>;
  events: RecordedEvent[];
  decisions: RecordedDecision[];
}

export type RefusalReason = 'notAllowed' | 'conditionsNotMet' | 'approverNotQualified' | 'routeAlreadyComplete' | 'noPreviousStep' | 'unusableState';

export interface RefusalGroup {
  eventType: string;
  fromState: string;
  reason: RefusalReason;
  count: number;
  /** Up to EXAMPLES application ids. */
  examples: string[];
}

export interface StateChangeGroup {
  recordedState: string;
  replayedState: string;
  count: number;
  examples: string[];
}

export interface FormProblemGroup {
  field: string;
  keyword: string;
  /** English message of the first case, for the reader; the field and keyword are what group. */
  reason: string;
  count: number;
  examples: string[];
}

export interface DryRunReport {
  cases: number;
  /** Replayed to the end and in the same state as recorded. */
  sameState: number;
  /** Replayed to the end but in another state. */
  differentState: StateChangeGroup[];
  /** Stopped at an event the new machine refuses. */
  refused: RefusalGroup[];
  refusedCases: number;
  /** Cases whose answers no longer validate against the new form schema. */
  formInvalidCases: number;
  formProblems: FormProblemGroup[];
  /** Encrypted fields, not checked (stored ciphertext is not the answer). */
  skippedSensitiveFields: string[];
  approvals: {
    /** Approvals recomputed against the new route with the level recorded in the decision. */
    recomputed: number;
    /** Approvals with no decision record (events written straight through the engine): replayed as recorded. */
    asRecorded: number;
    /** 代決 decisions: the absent approver's level is not recorded; counted as qualified. */
    onBehalfAssumedQualified: number;
  };
}

export const EXAMPLES = 5;
/** `application_events` also records what is not a machine event (`application.created` …): not replayed. */
const MACHINE_EVENTS: ReadonlySet<string> = new Set(WORKFLOW_EVENTS);
const rank = (level: ApprovalLevel | null): number => (level ? APPROVAL_LEVELS.indexOf(level) : -1);

/**
 * Replays recorded cases against a new version's machine, in memory. Pure:
 * it reads nothing and writes nothing; the caller loads the cases.
 *
 * Each case starts from the new machine's initial snapshot and is sent its
 * recorded events in order, with their recorded payloads, actors and times.
 * The approval route is the one thing the payload carries from the old
 * version (`routeComplete`, `step`, decided by the approvals library), so
 * `approver.*` events are decided again against the new route with the
 * approver's recorded level and department.
 */
export function dryRun(compiled: CompiledProcedure, cases: readonly RecordedCase[], extraSensitive: readonly string[] = []): DryRunReport {
  const sensitive = [...new Set([...compiled.sensitivePaths, ...extraSensitive])].sort();
  const report: DryRunReport = {
    cases: cases.length,
    sameState: 0,
    differentState: [],
    refused: [],
    refusedCases: 0,
    formInvalidCases: 0,
    formProblems: [],
    skippedSensitiveFields: sensitive,
    approvals: { recomputed: 0, asRecorded: 0, onBehalfAssumedQualified: 0 },
  };
  for (const recorded of cases) {
    const outcome = replay(compiled, recorded, report);
    if (outcome.refusal) {
      report.refusedCases += 1;
      group(report.refused, (entry) => entry.eventType === outcome.refusal!.eventType && entry.fromState === outcome.refusal!.fromState && entry.reason === outcome.refusal!.reason, () => ({ ...outcome.refusal!, count: 0, examples: [] }), recorded.applicationId);
    } else if (outcome.state === recorded.state) {
      report.sameState += 1;
    } else {
      group(report.differentState, (entry) => entry.recordedState === recorded.state && entry.replayedState === outcome.state, () => ({ recordedState: recorded.state, replayedState: outcome.state, count: 0, examples: [] }), recorded.applicationId);
    }
    const problems = compiled.validateForm(recorded.formData).filter((problem) => !isSensitive(problem.field, sensitive));
    if (problems.length > 0) report.formInvalidCases += 1;
    const seen = new Set<string>();
    for (const problem of problems) {
      const key = `${problem.field}\u0000${problem.keyword}`;
      if (seen.has(key)) continue;
      seen.add(key);
      group(report.formProblems, (entry) => entry.field === problem.field && entry.keyword === problem.keyword, () => ({ field: problem.field, keyword: problem.keyword, reason: problem.message.en, count: 0, examples: [] }), recorded.applicationId);
    }
  }
  const byCount = <T extends { count: number }>(rows: T[]) => rows.sort((a, b) => b.count - a.count);
  byCount(report.refused);
  byCount(report.differentState);
  byCount(report.formProblems);
  return report;
}

function group<T extends { count: number; examples: string[] }>(rows: T[], match: (row: T) => boolean, create: () => T, applicationId: string): void {
  let row = rows.find(match);
  if (!row) {
    row = create();
    rows.push(row);
  }
  row.count += 1;
  if (row.examples.length < EXAMPLES) row.examples.push(applicationId);
}

/** `children.0.myNumber` matches `children.*.myNumber`; a problem inside a sensitive field is skipped too. */
function isSensitive(field: string, sensitive: readonly string[]): boolean {
  const normalised = field
    .split('.')
    .map((segment) => (/^\d+$/.test(segment) ? '*' : segment))
    .join('.');
  return sensitive.some((path) => normalised === path || normalised.startsWith(`${path}.`));
}

interface ReplayOutcome {
  state: string;
  refusal: { eventType: string; fromState: string; reason: RefusalReason } | null;
}

function replay(compiled: CompiledProcedure, recorded: RecordedCase, report: DryRunReport): ReplayOutcome {
  let snapshot: PersistedSnapshot = compiled.initialSnapshot();
  let state = compiled.stateOf(snapshot);
  let route: ResolvedStep[] | null = null;
  let progress: RouteProgress = { round: 0, stepIndex: 0, approvals: [] };
  let decisionIndex = 0;
  for (const event of recorded.events) {
    if (!MACHINE_EVENTS.has(event.type)) continue;
    const refuse = (reason: RefusalReason): ReplayOutcome => ({ state, refusal: { eventType: event.type, fromState: state, reason } });
    let payload = event.payload;
    let actor: WorkflowActor = { kind: event.actor.kind, id: event.actor.id };
    if (event.type.startsWith('approver.')) {
      const decision = recorded.decisions[decisionIndex];
      decisionIndex += 1;
      if (state === 'underApproval' && decision) {
        route ??= resolveRoute(compiled.definition, recorded.formData);
        const step = route[progress.stepIndex];
        if (event.type === 'approver.approve') {
          if (!step) return refuse('routeAlreadyComplete');
          const agreed = progress.approvals.some((approval) => approval.step === step.index && approval.department === decision.department);
          if (decision.onBehalfOf) {
            report.approvals.onBehalfAssumedQualified += 1;
          } else if (rank(decision.approverLevel) < rank(step.level) || !step.departments.includes(decision.department) || agreed) {
            return refuse('approverNotQualified');
          }
          const next = approve(route, progress, { step: step.index, department: decision.department, approverId: decision.approverId, onBehalfOf: decision.onBehalfOf });
          payload = { ...payload, step: step.index, routeComplete: next.routeComplete };
          progress = next.progress;
          report.approvals.recomputed += 1;
        } else if (event.type === 'approver.return' && payload.to === 'previous') {
          if (progress.stepIndex === 0) return refuse('noPreviousStep');
          payload = { ...payload, step: progress.stepIndex };
          progress = returnToPrevious(progress);
        }
        if (decision.approverLevel) actor = { ...actor, level: decision.approverLevel };
      } else if (event.type === 'approver.approve') {
        report.approvals.asRecorded += 1;
      }
    }
    let result;
    try {
      result = compiled.step(snapshot, { type: event.type, at: event.occurredAt, actor, payload });
    } catch (error) {
      if (error instanceof WorkflowError) return refuse(error.code === WorkflowErrorCode.ConditionsNotMet ? 'conditionsNotMet' : 'notAllowed');
      return refuse('unusableState');
    }
    // A new approval round starts whenever the case enters the approval step again.
    if (result.to === 'underApproval' && result.from !== 'underApproval') progress = { round: progress.round + 1, stepIndex: 0, approvals: [] };
    snapshot = result.snapshot;
    state = result.to;
  }
  return { state, refusal: null };
}
