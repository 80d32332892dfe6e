import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import type { StepResult } from '@madoguchi/workflow';
import type { EntityManager } from 'typeorm';
import type { ApplicationEntity } from './application.entity';
import type { TransitionInput, TransitionWrites } from './transition-types';

export * from './transition-types';

/**
 * What a hook sees of one transition: inside the engine's transaction for
 * `before` and `after`; for `contribute` and `involved` also on the engine's
 * path without one (see ApplicationWorkflowService), where `manager` is not
 * transactional and must not be used.
 */
export interface TransitionContext {
  manager: EntityManager;
  municipalityId: MunicipalityId;
  /** The row as the transition found it (locked, or read with its row version), before the transition. */
  application: ApplicationEntity;
  input: TransitionInput;
  result: StepResult;
  at: Date;
}

/**
 * Case work that rides on the engine's transaction (due dates, claims,
 * submission snapshots, approval records). `before` runs after the machine
 * accepted the event and before anything is written: throwing refuses the
 * transition. `after` runs once the snapshot and event are written, with the
 * new revision; throwing rolls the whole transition back.
 */
export interface TransitionHook {
  readonly name: string;
  before?(context: TransitionContext): Promise<void>;
  /**
   * Adds rows to the engine's single write (no statements of its own): runs
   * after every `before`, with the revision the transition will have.
   */
  contribute?(context: TransitionContext & { revision: number; writes: TransitionWrites }): void | Promise<void>;
  after?(context: TransitionContext & { revision: number }): Promise<void>;
  /**
   * Whether `before` or `after` would do anything for this transition (read,
   * lock, write or refuse). A hook that has either and answers false lets
   * the engine write the transition as one statement without a transaction;
   * one that has either and lacks `involved` is always involved. Answer true
   * whenever in doubt.
   */
  involved?(context: TransitionContext): boolean | Promise<boolean>;
  /**
   * Whether `before` or `after` has work in every transition of this input,
   * whatever the row: the engine then takes the row lock at once rather than
   * read the row first to ask `involved`.
   */
  involvedIn?(input: TransitionInput): boolean;
}

/**
 * The order hooks run in, declared here rather than left to module
 * initialisation: refusals first (a signature or a claim stops the
 * transition before anything else reads), then the booking step (which
 * takes or releases slots), then the case-work records, the approval round,
 * and the documents a decision sends.
 */
export const TRANSITION_HOOK_ORDER = ['signed-content', 'claims', 'bookings', 'due-date', 'submission-snapshots', 'approval-rounds', 'documents.nonGrantNotice'] as const;

/** Hooks register on module init; the engine runs them in TRANSITION_HOOK_ORDER. */
@Injectable()
export class TransitionHooks {
  private readonly hooks: TransitionHook[] = [];

  register(hook: TransitionHook): void {
    const position = (TRANSITION_HOOK_ORDER as readonly string[]).indexOf(hook.name);
    if (position < 0) throw new Error(`transition hook ${hook.name} is not in TRANSITION_HOOK_ORDER`);
    if (this.hooks.some((existing) => existing.name === hook.name)) throw new Error(`transition hook ${hook.name} registered twice`);
    this.hooks.push(hook);
    this.hooks.sort((a, b) => (TRANSITION_HOOK_ORDER as readonly string[]).indexOf(a.name) - (TRANSITION_HOOK_ORDER as readonly string[]).indexOf(b.name));
  }

  /** Registered hook names, in the order they run. */
  names(): string[] {
    return this.hooks.map((hook) => hook.name);
  }

  /** Whether some hook's `before` or `after` has work in every transition of this input (TransitionHook.involvedIn). */
  involvedIn(input: TransitionInput): boolean {
    return this.hooks.some((hook) => (hook.before || hook.after) && hook.involvedIn?.(input));
  }

  /** Whether any hook's `before` or `after` has work in this transition (TransitionHook.involved). */
  async involved(context: TransitionContext): Promise<boolean> {
    for (const hook of this.hooks) {
      if (!hook.before && !hook.after) continue;
      if (!hook.involved || (await hook.involved(context))) return true;
    }
    return false;
  }

  async before(context: TransitionContext): Promise<void> {
    for (const hook of this.hooks) await hook.before?.(context);
  }

  async contribute(context: TransitionContext & { revision: number; writes: TransitionWrites }): Promise<void> {
    for (const hook of this.hooks) await hook.contribute?.(context);
  }

  async after(context: TransitionContext & { revision: number }): Promise<void> {
    for (const hook of this.hooks) await hook.after?.(context);
  }
}
