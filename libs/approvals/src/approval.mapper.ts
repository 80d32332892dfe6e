import { formatWareki, isoDateIn } from '@madoguchi/kernel';
import type { ChainedDecision } from './approval-chain';
import type { ResolvedStep } from './approval-route';
import type { DelegationRow, GrantDecisionRow } from './approval.repository';
import type { DecisionDto, DelegationDto, GrantDecisionDto, StepDto } from './dto/approval.dto';

export function toStepDto(step: ResolvedStep): StepDto {
  return { index: step.index, kind: step.kind, level: step.level, departments: [...step.departments], addedByRule: step.rule ? { ...step.rule } : null };
}

export function toDecisionDto(decision: ChainedDecision): DecisionDto {
  return {
    seq: decision.seq,
    round: decision.round,
    step: decision.stepIndex,
    stepKind: decision.stepKind,
    department: decision.department,
    outcome: decision.outcome,
    approverId: decision.approverId,
    approverLevel: decision.approverLevel,
    onBehalfOf: decision.onBehalfOf,
    comment: decision.comment,
    decidedAt: decision.decidedAt,
    contentHash: decision.contentHash,
    previousHash: decision.previousHash,
    hash: decision.hash,
  };
}

const TITLES = {
  grant: { ja: '補助金交付決定', en: 'Grant decision' },
  nonGrant: { ja: '補助金不交付決定', en: 'Decision not to grant' },
} as const;

export function toGrantDecisionDto(decision: GrantDecisionRow): GrantDecisionDto {
  return {
    decisionNumber: decision.decisionNumber,
    kind: decision.kind,
    title: TITLES[decision.kind],
    amount: decision.amount,
    requestedAmount: decision.requestedAmount,
    reason: decision.reason,
    decidedAt: decision.decidedAt.toISOString(),
    decidedOnWareki: formatWareki(isoDateIn(decision.decidedAt, 'Asia/Tokyo')),
    approvalHash: decision.approvalHash,
  };
}

export function toDelegationDto(delegation: DelegationRow, now: Date): DelegationDto {
  return {
    id: delegation.id,
    delegatorId: delegation.delegatorId,
    delegateId: delegation.delegateId,
    startsAt: delegation.startsAt.toISOString(),
    endsAt: delegation.endsAt.toISOString(),
    reason: delegation.reason,
    active: delegation.startsAt <= now && now < delegation.endsAt && !delegation.revokedAt,
  };
}
