import type { ApprovalLevel, LocalizedText } from '../definition/procedure-definition';

export type ActorKind = 'resident' | 'staff' | 'system' | 'provider';

export interface WorkflowActor {
  kind: ActorKind;
  id: string;
  /** An approver's level, checked by the approval step's guard. */
  level?: ApprovalLevel;
}

/**
 * Every event has the same envelope. `at` is stamped by the engine from its
 * clock, so machines never read the time themselves.
 */
export interface WorkflowEvent {
  type: string;
  at: string;
  actor: WorkflowActor;
  payload: Record<string, unknown>;
}

export interface ApprovalRecord {
  step: number;
  level: ApprovalLevel | null;
  by: string;
  at: string;
  comment: string | null;
  /** 代決: the absent approver this decision was taken for. */
  onBehalfOf?: string;
}

export interface WorkflowContext {
  procedure: { code: string; version: number };
  fee: { amount: number | null };
  /** Approvals of the current round; a return to review starts a new round. */
  approvals: ApprovalRecord[];
  rejection: { reason: string; by: string; at: string } | null;
  sendBack: { fields: string[]; message: string; by: string; at: string } | null;
  sendBackCount: number;
  returnedByApprover: { comment: string; by: string; at: string } | null;
  withdrawal: { reason: string | null; at: string } | null;
  /**
   * A confirmed booking cancelled after the application ended (or while its
   * permit was being issued), with what the cancellation policy refunds.
   * Absent in snapshots of compiler version 2 and older.
   */
  cancellation?: { by: string; byKind: string; reason: string | null; refundAmount: number; refundPercent: number; at: string } | null;
}

export type StatePhase = 'draft' | 'active' | 'final';

/** A side effect to run from the outbox after the transition commits. */
export interface EffectSpec {
  topic: string;
}

/** A deadline to schedule when the state is entered. */
export interface TimerSpec {
  event: string;
  afterMs: number;
}

/** Data attached to each compiled state; the machine itself stays pure. */
export interface StateMeta {
  phase: StatePhase;
  label: LocalizedText;
  /** The step kind this state belongs to, if any. */
  step: string | null;
  /** Whether a decision on the application has been taken (no withdrawal). */
  decided: boolean;
  effects: EffectSpec[];
  timers: TimerSpec[];
}

/** What is stored in `applications.snapshot`. */
export type PersistedSnapshot = Record<string, unknown> & { value: unknown; status: string };
