import { APPROVAL_LEVELS, type ApprovalLevel, isConsultationStep, type ProcedureDefinition, type StaffRole } from '@madoguchi/workflow';

/**
 * Approval routes as pure data and rules: which steps a case goes through,
 * who may decide the current step, and where a decision leaves the route.
 * Nothing here reads the database or the clock.
 */

export interface ResolvedStep {
  index: number;
  kind: 'level' | 'consultation';
  /** Lowest approval level that may decide; null: any approver of the department. */
  level: ApprovalLevel | null;
  /** Level step: the owning department. Consultation (合議): every department that must agree. */
  departments: string[];
  /** Set when an approval rule (amount, category) added the step. */
  rule: { field: string; atLeast?: number; in?: string[] } | null;
}

export interface CountedApproval {
  step: number;
  department: string;
  approverId: string;
  onBehalfOf: string | null;
}

export interface RouteProgress {
  round: number;
  stepIndex: number;
  approvals: CountedApproval[];
}

/** Someone who may act on approvals: the signed-in approver, or the absent one a delegation stands for. */
export interface ApproverFacts {
  id: string;
  roles: readonly StaffRole[];
  level: ApprovalLevel | null;
  departments: readonly string[];
}

export interface ActiveDelegation {
  id: string;
  delegator: ApproverFacts;
}

export interface Authority {
  /** The department on whose behalf the decision counts (for 合議, the agreeing one). */
  department: string;
  /** 代決: the absent approver, and the delegation that allows it. */
  onBehalfOf: string | null;
  delegationId: string | null;
}

const rank = (level: ApprovalLevel | null): number => (level ? APPROVAL_LEVELS.indexOf(level) : -1);

/** The route of one case: the definition's steps, plus a higher level when a rule matches the answers. */
export function resolveRoute(definition: ProcedureDefinition, answers: Record<string, unknown>): ResolvedStep[] {
  const steps: ResolvedStep[] = definition.approvalRoute.map((step, index) =>
    isConsultationStep(step)
      ? { index, kind: 'consultation', level: step.consultation.level ?? null, departments: [...step.consultation.departments], rule: null }
      : { index, kind: 'level', level: step.level, departments: [definition.department], rule: null },
  );
  let strictest: { level: ApprovalLevel; rule: ResolvedStep['rule'] } | null = null;
  for (const rule of definition.approvalRules ?? []) {
    if (!ruleMatches(rule.when, answers[rule.when.field])) continue;
    if (!strictest || rank(rule.level) > rank(strictest.level)) strictest = { level: rule.level, rule: { ...rule.when } };
  }
  const highest = Math.max(-1, ...steps.filter((step) => step.kind === 'level').map((step) => rank(step.level)));
  if (strictest && rank(strictest.level) > highest) {
    steps.push({ index: steps.length, kind: 'level', level: strictest.level, departments: [definition.department], rule: strictest.rule });
  }
  return steps;
}

function ruleMatches(when: { atLeast?: number; in?: string[] }, value: unknown): boolean {
  if (when.atLeast !== undefined) return typeof value === 'number' && value >= when.atLeast;
  if (when.in !== undefined) return typeof value === 'string' && when.in.includes(value);
  return false;
}

/** Departments whose agreement the step still waits for. */
export function waitingDepartments(step: ResolvedStep, approvals: readonly CountedApproval[]): string[] {
  const agreed = new Set(approvals.filter((approval) => approval.step === step.index).map((approval) => approval.department));
  return step.departments.filter((department) => !agreed.has(department));
}

function qualifies(person: ApproverFacts, step: ResolvedStep, department: string): boolean {
  return person.roles.includes('approver') && person.departments.includes(department) && rank(person.level) >= rank(step.level);
}

/**
 * Whether `me` may decide the current step, in person or for an absent
 * approver (代決). In person comes first: a delegation is used only when
 * one's own level and departments do not suffice.
 */
export function authorityFor(step: ResolvedStep, waiting: readonly string[], me: ApproverFacts, delegations: readonly ActiveDelegation[]): Authority | null {
  for (const department of waiting) {
    if (qualifies(me, step, department)) return { department, onBehalfOf: null, delegationId: null };
  }
  for (const delegation of delegations) {
    for (const department of waiting) {
      if (qualifies(delegation.delegator, step, department)) return { department, onBehalfOf: delegation.delegator.id, delegationId: delegation.id };
    }
  }
  return null;
}

/**
 * Separation of duties: whoever entered or reviewed the case, or already
 * approved a step of this round, does not decide it — neither in person nor
 * through someone standing in for them.
 */
export function conflictOfDuties(authority: Authority, meId: string, excluded: ReadonlySet<string>): boolean {
  return excluded.has(meId) || (authority.onBehalfOf !== null && excluded.has(authority.onBehalfOf));
}

export function approve(route: readonly ResolvedStep[], progress: RouteProgress, approval: CountedApproval): { progress: RouteProgress; routeComplete: boolean } {
  const approvals = [...progress.approvals, approval];
  const step = route[progress.stepIndex];
  const stepDone = waitingDepartments(step, approvals).length === 0;
  const stepIndex = stepDone ? progress.stepIndex + 1 : progress.stepIndex;
  return { progress: { round: progress.round, stepIndex, approvals }, routeComplete: stepIndex >= route.length };
}

/** Back one step: that step and the current one are decided again from scratch. */
export function returnToPrevious(progress: RouteProgress): RouteProgress {
  if (progress.stepIndex === 0) throw new Error('no previous step');
  const stepIndex = progress.stepIndex - 1;
  return { round: progress.round, stepIndex, approvals: progress.approvals.filter((approval) => approval.step < stepIndex) };
}
