import { Module, type OnModuleInit } from '@nestjs/common';
import { PeriodicJobs } from '../jobs/periodic-jobs';
import { OutboxDispatcher } from './outbox-dispatcher';
import { OutboxHandlerRegistry } from './outbox-handler.registry';
import { OutboxRepository } from './outbox.repository';

/**
 * The transactional outbox: rows written in the same transaction as the
 * change they announce, delivered after commit by the `outbox` job. Any
 * library may enqueue (mail from identity, effects from the engine); the
 * handlers register themselves on module init.
 */
@Module({
  providers: [OutboxRepository, OutboxHandlerRegistry, OutboxDispatcher],
  exports: [OutboxRepository, OutboxHandlerRegistry, OutboxDispatcher],
})
export class OutboxModule implements OnModuleInit {
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
