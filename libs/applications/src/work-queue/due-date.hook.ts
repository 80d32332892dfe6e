import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import { addBusinessDays, businessDaysBetween, isoDateIn } from '@madoguchi/kernel';
import { ProcedureRegistry } from '@madoguchi/procedures';
import { type TransitionContext, type TransitionHook, TransitionHooks, type TransitionWrites } from '@madoguchi/engine';
import type { DueClock } from './work-queue.repository';

const RETURNED = 'returned';

/**
 * The due-date clock of the standard processing time (標準処理期間), in
 * business days (libs/kernel business-calendar), on the engine's
 * transaction so a due date never disagrees with the state:
 *
 * - submission: due = the n-th business day after the submission date in
 *   the municipality's time zone (none without `standardProcessingDays`);
 * - return for correction (差戻し): the clock pauses; the business days
 *   left are kept and the due date cleared, since the case waits on the
 *   resident, not on staff;
 * - resubmission: due = that many business days after the resubmission
 *   date, so the time with the resident does not count against staff;
 * - anything else, final states included, leaves the clock as it is.
 *
 * It must never decide whether a transition may happen.
 */
@Injectable()
export class DueDateHook implements TransitionHook, OnModuleInit {
  readonly name = 'due-date';

  constructor(
    private readonly hooks: TransitionHooks,
    private readonly registry: ProcedureRegistry,
    private readonly directory: MunicipalityDirectory,
  ) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  async contribute(context: TransitionContext & { writes: TransitionWrites }): Promise<void> {
    const clock = await this.next(context);
    if (clock) Object.assign(context.writes.application, { due_on: clock.dueOn, due_paused_at: clock.pausedAt, due_remaining_days: clock.remainingDays });
  }

  private async next({ municipalityId, application, input, result, at }: TransitionContext): Promise<DueClock | null> {
    const today = () => isoDateIn(at, this.directory.get(municipalityId)?.timeZone ?? 'Asia/Tokyo');
    if (result.from === 'draft' && result.to !== 'draft' && result.to !== 'discarded') {
      const compiled = await this.registry.get(municipalityId, application.procedureCode, application.procedureVersion);
      const days = compiled.definition.standardProcessingDays;
      return { dueOn: days === undefined || days === null ? null : addBusinessDays(today(), days), pausedAt: null, remainingDays: null };
    }
    if (result.to === RETURNED && result.from !== RETURNED) {
      // No due date (no standard time, or already paused): nothing to pause.
      if (application.dueOn === null) return null;
      return { dueOn: null, pausedAt: at, remainingDays: businessDaysBetween(today(), application.dueOn) };
    }
    if (result.from === RETURNED && result.to !== RETURNED && input.type === 'resident.resubmit') {
      if (application.duePausedAt === null || application.dueRemainingDays === null) return null;
      return { dueOn: addBusinessDays(today(), application.dueRemainingDays), pausedAt: null, remainingDays: null };
    }
    return null;
  }
}
