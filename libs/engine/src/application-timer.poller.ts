import { Injectable, Logger } from '@nestjs/common';
import { Clock, OutboxRepository } from '@madoguchi/kernel';
import { type DueTimer, TimerRepository } from './timers/timer.repository';
import { REMINDER_EVENT_PREFIX, WorkflowError } from '@madoguchi/workflow';
import { ApplicationRepository } from './application.repository';
import { DataSource, type EntityManager } from 'typeorm';
import { ApplicationWorkflowService, NOTIFICATION_RESIDENT_TOPIC } from './application-workflow.service';

/**
 * Fires due deadlines. Each timer is locked, turned into its event and settled
 * in one transaction, so a crash before commit leaves it to fire again and two
 * workers never fire it twice.
 */
@Injectable()
export class ApplicationTimerPoller {
  private readonly logger = new Logger('Timers');

  constructor(
    private readonly dataSource: DataSource,
    private readonly timers: TimerRepository,
    private readonly workflow: ApplicationWorkflowService,
    private readonly applications: ApplicationRepository,
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
  ) {}

  /** Fires up to `limit` due timers; returns how many it settled. */
  async fireDue(limit = 50): Promise<number> {
    let settled = 0;
    while (settled < limit) {
      const done = await this.dataSource.transaction(async (manager) => {
        const now = this.clock.now();
        const timer = await this.timers.lockNextDue(manager, now);
        if (!timer) return false;
        if (timer.eventType.startsWith(REMINDER_EVENT_PREFIX)) {
          await this.remind(manager, timer, now);
          return true;
        }
        try {
          await manager.query('SAVEPOINT fire_timer');
          await this.workflow.transition(
            timer.municipalityId,
            timer.applicationId,
            { type: timer.eventType, actor: { kind: 'system', id: 'timer' }, payload: { timerId: timer.id, state: timer.state } },
            manager,
          );
          await this.timers.settle(manager, timer, 'fired', now);
        } catch (error) {
          // The application moved on and no longer takes this deadline.
          if (!(error instanceof WorkflowError)) throw error;
          await manager.query('ROLLBACK TO SAVEPOINT fire_timer');
          await this.timers.settle(manager, timer, 'void', now);
          this.logger.log({ msg: 'timer void', timerId: timer.id, code: error.code });
        }
        return true;
      });
      if (!done) break;
      settled += 1;
    }
    return settled;
  }

  /**
   * A reminder tells the resident and changes nothing else. Leaving the state
   * cancels it with the other timers; the state check covers a reminder that
   * fell due in the same instant, and a reminder whose deadline is due as
   * well is void.
   */
  private async remind(manager: EntityManager, timer: DueTimer, now: Date): Promise<void> {
    const application = await this.applications.lock(manager, timer.municipalityId, timer.applicationId);
    // After an outage a reminder may fall due with the deadline it warns of: say nothing then.
    const current = application?.state === timer.state && !(await this.timers.otherDue(manager, timer, now));
    if (application && current) {
      await this.outbox.enqueue(manager, timer.municipalityId, {
        topic: NOTIFICATION_RESIDENT_TOPIC,
        applicationId: application.id,
        availableAt: now,
        payload: { applicationId: application.id, kind: timer.eventType.slice(REMINDER_EVENT_PREFIX.length), revision: application.revision },
      });
    }
    await this.timers.settle(manager, timer, current ? 'fired' : 'void', now);
  }
}
