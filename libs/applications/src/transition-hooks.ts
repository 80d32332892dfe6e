import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import type { StepResult } from '@madoguchi/workflow';
import type { EntityManager } from 'typeorm';
import type { ApplicationEntity } from './application.entity';
import type { TransitionInput } from './application-workflow.service';

/** What a hook sees of one transition, inside the engine's transaction. */
export interface TransitionContext {
  manager: EntityManager;
  municipalityId: MunicipalityId;
  /** The row as locked, before the transition. */
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
  after?(context: TransitionContext & { revision: number }): Promise<void>;
}

/** Hooks register on module init; the engine runs them in registration order. */
@Injectable()
export class TransitionHooks {
  private readonly hooks: TransitionHook[] = [];

  register(hook: TransitionHook): void {
    if (this.hooks.some((existing) => existing.name === hook.name)) throw new Error(`transition hook ${hook.name} registered twice`);
    this.hooks.push(hook);
  }

  async before(context: TransitionContext): Promise<void> {
    for (const hook of this.hooks) await hook.before?.(context);
  }

  async after(context: TransitionContext & { revision: number }): Promise<void> {
    for (const hook of this.hooks) await hook.after?.(context);
  }
}
