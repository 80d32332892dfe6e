import { Module, type OnModuleInit } from '@nestjs/common';
import { PeriodicJobs } from '@madoguchi/kernel';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProceduresModule } from '@madoguchi/procedures';
import { ApplicationEventEntity } from './application-event.entity';
import { ApplicationEntity } from './application.entity';
import { WorkflowModule } from '@madoguchi/workflow';
import { ApplicationTimerPoller } from './application-timer.poller';
import { ApplicationWorkflowService } from './application-workflow.service';
import { ApplicationRepository } from './application.repository';
import { ApplicationsService } from './applications.service';

/** Applications and their lifecycle; owns the engine's transaction. */
@Module({
  imports: [TypeOrmModule.forFeature([ApplicationEntity, ApplicationEventEntity]), ProceduresModule, WorkflowModule],
  providers: [ApplicationRepository, ApplicationWorkflowService, ApplicationsService, ApplicationTimerPoller],
  exports: [ApplicationsService, ApplicationWorkflowService, ApplicationTimerPoller],
})
export class ApplicationsModule implements OnModuleInit {
  constructor(
    private readonly jobs: PeriodicJobs,
    private readonly timers: ApplicationTimerPoller,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ name: 'timers', idleMs: 1000, run: () => this.timers.fireDue() });
  }
}
