import { Injectable } from '@nestjs/common';
import type { OutboxMessage } from './outbox.repository';

/**
 * Handlers must be idempotent: a message can be delivered more than once
 * (a lease can expire while a slow handler still runs). The message id is
 * the idempotency key to use with external parties.
 */
export type OutboxHandler = (message: OutboxMessage) => Promise<void>;

@Injectable()
export class OutboxHandlerRegistry {
  private readonly handlers = new Map<string, OutboxHandler>();

  register(topic: string, handler: OutboxHandler): void {
    if (this.handlers.has(topic)) throw new Error(`An outbox handler for "${topic}" is already registered`);
    this.handlers.set(topic, handler);
  }

  get(topic: string): OutboxHandler | undefined {
    return this.handlers.get(topic);
  }
}
