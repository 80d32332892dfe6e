import { Injectable } from '@nestjs/common';
import { type ApplicationEntity, ApplicationError, ApplicationRepository, ApplicationWorkflowService } from '@madoguchi/engine';
import { AuditActions } from '@madoguchi/audit';
import { DepartmentRepository, IdentityError, StaffRepository, type StaffPrincipal } from '@madoguchi/identity';
import { Clock, type MunicipalityId, OutboxRepository, AUDIT_RECORD_TOPIC } from '@madoguchi/kernel';
import { ProcedureRegistry } from '@madoguchi/procedures';
import { isConsultationStep, type ProcedureDefinition, type WorkflowActor, WorkflowError } from '@madoguchi/workflow';
import { DataSource, type EntityManager } from 'typeorm';
import { type ChainedDecision, decisionHash, type DecisionFields, verifyChain } from './approval-chain';
import { ApprovalContent } from './approval-content';
import { ApprovalError } from './approval.errors';
import { ApprovalRepository, type ProgressRow } from './approval.repository';
import {
  type ActiveDelegation,
  approve,
  type ApproverFacts,
  authorityFor,
  conflictOfDuties,
  resolveRoute,
  type ResolvedStep,
  returnToPrevious,
  type RouteProgress,
  waitingDepartments,
} from './approval-route';
import type { ApprovalViewDto, DecideDto, GrantDecisionDto, PendingApprovalDto, StepDto } from './dto/approval.dto';
import { toDecisionDto, toGrantDecisionDto, toStepDto } from './approval.mapper';

export type DecisionKind = 'approve' | 'return' | 'reject';

/** Why a staff member may not decide a case now (see `eligibility`). */
export type DecisionRefusal = 'notApprover' | 'notUnderApproval' | 'notAuthorized' | 'entered' | 'reviewed' | 'alreadyDecided';

export interface DecisionEligibility {
  canDecide: boolean;
  reason: DecisionRefusal | null;
  /** The error code `decide` would answer with. */
  code: string | null;
  /** The department the decision would count for, and 代決: the absent approver it would be taken for. */
  department: string | null;
  onBehalfOf: string | null;
}

export interface ApprovalInboxItem extends PendingApprovalDto {
  route: StepDto[];
  approvals: Array<{ step: number; department: string; approverId: string; onBehalfOf: string | null }>;
}

export interface ApprovalInbox {
  items: ApprovalInboxItem[];
  staffNames: Record<string, string>;
  departmentNames: Record<string, { ja: string; en: string }>;
}

export interface ApprovalCasePage {
  view: ApprovalViewDto;
  referenceNumber: string | null;
  procedureName: { ja: string; en: string };
  eligibility: DecisionEligibility;
  staffNames: Record<string, string>;
  departmentNames: Record<string, { ja: string; en: string }>;
}

const EVENT_OF: Record<DecisionKind, string> = { approve: 'approver.approve', return: 'approver.return', reject: 'approver.reject' };
const PENDING_LIMIT = 200;

/**
 * Decisions along an approval route (電子決裁). Each decision is one engine
 * transition (so the application row lock serialises concurrent approvers)
 * plus one link of the decision hash chain, written in the same transaction.
 */
@Injectable()
export class ApprovalDecisionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: ApprovalRepository,
    private readonly applications: ApplicationRepository,
    private readonly workflow: ApplicationWorkflowService,
    private readonly registry: ProcedureRegistry,
    private readonly staffAccounts: StaffRepository,
    private readonly content: ApprovalContent,
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
    private readonly departments: DepartmentRepository,
  ) {}

  async decide(staff: StaffPrincipal, applicationId: string, kind: DecisionKind, input: DecideDto): Promise<ApprovalViewDto> {
    requireApprover(staff);
    const municipalityId = staff.municipalityId;
    await this.dataSource.transaction(async (manager) => {
      const application = await this.applications.lock(manager, municipalityId, applicationId);
      if (!application || application.phase === 'draft') throw notFound(applicationId);
      const { definition } = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
      const now = this.clock.now();
      const delegations = await this.delegationsTo(staff, now, manager);
      if (!relatedTo(definition, staff.departments) && !delegations.some((delegation) => relatedTo(definition, delegation.delegator.departments))) {
        throw notFound(applicationId);
      }
      if (application.state !== 'underApproval') throw WorkflowError.notAllowed(EVENT_OF[kind], application.state, []);
      if (input.revision !== undefined && input.revision !== application.revision) throw WorkflowError.revisionConflict(input.revision, application.revision);
      const progress = (await this.openProgress(manager, application, definition))!;
      if (input.step !== undefined && input.step !== progress.stepIndex) throw ApprovalError.stepAlreadyDecided(input.step, progress.stepIndex);
      const step = progress.route[progress.stepIndex];
      const authority = authorityFor(step, progress.waitingDepartments, me(staff), delegations);
      if (!authority) throw ApprovalError.notAuthorized(step);
      const excluded = await this.excludedFrom(manager, application, progress);
      if (conflictOfDuties(authority, staff.id, excluded)) throw ApprovalError.separationOfDuties();

      const current: RouteProgress = { round: progress.round, stepIndex: progress.stepIndex, approvals: progress.approvals };
      const plan = planDecision(kind, input, progress.route, current, { department: authority.department, approverId: staff.id, onBehalfOf: authority.onBehalfOf });
      const answers = this.content.answers(application);
      const grant = definition.grant && plan.routeComplete ? grantOf(definition, answers, input.grantAmount) : null;
      if (input.grantAmount !== undefined && !grant) throw ApprovalError.grantAmountInvalid(null);

      const actor: WorkflowActor = { kind: 'staff', id: staff.id, ...(staff.approvalLevel ? { level: staff.approvalLevel } : {}) };
      await this.workflow.transition(
        municipalityId,
        applicationId,
        { type: EVENT_OF[kind], payload: plan.payload, actor, expectedRevision: application.revision },
        manager,
      );
      const decision = await this.chain(manager, application, {
        applicationId,
        round: progress.round,
        stepIndex: progress.stepIndex,
        stepKind: step.kind,
        department: authority.department,
        outcome: plan.outcome,
        approverId: staff.id,
        approverLevel: staff.approvalLevel,
        onBehalfOf: authority.onBehalfOf,
        delegationId: authority.delegationId,
        comment: plan.comment,
        decidedAt: now.toISOString(),
      });
      if (plan.progress) {
        const next = plan.progress.route[plan.progress.stepIndex];
        await this.repository.updateProgress(manager, municipalityId, applicationId, {
          stepIndex: plan.progress.stepIndex,
          approvals: plan.progress.approvals,
          waitingDepartments: next ? waitingDepartments(next, plan.progress.approvals) : [],
          requiredLevel: next?.level ?? null,
          at: now,
        });
      }
      if (grant || (kind === 'reject' && definition.grant)) {
        await this.repository.insertGrantDecision(manager, municipalityId, {
          applicationId,
          decisionNumber: await this.content.decisionNumber(manager, municipalityId, definition.department, now),
          kind: grant ? 'grant' : 'nonGrant',
          amount: grant?.amount ?? null,
          requestedAmount: grant?.requested ?? requestedAmountOf(definition, answers),
          reason: grant ? null : plan.comment,
          decidedBy: staff.id,
          decidedAt: now,
          approvalHash: decision.hash,
        });
      }
      await this.outbox.enqueue(manager, municipalityId, {
        topic: AUDIT_RECORD_TOPIC,
        applicationId,
        availableAt: now,
        payload: {
          actor: { kind: 'staff', id: staff.id },
          action: AuditActions.ApprovalDecided,
          target: { type: 'application', id: applicationId },
          details: {
            seq: decision.seq,
            round: decision.round,
            step: decision.stepIndex,
            outcome: decision.outcome,
            hash: decision.hash,
            onBehalfOf: decision.onBehalfOf,
            delegationId: decision.delegationId,
          },
        },
      });
    });
    return this.view(staff, applicationId);
  }

  /** What waits for this approver: in person, or for those they stand in for today. */
  async pending(staff: StaffPrincipal): Promise<PendingApprovalDto[]> {
    return (await this.pendingWithProgress(staff)).map(({ item }) => item);
  }

  /**
   * The office's approval inbox in one call: the same pending list as
   * `pending`, each with its whole route and the approvals of the round so
   * far (the page draws the route as steps), plus the names of the staff
   * and departments it mentions.
   */
  async inbox(staff: StaffPrincipal): Promise<ApprovalInbox> {
    const rows = await this.pendingWithProgress(staff);
    const items = rows.map(({ item, row }) => ({ ...item, route: row.route.map(toStepDto), approvals: row.approvals.map((approval) => ({ ...approval })) }));
    const people = items.flatMap((item) => [item.onBehalfOf, ...item.approvals.flatMap((approval) => [approval.approverId, approval.onBehalfOf])]);
    return { items, ...(await this.namesOf(staff.municipalityId, people)) };
  }

  /**
   * Whether this staff member may decide the case now and, if not, why (the
   * code `decide` would refuse with), so a page can say it in words instead
   * of hiding the buttons. Reads only: `decide` checks again under the lock.
   * Private: callers go through `casePage`, whose `view` checks access first.
   */
  private async eligibility(staff: StaffPrincipal, applicationId: string): Promise<DecisionEligibility> {
    const application = await this.applications.find(staff.municipalityId, applicationId);
    if (!application || application.phase === 'draft') throw notFound(applicationId);
    const refused = (reason: DecisionRefusal, code: string | null): DecisionEligibility => ({ canDecide: false, reason, code, department: null, onBehalfOf: null });
    if (!staff.roles.includes('approver')) return refused('notApprover', 'AUTH_FORBIDDEN');
    if (application.state !== 'underApproval') return refused('notUnderApproval', 'WORKFLOW_EVENT_NOT_ALLOWED');
    const progress = await this.repository.progress(staff.municipalityId, applicationId);
    const { definition } = await this.registry.get(staff.municipalityId, application.procedureCode, application.procedureVersion);
    const route = progress?.status === 'open' ? progress.route : resolveRoute(definition, this.content.answers(application));
    const stepIndex = progress?.status === 'open' ? progress.stepIndex : 0;
    const step = route[stepIndex];
    const waiting = progress?.status === 'open' ? progress.waitingDepartments : step ? waitingDepartments(step, []) : [];
    const delegations = await this.delegationsTo(staff, this.clock.now());
    const authority = step ? authorityFor(step, waiting, me(staff), delegations) : null;
    if (!authority) return refused('notAuthorized', 'APPROVAL_NOT_AUTHORIZED');
    const reviewers = (await this.repository.reviewersOf(staff.municipalityId, [applicationId])).get(applicationId) ?? new Set<string>();
    const approvals = progress?.status === 'open' ? progress.approvals : [];
    const involved = (id: string): DecisionRefusal | null =>
      application.enteredBy === id ? 'entered' : reviewers.has(id) ? 'reviewed' : approvals.some((approval) => approval.approverId === id || approval.onBehalfOf === id) ? 'alreadyDecided' : null;
    const conflict = involved(staff.id) ?? (authority.onBehalfOf ? involved(authority.onBehalfOf) : null);
    if (conflict) return refused(conflict, 'APPROVAL_SEPARATION_OF_DUTIES');
    return { canDecide: true, reason: null, code: null, department: authority.department, onBehalfOf: authority.onBehalfOf };
  }

  /** The office's decision page in one call: the route and chain (`view`), whether the caller may decide, and names. */
  async casePage(staff: StaffPrincipal, applicationId: string): Promise<ApprovalCasePage> {
    const view = await this.view(staff, applicationId);
    const eligibility = await this.eligibility(staff, applicationId);
    const people = [eligibility.onBehalfOf, ...view.decisions.flatMap((decision) => [decision.approverId, decision.onBehalfOf])];
    const application = (await this.applications.find(staff.municipalityId, applicationId))!;
    const { definition } = await this.registry.get(staff.municipalityId, application.procedureCode, application.procedureVersion);
    return { view, eligibility, referenceNumber: application.referenceNumber, procedureName: definition.name, ...(await this.namesOf(staff.municipalityId, people)) };
  }

  private async namesOf(municipalityId: MunicipalityId, ids: Array<string | null>): Promise<{ staffNames: Record<string, string>; departmentNames: Record<string, { ja: string; en: string }> }> {
    const wanted = new Set(ids.filter((id): id is string => id !== null));
    const [accounts, departments] = await Promise.all([wanted.size > 0 ? this.staffAccounts.list(municipalityId) : Promise.resolve([]), this.departments.list(municipalityId)]);
    return {
      staffNames: Object.fromEntries(accounts.filter((account) => wanted.has(account.id)).map((account) => [account.id, account.displayName])),
      departmentNames: Object.fromEntries(departments.map((department) => [department.code, department.name])),
    };
  }

  private async pendingWithProgress(staff: StaffPrincipal): Promise<Array<{ item: PendingApprovalDto; row: ProgressRow }>> {
    requireApprover(staff);
    const delegations = await this.delegationsTo(staff, this.clock.now());
    const departments = [...new Set([...staff.departments, ...delegations.flatMap((delegation) => delegation.delegator.departments)])];
    const rows = await this.repository.pendingFor(staff.municipalityId, departments, PENDING_LIMIT);
    const reviewers = await this.repository.reviewersOf(
      staff.municipalityId,
      rows.map((row) => row.applicationId),
    );
    const items: Array<{ item: PendingApprovalDto; row: ProgressRow }> = [];
    for (const row of rows) {
      const step = row.route[row.stepIndex];
      const authority = step ? authorityFor(step, row.waitingDepartments, me(staff), delegations) : null;
      if (!authority) continue;
      const excluded = excludedSet(reviewers.get(row.applicationId), row.enteredBy, row.approvals);
      if (conflictOfDuties(authority, staff.id, excluded)) continue;
      const { definition } = await this.registry.get(staff.municipalityId, row.procedureCode, row.procedureVersion);
      items.push({
        row,
        item: {
          applicationId: row.applicationId,
          referenceNumber: row.referenceNumber,
          procedureCode: row.procedureCode,
          procedureName: definition.name,
          revision: row.revision,
          round: row.round,
          step: toStepDto(step),
          stepCount: row.route.length,
          waitingDepartments: row.waitingDepartments,
          department: authority.department,
          onBehalfOf: authority.onBehalfOf,
          submittedAt: row.submittedAt?.toISOString() ?? null,
          waitingSince: row.openedAt.toISOString(),
        },
      });
    }
    return items;
  }

  /** The route, where it stands, every decision and whether the record is intact. */
  async view(staff: StaffPrincipal, applicationId: string): Promise<ApprovalViewDto> {
    requireStaffOfCase(staff);
    const application = await this.applications.find(staff.municipalityId, applicationId);
    if (!application || application.phase === 'draft') throw notFound(applicationId);
    const { definition } = await this.registry.get(staff.municipalityId, application.procedureCode, application.procedureVersion);
    const progress = await this.repository.progress(staff.municipalityId, applicationId);
    const consulted = progress?.route.flatMap((step) => (step.kind === 'consultation' ? step.departments : [])) ?? [];
    if (!relatedTo(definition, staff.departments) && !consulted.some((department) => staff.departments.includes(department))) throw notFound(applicationId);
    const decisions = await this.repository.decisions(staff.municipalityId, applicationId);
    const currentHash = await this.content.hashOf(this.dataSource.manager, application);
    const grant = await this.repository.grantDecision(staff.municipalityId, applicationId);
    return {
      applicationId,
      state: application.state,
      revision: application.revision,
      round: progress?.round ?? null,
      status: progress?.status ?? null,
      route: (progress?.route ?? resolveRoute(definition, this.content.answers(application))).map(toStepDto),
      stepIndex: progress?.status === 'open' ? progress.stepIndex : null,
      waitingDepartments: progress?.status === 'open' ? progress.waitingDepartments : [],
      decisions: decisions.map(toDecisionDto),
      verification: verifyChain(decisions, currentHash),
      grantDecision: grant ? toGrantDecisionDto(grant) : null,
    };
  }

  async grantDecisionFor(municipalityId: MunicipalityId, applicationId: string): Promise<GrantDecisionDto> {
    const grant = await this.repository.grantDecision(municipalityId, applicationId);
    if (!grant) throw ApprovalError.decisionNotFound();
    return toGrantDecisionDto(grant);
  }

  /** The round in progress; a case that entered approval before this library kept rounds gets one now. */
  private async openProgress(manager: EntityManager, application: ApplicationEntity, definition: ProcedureDefinition): Promise<ProgressRow | null> {
    const municipalityId = application.municipalityId as MunicipalityId;
    const existing = await this.repository.progress(municipalityId, application.id, manager);
    if (existing?.status === 'open') return existing;
    await openRound(this.repository, manager, municipalityId, application.id, resolveRoute(definition, this.content.answers(application)), definition.department, this.clock.now());
    return this.repository.progress(municipalityId, application.id, manager);
  }

  private async excludedFrom(manager: EntityManager, application: ApplicationEntity, progress: ProgressRow): Promise<Set<string>> {
    const reviewers = await this.repository.reviewersOf(application.municipalityId as MunicipalityId, [application.id], manager);
    return excludedSet(reviewers.get(application.id), application.enteredBy, progress.approvals);
  }

  private async chain(manager: EntityManager, application: ApplicationEntity, fields: Omit<DecisionFields, 'seq'>): Promise<ChainedDecision> {
    const municipalityId = application.municipalityId as MunicipalityId;
    const last = await this.repository.lastDecisionHash(manager, municipalityId, application.id);
    const withSeq: DecisionFields = { ...fields, seq: (last?.seq ?? 0) + 1 };
    const content = await this.content.hashOf(manager, application);
    const previousHash = last?.hash ?? null;
    const decision: ChainedDecision = { ...withSeq, contentHash: content, previousHash, hash: decisionHash(withSeq, content, previousHash) };
    await this.repository.insertDecision(manager, municipalityId, decision);
    return decision;
  }

  private async delegationsTo(staff: StaffPrincipal, now: Date, manager?: EntityManager): Promise<ActiveDelegation[]> {
    const rows = await this.repository.activeDelegationsTo(staff.municipalityId, staff.id, now, manager);
    const delegations: ActiveDelegation[] = [];
    for (const row of rows) {
      const delegator = await this.staffAccounts.findById(staff.municipalityId, row.delegatorId);
      if (!delegator?.active) continue;
      delegations.push({
        id: row.id,
        delegator: { id: delegator.id, roles: delegator.roles, level: delegator.approvalLevel, departments: delegator.departments },
      });
    }
    return delegations;
  }
}

/** Opens a round on a resolved route; shared by the engine hook and legacy cases. */
export async function openRound(
  repository: ApprovalRepository,
  manager: EntityManager,
  municipalityId: MunicipalityId,
  applicationId: string,
  route: ResolvedStep[],
  department: string,
  at: Date,
): Promise<number> {
  const first = route[0];
  return repository.openRound(manager, municipalityId, {
    applicationId,
    route,
    department,
    waitingDepartments: first ? waitingDepartments(first, []) : [],
    requiredLevel: first?.level ?? null,
    at,
  });
}

interface Plan {
  outcome: DecisionFields['outcome'];
  payload: Record<string, unknown>;
  comment: string | null;
  routeComplete: boolean;
  /** Where the route stands afterwards, while the round stays open. */
  progress: (RouteProgress & { route: ResolvedStep[] }) | null;
}

function planDecision(
  kind: DecisionKind,
  input: DecideDto,
  route: ResolvedStep[],
  current: RouteProgress,
  approval: { department: string; approverId: string; onBehalfOf: string | null },
): Plan {
  const comment = input.comment?.trim() || null;
  switch (kind) {
    case 'approve': {
      const next = approve(route, current, { step: current.stepIndex, ...approval });
      return {
        outcome: 'approved',
        payload: { step: current.stepIndex, routeComplete: next.routeComplete, ...(comment ? { comment } : {}), ...(approval.onBehalfOf ? { onBehalfOf: approval.onBehalfOf } : {}) },
        comment,
        routeComplete: next.routeComplete,
        progress: next.routeComplete ? null : { ...next.progress, route },
      };
    }
    case 'return':
      if (input.to === 'previous') {
        if (current.stepIndex === 0) throw ApprovalError.noPreviousStep();
        return {
          outcome: 'returnedToPrevious',
          payload: { to: 'previous', step: current.stepIndex, comment },
          comment,
          routeComplete: false,
          progress: { ...returnToPrevious(current), route },
        };
      }
      return { outcome: 'returnedToClerk', payload: { to: 'clerk', comment }, comment, routeComplete: false, progress: null };
    case 'reject': {
      const reason = input.reason?.trim() || null;
      return { outcome: 'rejected', payload: { reason }, comment: reason, routeComplete: false, progress: null };
    }
  }
}

function requestedAmountOf(definition: ProcedureDefinition, answers: Record<string, unknown>): number | null {
  const value = definition.grant ? answers[definition.grant.amountField] : undefined;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

function grantOf(definition: ProcedureDefinition, answers: Record<string, unknown>, grantAmount: number | undefined): { amount: number; requested: number | null } {
  const requested = requestedAmountOf(definition, answers);
  if (grantAmount === undefined) {
    if (requested === null) throw ApprovalError.grantAmountInvalid(null);
    return { amount: requested, requested };
  }
  if (requested !== null && grantAmount > requested) throw ApprovalError.grantAmountInvalid(requested);
  return { amount: grantAmount, requested };
}

function excludedSet(reviewers: Set<string> | undefined, enteredBy: string | null, approvals: ProgressRow['approvals']): Set<string> {
  const excluded = new Set(reviewers ?? []);
  if (enteredBy) excluded.add(enteredBy);
  for (const approval of approvals) {
    excluded.add(approval.approverId);
    if (approval.onBehalfOf) excluded.add(approval.onBehalfOf);
  }
  return excluded;
}

function relatedTo(definition: ProcedureDefinition, departments: readonly string[]): boolean {
  if (departments.includes(definition.department)) return true;
  return definition.approvalRoute.some((step) => isConsultationStep(step) && step.consultation.departments.some((department) => departments.includes(department)));
}

function me(staff: StaffPrincipal): ApproverFacts {
  return { id: staff.id, roles: staff.roles, level: staff.approvalLevel, departments: staff.departments };
}

function requireApprover(staff: StaffPrincipal): void {
  if (!staff.roles.includes('approver')) throw IdentityError.forbidden();
}

function requireStaffOfCase(staff: StaffPrincipal): void {
  if (!staff.roles.some((role) => role === 'clerk' || role === 'reviewer' || role === 'approver')) throw IdentityError.forbidden();
}

function notFound(id: string): ApplicationError {
  // Not the department's case (nor a consulted one's): its existence is not confirmed.
  return ApplicationError.notFound(id);
}
