import { Module, type OnModuleInit } from '@nestjs/common';
import { PeriodicJobs } from '@madoguchi/kernel';
import { OutboxDispatcher } from './outbox/outbox-dispatcher';
import { OutboxHandlerRegistry } from './outbox/outbox-handler.registry';
import { OutboxRepository } from './outbox/outbox.repository';
import { TimerRepository } from './timers/timer.repository';

/**
 * The engine's durable infrastructure: outbox and timers. Compiling and
 * stepping machines is plain functions (CompiledProcedure) and needs no module.
 */
@Module({
  providers: [OutboxRepository, OutboxHandlerRegistry, OutboxDispatcher, TimerRepository],
  exports: [OutboxRepository, OutboxHandlerRegistry, OutboxDispatcher, TimerRepository],
})
export class WorkflowModule implements OnModuleInit {
  constructor(
    private readonly jobs: PeriodicJobs,
    private readonly dispatcher: OutboxDispatcher,
  ) {}

  onModuleInit(): void {
    this.jobs.register({
      name: 'outbox',
      idleMs: 500,
      run: async () => {
        const result = await this.dispatcher.dispatchDue();
        return result.delivered + result.retried + result.dead;
      },
    });
  }
}
