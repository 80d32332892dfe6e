import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { DataSource } from 'typeorm';
import { backoffMs, type DeliveryPolicy } from '../delivery/leased-delivery';
import { OutboxHandlerRegistry } from './outbox-handler.registry';
import { OutboxRepository } from './outbox.repository';

export type OutboxDispatchOptions = DeliveryPolicy;

export const DEFAULT_OUTBOX_OPTIONS: OutboxDispatchOptions = {
  batchSize: 20,
  leaseMs: 60_000,
  maxAttempts: 10,
  backoffBaseMs: 1_000,
  backoffMaxMs: 30 * 60_000,
};

export interface DispatchResult {
  delivered: number;
  retried: number;
  dead: number;
}

/** Delivers outbox messages after their transaction committed, one after another. */
@Injectable()
export class OutboxDispatcher {
  private readonly logger = new Logger('Outbox');
  options: OutboxDispatchOptions = DEFAULT_OUTBOX_OPTIONS;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly handlers: OutboxHandlerRegistry,
    private readonly clock: Clock,
  ) {}

  dispatchDue(): Promise<DispatchResult> {
    return this.outbox.queue.deliverDue(this.dataSource.manager, this.clock, this.options, {
      deliver: async (message) => {
        const handler = this.handlers.get(message.topic);
        // A topic whose handler this build lacks stays pending, never dead:
        // the release that adds the handler delivers it.
        if (!handler) return { kind: 'postponed', error: `no handler registered for "${message.topic}"`, delayMs: this.options.backoffMaxMs };
        await handler(message);
        return { kind: 'delivered' };
      },
      failed: (message, error, dead) =>
        this.logger.warn({ msg: 'outbox delivery failed', topic: message.topic, id: message.id, attempts: message.attempts, error, dead }),
    });
  }

  backoff(attempt: number): number {
    return backoffMs(this.options, attempt);
  }
}
