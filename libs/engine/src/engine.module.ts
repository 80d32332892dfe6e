import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@madoguchi/identity';
import { OutboxModule, PeriodicJobs } from '@madoguchi/kernel';
import { ProceduresModule } from '@madoguchi/procedures';
import { ApplicationEventEntity } from './application-event.entity';
import { ApplicationEntity } from './application.entity';
import { ApplicationRepository } from './application.repository';
import { ApplicationTimerPoller } from './application-timer.poller';
import { ApplicationWorkflowService } from './application-workflow.service';
import { CaseAccess } from './case-access';
import { IdempotencyService } from './idempotency.service';
import { ResidentApplicationDrafts } from './resident-application-drafts';
import { TimerRepository } from './timers/timer.repository';
import { TransitionHooks } from './transition-hooks';

/**
 * The durable runtime of procedures: the application and event records, the
 * transition transaction (one write per transition, hooks contributing rows),
 * reference numbers, timers, and the ports step libraries act through. The
 * resident and staff case features (libs/applications) and the step
 * libraries (payments, approvals, bookings, documents, notifications,
 * counter) sit on top of it and never reach into each other.
 */
const PUBLIC = [ApplicationRepository, ApplicationWorkflowService, ApplicationTimerPoller, TransitionHooks, TimerRepository, CaseAccess, IdempotencyService, ResidentApplicationDrafts];

@Module({
  imports: [TypeOrmModule.forFeature([ApplicationEntity, ApplicationEventEntity]), ProceduresModule, OutboxModule, IdentityModule],
  providers: PUBLIC,
  exports: [...PUBLIC, OutboxModule],
})
export class EngineModule implements OnModuleInit {
  constructor(
    private readonly jobs: PeriodicJobs,
    private readonly timers: ApplicationTimerPoller,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ name: 'timers', idleMs: 1000, run: () => this.timers.fireDue() });
  }
}
