import type { OutboxTopic } from '@madoguchi/kernel';
import type { WorkflowActor } from '@madoguchi/workflow';

/** What the engine's transition is asked to do (ApplicationWorkflowService.transition). */
export interface TransitionInput {
  type: string;
  payload?: Record<string, unknown>;
  actor: WorkflowActor;
  /** The revision the caller last saw; a different current revision is a 409. */
  expectedRevision?: number;
}

/** Columns of the application row a hook may set in the engine's write, with their SQL types. */
export const CONTRIBUTED_APPLICATION_COLUMNS = {
  due_on: 'date',
  due_paused_at: 'timestamptz',
  due_remaining_days: 'integer',
  claimed_by: 'text',
  claimed_at: 'timestamptz',
  claim_active_at: 'timestamptz',
} as const;
export type ContributedApplicationColumn = keyof typeof CONTRIBUTED_APPLICATION_COLUMNS;

/**
 * What hooks add to the engine's single write of a transition: columns of the
 * application row, outbox messages (available at the transition's time) and
 * rows of their own tables. The engine sends it all in one statement with the
 * snapshot, the event and the timers, so a hook costs no round trip.
 */
export interface TransitionWrites {
  application: Partial<Record<ContributedApplicationColumn, string | number | Date | null>>;
  outbox: Array<{ topic: OutboxTopic; payload: Record<string, unknown> }>;
  /** Table and column names come from code, never from input. */
  rows: Array<{ table: string; values: Record<string, unknown> }>;
}

