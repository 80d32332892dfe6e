import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { DataSource } from 'typeorm';
import { OutboxHandlerRegistry } from './outbox-handler.registry';
import { OutboxRepository } from './outbox.repository';

export interface OutboxDispatchOptions {
  batchSize: number;
  leaseMs: number;
  maxAttempts: number;
  /** Backoff for attempt n (1-based): base * 2^(n-1), capped. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

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

/** Delivers outbox messages after their transaction committed. */
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

  async dispatchDue(): Promise<DispatchResult> {
    const now = this.clock.now();
    const messages = await this.outbox.lease(
      this.dataSource.manager,
      now,
      new Date(now.getTime() + this.options.leaseMs),
      this.options.batchSize,
    );
    const result: DispatchResult = { delivered: 0, retried: 0, dead: 0 };
    for (const message of messages) {
      const handler = this.handlers.get(message.topic);
      if (!handler) {
        // A topic whose handler this build lacks stays pending, never dead:
        // the release that adds the handler delivers it.
        await this.outbox.markFailed(this.dataSource.manager, message.municipalityId, message.id, {
          error: `no handler registered for "${message.topic}"`,
          retryAt: new Date(now.getTime() + this.options.backoffMaxMs),
        });
        result.retried += 1;
        continue;
      }
      try {
        await handler(message);
        await this.outbox.markDelivered(this.dataSource.manager, message.municipalityId, message.id, this.clock.now());
        result.delivered += 1;
      } catch (error) {
        const retryAt =
          message.attempts >= this.options.maxAttempts ? null : new Date(this.clock.now().getTime() + this.backoff(message.attempts));
        await this.outbox.markFailed(this.dataSource.manager, message.municipalityId, message.id, {
          error: error instanceof Error ? error.message : String(error),
          retryAt,
        });
        if (retryAt) result.retried += 1;
        else result.dead += 1;
        this.logger.warn({ msg: 'outbox delivery failed', topic: message.topic, id: message.id, attempts: message.attempts, dead: !retryAt });
      }
    }
    return result;
  }

  backoff(attempt: number): number {
    return Math.min(this.options.backoffBaseMs * 2 ** Math.max(0, attempt - 1), this.options.backoffMaxMs);
  }
}
